package store_test

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"guichet/internal/bench"
	"guichet/internal/desk"
	"guichet/internal/store/storetest"
)

// benchTickets is the size of the set the benchmarks run on; `guichet bench`
// (package bench) measures a million.
const benchTickets = 20_000

// BenchmarkTicketCore loads one set per engine, then times the inbox, search,
// ticket views and ingestion on it, through desk:
//
//	go test ./internal/store -run '^$' -bench TicketCore -benchtime 2000x
func BenchmarkTicketCore(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			ctx := context.Background()
			s := e.Open(b)
			if err := bench.LoadData(ctx, s, bench.DataSpec{Tickets: benchTickets}, nil); err != nil {
				b.Fatal(err)
			}
			d := desk.New(desk.Config{Store: s})
			agents, err := d.Agents(ctx)
			if err != nil {
				b.Fatal(err)
			}
			channels, err := d.Channels(ctx)
			if err != nil {
				b.Fatal(err)
			}
			admin := desk.ActorOf(agents[0])
			r := rand.New(rand.NewPCG(1, 2))
			ticket := func() desk.TicketView {
				v, err := d.Ticket(ctx, admin, 1+r.Int64N(benchTickets))
				if err != nil {
					b.Fatal(err)
				}
				return v
			}

			b.Run("inbox", func(b *testing.B) {
				open := []desk.Status{desk.StatusWaitingAdmin, desk.StatusWaitingCustomer}
				for b.Loop() {
					f := desk.TicketFilter{Statuses: open, Limit: 50}
					if r.IntN(2) == 0 {
						f.AssigneeID = agents[1+r.IntN(len(agents)-1)].ID
					} else {
						f.ChannelID = channels[r.IntN(len(channels))].ID
					}
					if _, err := d.FindTickets(ctx, admin, f); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("search", func(b *testing.B) {
				words := bench.Vocabulary()
				var names []string
				for range 100 {
					names = append(names, ticket().Customer.Name)
				}
				for b.Loop() {
					q := words[30+r.IntN(3000)]
					if r.IntN(4) == 0 {
						q = names[r.IntN(len(names))]
					}
					if _, err := d.FindTickets(ctx, admin, desk.TicketFilter{Text: q}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("view", func(b *testing.B) {
				for b.Loop() {
					ticket()
				}
			})
			b.Run("ingest", func(b *testing.B) {
				const size = 500
				var refs []desk.Ticket
				for range 500 {
					refs = append(refs, ticket().Ticket)
				}
				n := 0
				for b.Loop() {
					b.StopTimer()
					batch := make([]desk.Incoming, size)
					for i := range batch {
						n++
						in := desk.Incoming{SourceID: "bench-" + strconv.Itoa(n), AuthorName: "Jean Client", At: time.Now()}
						if t := refs[r.IntN(len(refs))]; r.IntN(3) > 0 {
							in.ChannelID, in.OrderRef = t.ChannelID, t.OrderRef
						} else {
							in.ChannelID, in.OrderRef = channels[r.IntN(len(channels))].ID, "NEW-"+strconv.Itoa(n)
							in.Customer = desk.CustomerInput{ExternalID: "new-" + strconv.Itoa(n), Name: "Jean Client"}
						}
						in.Body = bench.CustomerMessage(r, in.OrderRef, in.AuthorName)
						batch[i] = in
					}
					b.StartTimer()
					if _, err := d.Ingest(ctx, batch); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "msg/s")
			})
		})
	}
}
