package bench_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"guichet/internal/bench"
	"guichet/internal/desk"
	"guichet/internal/fold"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// TestLoadData loads a small set in two calls and reads it back through desk:
// inbox pages, counters, search and ticket views must agree with the rows.
func TestLoadData(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		spec := bench.DataSpec{Tickets: 300, Seed: 7, Batch: 64}
		var reached []int
		spec.First, spec.Tickets = 0, 120
		if err := bench.LoadData(ctx, s, spec, func(n int) { reached = append(reached, n) }); err != nil {
			t.Fatal(err)
		}
		spec.First, spec.Tickets = 120, 300 // finish the set: a second call
		if err := bench.LoadData(ctx, s, spec, func(n int) { reached = append(reached, n) }); err != nil {
			t.Fatal(err)
		}
		if want := []int{64, 120, 184, 248, 300}; !slices.Equal(reached, want) {
			t.Errorf("progress = %v, want %v", reached, want)
		}
		d := desk.New(desk.Config{Store: s})
		agents, err := d.Agents(ctx)
		if err != nil || len(agents) != 10 {
			t.Fatalf("agents = %d, %v; want 10", len(agents), err)
		}
		admin := desk.ActorOf(agents[slices.IndexFunc(agents, func(a desk.Agent) bool { return a.Role == desk.RoleAdmin })])

		views := map[int64]desk.TicketView{}
		counts, err := d.Counts(ctx, admin, 0)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, st := range desk.Statuses {
			rows := allPages(t, d, admin, desk.TicketFilter{Statuses: []desk.Status{st}, Limit: 37})
			if len(rows) != counts.ByStatus[st] {
				t.Errorf("%s: %d tickets in the inbox, counters say %d", st, len(rows), counts.ByStatus[st])
			}
			for i, r := range rows {
				if i > 0 && rows[i-1].Deadline.After(r.Deadline) {
					t.Fatalf("%s: page not sorted by deadline at %d", st, i)
				}
				v, err := d.Ticket(ctx, admin, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				checkView(t, v, st)
				views[r.ID] = v
			}
			total += len(rows)
		}
		if total != 300 || counts.ByStatus[desk.StatusClosed] < 150 || counts.ByStatus[desk.StatusWaitingAdmin] < 20 {
			t.Errorf("counts = %v (total %d): not the set's mix", counts.ByStatus, total)
		}

		// Search finds exactly the tickets whose text has a word starting so.
		some := views[42]
		words := bench.Vocabulary()
		queries := []string{words[30], words[120], words[400], "rembours", "c", "c " + words[120], "4 " + words[30], "co bien", some.Customer.Name,
			strings.Fields(some.Customer.Name)[1], some.Ticket.OrderRef, some.Ticket.Number, "Commande " + some.Ticket.OrderRef}
		for _, q := range queries {
			want := map[int64]bool{}
			for id, v := range views {
				if matches(v, q) {
					want[id] = true
				}
			}
			got := allPages(t, d, admin, desk.TicketFilter{Text: q, Limit: 25})
			ids := map[int64]bool{}
			for i, r := range got {
				if ids[r.ID] {
					t.Errorf("search %q: ticket %d twice", q, r.ID)
				}
				ids[r.ID] = true
				if i > 0 && got[i-1].ID < r.ID && !(i == 1 && (q == some.Ticket.OrderRef || q == some.Ticket.Number)) {
					t.Errorf("search %q: not newest first at %d", q, i)
				}
			}
			t.Logf("search %q: %d tickets", q, len(ids))
			if len(ids) != len(want) {
				t.Errorf("search %q: %d tickets, want %d", q, len(ids), len(want))
			}
			for id := range want {
				if !ids[id] {
					t.Errorf("search %q: ticket %d missing", q, id)
				}
			}
			if len(want) == 0 {
				t.Errorf("search %q: the set has no match; pick another word", q)
			}
		}
		if got := allPages(t, d, admin, desk.TicketFilter{Text: some.Ticket.OrderRef}); len(got) == 0 || got[0].ID != some.Ticket.ID {
			t.Errorf("search of order %s does not give its ticket first", some.Ticket.OrderRef)
		}

		// The ids go on after the load: desk can add to what was generated.
		res, err := d.Ingest(ctx, []desk.Incoming{
			{ChannelID: some.Ticket.ChannelID, OrderRef: some.Ticket.OrderRef, SourceID: "after-1", Body: "Toujours rien reçu"},
			{ChannelID: some.Ticket.ChannelID, OrderRef: "NEW-ORDER-1", SourceID: "after-2", Body: "Première question",
				Customer: desk.CustomerInput{ExternalID: "new-1", Name: "Nouvelle Cliente"}},
		})
		if err != nil || res.Stored != 2 || res.Opened != 1 {
			t.Fatalf("ingest after load = %+v, %v", res, err)
		}
		v, err := d.Ticket(ctx, admin, some.Ticket.ID)
		if err != nil || len(v.Messages) != 11 || v.Messages[10].Seq != 11 || v.Ticket.Status != desk.StatusWaitingAdmin {
			t.Fatalf("ticket after ingest: %d messages, status %s, %v", len(v.Messages), v.Ticket.Status, err)
		}
		if got := allPages(t, d, admin, desk.TicketFilter{Text: "nouvelle cliente"}); len(got) != 1 || got[0].ID <= 300 {
			t.Errorf("new ticket after load: search gives %d", len(got))
		}
		if s.Dialect() == "postgres" {
			checkTSVectors(t, s, views)
		}
		// A re-indexed ticket loses its old words.
		for _, problem := range []string{"Zorglub en vue", "Colis perdu"} {
			if _, err := d.UpdateTicket(ctx, admin, some.Ticket.ID, desk.TicketPatch{Problem: &problem}); err != nil {
				t.Fatal(err)
			}
		}
		if got := allPages(t, d, admin, desk.TicketFilter{Text: "zorglub"}); len(got) != 0 {
			t.Errorf("old problem still found: %d tickets", len(got))
		}
	})
}

