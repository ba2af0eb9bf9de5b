package ui_test

import (
	"bytes"
	"context"
	"sync"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/fakechannel"
	"guichet/internal/desk"
	"guichet/internal/secret"
	"guichet/internal/web/ui"
)

// channels is the env's channel wiring: Kaufland gets the fake connector
// kind; sync and outbox are fakes until the sync engine is in.
type channels struct {
	rec  *fakechannel.Recorder
	cs   *channel.Connectors
	sync *fakeSync
	out  *fakeOutbox
}

func withChannels(c *channels) envOption {
	return func(cfg *envConfig) {
		cfg.wire = append(cfg.wire, func(e *env, deps *ui.Deps) {
			box, _ := secret.New(bytes.Repeat([]byte{9}, 32))
			c.rec = &fakechannel.Recorder{}
			c.cs = channel.NewConnectors(channel.ConnectorsConfig{Registry: channel.NewRegistry(fakechannel.Kind(desk.ChannelKaufland, c.rec)), Sealer: box, Desk: e.d})
			c.sync = &fakeSync{states: map[int64]desk.SyncState{}}
			c.out = &fakeOutbox{}
			deps.Connectors, deps.Sync, deps.Deliveries = c.cs, c.sync, c.out
		})
	}
}

// configure gives Kaufland working settings.
func (c *channels) configure(e *env) {
	e.t.Helper()
	if err := c.cs.SaveSettings(ctx, e.admin, e.kaufland.ID, map[string]string{"client_key": "ck-1", "secret_key": "tr3s-secret"}); err != nil {
		e.t.Fatal(err)
	}
}

type fakeSync struct {
	mu        sync.Mutex
	states    map[int64]desk.SyncState
	requested []int64
	every     map[int64]time.Duration
}

func (f *fakeSync) SyncState(ctx context.Context, channelID int64) (desk.SyncState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.states[channelID], nil
}

func (f *fakeSync) RequestSync(ctx context.Context, actor desk.Actor, channelID int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requested = append(f.requested, channelID)
	return nil
}

func (f *fakeSync) SetSyncEvery(ctx context.Context, actor desk.Actor, channelID int64, every time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.every == nil {
		f.every = map[int64]time.Duration{}
	}
	f.every[channelID] = every
	return nil
}

type fakeOutbox struct {
	mu        sync.Mutex
	entries   []desk.OutboxEntry
	retried   []int64
	delivered []int64
}

func (f *fakeOutbox) Deliveries(ctx context.Context, actor desk.Actor, flt desk.DeliveryFilter) ([]desk.OutboxEntry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []desk.OutboxEntry
	for _, e := range f.entries {
		if (flt.ChannelID == 0 || flt.ChannelID == e.ChannelID) && (flt.TicketID == 0 || flt.TicketID == e.TicketID) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f *fakeOutbox) RetryDelivery(ctx context.Context, actor desk.Actor, messageID int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.retried = append(f.retried, messageID)
	return nil
}

func (f *fakeOutbox) MarkDelivered(ctx context.Context, actor desk.Actor, messageID int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delivered = append(f.delivered, messageID)
	return nil
}
