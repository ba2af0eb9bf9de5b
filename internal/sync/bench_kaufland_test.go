package sync_test

import (
	"context"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/kaufland"
	"guichet/internal/channel/kaufland/kauflandfake"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
	gsync "guichet/internal/sync"
)

// BenchmarkFirstSyncFromKaufland measures a channel's first sync end to
// end, fake → connector → desk → store, on a Kaufland fake without faults
// holding GUICHET_BENCH_MESSAGES messages (default 20 000) over a tenth
// as many orders; it reports messages/s. One pass per engine:
//
//	go test -run '^$' -bench FirstSyncFromKaufland -benchtime 1x ./internal/sync
//
// At Kaufland's pace (111 requests/s per seller) the connector's reads
// bound it (30 messages a page, one read per ticket not yet seen);
// "unthrottled" lifts that pace to show what guichet itself does.
func BenchmarkFirstSyncFromKaufland(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("GUICHET_BENCH_MESSAGES")); err == nil && v > 0 {
		n = v
	}
	for _, e := range storetest.Engines() {
		for _, pace := range []struct {
			name string
			rate int
		}{{"kaufland-rate", 0}, {"unthrottled", 1_000_000}} {
			b.Run(e.Name+"/"+pace.name, func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					s := e.Open(b)
					b.StartTimer()
					firstSync(b, s, n, pace.rate)
				}
			})
		}
	}
}

// firstSync runs one first sync; rate paces the connector's requests (0:
// Kaufland's limit). Unthrottled, what is left is guichet's own work and
// the fake's: the figure that says whether guichet is the bottleneck.
func firstSync(b *testing.B, s *store.Store, n, rate int) {
	ctx := context.Background()
	fake, err := kauflandfake.New(kauflandfake.WithRealClock(),
		kauflandfake.WithDataset(kauflandfake.Dataset{Orders: n / 10, Messages: n, PerSecond: 7, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.SetURL(srv.URL)
	d := desk.New(desk.Config{Store: s})
	admin := desk.Actor{Name: "bench", Role: desk.RoleAdmin}
	ch, err := d.SaveChannel(ctx, admin, desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", DeadlinePolicy: "48h business",
		GuardNames: []string{}, Active: true})
	if err != nil {
		b.Fatal(err)
	}
	kaufland.SetRate(fake.Settings()["client_key"], rate)
	defer kaufland.SetRate(fake.Settings()["client_key"], 0)
	conn, err := kaufland.New(channel.Config{Settings: fake.Settings(), Channel: ch})
	if err != nil {
		b.Fatal(err)
	}
	r := gsync.New(gsync.Config{Desk: d, Leases: s, MaxPages: 1000,
		Connectors: gsync.ConnectorsFunc(func(context.Context, desk.Channel) (channel.Connector, error) { return conn, nil })})
	began := time.Now()
	stored := 0
	for pass := 0; pass < 1000; pass++ {
		rep, err := r.Once(ctx, ch.ID)
		if err != nil || rep.Failed() {
			b.Fatalf("pass %d: %v %+v", pass, err, rep)
		}
		stored += rep.Channels[0].Stored + rep.Channels[0].Duplicates
		if rep.Channels[0].Fetched == 0 {
			break
		}
	}
	el := time.Since(began)
	var got int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE channel_id = $1`, ch.ID).Scan(&got); err != nil {
		b.Fatal(err)
	}
	if got != n {
		b.Fatalf("%d messages stored; want %d", got, n)
	}
	if v := fake.Violations(); len(v) > 0 {
		b.Fatalf("spec violations: %v", v[:min(len(v), 3)])
	}
	reqs := len(fake.Requests())
	b.ReportMetric(float64(n)/el.Seconds(), "msgs/s")
	b.ReportMetric(float64(reqs), "requests")
	b.ReportMetric(float64(reqs)/el.Seconds(), "req/s")
	b.Logf("%d messages over %d orders in %v: %.0f messages/s, %d requests", n, n/10, el.Round(time.Millisecond), float64(n)/el.Seconds(), reqs)
}
