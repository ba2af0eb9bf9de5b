package desk

import (
	"context"
	"io"
	"time"
)

// Store runs a function in one transaction: Write for use cases that change
// something, Read for those that only look. The Tx must not escape fn.
type Store interface {
	Read(ctx context.Context, fn func(Tx) error) error
	Write(ctx context.Context, fn func(Tx) error) error
}

// Tx is everything desk asks of storage, inside one transaction.
// Lookups of a single thing return an ENotFound *Error when it does not exist.
type Tx interface {
	SyncTx
	OutboxTx

	TicketByID(ctx context.Context, id int64) (Ticket, error)
	TicketByOrder(ctx context.Context, channelID int64, orderRef string) (Ticket, error)
	// TicketsByReference finds tickets whose number or order reference is exactly ref.
	TicketsByReference(ctx context.Context, ref string, limit int) ([]Ticket, error)
	// InsertTicket stores t and sets its ID; when the (channel, order) pair already
	// has a ticket it stores nothing and returns created == false.
	InsertTicket(ctx context.Context, t *Ticket) (created bool, err error)
	UpdateTicket(ctx context.Context, t *Ticket) error
	// IndexTicket refreshes the search entry for the ticket's own fields.
	IndexTicket(ctx context.Context, id int64) error
	FindTickets(ctx context.Context, f TicketFilter) (TicketPage, error)
	CountTickets(ctx context.Context, f CountFilter) (Counts, error)
	// NextUnanswered: waiting_admin, the agent's then nobody's, oldest deadline first.
	NextUnanswered(ctx context.Context, agentID, exclude int64) (Ticket, error)

	Threads(ctx context.Context, ticketID int64) ([]Thread, error)
	ThreadByKind(ctx context.Context, ticketID int64, kind ThreadKind, externalID string) (Thread, error)
	// TicketByThread finds the ticket holding a channel's conversation, for
	// messages without an order.
	TicketByThread(ctx context.Context, channelID int64, kind ThreadKind, externalID string) (Ticket, error)
	InsertThread(ctx context.Context, th *Thread) error

	// InsertMessage stores m and sets its ID. A message whose SourceID the
	// channel already delivered is not stored again: inserted == false.
	InsertMessage(ctx context.Context, m *Message, channelID int64) (inserted bool, err error)

	// For Ingest, one statement per batch rather than per message:
	// TicketsByOrders returns the channel's tickets of these orders (locked
	// for the transaction where the engine has row locks); ExistingSources,
	// which source ids the channel already delivered; InsertMessages stores
	// incoming messages of one channel, skipping delivered ones, sets their
	// IDs and says how many it stored; InsertEvents stores events.
	TicketsByOrders(ctx context.Context, channelID int64, orderRefs []string) ([]Ticket, error)
	ExistingSources(ctx context.Context, channelID int64, sourceIDs []string) (map[string]bool, error)
	ThreadsOfTickets(ctx context.Context, ticketIDs []int64) ([]Thread, error)
	InsertMessages(ctx context.Context, ms []*Message, channelID int64) (stored int, err error)
	// UpdateTickets is UpdateTicket for many tickets; InsertTickets is
	// InsertTicket, saying for each whether it was created; InsertThreads
	// stores threads, or finds those that exist; InsertCustomers stores
	// customers of distinct external ids, or finds those that exist.
	UpdateTickets(ctx context.Context, ts []*Ticket) error
	InsertTickets(ctx context.Context, ts []*Ticket) (created []bool, err error)
	InsertThreads(ctx context.Context, ths []*Thread) error
	CustomersByExternal(ctx context.Context, channelID int64, externalIDs []string) ([]Customer, error)
	InsertCustomers(ctx context.Context, cs []*Customer) error
	InsertEvents(ctx context.Context, es []Event) error
	// ParkMessages stores messages Ingest could not, each updating the row
	// of its (channel, source key) if there is one: last seen, times seen,
	// reason and content. UnparkSources drops the rows of messages stored at
	// last. The rest serves the admins' list.
	ParkMessages(ctx context.Context, ps []ParkedMessage) error
	UnparkSources(ctx context.Context, channelID int64, sourceKeys []string) error
	ParkedMessages(ctx context.Context, limit int) ([]ParkedMessage, error)
	ParkedMessage(ctx context.Context, id int64) (ParkedMessage, error)
	CountParked(ctx context.Context) (int, error)
	DeleteParked(ctx context.Context, id int64) error

	Messages(ctx context.Context, ticketID int64) ([]Message, error)
	InsertAttachment(ctx context.Context, a *Attachment) error
	Attachment(ctx context.Context, id int64) (Attachment, int64, error)

	InsertEvent(ctx context.Context, e *Event) error
	Events(ctx context.Context, ticketID int64) ([]Event, error)

	Channels(ctx context.Context) ([]Channel, error)
	ChannelByID(ctx context.Context, id int64) (Channel, error)
	InsertChannel(ctx context.Context, c *Channel) error
	UpdateChannel(ctx context.Context, c *Channel) error

	Agents(ctx context.Context) ([]Agent, error)
	AgentByID(ctx context.Context, id int64) (Agent, error)
	// AgentByEmail returns the agent and its password hash.
	AgentByEmail(ctx context.Context, email string) (Agent, string, error)
	InsertAgent(ctx context.Context, a *Agent, passwordHash string) error
	UpdateAgent(ctx context.Context, a *Agent) error
	SetPassword(ctx context.Context, agentID int64, passwordHash string) error

	InsertSession(ctx context.Context, s *Session) error
	SessionByHash(ctx context.Context, tokenHash []byte) (Session, error)
	TouchSession(ctx context.Context, tokenHash []byte, expires time.Time) error
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// EndSessions deletes the agent's sessions but the one whose hash is
	// except (nil: all of them).
	EndSessions(ctx context.Context, agentID int64, except []byte) error

	// InsertDevice stores a device and sets its ID; it also forgets devices
	// unused since staleBefore, and the agent's devices beyond the keep most
	// recently used.
	InsertDevice(ctx context.Context, d *Device, staleBefore time.Time, keep int) error
	DeviceByHash(ctx context.Context, tokenHash []byte) (Device, error)
	TouchDevice(ctx context.Context, id int64, at time.Time) error

	InsertAPIToken(ctx context.Context, t *APIToken) error
	APITokenByHash(ctx context.Context, tokenHash []byte) (APIToken, error)
	APITokenByID(ctx context.Context, id int64) (APIToken, error)
	// APITokens lists tokens newest first (see TokenFilter).
	APITokens(ctx context.Context, f TokenFilter) ([]APIToken, error)
	DeleteAPIToken(ctx context.Context, id int64) error
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error

	CustomerByID(ctx context.Context, id int64) (Customer, error)
	CustomerByExternal(ctx context.Context, channelID int64, externalID string) (Customer, error)
	InsertCustomer(ctx context.Context, c *Customer) error
	UpdateCustomer(ctx context.Context, c *Customer) error

	Templates(ctx context.Context) ([]Template, error)
	TemplateByID(ctx context.Context, id int64) (Template, error)
	InsertTemplate(ctx context.Context, t *Template) error
	UpdateTemplate(ctx context.Context, t *Template) error
	DeleteTemplate(ctx context.Context, id int64) error
}

// Blobs keeps the bytes of attachments; local disk today, an object store later.
type Blobs interface {
	Put(ctx context.Context, r io.Reader) (key string, size int64, err error)
	Open(ctx context.Context, key string) (io.ReadCloser, error)
}

// Change tells listeners that a ticket changed, after the change is committed.
type Change struct {
	TicketID int64     `json:"ticket_id"`
	Kind     EventKind `json:"kind"`
	AgentID  int64     `json:"agent_id,omitempty"` // who did it; 0 for the system
}

// Notifier hears about committed changes (live updates).
type Notifier interface {
	Notify(changes ...Change)
}
