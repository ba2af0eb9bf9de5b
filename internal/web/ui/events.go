package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"guichet/internal/desk"
	"guichet/internal/web/live"
)

// eventStream sends the hub's events to an open page (server-sent events)
// until the page goes away or the hub closes (shutdown).
type eventStream struct {
	hub *live.Hub
}

// heartbeat keeps proxies from closing an idle stream.
const heartbeat = 25 * time.Second

func (h *eventStream) serve(w http.ResponseWriter, r *http.Request, s session) error {
	if h.hub == nil {
		return desk.NotFound("flux d'événements")
	}
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // the stream outlives the server's write timeout
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