func allPages(t *testing.T, d *desk.Desk, actor desk.Actor, f desk.TicketFilter) []desk.TicketRow {
	t.Helper()
	var out []desk.TicketRow
	for range 1000 {
		p, err := d.FindTickets(context.Background(), actor, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Tickets...)
		if p.Next == "" {
			return out
		}
		f.After = p.Next
	}
	t.Fatal("too many pages")
	return nil
}

// checkView checks one generated ticket against the rules desk keeps.
func checkView(t *testing.T, v desk.TicketView, st desk.Status) {
	t.Helper()
	tk := v.Ticket
	if tk.Status != st || tk.MessageCount != 10 || len(v.Messages) != 10 || len(v.Threads) == 0 || v.Customer == nil {
		t.Fatalf("ticket %d: status %s, %d/%d messages, %d threads, customer %v", tk.ID, tk.Status, tk.MessageCount, len(v.Messages), len(v.Threads), v.Customer)
	}
	if len(v.Events) < 11 || v.Events[0].Kind != desk.EventCreated {
		t.Fatalf("ticket %d: %d events, first %v", tk.ID, len(v.Events), v.Events[0].Kind)
	}
	last := v.Messages[len(v.Messages)-1]
	for i, m := range v.Messages {
		if m.Seq != i+1 || (i > 0 && m.CreatedAt.Before(v.Messages[i-1].CreatedAt)) {
			t.Fatalf("ticket %d: message %d out of order", tk.ID, i)
		}
	}
	if !tk.LastActivityAt.Equal(last.CreatedAt) || tk.OpenedAt.After(v.Messages[0].CreatedAt) {
		t.Errorf("ticket %d: activity %v, last message %v", tk.ID, tk.LastActivityAt, last.CreatedAt)
	}
	if !last.Internal && !strings.HasPrefix(strings.Join(strings.Fields(last.Body), " "), tk.Preview) {
		t.Errorf("ticket %d: preview %q is not the last message", tk.ID, tk.Preview)
	}
	if (st == desk.StatusClosed) != !tk.ClosedAt.IsZero() || (st == desk.StatusWaitingAdmin) != (last.Direction == desk.In) {
		t.Errorf("ticket %d: %s, closed at %v, last message %s", tk.ID, st, tk.ClosedAt, last.Direction)
	}
	var status desk.Status
	for _, e := range v.Events {
		if e.Kind == desk.EventStatus {
			if desk.Status(e.Old) != status && status != "" {
				t.Errorf("ticket %d: status event from %s, was %s", tk.ID, e.Old, status)
			}
			status = desk.Status(e.New)
		}
	}
	if status != "" && status != st {
		t.Errorf("ticket %d: events end at %s, ticket is %s", tk.ID, status, st)
	}
}

// matches is what search promises: every folded word of q starts a word of
// the ticket's text (messages, number, order, customer, emails, problem, subject).
func matches(v desk.TicketView, q string) bool {
	own := []string{v.Ticket.Number, v.Ticket.OrderRef, v.Ticket.RealEmail, v.Ticket.Problem, v.Ticket.Subject}
	if v.Customer != nil {
		own = append(own, v.Customer.Name, v.Customer.Email)
	}
	docs := []string{strings.Join(own, " ")}
	for _, m := range v.Messages {
		docs = append(docs, m.Body)
	}
	for _, doc := range docs {
		words := fold.Words(doc)
		all := true
		for _, w := range fold.Words(q) {
			all = all && slices.ContainsFunc(words, func(x string) bool { return strings.HasPrefix(x, w) })
		}
		if all {
			return true
		}
	}
	return false
}

// checkTSVectors checks that the entries written by COPY are those
// to_tsvector writes for the same text.
func checkTSVectors(t *testing.T, s *store.Store, views map[int64]desk.TicketView) {
	t.Helper()
	ctx := context.Background()
	n := 0
	for id, v := range views {
		docs := map[int]string{}
		for _, m := range v.Messages {
			docs[m.Seq] = m.Body
		}
		docs[0] = strings.Join([]string{v.Ticket.Number, v.Ticket.OrderRef, v.Customer.Name, v.Customer.Email, v.Ticket.RealEmail, v.Ticket.Problem, v.Ticket.Subject}, " ")
		for seq, text := range docs {
			var same bool
			err := s.DB().QueryRowContext(ctx, `SELECT tsv = to_tsvector('simple', $2) FROM search_docs WHERE doc_id = $1`,
				id<<20|int64(seq), strings.Join(fold.Words(text), " ")).Scan(&same)
			if err != nil {
				t.Fatalf("ticket %d seq %d: %v", id, seq, err)
			}
			if !same {
				t.Errorf("ticket %d seq %d: search entry differs from to_tsvector", id, seq)
			}
			n++
		}
	}
	if n < 3000 {
		t.Errorf("checked %d search entries", n)
	}
}
