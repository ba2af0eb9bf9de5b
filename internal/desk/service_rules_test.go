package desk_test

import (
	"strings"
	"testing"
	"time"

	"guichet/internal/desk"
)

func TestPriorityRules(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		open := func(order string) int64 {
			t.Helper()
			res, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.fnac, order, order+"-1", "Bonjour")})
			if err != nil {
				t.Fatal(err)
			}
			return res.Tickets[0]
		}
		reply := func(id int64) {
			t.Helper()
			if _, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: id, Body: "Bonjour, c'est noté.", Status: desk.StatusWaitingCustomer}); err != nil {
				t.Fatal(err)
			}
		}
		// Rules off (the default): priorities change by hand only.
		id := open("R1")
		reply(id)
		if v := f.view(t, id); v.Ticket.Priority != desk.P1 {
			t.Fatalf("rules off: %s after the answer", v.Ticket.Priority)
		}

		_, err := f.d.SetServiceRules(ctx, f.lea, desk.ServiceRules{ReplyToP2: true})
		wantCode(t, err, desk.EForbidden, "")
		_, err = f.d.SetServiceRules(ctx, f.admin, desk.ServiceRules{WarningLead: -time.Hour})
		wantCode(t, err, desk.EInvalid, "warning_lead")
		if _, err := f.d.SetServiceRules(ctx, f.admin, desk.ServiceRules{ReplyToP2: true, CustomerToP1: true, WarningLead: 90 * time.Minute}); err != nil {
			t.Fatal(err)
		}
		if r, err := f.d.ServiceRules(ctx); err != nil || r != (desk.ServiceRules{ReplyToP2: true, CustomerToP1: true, WarningLead: 90 * time.Minute}) {
			t.Fatalf("rules read back: %+v, %v", r, err)
		}

		id = open("R2")
		if v := f.view(t, id); v.Ticket.Priority != desk.P1 {
			t.Fatalf("new ticket is %s; want P1", v.Ticket.Priority)
		}
		f.clock.Add(time.Hour)
		reply(id)
		v := f.view(t, id)
		if v.Ticket.Priority != desk.P2 {
			t.Fatalf("after the answer: %s; want P2", v.Ticket.Priority)
		}
		ruleEvents := func(v desk.TicketView) []string {
			var out []string
			for _, e := range v.Events {
				if e.Kind == desk.EventPriority {
					out = append(out, e.ActorName+":"+e.Old+">"+e.New)
					if e.AgentID != 0 {
						t.Errorf("a rule's event names agent %d", e.AgentID)
					}
				}
			}
			return out
		}
		if got := strings.Join(ruleEvents(v), ","); got != desk.RuleActor+":P1>P2" {
			t.Fatalf("history: %s", got)
		}
		// A second answer on a P2 ticket changes nothing.
		reply(id)
		// The customer writes again: back to P1, by the rule.
		f.clock.Add(time.Hour)
		in := incoming(f.fnac, "R2", "R2-2", "Toujours rien reçu")
		if _, err := f.d.Ingest(ctx, []desk.Incoming{in}); err != nil {
			t.Fatal(err)
		}
		v = f.view(t, id)
		if v.Ticket.Priority != desk.P1 || strings.Join(ruleEvents(v), ",") != desk.RuleActor+":P1>P2,"+desk.RuleActor+":P2>P1" {
			t.Fatalf("after the customer's message: %s, %v", v.Ticket.Priority, ruleEvents(v))
		}
		// An operator's message is no customer's: the priority stays.
		reply(id)
		op := desk.Incoming{ChannelID: f.fnac.ID, OrderRef: "R2", SourceID: "R2-op", ThreadKind: desk.ThreadOperator,
			AuthorKind: desk.AuthorOperator, AuthorName: "Fnac", Body: "Merci de répondre au client"}
		if _, err := f.d.Ingest(ctx, []desk.Incoming{op}); err != nil {
			t.Fatal(err)
		}
		if v := f.view(t, id); v.Ticket.Priority != desk.P2 {
			t.Fatalf("after the operator's message: %s; want P2", v.Ticket.Priority)
		}
	})
}

