package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"guichet/internal/desk"
	"guichet/internal/web/live"
)

// eventStream sends the hub's events to an open page (server-sent events)
// until the page goes away or the hub closes (shutdown). Each session may
// hold a few streams (several tabs), not an unbounded number: every one is
// a connection and a goroutine for as long as it stays open.
type eventStream struct {
	hub   *live.Hub
	limit int
	mu    sync.Mutex
	open  map[string]int // session key → streams open
}

// DefaultStreamsPerSession is enough tabs for one agent's working day.
const DefaultStreamsPerSession = 6

func newEventStream(hub *live.Hub, limit int) *eventStream {
	if limit <= 0 {
		limit = DefaultStreamsPerSession
	}
	return &eventStream{hub: hub, limit: limit, open: map[string]int{}}
}

// acquire counts one more stream for the session, unless it has its fill.
func (h *eventStream) acquire(key string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.open[key] >= h.limit {
		return false
	}
	h.open[key]++
	return true
}

func (h *eventStream) release(key string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.open[key]--; h.open[key] <= 0 {
		delete(h.open, key)
	}
}

// heartbeat keeps proxies from closing an idle stream.
const heartbeat = 25 * time.Second

func (h *eventStream) serve(w http.ResponseWriter, r *http.Request, s session) error {
	if h.hub == nil {
		return desk.NotFound("flux d'événements")
	}
	if !h.acquire(string(s.Hash)) {
		// The page's script waits longer at each refusal (app.js).
		w.Header().Set("Retry-After", "30")
		return desk.Errorf(desk.ETooMany, "trop de pages ouvertes en direct pour cette session : fermez des onglets")
	}
	defer h.release(string(s.Hash))
	rc := http.NewResponseController(w)
	// The stream outlives the server's write timeout (the read deadline is
	// cleared by net/http once a bodiless request is read).
	// TestLiveStreamOutlivesTheServerTimeouts checks both.
	rc.SetWriteDeadline(time.Time{})
	sub := h.hub.Subscribe()
	defer h.hub.Unsubscribe(sub)

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 3000\n\n")
	if err := rc.Flush(); err != nil {
		return nil
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-tick.C:
			fmt.Fprint(w, ": ping\n\n")
		case e, ok := <-sub.Events:
			if !ok {
				return nil // the hub closed
			}
			data, _ := json.Marshal(e)
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, data)
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
	}
}
