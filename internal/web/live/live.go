// Package live fans out what happens on tickets to the agents' open pages
// (server-sent events): committed changes from desk, and who is replying
// where. One process: in memory. Several processes on PostgreSQL would relay
// through LISTEN/NOTIFY into the same Hub.
package live

import (
	"sync"

	"guichet/internal/desk"
)

// Event is one message to the pages.
type Event struct {
	Type      string `json:"type"` // "change", "typing" or "resync"
	TicketID  int64  `json:"ticket_id,omitempty"`
	Kind      string `json:"kind,omitempty"`
	AgentID   int64  `json:"agent_id,omitempty"`
	AgentName string `json:"agent_name,omitempty"`
}

// Hub is a set of subscribers. It implements desk.Notifier.
type Hub struct {
	mu     sync.Mutex
	subs   map[*Sub]struct{}
	closed bool
	relay  func([]Event) // to the other processes (see Link); nil: one process
}

// Sub is one subscriber; read Events until it is closed.
type Sub struct {
	Events chan Event
	lagged bool
}

// New returns an empty hub.
func New() *Hub { return &Hub{subs: map[*Sub]struct{}{}} }

// Subscribe adds a subscriber. Call Unsubscribe when done.
func (h *Hub) Subscribe() *Sub {
	s := &Sub{Events: make(chan Event, 64)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(s.Events)
		return s
	}
	h.subs[s] = struct{}{}
	return s
}

// Unsubscribe removes s and closes its channel.
func (h *Hub) Unsubscribe(s *Sub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[s]; ok {
		delete(h.subs, s)
		close(s.Events)
	}
}

// Publish sends events to every subscriber without waiting. A subscriber too
// slow to keep up misses events and gets one "resync" instead (the last slot
// of its buffer is kept for it), telling the page to reload.
func (h *Hub) Publish(events ...Event) {
	h.deliver(events)
	h.mu.Lock()
	relay := h.relay
	h.mu.Unlock()
	if relay != nil {
		relay(events)
	}
}

// deliver publishes events to this process's subscribers only.
func (h *Hub) deliver(events []Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		if s.lagged && len(s.Events) < cap(s.Events)/2 {
			s.lagged = false
		}
		for _, e := range events {
			if s.lagged {
				break
			}
			if len(s.Events) < cap(s.Events)-1 {
				s.Events <- e
				continue
			}
			s.lagged = true
			s.Events <- Event{Type: "resync"}
		}
	}
}

// Notify publishes desk's committed changes.
func (h *Hub) Notify(changes ...desk.Change) {
	events := make([]Event, len(changes))
	for i, c := range changes {
		events[i] = Event{Type: "change", TicketID: c.TicketID, Kind: string(c.Kind), AgentID: c.AgentID}
	}
	h.Publish(events...)
}

// Close ends every subscription (at shutdown: open event streams return).
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for s := range h.subs {
		delete(h.subs, s)
		close(s.Events)
	}
}
