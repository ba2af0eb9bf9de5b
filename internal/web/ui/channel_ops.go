package ui

import (
	"context"
	"time"

	"guichet/internal/desk"
)

// SyncControl is where a channel's sync stands and how an admin steers it
// (*desk.Desk, once the sync engine is in).
type SyncControl interface {
	SyncState(ctx context.Context, channelID int64) (desk.SyncState, error)
	RequestSync(ctx context.Context, actor desk.Actor, channelID int64) error
	SetSyncEvery(ctx context.Context, actor desk.Actor, channelID int64, every time.Duration) error
}

// DeliveryControl is the outbox as the admins and agents act on it
// (*desk.Desk, once the outbox is in).
type DeliveryControl interface {
	Deliveries(ctx context.Context, actor desk.Actor, f desk.DeliveryFilter) ([]desk.OutboxEntry, error)
	RetryDelivery(ctx context.Context, actor desk.Actor, messageID int64) error
	MarkDelivered(ctx context.Context, actor desk.Actor, messageID int64) error
}
