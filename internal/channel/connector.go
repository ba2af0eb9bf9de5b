// Package channel is the contract between guichet and the channels it talks
// to: a Connector per channel kind (one package each: kaufland, mirakl,
// prestashop, mail), optional capabilities the UI discovers by type
// assertion, and a Registry mapping a kind to its constructor and to the
// description of its settings.
//
// A connector is built for one configured channel (its desk.Channel and its
// opened settings) and is safe for concurrent use. It knows no database:
// what it fetches goes to sync, which hands it to desk.
package channel

import (
	"context"
	"time"

	"guichet/internal/desk"
)

// Connector is what every channel kind can do: fetch what is new, send a reply.
type Connector interface {
	// Fetch returns the messages (and thread states) that are new since
	// cursor ("" for the first sync), at most a few pages of them. The
	// batch's Cursor is where the next Fetch starts: it covers exactly the
	// batch, and sync stores it in the same transaction as its messages.
	// A connector re-reads its boundary (several messages can share a
	// timestamp): desk drops what it stored already, by SourceID.
	Fetch(ctx context.Context, cursor string) (Batch, error)
	// Send delivers a reply and returns the channel's id for it, which
	// becomes the message's SourceID so that its echo in a later Fetch is
	// recognised. Errors say whether to retry (see Error).
	Send(ctx context.Context, r Reply) (Sent, error)
}

// Batch is one Fetch's worth of news.
type Batch struct {
	// Messages carry ChannelID 0: sync sets it.
	Messages []desk.Incoming
	// Threads are channel-side states of conversations (status, subject,
	// reason) seen in this window, with or without a new message.
	Threads []desk.ThreadState
	Cursor  string // where the next Fetch starts; never behind the one given
	More    bool   // more is waiting: fetch again now rather than at the next run
}

// Reply is an agent's message on its way to the channel.
type Reply struct {
	MessageID        int64 // ours; a connector may use it as an idempotency key
	TicketID         int64
	OrderRef         string
	ThreadKind       desk.ThreadKind
	ThreadExternalID string // the channel's conversation ("" when the ticket has none yet)
	Body             string
	Files            []File
	CreatedAt        time.Time
	// Customer is the ticket's customer as the channel knows them.
	CustomerExternalID string
	CustomerEmail      string
	// For email channels: the ticket's token (desk.ThreadToken), written
	// into the Reply-To address and the Message-ID so that the answer
	// threads back; the ticket's number and subject; the Message-IDs of the
	// customer's last message (In-Reply-To) and of what it answered.
	Token        string
	TicketNumber string
	Subject      string
	InReplyTo    string
	References   []string
}

// File is an attachment of a reply, read whole (replies' files are small:
// desk.MaxFileSize at most).
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// Sent is what the channel answered to a Send (or what Lookup found).
type Sent struct {
	SourceID string // the channel's id for the message
	// ThreadExternalID names the conversation the reply went to whenever
	// the Reply had none (ThreadExternalID ""): the one sending opened, or
	// the existing one it was written into. The outbox records it on our
	// thread so that the channel's next messages land there. A Send that
	// opened a conversation and then failed to write the message returns
	// it too, beside its error: the retry must write into that
	// conversation, not open a second one.
	ThreadExternalID string
	At               time.Time
}

// Tester checks the connection settings (credentials, base URL) with a
// call that changes nothing; « Tester la connexion » runs it.
type Tester interface {
	Test(ctx context.Context) error
}

// Looker finds a reply on the channel, for a delivery whose outcome is
// unknown (the process died between sending and recording). found is
// false when the channel has no such message; err (ErrCannotTell) when it
// cannot say, and then the agent decides. For a Reply without a
// conversation, the Sent found names the one it is in (ThreadExternalID).
type Looker interface {
	Lookup(ctx context.Context, r Reply) (s Sent, found bool, err error)
}

// ThreadRef names a conversation on the channel.
type ThreadRef struct {
	OrderRef   string
	Kind       desk.ThreadKind
	ExternalID string
	Status     string // the channel's own status, as last fetched
}

// Closer closes a conversation on the channel.
type Closer interface {
	CloseThread(ctx context.Context, t ThreadRef) error
}

// Reopener reopens a conversation the channel closed.
type Reopener interface {
	ReopenThread(ctx context.Context, t ThreadRef) error
}

// NewThread is a conversation the seller starts on an order.
type NewThread struct {
	OrderRef string
	// Unit is the order line it is about, where the channel opens
	// conversations per line (Kaufland: an order unit).
	Unit string
	// Kind is who the conversation is with: the customer (the default) or
	// the channel's operator (Mirakl's OR43 and M14).
	Kind   desk.ThreadKind
	Reason string // one of the channel's reasons (ThreadOpener.Reasons)
	Body   string
	Files  []File
}

// ThreadOpener starts a conversation on an order.
type ThreadOpener interface {
	// Reasons lists what a new conversation can be about, as Options. It
	// may ask the channel (a Mirakl operator has its own topics).
	Reasons(ctx context.Context) ([]Option, error)
	OpenThread(ctx context.Context, t NewThread) (ThreadRef, error)
}

// ThreadStarter is a connector whose Send opens a conversation when the
// reply has none yet (Reply.ThreadExternalID ""): it says which kinds it
// can open, on a ticket with an order or without one. The reply zone
// offers those threads before the channel has any.
type ThreadStarter interface {
	StartsThreads(withOrder bool) []desk.ThreadKind
}

// OrderReader reads an order's details for the integrations panel.
type OrderReader interface {
	Order(ctx context.Context, orderRef string) (Order, error)
}

// Actioner offers the channel's actions on a ticket's order (« Choisir
// une action »): partial refund, cancelling a unit...
type Actioner interface {
	// Actions lists what can be done on this ticket now (it may read the
	// order to offer only what applies).
	Actions(ctx context.Context, t Target) ([]Action, error)
	// RunAction does one, with its parameters, and returns the channel's
	// answer. A refusal by the channel is an *Error with Kind Refused and
	// the channel's own message.
	RunAction(ctx context.Context, t Target, action string, params map[string]string) (ActionResult, error)
}

// Target is the ticket an action is about, as the channel knows it.
type Target struct {
	OrderRef string
	Threads  []ThreadRef
}

// Mailer is a connector that also sends plain emails (a forward, a notification).
type Mailer interface {
	Mail(ctx context.Context, e Email) (messageID string, err error)
}

// Email is a plain email, not a reply on a ticket's thread: a forward to
// someone outside, a notification, an acknowledgement.
type Email struct {
	To, Cc    []string // addresses
	ReplyTo   string
	Subject   string
	Text      string
	HTML      string // optional
	Files     []File
	InReplyTo string // optional threading
}
