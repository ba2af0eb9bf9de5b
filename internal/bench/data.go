package bench

import (
	"context"
	"fmt"
	"slices"
	"time"

	"guichet/internal/deadline"
	"guichet/internal/desk"
	"guichet/internal/store"
)

// DataSpec describes a generated data set, for benchmarks: Tickets tickets of
// Messages messages each, opened over the Span (default two years) before Until on 8
// channels handled by 10 agents, about 15% waiting for an ADV, 10% for the
// customer and 75% closed. The same spec always gives the same data.
type DataSpec struct {
	Tickets  int       // tickets in the whole set
	First    int       // the first ticket to write: a set loaded in part is finished by a second call
	Messages int       // messages per ticket; default 10
	Seed     uint64    // default 1
	Until    time.Time // default 2026-11-01 UTC
	Batch    int       // tickets per transaction; default 2000
	// Span is how far back before Until the first ticket was opened;
	// default two years. A shorter one packs the tickets: 80 000 over 60
	// days have a month as dense as a million over two years.
	Span time.Duration
}

func (sp *DataSpec) defaults() error {
	if sp.Messages == 0 {
		sp.Messages = 10
	}
	if sp.Seed == 0 {
		sp.Seed = 1
	}
	sp.Until = sp.until()
	if sp.Batch <= 0 {
		sp.Batch = 2000
	}
	if sp.Span == 0 {
		sp.Span = bulkSpan
	}
	switch {
	case sp.Tickets <= 0 || sp.First < 0 || sp.First > sp.Tickets:
		return fmt.Errorf("bench data: tickets %d from %d: out of range", sp.Tickets, sp.First)
	case sp.Span < 24*time.Hour || sp.Span > 20*365*24*time.Hour:
		return fmt.Errorf("bench data: span %s: one day to twenty years", sp.Span)
	case sp.Messages < 2 || sp.Messages > store.BulkMaxMessages:
		return fmt.Errorf("bench data: %d messages per ticket: 2 to %d", sp.Messages, store.BulkMaxMessages)
	}
	return nil
}

// until is Until or its default.
func (sp DataSpec) until() time.Time {
	if sp.Until.IsZero() {
		return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	}
	return sp.Until
}

// bulkSpan is how far back the first ticket was opened by default.
const bulkSpan = 2 * 365 * 24 * time.Hour

// LoadData writes the tickets First to Tickets-1 of spec into s, with their
// customers, threads, messages, events and search entries, in transactions of
// spec.Batch tickets; progress, if not nil, hears the index reached after each.
// The agents and channels of the set are created when missing. Ids follow the
// largest in each table: nothing else may write while it runs (see
// store.BulkWrite).
func LoadData(ctx context.Context, s *store.Store, spec DataSpec, progress func(done int)) error {
	if err := spec.defaults(); err != nil {
		return err
	}
	team, err := dataTeam(ctx, s)
	if err != nil {
		return err
	}
	g := &bulkGen{spec: spec, team: team, text: bulkCorpus(), calendar: deadline.France()}
	if g.next, err = s.BulkNextIDs(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan *store.BulkRows, 2)
	go func() { // generate the next chunk while the database writes this one
		defer close(chunks)
		for first := spec.First; first < spec.Tickets; first += spec.Batch {
			c := g.chunk(first, min(first+spec.Batch, spec.Tickets))
			select {
			case chunks <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	return s.BulkWrite(ctx, chunks, progress)
}

// dataTeam makes sure the set's agents and channels exist and returns them.
func dataTeam(ctx context.Context, s *store.Store) (bulkTeam, error) {
	var team bulkTeam
	err := s.Write(ctx, func(dt desk.Tx) error {
		now := time.Now().UTC().Truncate(time.Millisecond)
		for i, name := range bulkAgentNames {
			email := fmt.Sprintf("adv%02d@bench.guichet.example", i+1)
			a, _, err := dt.AgentByEmail(ctx, email)
			if desk.IsNotFound(err) {
				a = desk.Agent{Email: email, Name: name, Role: desk.RoleADV, Lang: "fr", Active: true, CreatedAt: now}
				if i == 0 {
					a.Role = desk.RoleAdmin
				}
				err = dt.InsertAgent(ctx, &a, "!") // no password: nobody signs in as them
			}
			if err != nil {
				return err
			}
			team.agents = append(team.agents, a)
		}
		existing, err := dt.Channels(ctx)
		if err != nil {
			return err
		}
		for k, bc := range bulkChannels {
			var c desk.Channel
			if i := slices.IndexFunc(existing, func(c desk.Channel) bool { return c.Name == bc.name }); i >= 0 {
				c = existing[i]
			} else {
				c = desk.Channel{Kind: bc.kind, Name: bc.name, ResponsibleID: team.agents[1+k%(len(team.agents)-1)].ID,
					DeadlinePolicy: bc.policy, OrderURL: bc.orderURL, GuardNames: bc.guard, ForbidContact: bc.kind != desk.ChannelPrestaShop && bc.kind != desk.ChannelEmail,
					Active: true, CreatedAt: now}
				if err := dt.InsertChannel(ctx, &c); err != nil {
					return err
				}
			}
			p, err := deadline.ParsePolicy(c.DeadlinePolicy)
			if err != nil {
				p = deadline.Default
			}
			team.channels = append(team.channels, bulkChannelOf{Channel: c, def: bc, policy: p})
		}
		return nil
	})
	return team, err
}
