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

// SyncBatch is what one fetch of a channel brought, stored in one
// transaction with the cursor that follows it: a crash never skips nor
// loses a message.
type SyncBatch struct {
	ChannelID int64
	Messages  []Incoming // their ChannelID is set to the batch's
	Threads   []ThreadState
	Cursor    string // stored with the messages
	// Lease is the sync run's claim on the channel: the cursor is written
	// only while the run still holds it (ErrLeaseLost otherwise, and
	// nothing of the batch is stored).
	Lease string
}

// SyncState is where a channel's sync stands, for the admin page.
type SyncState struct {
	ChannelID   int64         `json:"channel_id"`
	Every       time.Duration `json:"every"`                  // time between two runs
	LastRunAt   time.Time     `json:"last_run_at,omitzero"`   // last run's start
	LastOKAt    time.Time     `json:"last_ok_at,omitzero"`    // last run that succeeded
	NextRunAt   time.Time     `json:"next_run_at,omitzero"`   // next run, backoff included
	LastError   string        `json:"last_error,omitempty"`   // the last failure, cleared by a success
	LastErrorAt time.Time     `json:"last_error_at,omitzero"` //
	Failures    int           `json:"failures"`               // in a row
	LastFetched int           `json:"last_fetched"`           // messages stored by the last run
	Fetched     int64         `json:"fetched"`                // messages stored since the channel was created
	Running     bool          `json:"running"`                // a run holds the lease now
	Requested   bool          `json:"requested,omitempty"`    // « Synchroniser maintenant » is waiting
	Cursor      string        `json:"-"`                      // where the next fetch starts
	LeaseOwner  string        `json:"-"`
	LeaseUntil  time.Time     `json:"-"`
}

// DeliveryState is where a reply's delivery stands in the outbox. The
// message's own Delivery shows the agents its outline (queued, sent,
// failed); the outbox keeps the detail.
type DeliveryState string

const (
	OutboxQueued  DeliveryState = "queued"  // waiting for its turn (or for its retry)
	OutboxSending DeliveryState = "sending" // handed to the connector; outcome not recorded yet
	OutboxUnknown DeliveryState = "unknown" // the channel cannot tell whether it arrived: an agent decides
	OutboxSent    DeliveryState = "sent"
	OutboxFailed  DeliveryState = "failed" // refused by the channel, or retries exhausted
)

// OutboxEntry is one reply's delivery.
type OutboxEntry struct {
	MessageID int64         `json:"message_id"`
	TicketID  int64         `json:"ticket_id"`
	ChannelID int64         `json:"channel_id"`
	State     DeliveryState `json:"state"`
	Attempts  int           `json:"attempts"`
	NextAt    time.Time     `json:"next_at,omitzero"`
	LastError string        `json:"last_error,omitempty"`
	SourceID  string        `json:"source_id,omitempty"` // the channel's id, once sent
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`

	LeaseOwner string    `json:"-"` // the outbox worker holding it
	LeaseUntil time.Time `json:"-"`
}

// DeliveryFilter selects outbox entries for the admins' list.
type DeliveryFilter struct {
	States    []DeliveryState // default: failed and unknown
	ChannelID int64
	TicketID  int64 // one ticket's replies: any agent may list them (the ticket's page)
	Limit     int   // default 100
}
