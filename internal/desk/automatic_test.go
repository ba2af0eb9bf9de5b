package desk_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/desk"
)

func (f *fixture) rule(t testing.TB, kind desk.SystemKind, lang, body string, days int) {
	t.Helper()
	if _, err := f.d.SaveSystemRule(ctx, f.admin, desk.SystemRule{Kind: kind, Language: lang, Body: body, Enabled: true, Days: days}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) ingest(t testing.TB, ins ...desk.Incoming) desk.IngestResult {
	t.Helper()
	res, err := f.d.Ingest(ctx, ins)
	if err != nil || res.AutomaticError != "" {
		t.Fatalf("ingest: %v %q", err, res.AutomaticError)
	}
	return res
}

func systemMessages(t testing.TB, f *fixture, id int64) []desk.Message {
	t.Helper()
	var out []desk.Message
	for _, m := range f.view(t, id).Messages {
		if m.AuthorKind == desk.AuthorSystem {
			out = append(out, m)
		}
	}
	return out
}

// The acknowledgement answers a ticket's first customer message, once, in
// its thread and the channel's language; never an agent's reply, a later
// message, the same message fetched again, an auto-reply or a bounce.
func TestAcknowledgementOfAFirstMessage(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.rule(t, desk.SystemAck, "fr", "Bonjour {nom_client}, nous avons bien reçu votre message.", 0)
		f.rule(t, desk.SystemAck, "de", "Guten Tag {nom_client}, wir haben Ihre Nachricht erhalten.", 0)
		first := incoming(f.fnac, "F-1", "f-1", "Où est mon colis ?")
		id := f.ingest(t, first).Tickets[0]
		sys := systemMessages(t, f, id)
		if len(sys) != 1 || sys[0].Body != "Bonjour Jean Client, nous avons bien reçu votre message." || sys[0].AuthorName != desk.SystemAuthor || sys[0].Delivery != desk.DeliveryQueued {
			t.Fatalf("acknowledgement: %+v", sys)
		}
		if msgs := f.view(t, id).Messages; sys[0].ThreadID != msgs[0].ThreadID {
			t.Errorf("acknowledged in thread %d; the message is in %d", sys[0].ThreadID, msgs[0].ThreadID)
		}
		f.ingest(t, first)                                             // fetched again
		f.ingest(t, incoming(f.fnac, "F-1", "f-2", "Toujours rien ?")) // a later message
		if _, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: id, Body: "Il part demain.", Status: desk.StatusWaitingCustomer}); err != nil {
			t.Fatal(err)
		}
		f.ingest(t, incoming(f.fnac, "F-1", "f-3", "Merci."))
		if n := len(systemMessages(t, f, id)); n != 1 {
			t.Errorf("%d automatic messages; want the one acknowledgement", n)
		}
		v := f.view(t, id)
		for _, e := range v.Events {
			if e.Kind == desk.EventMessageOut && e.ActorName == desk.SystemAuthor && e.AgentID != 0 {
				t.Errorf("the acknowledgement counted as an agent's answer: %+v", e)
			}
		}
		if v.Ticket.Status != desk.StatusWaitingAdmin {
			t.Errorf("status %s", v.Ticket.Status)
		}

		// A ticket an agent opened: a bounce or an auto-reply on it is no
		// customer's first message.
		for i, kind := range []desk.AutoKind{desk.AutoBounce, desk.AutoReply} {
			ref := []string{"F-10", "F-11"}[i]
			tk, _, err := f.d.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.fnac.ID, OrderRef: ref})
			if err != nil {
				t.Fatal(err)
			}
			in := incoming(f.fnac, ref, "auto-"+ref, "Delivery failed / absent")
			in.AutoKind = kind
			f.ingest(t, in)
			if n := len(systemMessages(t, f, tk.ID)); n != 0 {
				t.Errorf("%s answered automatically: %d messages", kind, n)
			}
		}

		// Kaufland's customers are answered in German.
		k := f.ingest(t, incoming(f.kaufland, "K-1", "k-1", "Wo ist mein Paket?")).Tickets[0]
		if sys := systemMessages(t, f, k); len(sys) != 1 || !strings.HasPrefix(sys[0].Body, "Guten Tag Jean Client") {
			t.Errorf("Kaufland acknowledgement: %+v", sys)
		}
	})
}

