package store_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

var ctx = context.Background()

type dataset struct {
	d        *desk.Desk
	admin    desk.Actor
	agents   []int64
	channels []int64
	all      []desk.Ticket
	now      time.Time
}

// fill makes n tickets with random statuses, priorities, assignees, channels,
// deadlines and reasons, through desk, and reads them all back.
func fill(t *testing.T, s *store.Store, n int) *dataset {
	t.Helper()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clock := now
	ds := &dataset{now: now}
	ds.d = desk.New(desk.Config{Store: s, Now: func() time.Time { return clock }})
	d := ds.d
	d.EnsureAdmin(ctx, "admin@example.fr")
	agents, _ := d.Agents(ctx)
	ds.admin = desk.ActorOf(agents[0])
	for i := range 3 {
		a, err := d.SaveAgent(ctx, ds.admin, desk.AgentInput{Email: fmt.Sprintf("adv%d@example.fr", i), Name: fmt.Sprintf("ADV %d", i), Role: desk.RoleADV, Active: true, Password: "0123456789ab"})
		if err != nil {
			t.Fatal(err)
		}
		ds.agents = append(ds.agents, a.ID)
	}
	for i := range 3 {
		c, err := d.SaveChannel(ctx, ds.admin, desk.Channel{Kind: desk.ChannelMirakl, Name: fmt.Sprintf("Canal %d", i), Active: true})
		if err != nil {
			t.Fatal(err)
		}
		ds.channels = append(ds.channels, c.ID)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	reasons := []string{"", "Retard", "Produit endommagé", "Facture"}
	var batch []desk.Incoming
	for i := range n {
		clock = now.Add(time.Duration(rng.IntN(60*24*30)-60*24*15) * time.Minute)
		batch = append(batch, desk.Incoming{ChannelID: ds.channels[rng.IntN(3)], OrderRef: fmt.Sprintf("O-%04d", i), SourceID: fmt.Sprint(i),
			Body: "Bonjour", Reason: reasons[rng.IntN(4)], At: clock, Customer: desk.CustomerInput{Name: fmt.Sprintf("Client %d", i)}})
	}
	if _, err := d.Ingest(ctx, batch); err != nil {
		t.Fatal(err)
	}
	page, err := d.FindTickets(ctx, ds.admin, desk.TicketFilter{Limit: desk.MaxPageSize, Sort: desk.SortOpened})
	if err != nil {
		t.Fatal(err)
	}
	_ = page
	// Reach each ticket by its order reference, then shuffle its fields.
	for i := range n {
		tk, err := d.LookupTicket(ctx, ds.admin, fmt.Sprintf("O-%04d", i))
		if err != nil {
			t.Fatal(err)
		}
		var p desk.TicketPatch
		st := desk.Statuses[rng.IntN(3)]
		p.Status = &st
		if rng.IntN(2) == 0 {
			p2 := desk.P2
			p.Priority = &p2
		}
		a := int64(0)
		if k := rng.IntN(4); k < 3 {
			a = ds.agents[k]
		}
		p.AssigneeID = &a
		dl := now.Add(time.Duration(rng.IntN(96)-48) * time.Hour)
		if rng.IntN(10) == 0 && len(ds.all) > 0 && !ds.all[len(ds.all)-1].Deadline.IsZero() { // ties on the deadline
			dl = ds.all[len(ds.all)-1].Deadline
		}
		if st == desk.StatusWaitingAdmin { // only then does a deadline run
			p.Deadline = &dl
		}
		clock = now.Add(time.Duration(rng.IntN(1000)) * time.Minute)
		if tk, err = d.UpdateTicket(ctx, ds.admin, tk.ID, p); err != nil {
			t.Fatal(err)
		}
		ds.all = append(ds.all, tk)
	}
	clock = now
	return ds
}

func (ds *dataset) expect(f desk.TicketFilter) []int64 {
	var rows []desk.Ticket
	for _, t := range ds.all {
		if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, t.Status) ||
			f.Priority != "" && t.Priority != f.Priority ||
			f.ChannelID != 0 && t.ChannelID != f.ChannelID ||
			f.AssigneeID != 0 && t.AssigneeID != f.AssigneeID ||
			f.Unassigned && t.AssigneeID != 0 ||
			f.Overdue && !t.Overdue(ds.now) ||
			!f.DeadlineFrom.IsZero() && (t.Deadline.IsZero() || t.Deadline.Before(f.DeadlineFrom)) ||
			!f.DeadlineTo.IsZero() && (t.Deadline.IsZero() || !t.Deadline.Before(f.DeadlineTo)) ||
			f.DueSoon && !t.DueSoon(ds.now) ||
			!f.OpenedFrom.IsZero() && t.OpenedAt.Before(f.OpenedFrom) ||
			f.Reason != "" && t.Reason != f.Reason {
			continue
		}
		rows = append(rows, t)
	}
	key := func(t desk.Ticket) int64 {
		switch f.Sort {
		case desk.SortActivity:
			return -t.LastActivityAt.UnixMilli()
		case desk.SortOpened:
			return -t.OpenedAt.UnixMilli()
		}
		if t.Deadline.IsZero() { // not running: after every deadline
			return math.MaxInt64
		}
		return t.Deadline.UnixMilli()
	}
	desc := f.Sort == desk.SortActivity || f.Sort == desk.SortOpened
	slices.SortFunc(rows, func(a, b desk.Ticket) int {
		if ka, kb := key(a), key(b); ka != kb {
			return int(min(max(ka-kb, -1), 1))
		}
		if desc {
			return int(b.ID - a.ID)
		}
		return int(a.ID - b.ID)
	})
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

// TestInboxMatchesBruteForce pages through many filter and sort mixes and
// compares with the same selection done in memory.
func TestInboxMatchesBruteForce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ds := fill(t, s, 240)
		rng := rand.New(rand.NewPCG(3, 4))
		for i := range 60 {
			f := desk.TicketFilter{Limit: 1 + rng.IntN(40), Sort: []desk.Sort{"", desk.SortDeadline, desk.SortActivity, desk.SortOpened}[rng.IntN(4)]}
			switch rng.IntN(3) {
			case 0:
				f.Statuses = []desk.Status{desk.StatusWaitingAdmin}
			case 1:
				f.Statuses = []desk.Status{desk.StatusWaitingAdmin, desk.StatusWaitingCustomer}
			}
			if rng.IntN(3) == 0 {
				f.Priority = desk.P2
			}
			if rng.IntN(3) == 0 {
				f.ChannelID = ds.channels[rng.IntN(3)]
			}
			switch rng.IntN(4) {
			case 0:
				f.AssigneeID = ds.agents[rng.IntN(3)]
			case 1:
				f.Unassigned = true
			}
			if rng.IntN(5) == 0 {
				f.Overdue = true
			}
			if rng.IntN(5) == 0 {
				f.DeadlineFrom, f.DeadlineTo = ds.now.Add(-24*time.Hour), ds.now.Add(24*time.Hour)
			}
			if rng.IntN(6) == 0 {
				f.OpenedFrom = ds.now.Add(-5 * 24 * time.Hour)
			}
			if rng.IntN(6) == 0 {
				f.Reason = "Facture"
			}
			want := ds.expect(f)
			var got []int64
			for pages := 0; ; pages++ {
				page, err := ds.d.FindTickets(ctx, ds.admin, f)
				if err != nil {
					t.Fatalf("case %d %+v: %v", i, f, err)
				}
				for _, r := range page.Tickets {
					got = append(got, r.ID)
				}
				if page.Next == "" {
					break
				}
				if len(page.Tickets) != f.Limit {
					t.Fatalf("case %d: a page of %d before the end; want %d", i, len(page.Tickets), f.Limit)
				}
				f.After = page.Next
				if pages > 300 {
					t.Fatal("paging does not end")
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("case %d %+v:\n got %v\nwant %v", i, f, got, want)
			}
		}
		// Counters kept by triggers agree with the tickets, before and after
		// their deltas are folded.
		checkCounts(t, ds)
		if err := s.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		checkCounts(t, ds)
	})
}

