package sync_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/prestashop"
	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
	"guichet/internal/store/storetest"
	gsync "guichet/internal/sync"
)

// BenchmarkFirstSyncFromPrestaShop measures a shop's first sync end to
// end, fake → connector → desk → store: a prestashopfake holding
// GUICHET_BENCH_ORDERS orders (default 100 000) and GUICHET_BENCH_THREADS
// customer-service threads (default 20 000, two thirds of them on an
// order, 2 messages each). It reports the time, the requests made and
// messages/s; one pass per engine. Opt-in, never asserting time:
//
//	go test -run '^$' -bench FirstSyncFromPrestaShop -benchtime 1x -timeout 30m ./internal/sync
func BenchmarkFirstSyncFromPrestaShop(b *testing.B) {
	orders, threads := envInt("GUICHET_BENCH_ORDERS", 100_000), envInt("GUICHET_BENCH_THREADS", 20_000)
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				s := e.Open(b)
				fake := prestashopfake.New(prestashopfake.WithRealClock(),
					prestashopfake.WithDataset(prestashopfake.Dataset{Threads: threads, Orders: orders, Messages: 2 * threads, PerSecond: 7, Seed: 1}))
				var requests atomic.Int64
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1); fake.ServeHTTP(w, r) }))
				fake.SetURL(srv.URL)
				ctx := context.Background()
				d := desk.New(desk.Config{Store: s})
				ch, err := d.SaveChannel(ctx, desk.Actor{Name: "bench", Role: desk.RoleAdmin}, desk.Channel{Kind: desk.ChannelPrestaShop, Name: "Boutique",
					DeadlinePolicy: "24h", GuardNames: []string{}, Active: true})
				if err != nil {
					b.Fatal(err)
				}
				conn, err := prestashop.New(channel.Config{Settings: fake.Settings(), Channel: ch})
				if err != nil {
					b.Fatal(err)
				}
				r := gsync.New(gsync.Config{Desk: d, Leases: s, MaxPages: 1000,
					Connectors: gsync.ConnectorsFunc(func(context.Context, desk.Channel) (channel.Connector, error) { return conn, nil })})
				b.StartTimer()
				began := time.Now()
				for pass := 0; pass < 10000; pass++ {
					rep, err := r.Once(ctx, ch.ID)
					if err != nil || rep.Failed() {
						b.Fatalf("pass %d: %v %+v", pass, err, rep)
					}
					if rep.Channels[0].Fetched == 0 {
						break
					}
				}
				el := time.Since(began)
				b.StopTimer()
				var msgs, tickets int
				s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE channel_id = $1`, ch.ID).Scan(&msgs)
				s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE channel_id = $1`, ch.ID).Scan(&tickets)
				srv.Close()
				b.ReportMetric(el.Seconds(), "s")
				b.ReportMetric(float64(requests.Load()), "requests")
				b.ReportMetric(float64(msgs)/el.Seconds(), "msgs/s")
				b.Logf("%d orders, %d threads: %d messages in %d tickets in %v, %d requests", orders, threads, msgs, tickets, el.Round(time.Millisecond), requests.Load())
			}
		})
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
