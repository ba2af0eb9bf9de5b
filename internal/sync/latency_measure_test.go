package sync_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"guichet/internal/blob"
	"guichet/internal/channel"
	"guichet/internal/channel/kaufland"
	"guichet/internal/channel/kaufland/kauflandfake"
	"guichet/internal/desk"
	"guichet/internal/secret"
	"guichet/internal/store/storetest"
	gsync "guichet/internal/sync"
)

// TestMeasureInboxLatency measures, at the default schedule (every 2
// minutes, the runner looking for due work every 5 s), the time from a
// buyer's message appearing on Kaufland to its ticket in guichet. It takes
// about a quarter of an hour of wall-clock time, so it runs only when
// asked: GUICHET_MEASURE=latency go test ./internal/sync -run
// TestMeasureInboxLatency -v -timeout 30m. It asserts nothing about time.
func TestMeasureInboxLatency(t *testing.T) {
	if os.Getenv("GUICHET_MEASURE") != "latency" {
		t.Skip("set GUICHET_MEASURE=latency to measure")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fake := kauflandfake.Start(t, kauflandfake.WithRealClock())
	s := storetest.SQLite(t)
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d := desk.New(desk.Config{Store: s, Blobs: blobs})
	if _, err := d.EnsureAdmin(ctx, "admin@example.fr"); err != nil {
		t.Fatal(err)
	}
	agents, _ := d.Agents(ctx)
	admin := desk.ActorOf(agents[0])
	ch, err := d.SaveChannel(ctx, admin, desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", DeadlinePolicy: "48h business", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	box, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	reg := channel.NewRegistry(kaufland.Kind())
	cs := channel.NewConnectors(channel.ConnectorsConfig{Registry: reg, Sealer: box, Desk: d})
	if err := cs.SaveSettings(ctx, admin, ch.ID, fake.Settings()); err != nil {
		t.Fatal(err)
	}
	runner := gsync.New(gsync.Config{Desk: d, Leases: s, Connectors: cs, Kinds: reg})
	stopped := runner.Start(ctx)
	defer func() { cancel(); <-stopped }()

	samples := 6
	if n := os.Getenv("GUICHET_MEASURE_SAMPLES"); n != "" {
		samples = max(1, int(n[0]-'0'))
	}
	var lat []time.Duration
	for i := range samples {
		time.Sleep(time.Duration(rand.IntN(120)) * time.Second) // any phase of the schedule
		o := fake.AddOrder(kauflandfake.Order{Units: []kauflandfake.Unit{{Title: "Bouilloire", Price: 3990}}})
		tk := fake.OpenTicket(o.ID, "product_defect", "order_product_defect")
		fake.AddMessage(tk, "buyer", "Ma bouilloire fuit, que faire ?")
		at := time.Now()
		for {
			if _, err := d.LookupTicket(ctx, admin, o.ID); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		lat = append(lat, time.Since(at))
		t.Logf("sample %d: %v", i+1, lat[i].Round(100*time.Millisecond))
	}
	slices.Sort(lat)
	var sum time.Duration
	for _, l := range lat {
		sum += l
	}
	t.Logf("message on Kaufland → ticket in guichet, %d samples: min %v, mean %v, median %v, max %v; %d requests to the fake",
		len(lat), lat[0].Round(100*time.Millisecond), (sum / time.Duration(len(lat))).Round(100*time.Millisecond),
		lat[len(lat)/2].Round(100*time.Millisecond), lat[len(lat)-1].Round(100*time.Millisecond), len(fake.Requests()))
}
