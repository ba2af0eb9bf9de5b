package desk

import (
	"context"
	"io"
)

// Store runs a function in one transaction: Write for use cases that change
// something, Read for those that only look. The Tx must not escape fn.
type Store interface {
	Read(ctx context.Context, fn func(Tx) error) error
	Write(ctx context.Context, fn func(Tx) error) error
}

// Tx is everything desk asks of storage, inside one transaction: the union
// of the small interfaces each use case declares beside itself. Lookups of a
// single thing return an ENotFound *Error when it does not exist.
type Tx interface {
	TicketTx
	ThreadTx
	MessageTx
	EventTx
	IngestTx
	ParkedTx
	CustomerTx
	ChannelTx
	SettingsTx
	AgentTx
	SessionTx
	DeviceTx
	APITokenTx
	TemplateTx
	SyncTx
	OutboxTx
	SystemTx
	NotificationTx
	PerformanceTx // service performance, priority rules, deadline warnings
	CalendarTx
	SystemRuleTx
	ContactTx // contacts, the form, outgoing emails, the overview (service)
	FormTx
	EmailTx
	OverviewTx
	MailTx
	CustomerDirectoryTx
	CustomerImportTx
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
