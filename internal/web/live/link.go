package live

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"log/slog"
)

// Broadcaster carries payloads between the processes sharing a database
// (PostgreSQL LISTEN/NOTIFY; see store.Broadcast and store.Listen).
type Broadcaster interface {
	Broadcast(ctx context.Context, payload string) error
	Listen(ctx context.Context, fn func(payload string)) error
}

// envelope is what goes over the wire: who sent it, so that a process
// skips its own events (it published them already).
type envelope struct {
	Origin string  `json:"o"`
	Events []Event `json:"e"`
}

// maxPayload keeps a notification under PostgreSQL's 8 000 bytes.
const maxPayload = 7000

// Link joins h to the other processes of the deployment until ctx ends:
// what is published here is broadcast, and what others broadcast is
// published here. Sending never blocks Publish: past a backlog of 1 024
// batches, events are dropped and the others' pages catch up at their
// next change or reload.
func (h *Hub) Link(ctx context.Context, b Broadcaster, log *slog.Logger) {
	origin := rand.Text()
	out := make(chan []Event, 1024)
	h.mu.Lock()
	h.relay = func(events []Event) {
		select {
		case out <- events:
		default:
		}
	}
	h.mu.Unlock()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case events := <-out:
				for _, p := range encode(origin, events) {
					if err := b.Broadcast(ctx, p); err != nil && ctx.Err() == nil {
						log.Warn("diffusion des changements aux autres processus", "err", err)
					}
				}
			}
		}
	}()
	go b.Listen(ctx, func(payload string) {
		var e envelope
		if json.Unmarshal([]byte(payload), &e) != nil || e.Origin == origin {
			return
		}
		h.deliver(e.Events)
	})
}

// encode packs events into payloads of at most maxPayload bytes; resync
// events stay local (each process knows its own slow subscribers).
func encode(origin string, events []Event) []string {
	var out []string
	batch := envelope{Origin: origin}
	size := 0
	flush := func() {
		if len(batch.Events) > 0 {
			b, _ := json.Marshal(batch)
			out = append(out, string(b))
		}
		batch.Events, size = nil, 0
	}
	for _, e := range events {
		if e.Type == "resync" {
			continue
		}
		b, _ := json.Marshal(e)
		if size+len(b) > maxPayload {
			flush()
		}
		batch.Events = append(batch.Events, e)
		size += len(b) + 1
	}
	flush()
	return out
}
