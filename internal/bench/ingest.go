package bench

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"guichet/internal/desk"
)

// IngestResult is the throughput of desk.Ingest.
type IngestResult struct {
	Batches    int           `json:"batches"`
	BatchSize  int           `json:"batch_size"`
	Messages   int           `json:"messages"` // sent to Ingest, duplicates included
	Stored     int           `json:"stored"`
	Duplicates int           `json:"duplicates"`
	Opened     int           `json:"opened"`
	Took       time.Duration `json:"took"`
	PerSecond  float64       `json:"per_second"` // messages sent per second
	Batch      Result        `json:"batch"`      // the latency of one batch
}

func (r IngestResult) String() string {
	return fmt.Sprintf("ingest  %d batches of %d: %d messages (%d stored, %d duplicates, %d tickets opened) in %s: %.0f messages/s\n%s",
		r.Batches, r.BatchSize, r.Messages, r.Stored, r.Duplicates, r.Opened, r.Took.Round(time.Millisecond), r.PerSecond, r.Batch)
}

// ingest sends batches like a connector's: 60% messages on existing orders,
// 35% on new orders (a new order often has two or three), 5% messages sent
// before (a fetch that overlaps the previous one).
func (b *bench) ingest(ctx context.Context, batches, size int) (IngestResult, error) {
	res := IngestResult{Batches: batches, BatchSize: size}
	run := strconv.FormatInt(time.Now().UnixNano(), 36) // new orders and sources are new on every run
	var sent []desk.Incoming
	seq := 0
	next := func() string { seq++; return "bench-" + run + "-" + strconv.Itoa(seq) }
	var t timings
	for range batches {
		batch := make([]desk.Incoming, 0, size)
		for len(batch) < size {
			switch u := b.r.IntN(100); {
			case u < 5 && len(sent) > 0:
				batch = append(batch, sent[b.r.IntN(len(sent))])
			case u < 40:
				order := "N" + next()
				ch := b.channel()
				name := b.ticket().Customer.Name
				for range 1 + b.r.IntN(3) {
					batch = append(batch, desk.Incoming{ChannelID: ch.ID, OrderRef: order, SourceID: next(),
						ThreadExternalID: "conv-" + order, ThreadSubject: "Commande " + order,
						AuthorKind: desk.AuthorCustomer, AuthorName: name, Reason: "Livraison",
						Customer: desk.CustomerInput{ExternalID: "c-" + order, Name: name, Email: "client-" + order + "@example.com"},
						Body:     CustomerMessage(b.r, order, name), At: time.Now()})
				}
			default:
				v := b.ticket()
				name := v.Customer.Name
				batch = append(batch, desk.Incoming{ChannelID: v.Ticket.ChannelID, OrderRef: v.Ticket.OrderRef, SourceID: next(),
					ThreadExternalID: threadOf(v), AuthorKind: desk.AuthorCustomer, AuthorName: name,
					Customer: desk.CustomerInput{ExternalID: v.Customer.ExternalID, Name: name},
					Body:     CustomerMessage(b.r, v.Ticket.OrderRef, name), At: time.Now()})
			}
		}
		batch = batch[:size]
		err := t.time(func() (int, error) {
			r, err := b.d.Ingest(ctx, batch)
			if err == nil && len(r.Parked) > 0 {
				err = fmt.Errorf("ingest parked %d messages: %v", len(r.Parked), r.Parked[0])
			}
			res.Stored += r.Stored
			res.Duplicates += r.Duplicates
			res.Opened += r.Opened
			return len(batch), err
		})
		if err != nil {
			return res, err
		}
		res.Messages += len(batch)
		sent = append(sent, batch...)
	}
	for _, d := range t.d {
		res.Took += d
	}
	res.PerSecond = float64(res.Messages) / res.Took.Seconds()
	res.Batch = t.result("ingest", fmt.Sprintf("batch of %d", size))
	return res, nil
}

// threadOf is the external id of the ticket's customer thread.
func threadOf(v desk.TicketView) string {
	for _, th := range v.Threads {
		if th.Kind == desk.ThreadCustomer {
			return th.ExternalID
		}
	}
	return ""
}