func TestDeadlineWarnings(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		// Fnac counts 24 h around the clock: a message at 9:00 is due at 9:00
		// the next day; the default lead time is 2 h.
		res, err := f.d.Ingest(ctx, []desk.Incoming{
			incoming(f.fnac, "W1", "W1-1", "Bonjour"),
			incoming(f.fnac, "W2", "W2-1", "Bonjour"),
		})
		if err != nil {
			t.Fatal(err)
		}
		w1, w2 := res.Tickets[0], res.Tickets[1]
		// W2 waits for the customer: no deadline runs, no warning.
		if _, err := f.d.Reply(ctx, f.marc, desk.ReplyInput{TicketID: w2, Body: "Pouvez-vous préciser ?", Status: desk.StatusWaitingCustomer}); err != nil {
			t.Fatal(err)
		}
		// W1 goes to Marc by hand.
		marc := f.marc.AgentID
		if _, err := f.d.UpdateTicket(ctx, f.admin, w1, desk.TicketPatch{AssigneeID: &marc}); err != nil {
			t.Fatal(err)
		}
		warn := func() int {
			t.Helper()
			n, err := f.d.WarnDeadlines(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		f.clock.Add(21 * time.Hour) // 3 h left
		if n := warn(); n != 0 {
			t.Fatalf("3 h before: %d warnings", n)
		}
		f.clock.Add(90 * time.Minute) // 1 h 30 left
		if n := warn(); n != 1 {
			t.Fatalf("1 h 30 before: %d warnings; want 1", n)
		}
		if n := warn(); n != 0 {
			t.Fatalf("again: %d warnings; want none", n)
		}
		ns, unread, err := f.d.Notifications(ctx, f.marc)
		if err != nil || unread != 1 || len(ns) != 1 {
			t.Fatalf("Marc's notifications: %d unread, %v, %v", unread, ns, err)
		}
		n := ns[0]
		if n.TicketID != w1 || n.Kind != desk.NotificationDeadline || n.EmailState != "pending" || !strings.Contains(n.Text, "dans 1 h 30") || !strings.Contains(n.Text, "commande W1") {
			t.Errorf("warning = %+v", n)
		}
		if ns, _, _ := f.d.Notifications(ctx, f.lea); len(ns) != 0 {
			t.Errorf("Léa (Fnac's responsible, not the assignee) told: %v", ns)
		}
		// Marc answers; the customer's next message sets a new deadline:
		// warned again, once.
		if _, err := f.d.Reply(ctx, f.marc, desk.ReplyInput{TicketID: w1, Body: "Le colis part demain.", Status: desk.StatusWaitingCustomer}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.fnac, "W1", "W1-2", "Alors ?")}); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(23 * time.Hour)
		if n := warn(); n != 1 {
			t.Fatalf("new deadline: %d warnings; want 1", n)
		}
		if n := warn(); n != 0 {
			t.Fatalf("new deadline again: %d warnings", n)
		}
		// Past the deadline: nothing more; lead 0 turns warnings off.
		f.clock.Add(2 * time.Hour)
		if n := warn(); n != 0 {
			t.Fatalf("past the deadline: %d warnings", n)
		}
		if _, err := f.d.SetServiceRules(ctx, f.admin, desk.ServiceRules{}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.Reply(ctx, f.marc, desk.ReplyInput{TicketID: w1, Body: "C'est en route.", Status: desk.StatusWaitingCustomer}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.fnac, "W1", "W1-3", "Allô ?")}); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(23 * time.Hour)
		if n := warn(); n != 0 {
			t.Fatalf("lead 0: %d warnings", n)
		}
		// Live pages heard of it.
		heard := 0
		for _, c := range f.notes.changes {
			if c.Kind == desk.EventNotified && c.AgentID == marc {
				heard++
			}
		}
		if heard != 2 {
			t.Errorf("%d live notices to Marc; want 2", heard)
		}
	})
}