func checkCounts(t *testing.T, ds *dataset) {
	t.Helper()
	{
		for _, agent := range append([]int64{0}, ds.agents...) {
			c, err := ds.d.Counts(ctx, ds.admin, agent)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range desk.Statuses {
				want := len(ds.expect(desk.TicketFilter{Statuses: []desk.Status{st}, AssigneeID: agent}))
				if c.ByStatus[st] != want {
					t.Errorf("agent %d: count %s = %d; want %d", agent, st, c.ByStatus[st], want)
				}
			}
			if want := len(ds.expect(desk.TicketFilter{Overdue: true, AssigneeID: agent})); c.Overdue != want {
				t.Errorf("agent %d: overdue %d; want %d", agent, c.Overdue, want)
			}
		}
	}
}

func TestSearch(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		d := desk.New(desk.Config{Store: s})
		d.EnsureAdmin(ctx, "admin@example.fr")
		agents, _ := d.Agents(ctx)
		admin := desk.ActorOf(agents[0])
		ch, _ := d.SaveChannel(ctx, admin, desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", Active: true})
		msgs := []struct{ order, customer, body string }{
			{"K-100", "Hélène Dupré", "Le colis est arrivé abîmé, je voudrais un remboursement."},
			{"K-200", "Marc Lefèvre", "Où en est ma commande ? Toujours pas reçue."},
			{"K-300", "Zoé Château", "Je souhaite une facture pour ma société."},
			{"K-400", "Hélène Martin", "Remboursement reçu, merci !"},
		}
		var batch []desk.Incoming
		for i, m := range msgs {
			batch = append(batch, desk.Incoming{ChannelID: ch.ID, OrderRef: m.order, SourceID: fmt.Sprint(i), Body: m.body,
				ThreadExternalID: fmt.Sprintf("0011000000%d", i),
				Customer:         desk.CustomerInput{Name: m.customer, Email: fmt.Sprintf("c%d@relay.example", i)}})
		}
		if _, err := d.Ingest(ctx, batch); err != nil {
			t.Fatal(err)
		}
		k300, _ := d.LookupTicket(ctx, admin, "K-300")
		d.CloseTicket(ctx, admin, k300.ID)
		find := func(q string, f desk.TicketFilter) []string {
			f.Text = q
			var orders []string
			for {
				page, err := d.FindTickets(ctx, admin, f)
				if err != nil {
					t.Fatalf("search %q: %v", q, err)
				}
				for _, r := range page.Tickets {
					orders = append(orders, r.OrderRef)
				}
				if page.Next == "" {
					return orders
				}
				f.After = page.Next
			}
		}
		tests := []struct {
			q      string
			f      desk.TicketFilter
			orders []string
		}{
			{"remboursement", desk.TicketFilter{}, []string{"K-400", "K-100"}},
			{"REMBOURSEMENT abime", desk.TicketFilter{}, []string{"K-100"}},       // case, accents, all words
			{"helene", desk.TicketFilter{}, []string{"K-400", "K-100"}},           // customer name, folded
			{"rembours", desk.TicketFilter{Limit: 1}, []string{"K-400", "K-100"}}, // prefix, one per page
			{"facture", desk.TicketFilter{}, []string{"K-300"}},                   // closed tickets too
			{"facture", desk.TicketFilter{Statuses: []desk.Status{desk.StatusWaitingAdmin}}, nil},
			{"k-200", desk.TicketFilter{}, []string{"K-200"}},            // order reference
			{"c1@relay.example", desk.TicketFilter{}, []string{"K-200"}}, // email
			{k300.Number, desk.TicketFilter{}, []string{"K-300"}},        // ticket number, exact
			{"00110000001", desk.TicketFilter{}, []string{"K-200"}},      // the marketplace's number of a thread
			{"introuvable", desk.TicketFilter{}, nil},
			{"   ", desk.TicketFilter{Statuses: []desk.Status{desk.StatusClosed}}, []string{"K-300"}}, // no words: no text filter
			{`"; DROP TABLE tickets; --`, desk.TicketFilter{}, nil},                                   // only words are searched
		}
		for _, tt := range tests {
			if got := find(tt.q, tt.f); !slices.Equal(got, tt.orders) {
				t.Errorf("search %q %+v = %v; want %v", tt.q, tt.f.Statuses, got, tt.orders)
			}
		}
		// A new message is found at once, and problems set by hand too.
		d.Ingest(ctx, []desk.Incoming{{ChannelID: ch.ID, OrderRef: "K-200", SourceID: "9", Body: "Le transporteur Colissimo ne répond pas"}})
		problem := "Litige transporteur"
		k200, _ := d.LookupTicket(ctx, admin, "K-200")
		d.UpdateTicket(ctx, admin, k200.ID, desk.TicketPatch{Problem: &problem})
		if got := find("colissimo", desk.TicketFilter{}); !slices.Equal(got, []string{"K-200"}) {
			t.Errorf("new message not found: %v", got)
		}
		if got := find("litige", desk.TicketFilter{}); !slices.Equal(got, []string{"K-200"}) {
			t.Errorf("customer problem not found: %v", got)
		}
	})
}

func TestMigrateTwiceIsANoOp(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s := e.Open(t) // migrated once
			applied, err := s.Migrate(ctx)
			if err != nil || len(applied) != 0 {
				t.Errorf("second migration applied %v, %v", applied, err)
			}
		})
	}
}
