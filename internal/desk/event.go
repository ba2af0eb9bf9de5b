package desk

import (
	"context"
	"time"
)

// EventTx stores and lists a ticket's events.
type EventTx interface {
	InsertEvent(ctx context.Context, e *Event) error
	Events(ctx context.Context, ticketID int64) ([]Event, error)
}

// EventKind names what changed on a ticket.
type EventKind string

const (
	EventCreated      EventKind = "created"
	EventStatus       EventKind = "status"
	EventPriority     EventKind = "priority"
	EventAssignee     EventKind = "assignee"
	EventDeadline     EventKind = "deadline"
	EventProblem      EventKind = "customer_problem"
	EventRealEmail    EventKind = "real_email"
	EventDeliveryDate EventKind = "delivery_date"
	EventMessageIn    EventKind = "message_in"
	EventMessageOut   EventKind = "message_out"
	EventNote         EventKind = "note"
)

// Event is one entry of a ticket's history.
type Event struct {
	ID        int64     `json:"id"`
	TicketID  int64     `json:"ticket_id"`
	At        time.Time `json:"at"`
	AgentID   int64     `json:"agent_id,omitempty"` // 0: the system or a channel
	ActorName string    `json:"actor_name"`
	Kind      EventKind `json:"kind"`
	Old       string    `json:"old,omitempty"`
	New       string    `json:"new,omitempty"`
	MessageID int64     `json:"message_id,omitempty"`
}
