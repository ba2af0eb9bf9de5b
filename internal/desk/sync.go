package desk

import "time"

// ThreadState is a channel's view of one of its conversations, as a fetch
// saw it: its status on the channel, its subject and reason. It comes with
// or without a new message (a marketplace closing a ticket sends none).
type ThreadState struct {
	OrderRef   string     `json:"order_ref,omitempty"`
	Kind       ThreadKind `json:"kind,omitempty"` // default: the customer thread
	ExternalID string     `json:"external_id"`    // the channel's conversation id (Kaufland: the ticket number)
	Subject    string     `json:"subject,omitempty"`
	// Status is the channel's own word for it ("opened", "both_closed"),
	// StatusLabel how the thread shows it (French).
	Status      string `json:"status,omitempty"`
	StatusLabel string `json:"status_label,omitempty"`
	Reason      string `json:"reason,omitempty"` // becomes the ticket's reason when it has none
	// TicketStatus is what the channel's status means for our ticket: ""
	// changes nothing; StatusClosed closes it (the marketplace closed the
	// conversation for good).
	TicketStatus Status    `json:"ticket_status,omitempty"`
	UpdatedAt    time.Time `json:"updated_at,omitzero"`
}
