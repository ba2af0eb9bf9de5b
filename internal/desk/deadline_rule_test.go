package desk_test

import (
	"strings"
	"testing"
	"time"

	"guichet/internal/deadline"
	"guichet/internal/desk"
)

func deadlineEvents(v desk.TicketView) []desk.Event {
	var out []desk.Event
	for _, e := range v.Events {
		if e.Kind == desk.EventDeadline {
			out = append(out, e)
		}
	}
	return out
}

// The deadline runs while an ADV must act, stops while the ticket waits for
// the customer (nothing late, nothing in the overdue count), and starts
// anew, from then, on the customer's answer or the agent's reopening; each
// change is in the history, by the rule or by the person.
func TestDeadlineStopsWhileWaitingAndRestarts(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		id := f.ingest(t, incoming(f.fnac, "F-1", "f-1", "Colis abîmé")).Tickets[0] // Fnac: 24 h around the clock
		v := f.view(t, id)
		if want := monday.Add(24 * time.Hour); !v.Ticket.Deadline.Equal(want) || v.Ticket.Deadline.Location() != time.UTC {
			t.Fatalf("deadline %v; want %v in UTC", v.Ticket.Deadline, want)
		}
		if es := deadlineEvents(v); len(es) != 1 || !strings.Contains(es[0].ActorName, "Règle du canal Fnac : 24 h calendaires, calendrier France") {
			t.Fatalf("deadline events %+v", es)
		}
		if _, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: id, Body: "Une photo ?", Status: desk.StatusWaitingCustomer}); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(10 * 24 * time.Hour)
		v = f.view(t, id)
		if !v.Ticket.Deadline.IsZero() || v.Ticket.Overdue(f.clock.Now()) {
			t.Fatalf("waiting for the customer: deadline %v", v.Ticket.Deadline)
		}
		c, err := f.d.Counts(ctx, f.admin, 0)
		if err != nil || c.Overdue != 0 {
			t.Errorf("overdue count %d, %v", c.Overdue, err)
		}
		page, err := f.d.FindTickets(ctx, f.admin, desk.TicketFilter{Overdue: true})
		if err != nil || len(page.Tickets) != 0 {
			t.Errorf("overdue filter: %d, %v", len(page.Tickets), err)
		}
		if es := deadlineEvents(v); len(es) != 2 || es[1].New != "" || es[1].ActorName != "Léa Martin" {
			t.Errorf("stop recorded as %+v", es)
		}
		// The customer answers ten days later: 24 h from now.
		in := incoming(f.fnac, "F-1", "f-2", "Voici la photo.")
		in.At = f.clock.Now()
		f.ingest(t, in)
		v = f.view(t, id)
		if want := f.clock.Now().Add(24 * time.Hour); v.Ticket.Status != desk.StatusWaitingAdmin || !v.Ticket.Deadline.Equal(want) {
			t.Errorf("after the answer: %s %v; want %v", v.Ticket.Status, v.Ticket.Deadline, want)
		}
		// Closed, then reopened by an agent a week later: a new deadline, not overdue at once.
		if _, err := f.d.CloseTicket(ctx, f.lea, id); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(7 * 24 * time.Hour)
		tk, err := f.d.ReopenTicket(ctx, f.marc, id)
		if err != nil {
			t.Fatal(err)
		}
		if want := f.clock.Now().Add(24 * time.Hour); !tk.Deadline.Equal(want) || tk.Overdue(f.clock.Now()) {
			t.Errorf("reopened: deadline %v; want %v", tk.Deadline, want)
		}
		es := deadlineEvents(f.view(t, id))
		if last := es[len(es)-1]; last.AgentID != 0 || !strings.HasPrefix(last.ActorName, "Règle du canal Fnac") {
			t.Errorf("reopening's deadline recorded as %+v", last)
		}
		// By hand, then refused while the customer is to act.
		due := f.clock.Now().Add(3 * time.Hour)
		if _, err := f.d.UpdateTicket(ctx, f.lea, id, desk.TicketPatch{Deadline: &due}); err != nil {
			t.Fatal(err)
		}
		if c, _ := f.d.Counts(ctx, f.admin, 0); c.DueSoon != 1 {
			t.Errorf("due soon count %d; want 1", c.DueSoon)
		}
		if p, _ := f.d.FindTickets(ctx, f.admin, desk.TicketFilter{DueSoon: true}); len(p.Tickets) != 1 {
			t.Errorf("due soon filter: %d rows", len(p.Tickets))
		}
		waiting := desk.StatusWaitingCustomer
		_, err = f.d.UpdateTicket(ctx, f.lea, id, desk.TicketPatch{Status: &waiting, Deadline: &due})
		wantCode(t, err, desk.EInvalid, "deadline")
	})
}

