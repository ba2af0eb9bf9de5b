package desk

import (
	"context"
	"time"
)

// SyncTx is what IngestSync and the sync admin use cases ask of storage.
type SyncTx interface {
	// SyncState is the channel's row; a channel never synced has none, and
	// gets a zero state with its ChannelID.
	SyncState(ctx context.Context, channelID int64) (SyncState, error)
	SyncStates(ctx context.Context) ([]SyncState, error)
	// SaveSyncCursor writes the cursor and the run's count of stored
	// messages while lease still holds the channel at now; held is false
	// (and nothing written) otherwise.
	SaveSyncCursor(ctx context.Context, channelID int64, lease, cursor string, stored int, now time.Time) (held bool, err error)
	// RequestSync makes the channel due now, and says so until a run starts.
	RequestSync(ctx context.Context, channelID int64, now time.Time) error
	SetSyncEvery(ctx context.Context, channelID int64, every time.Duration) error
	// SetThreadState writes the channel's view of a thread.
	SetThreadState(ctx context.Context, threadID int64, subject, status, statusLabel string) error
	// SetThreadExternalID names a thread of ours with the channel's
	// conversation id (a reply that opened it).
	SetThreadExternalID(ctx context.Context, threadID int64, externalID string) error
	// MergeThread moves a thread's messages into another thread of the
	// same ticket and deletes it (our thread of a conversation that was
	// fetched as a thread of its own first).
	MergeThread(ctx context.Context, from, into int64) error
}

// OutboxTx is what the outbox use cases ask of storage.
type OutboxTx interface {
	InsertDelivery(ctx context.Context, e *OutboxEntry) error
	// Delivery returns a reply's outbox row (ENotFound without one); in a
	// write transaction the row is locked until the end.
	Delivery(ctx context.Context, messageID int64) (OutboxEntry, error)
	// UpdateDelivery writes the entry's state, attempts, next time, error
	// and updated time, and drops its lease.
	UpdateDelivery(ctx context.Context, e *OutboxEntry) error
	// MarkSending turns a queued delivery (or a 'sending' one looked up and
	// not found on the channel) that lease holds at now into
	// 'sending', counts the attempt and keeps it leased until `until`:
	// false when the lease is gone or the delivery is no longer queued.
	MarkSending(ctx context.Context, messageID int64, lease string, now, until time.Time) (bool, error)
	Deliveries(ctx context.Context, f DeliveryFilter) ([]OutboxEntry, error)
	CountDeliveries(ctx context.Context) (map[DeliveryState]int, error)
	// SetMessageDelivery writes a message's outline of its delivery, and
	// its source id when sourceID is not "".
	SetMessageDelivery(ctx context.Context, messageID int64, d Delivery, deliveryError, sourceID string) error
	MessageByID(ctx context.Context, id int64) (Message, error)
	// OpeningAhead says whether an earlier reply of the thread is still
	// queued or being sent.
	OpeningAhead(ctx context.Context, threadID, messageID int64) (bool, error)
	// EchoCandidates are a ticket's replies of ours the channel may echo:
	// out, written by an agent, without a source id yet.
	EchoCandidates(ctx context.Context, ticketID int64) ([]EchoCandidate, error)
}

// EchoCandidate is one of our replies a fetched seller message may be the
// echo of.
type EchoCandidate struct {
	MessageID int64
	Body      string
	State     DeliveryState // "" without an outbox row
}

// SyncRun is the outcome of one sync run of a channel, as the sync worker
// records it.
type SyncRun struct {
	StartedAt time.Time
	EndedAt   time.Time
	Err       string // "" for a success
	// Progressed: the run failed after it had stored batches that moved
	// the cursor on; its failure is then the first in a row, not one more.
	Progressed bool
	NextRunAt  time.Time // the schedule, or the backoff after a failure
	// Skipped: nothing was tried (no connector, the process stopping): only
	// the next run and the lease change.
	Skipped bool
}
