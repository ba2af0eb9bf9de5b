package ui_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/kaufland"
	"guichet/internal/channel/kaufland/kauflandfake"
	"guichet/internal/secret"
	gsync "guichet/internal/sync"
	"guichet/internal/web/ui"
)

// realChannels is the env wired as `guichet serve` wires it: the real
// registry of connectors (Kaufland), settings sealed by a key file in a
// temporary data folder, and a sync runner started in the background over
// the same connectors; the pages get the desk itself as SyncControl and
// DeliveryControl. Kaufland's connector signs with the fake's clock.
type realChannels struct {
	cs     *channel.Connectors
	runner *gsync.Runner
}

func withRealChannels(rc *realChannels, fake *kauflandfake.Server) envOption {
	return func(cfg *envConfig) {
		cfg.wire = append(cfg.wire, func(e *env, deps *ui.Deps) {
			box, err := secret.Load("", e.t.TempDir())
			if err != nil {
				e.t.Fatal(err)
			}
			var now func() time.Time
			if fake != nil {
				now = fake.Now
			}
			rc.cs = channel.NewConnectors(channel.ConnectorsConfig{Registry: channel.NewRegistry(kaufland.Kind()), Sealer: box, Desk: e.d, Now: now})
			rc.runner = gsync.New(gsync.Config{Desk: e.d, Leases: e.s, Connectors: rc.cs, Kinds: rc.cs.Registry(), Tick: 100 * time.Millisecond})
			runCtx, stop := context.WithCancel(context.Background())
			done := rc.runner.Start(runCtx)
			e.t.Cleanup(func() { stop(); <-done })
			deps.Connectors, deps.Sync, deps.Deliveries = rc.cs, e.d, e.d
		})
	}
}

// waitFor polls cond until it holds or the time is up.
func waitFor(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: time is up", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// withDeskControls gives the pages the real connectors (none configured)
// and the desk itself as SyncControl and DeliveryControl, with no runner:
// a test runs the sync's passes itself.
func withDeskControls(rc *realChannels) envOption {
	return func(cfg *envConfig) {
		cfg.wire = append(cfg.wire, func(e *env, deps *ui.Deps) {
			box, err := secret.Load("", e.t.TempDir())
			if err != nil {
				e.t.Fatal(err)
			}
			rc.cs = channel.NewConnectors(channel.ConnectorsConfig{Registry: channel.NewRegistry(kaufland.Kind()), Sealer: box, Desk: e.d})
			deps.Connectors, deps.Sync, deps.Deliveries = rc.cs, e.d, e.d
		})
	}
}