// Kaufland counts on the German calendar: the Day of Unity is no working day.
// A company closure on the channel's calendar is not counted either.
func TestChannelCalendarsCount(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		berlin, _ := time.LoadLocation("Europe/Berlin")
		at := time.Date(2025, 10, 2, 10, 0, 0, 0, berlin) // Thursday; Friday 3 October is a holiday
		in := incoming(f.kaufland, "K-1", "k-1", "Wo bleibt mein Paket?")
		in.At = at
		v := f.view(t, f.ingest(t, in).Tickets[0])
		if want := time.Date(2025, 10, 7, 10, 0, 0, 0, berlin); !v.Ticket.Deadline.Equal(want) {
			t.Errorf("Kaufland deadline %v; want %v (48 h of German working days)", v.Ticket.Deadline.In(berlin), want)
		}
		if es := deadlineEvents(v); len(es) != 1 || !strings.Contains(es[0].ActorName, "48 h de jours ouvrés, calendrier Allemagne") {
			t.Errorf("rule %+v", es)
		}

		cal, err := f.d.SaveCalendar(ctx, f.admin, desk.Calendar{Name: "Boutique", TimeZone: "Europe/Paris", Hours: deadline.FranceSpec.Hours,
			Country: "fr", Closures: []deadline.Closure{{From: "2026-12-24", To: "2026-12-26", Label: "fermeture du 24 au 26 décembre"}}})
		if err != nil {
			t.Fatal(err)
		}
		f.shop.CalendarID, f.shop.DeadlinePolicy = cal.ID, "24h working_days"
		f.shop = f.channel(t, f.shop)
		paris, _ := time.LoadLocation("Europe/Paris")
		in = incoming(f.shop, "XKB1", "s-1", "Livrez-vous avant Noël ?")
		in.At = time.Date(2026, 12, 23, 10, 0, 0, 0, paris)
		v = f.view(t, f.ingest(t, in).Tickets[0])
		if want := time.Date(2026, 12, 28, 10, 0, 0, 0, paris); !v.Ticket.Deadline.Equal(want) {
			t.Errorf("deadline over the closure %v; want %v", v.Ticket.Deadline.In(paris), want)
		}
	})
}

// A wrong policy or calendar in the database is not silently replaced: the
// history and the admin's check say so.
func TestBadStoredPolicyIsReported(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ch := f.fnac
		ch.DeadlinePolicy = "vingt-quatre heures"
		if err := f.s.Write(ctx, func(tx desk.Tx) error { return tx.UpdateChannel(ctx, &ch) }); err != nil {
			t.Fatal(err)
		}
		v := f.view(t, f.ingest(t, incoming(f.fnac, "F-1", "f-1", "?")).Tickets[0])
		if es := deadlineEvents(v); len(es) != 1 || !strings.Contains(es[0].ActorName, "Règle par défaut (délai du canal invalide") {
			t.Errorf("deadline events %+v", es)
		}
		problems, err := f.d.DeadlineProblems(ctx)
		if err != nil || !strings.Contains(problems[f.fnac.ID], "délai du canal invalide") || problems[f.kaufland.ID] != "" {
			t.Errorf("problems %v, %v", problems, err)
		}
		_, err = f.d.SaveCalendar(ctx, f.admin, desk.Calendar{Name: "Cassé", TimeZone: "Mars/Olympus", Hours: deadline.FranceSpec.Hours})
		wantCode(t, err, desk.EInvalid, "time_zone")
		_, err = f.d.SaveCalendar(ctx, f.admin, desk.Calendar{Name: "Cassé", TimeZone: "Europe/Paris", Hours: [7]string{1: "9h-18h"}})
		wantCode(t, err, desk.EInvalid, "hours.1")
	})
}