// Order-less mail from a stranger is taken for spam and not acknowledged;
// the same sender's second ticket is, and so is a contact-form question.
func TestNoAcknowledgementToOrderlessSpam(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.rule(t, desk.SystemAck, "fr", "Bien reçu.", 0)
		mail := f.channel(t, desk.Channel{Kind: desk.ChannelEmail, Name: "Email", GuardNames: []string{}, Active: true})
		spam := desk.Incoming{ChannelID: mail.ID, SourceID: "<spam-1@x>", Body: "Gagnez un iPhone", AuthorKind: desk.AuthorCustomer,
			Customer: desk.CustomerInput{ExternalID: "promo@spam.example", Email: "promo@spam.example"}}
		id := f.ingest(t, spam).Tickets[0]
		if n := len(systemMessages(t, f, id)); n != 0 {
			t.Errorf("order-less mail from a stranger acknowledged (%d)", n)
		}
		again := spam
		again.SourceID, again.Body = "<spam-2@x>", "Ma commande n'est pas arrivée"
		id2 := f.ingest(t, again).Tickets[0]
		if id2 == id {
			t.Fatal("the second order-less mail went to the same ticket")
		}
		if n := len(systemMessages(t, f, id2)); n != 1 {
			t.Errorf("a known sender's mail: %d acknowledgements; want 1", n)
		}
		withOrder := spam
		withOrder.SourceID, withOrder.OrderRef, withOrder.Customer = "<o-1@x>", "XKBKNABJK", desk.CustomerInput{ExternalID: "new@example.fr", Email: "new@example.fr"}
		if n := len(systemMessages(t, f, f.ingest(t, withOrder).Tickets[0])); n != 1 {
			t.Errorf("mail about an order: %d acknowledgements; want 1", n)
		}
		form := desk.Incoming{ChannelID: f.shop.ID, SourceID: "ct-1", ThreadExternalID: "ct-1", Body: "Livrez-vous en Corse ?", AuthorKind: desk.AuthorCustomer,
			Customer: desk.CustomerInput{ExternalID: "42", Email: "corse@example.fr"}}
		if n := len(systemMessages(t, f, f.ingest(t, form).Tickets[0])); n != 1 {
			t.Errorf("contact form: %d acknowledgements; want 1", n)
		}
	})
}

// A message that comes while the calendar is closed gets one notice per
// closed stretch, saying when we open; it stands for the acknowledgement.
func TestOutOfHoursNotice(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.rule(t, desk.SystemAck, "fr", "Bien reçu.", 0)
		f.rule(t, desk.SystemOutOfHours, "fr", "Nous sommes fermés ; réponse dès le {ouverture}.", 0)
		paris, _ := time.LoadLocation("Europe/Paris")
		f.clock.t = time.Date(2026, 11, 28, 15, 0, 0, 0, paris) // Saturday
		in := incoming(f.fnac, "F-1", "f-1", "Bonjour ?")
		in.At = f.clock.t
		id := f.ingest(t, in).Tickets[0]
		sys := systemMessages(t, f, id)
		if len(sys) != 1 || sys[0].Body != "Nous sommes fermés ; réponse dès le 30/11/2026 09:00." {
			t.Fatalf("out of hours: %+v", sys)
		}
		sunday := incoming(f.fnac, "F-1", "f-2", "Alors ?")
		sunday.At = time.Date(2026, 11, 29, 11, 0, 0, 0, paris)
		f.ingest(t, sunday)
		open := incoming(f.fnac, "F-1", "f-3", "Je rappelle.")
		open.At = time.Date(2026, 11, 30, 10, 0, 0, 0, paris)
		f.ingest(t, open)
		if n := len(systemMessages(t, f, id)); n != 1 {
			t.Errorf("%d automatic messages over one closed weekend; want 1", n)
		}
		evening := incoming(f.fnac, "F-1", "f-4", "Et ce soir ?")
		evening.At = time.Date(2026, 11, 30, 20, 0, 0, 0, paris)
		f.ingest(t, evening)
		sys = systemMessages(t, f, id)
		if len(sys) != 2 || !strings.Contains(sys[1].Body, "01/12/2026 09:00") {
			t.Errorf("Monday evening: %+v", sys)
		}
	})
}

