// Package web serves guichet over HTTP: the agents' pages (package ui), the
// JSON API (package api), health and metrics. It authenticates every request
// once, here, and hands use cases to desk.
package web

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"guichet/internal/desk"
	"guichet/internal/web/api"
	"guichet/internal/web/live"
)

// Pinger checks the database (for /healthz).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Config is what the server is built from.
type Config struct {
	Desk *desk.Desk
	Hub  *live.Hub
	DB   Pinger
	Log  *slog.Logger
	// UI registers the agents' pages; nil serves the API only.
	UI func(mux *http.ServeMux)
	// MetricsToken, when set, is the bearer token /metrics asks for;
	// empty leaves /metrics open (to whoever reaches the port).
	MetricsToken string
	// Metrics are more collectors for /metrics (the sync's).
	Metrics []prometheus.Collector
}

// Server is guichet's HTTP handler.
type Server struct {
	desk    *desk.Desk
	hub     *live.Hub
	db      Pinger
	log     *slog.Logger
	metrics *metrics
	handler http.Handler
}

// New builds the server and its routes.
func New(c Config) *Server {
	s := &Server{desk: c.Desk, hub: c.Hub, db: c.DB, log: c.Log}
	if s.log == nil {
		s.log = slog.Default()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.metrics = newMetrics(reg)
	if c.Desk != nil {
		registerPasswordMetrics(reg, c.Desk)
	}
	reg.MustRegister(c.Metrics...)

	metricsPage := requireToken(c.MetricsToken, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", metricsPage)
	api.Register(mux, api.Deps{Desk: c.Desk, Log: s.log})
	if c.UI != nil {
		c.UI(mux)
	}
	csrf := http.NewCrossOriginProtection()
	app := csrf.Handler(s.identify(s.checkCSRF(mux)))
	s.handler = s.recoverPanics(s.metrics.instrument(mux, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The metrics token is no agent's API token: /metrics is answered
		// before identify would refuse it as one.
		if r.URL.Path == "/metrics" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			metricsPage.ServeHTTP(w, r)
			return
		}
		app.ServeHTTP(w, r)
	})))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.db != nil {
		if err := s.db.Ping(r.Context()); err != nil {
			s.log.Error("health check", "err", err)
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
