package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Timeouts bound how long one connection may hold the server.
type Timeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

// DefaultTimeouts are serve's. The live-event stream is exempt from Read
// and Write: it clears its own deadlines (ui's eventStream).
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	// Read bounds a whole request, body included, so that a slow body
	// cannot hold a connection for ever. A reply may carry MaxForm (64 MiB)
	// of attachments: 2 minutes is 4.5 Mbit/s, a modest office uplink.
	Read: 2 * time.Minute,
	// net/http starts the write deadline once the request's headers are
	// read, so Write spans the body's upload too: Read, plus 30 s for the
	// handler to store it and answer (and for a 64 MiB download).
	Write: 2*time.Minute + 30*time.Second,
	Idle:  2 * time.Minute,
}

// NewHTTPServer is the http.Server that serves h with timeouts t; log
// receives the server's own errors (bad TLS, broken connections).
//
// A request's context also ends at its write deadline: past it the answer
// can no longer be written, so the work stops, and a request stuck waiting
// (for a database connection, say) lets go instead of holding on for as
// long as its client waits. Event streams (Accept: text/event-stream, as
// EventSource sends) are exempt, as from the write timeout.
func NewHTTPServer(h http.Handler, t Timeouts, log *slog.Logger) *http.Server {
	if log == nil {
		log = slog.Default()
	}
	return &http.Server{
		Handler:           withDeadline(h, t.Write),
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

func withDeadline(next http.Handler, d time.Duration) http.Handler {
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