// A ticket left waiting for the customer gets the reminder once after its
// days, then is closed by the rule; several runs at once do each once.
func TestReminderThenAutomaticClose(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.rule(t, desk.SystemReminder, "fr", "Avez-vous pu vérifier, {nom_client} ? Sans réponse sous {jours} jours…", 5)
		f.rule(t, desk.SystemAutoClosing, "fr", "Nous clôturons votre demande.", 10)
		id := f.ingest(t, incoming(f.fnac, "F-1", "f-1", "Colis abîmé")).Tickets[0]
		if _, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: id, Body: "Une photo ?", Status: desk.StatusWaitingCustomer}); err != nil {
			t.Fatal(err)
		}
		run := func() desk.AutomaticReport {
			var total desk.AutomaticReport
			var mu sync.Mutex
			var wg sync.WaitGroup
			for range 4 { // four processes' schedulers at once
				wg.Go(func() {
					r, err := f.d.RunWaitingRules(ctx)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					total.Reminded += r.Reminded
					total.Closed += r.Closed
					mu.Unlock()
				})
			}
			wg.Wait()
			return total
		}
		f.clock.Add(4 * 24 * time.Hour)
		if r := run(); r != (desk.AutomaticReport{}) {
			t.Errorf("after 4 days: %+v", r)
		}
		f.clock.Add(24 * time.Hour)
		if r := run(); r.Reminded != 1 || r.Closed != 0 {
			t.Errorf("after 5 days: %+v; want one reminder", r)
		}
		if r := run(); r != (desk.AutomaticReport{}) {
			t.Errorf("again: %+v", r)
		}
		v := f.view(t, id)
		if sys := systemMessages(t, f, id); len(sys) != 1 || sys[0].Body != "Avez-vous pu vérifier, Jean Client ? Sans réponse sous 5 jours…" {
			t.Errorf("reminder: %+v", sys)
		}
		if v.Ticket.Status != desk.StatusWaitingCustomer || !v.Ticket.Deadline.IsZero() {
			t.Errorf("the reminder changed the ticket: %s %v", v.Ticket.Status, v.Ticket.Deadline)
		}
		f.clock.Add(5 * 24 * time.Hour)
		if r := run(); r.Closed != 1 {
			t.Errorf("after 10 days: %+v; want one close", r)
		}
		v = f.view(t, id)
		if v.Ticket.Status != desk.StatusClosed {
			t.Fatalf("status %s", v.Ticket.Status)
		}
		closes := 0
		for _, e := range v.Events {
			if e.Kind == desk.EventStatus && e.New == string(desk.StatusClosed) {
				closes++
				if e.AgentID != 0 || !strings.Contains(e.ActorName, "fermeture automatique après 10 j") {
					t.Errorf("close recorded as %+v; want by the rule", e)
				}
			}
		}
		if closes != 1 || len(systemMessages(t, f, id)) != 2 {
			t.Errorf("%d closes, %d automatic messages; want 1 and 2", closes, len(systemMessages(t, f, id)))
		}
		if r := run(); r != (desk.AutomaticReport{}) {
			t.Errorf("after the close: %+v", r)
		}
	})
}

// A customer's answer ends the wait: a new wait gets its own reminder.
func TestAnswerRestartsTheWait(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.rule(t, desk.SystemReminder, "fr", "Un rappel.", 3)
		id := f.ingest(t, incoming(f.fnac, "F-1", "f-1", "Colis abîmé")).Tickets[0]
		wait := func() {
			if _, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: id, Body: "Une photo ?", Status: desk.StatusWaitingCustomer}); err != nil {
				t.Fatal(err)
			}
		}
		wait()
		f.clock.Add(2 * 24 * time.Hour)
		in := incoming(f.fnac, "F-1", "f-2", "La voici.")
		in.At = f.clock.Now()
		f.ingest(t, in)
		wait()
		f.clock.Add(2 * 24 * time.Hour)
		if r, _ := f.d.RunWaitingRules(ctx); r.Reminded != 0 {
			t.Errorf("reminded after 2 days of the new wait: %+v", r)
		}
		f.clock.Add(24 * time.Hour)
		if r, _ := f.d.RunWaitingRules(ctx); r.Reminded != 1 {
			t.Errorf("not reminded after 3 days: %+v", r)
		}
	})
}

func TestSystemRulesAreChecked(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		bad := []struct {
			r     desk.SystemRule
			field string
		}{
			{desk.SystemRule{Kind: "hello", Language: "fr"}, "kind"},
			{desk.SystemRule{Kind: desk.SystemAck, Language: "xx"}, "language"},
			{desk.SystemRule{Kind: desk.SystemAck, Language: "fr", Enabled: true}, "body"},
			{desk.SystemRule{Kind: desk.SystemReminder, Language: "fr", Body: "x", Days: 0}, "days"},
			{desk.SystemRule{Kind: desk.SystemAck, Language: "fr", Body: "x", ChannelID: 999}, "channel_id"},
		}
		for _, b := range bad {
			_, err := f.d.SaveSystemRule(ctx, f.admin, b.r)
			wantCode(t, err, desk.EInvalid, b.field)
		}
		_, err := f.d.SaveSystemRule(ctx, f.lea, desk.SystemRule{Kind: desk.SystemAck, Language: "fr", Body: "x"})
		wantCode(t, err, desk.EForbidden, "")
		f.rule(t, desk.SystemAutoClosing, "fr", "", 10)
		_, err = f.d.SaveSystemRule(ctx, f.admin, desk.SystemRule{Kind: desk.SystemReminder, Language: "fr", Body: "x", Enabled: true, Days: 10})
		wantCode(t, err, desk.EInvalid, "days")
	})
}
