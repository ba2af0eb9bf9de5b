// Package demo fills an empty guichet with a realistic French dataset: a team
// of ADVs, the seller's channels, default replies and a few hundred tickets
// spread over the last weeks, so that someone trying guichet sees a team at work.
//
// Everything goes through desk's use cases, never through SQL: the data obeys
// every invariant and each ticket has the history its life would have left.
// The tickets are first written as plans (who says what, when), then replayed
// in time order against a Desk whose clock follows the replay.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"guichet/internal/desk"
)

// ErrNotEmpty is returned when the store already holds tickets: the demo is
// only ever loaded into a fresh database.
var ErrNotEmpty = errors.New("la base contient déjà des tickets : données de démonstration non chargées")

// Summary tells what Load created.
type Summary struct {
	Agents, Channels, Templates, Tickets, Messages int
	Logins                                         []Login
}

// Login is a demo account and its password, printed for the person trying guichet.
type Login struct {
	Email, Password, Name string
	Role                  desk.Role
}

// Options tune the dataset; zero values take the defaults.
type Options struct {
	Tickets int    // default 300
	Seed    uint64 // default 1: the same data at every run
}

// DefaultTickets is how many tickets Load creates.
const DefaultTickets = 300

// Load fills an empty store with the demo team, channels, default replies and tickets.
// It refuses (returns an error) when the store already holds tickets.
func Load(ctx context.Context, s desk.Store, blobs desk.Blobs, now time.Time) (Summary, error) {
	return LoadWith(ctx, s, blobs, now, Options{})
}

// LoadWith is Load with options.
func LoadWith(ctx context.Context, s desk.Store, blobs desk.Blobs, now time.Time, o Options) (Summary, error) {
	if o.Tickets <= 0 {
		o.Tickets = DefaultTickets
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	now = now.Truncate(time.Millisecond)
	// The team and the channels were set up well before the first ticket.
	clk := &clock{t: now.Add(-60 * 24 * time.Hour)}
	d := desk.New(desk.Config{Store: s, Blobs: blobs, Now: clk.Now})

	page, err := d.FindTickets(ctx, desk.System, desk.TicketFilter{Limit: 1})
	if err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	if len(page.Tickets) > 0 {
		return Summary{}, ErrNotEmpty
	}

	var sum Summary
	t, err := setUpTeam(ctx, d)
	if err != nil {
		return Summary{}, fmt.Errorf("demo team: %w", err)
	}
	sum.Agents, sum.Logins = len(t.members), t.logins
	chans, err := setUpChannels(ctx, d, t)
	if err != nil {
		return Summary{}, fmt.Errorf("demo channels: %w", err)
	}
	sum.Channels = len(chans)
	tpls, err := setUpTemplates(ctx, d, t.admin, chans)
	if err != nil {
		return Summary{}, fmt.Errorf("demo default replies: %w", err)
	}
	sum.Templates = len(tpls)

	g := newGenerator(rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15)), now, t, chans)
	plans := g.plans(o.Tickets)
	r := &replayer{d: d, clock: clk, admin: t.admin, templates: tpls}
	if err := r.run(ctx, plans); err != nil {
		return Summary{}, fmt.Errorf("demo tickets: %w", err)
	}
	sum.Tickets, sum.Messages = len(plans), r.messages
	return sum, nil
}
