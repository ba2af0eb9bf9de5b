package desk_test

import (
	"bytes"
	"testing"
	"time"

	"guichet/internal/desk"
)

// serviceFixture adds an email channel and points « Service client » at it.
func serviceFixture(t *testing.T, f *fixture) (desk.Channel, desk.Contact, desk.Contact) {
	t.Helper()
	mail := f.channel(t, desk.Channel{Kind: desk.ChannelEmail, Name: "SAV email", ResponsibleID: f.lea.AgentID, GuardNames: []string{}, Active: true})
	cs, err := f.d.Contacts(ctx)
	if err != nil || len(cs) != 2 || cs[0].Name != "Service client" || cs[1].Name != "Webmaster" {
		t.Fatalf("default contacts: %+v, %v", cs, err)
	}
	service, webmaster := cs[0], cs[1]
	service.ChannelID, webmaster.ChannelID = mail.ID, mail.ID
	if service, err = f.d.SaveContact(ctx, f.admin, service); err != nil {
		t.Fatal(err)
	}
	if webmaster, err = f.d.SaveContact(ctx, f.admin, webmaster); err != nil {
		t.Fatal(err)
	}
	return mail, service, webmaster
}

func queued(t *testing.T, f *fixture, ticketID int64) []desk.OutboxEntry {
	t.Helper()
	es, err := f.d.Deliveries(ctx, f.lea, desk.DeliveryFilter{TicketID: ticketID, States: []desk.DeliveryState{desk.OutboxQueued}})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

var pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)

// A form message without an order opens a ticket on the contact's email
// channel, keeps the browser and address, takes an allowed file, and
// queues the acknowledgement on its thread; the same address writing
// again to the same contact extends that ticket, to another contact opens
// another.
func TestContactFormOpensAndExtendsOrderlessTicket(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		mail, service, webmaster := serviceFixture(t, f)
		in := desk.FormInput{ContactID: service.ID, Email: "Jean@Example.fr", Body: "Ma facture est fausse.",
			File: &desk.IncomingFile{Name: "capture", Data: pngBytes}, UserAgent: "Mozilla/5.0 Firefox/140", Address: "203.0.113.9"}
		res, err := f.d.SubmitContactForm(ctx, in)
		if err != nil || !res.Stored || !res.Acked {
			t.Fatalf("submit: %+v, %v", res, err)
		}
		v := f.view(t, res.TicketID)
		if v.Ticket.ChannelID != mail.ID || v.Ticket.OrderRef != "" || v.Ticket.RealEmail != "jean@example.fr" || v.Ticket.Status != desk.StatusWaitingAdmin {
			t.Fatalf("ticket: %+v", v.Ticket)
		}
		if len(v.Messages) != 2 || v.Messages[0].Body != "Ma facture est fausse." || len(v.Messages[0].Attachments) != 1 ||
			v.Messages[0].Attachments[0].Name != "capture.png" || v.Messages[0].Attachments[0].ContentType != "image/png" {
			t.Fatalf("messages: %+v", v.Messages)
		}
		ack := v.Messages[1]
		if ack.AuthorKind != desk.AuthorSystem || ack.ThreadID != v.Messages[0].ThreadID || ack.Delivery != desk.DeliveryQueued {
			t.Fatalf("ack: %+v", ack)
		}
		if q := queued(t, f, res.TicketID); len(q) != 1 || q[0].MessageID != ack.ID || q[0].ChannelID != mail.ID {
			t.Fatalf("outbox: %+v", q)
		}
		fm, err := f.d.TicketFormMessages(ctx, f.lea, res.TicketID)
		if got := fm[res.MessageID]; err != nil || got.UserAgent != in.UserAgent || got.Address != in.Address || got.ContactID != service.ID {
			t.Fatalf("form record: %+v, %v", fm, err)
		}

		again, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: service.ID, Email: "jean@example.fr", Body: "Et aussi…", Address: "203.0.113.9"})
		if err != nil || again.TicketID != res.TicketID || !again.Acked {
			t.Fatalf("second message: %+v, %v (want ticket %d)", again, err, res.TicketID)
		}
		other, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: webmaster.ID, Email: "jean@example.fr", Body: "Le site plante."})
		if err != nil || other.TicketID == res.TicketID {
			t.Fatalf("webmaster: %+v, %v", other, err)
		}
		o, err := f.d.ServiceOverview(ctx, f.lea)
		if err != nil || len(o.Contacts) != 2 || o.Contacts[0].New != 2 || o.Contacts[1].New != 1 ||
			o.Stats.Threads != 2 || o.Stats.Unread != 2 || o.Stats.CustomerMessages != 3 || o.Stats.AgentMessages != 0 {
			t.Fatalf("overview: %+v, %v", o, err)
		}
	})
}

// With the reference of an order whose ticket is on a marketplace, the
// message joins that ticket on its Email thread (the answer goes to this
// address), sets its real email, and the acknowledgement goes on that
// thread. A stranger typing the same reference with another address does
// not land in that conversation.
func TestContactFormJoinsTheOrdersTicketOnItsEmailThread(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		mail, service, _ := serviceFixture(t, f)
		r, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-77", "k-77", "Colis abîmé")})
		if err != nil {
			t.Fatal(err)
		}
		kt := r.Tickets[0]
		if _, err := f.d.CloseTicket(ctx, f.marc, kt); err != nil {
			t.Fatal(err)
		}
		res, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: service.ID, Email: "paul@example.fr", OrderRef: "k-77", Product: "Bouilloire", Body: "Des nouvelles ?"})
		if err != nil || res.TicketID != kt {
			t.Fatalf("submit: %+v, %v (want ticket %d)", res, err, kt)
		}
		v := f.view(t, kt)
		if v.Ticket.RealEmail != "paul@example.fr" || v.Ticket.Status != desk.StatusWaitingAdmin {
			t.Fatalf("ticket: %+v", v.Ticket)
		}
		var email desk.Thread
		for _, th := range v.Threads {
			if th.Kind == desk.ThreadEmail {
				email = th
			}
		}
		last := v.Messages[len(v.Messages)-1]
		form := v.Messages[len(v.Messages)-2]
		if email.ID == 0 || form.ThreadID != email.ID || last.ThreadID != email.ID || last.AuthorKind != desk.AuthorSystem {
			t.Fatalf("threads %+v, messages %+v", v.Threads, v.Messages)
		}
		stranger, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: service.ID, Email: "eve@example.fr", OrderRef: "K-77", Body: "Je veux l'adresse."})
		if err != nil || stranger.TicketID == kt {
			t.Fatalf("stranger: %+v, %v", stranger, err)
		}
		if st := f.view(t, stranger.TicketID).Ticket; st.ChannelID != mail.ID || st.OrderRef != "K-77" {
			t.Fatalf("stranger's ticket: %+v", st)
		}
	})
}

// Bad input is refused with a French message and stores nothing; an
// address is limited; a contact that stores nothing has the message
// queued by email to its address.
func TestContactFormRefusalsAndForwardOnlyContact(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		_, service, webmaster := serviceFixture(t, f)
		for name, c := range map[string]struct {
			in          desk.FormInput
			code, field string
		}{
			"no email":     {desk.FormInput{ContactID: service.ID, Body: "x"}, desk.EInvalid, "email"},
			"bad email":    {desk.FormInput{ContactID: service.ID, Email: "jean@", Body: "x"}, desk.EInvalid, "email"},
			"empty":        {desk.FormInput{ContactID: service.ID, Email: "a@b.fr", Body: "  "}, desk.EInvalid, "message"},
			"no contact":   {desk.FormInput{ContactID: 999, Email: "a@b.fr", Body: "x"}, desk.EInvalid, "contact"},
			"nul":          {desk.FormInput{ContactID: service.ID, Email: "a@b.fr", Body: "a\x00b"}, desk.EInvalid, "message"},
			"long":         {desk.FormInput{ContactID: service.ID, Email: "a@b.fr", Body: string(bytes.Repeat([]byte("a"), 9000))}, desk.EInvalid, "message"},
			"exe":          {desk.FormInput{ContactID: service.ID, Email: "a@b.fr", Body: "x", File: &desk.IncomingFile{Name: "a.pdf", Data: []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")}}, desk.EInvalid, "file"},
			"html as text": {desk.FormInput{ContactID: service.ID, Email: "a@b.fr", Body: "x", File: &desk.IncomingFile{Name: "a.txt", Data: []byte("<html><script>alert(1)</script>")}}, desk.EInvalid, "file"},
			"big":          {desk.FormInput{ContactID: service.ID, Email: "a@b.fr", Body: "x", File: &desk.IncomingFile{Name: "a.png", Data: append(pngBytes, make([]byte, desk.MaxFormFileSize)...)}}, desk.ETooLarge, "file"},
		} {
			_, err := f.d.SubmitContactForm(ctx, c.in)
			if desk.ErrorCode(err) != c.code || desk.ErrorField(err) != c.field {
				t.Errorf("%s: %v; want %s on %s", name, err, c.code, c.field)
			}
		}
		if o, _ := f.d.ServiceOverview(ctx, f.lea); o.Stats.Threads != 0 {
			t.Fatalf("refused forms stored tickets: %+v", o.Stats)
		}
		for i := range 10 {
			if _, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: service.ID, Email: "spam@example.fr", Body: "message", Address: "198.51.100.7"}); err != nil {
				t.Fatalf("form %d: %v", i, err)
			}
		}
		_, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: service.ID, Email: "spam@example.fr", Body: "message", Address: "198.51.100.7"})
		wantCode(t, err, desk.ETooMany, "")
		if _, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: service.ID, Email: "other@example.fr", Body: "message", Address: "198.51.100.8"}); err != nil {
			t.Fatalf("another address: %v", err)
		}
		f.clock.Add(desk.FormWindow + time.Minute)
		if _, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: service.ID, Email: "spam@example.fr", Body: "message", Address: "198.51.100.7"}); err != nil {
			t.Fatalf("after the window: %v", err)
		}

		webmaster.SaveMessages, webmaster.Email = false, "webmaster@shop.example"
		if _, err := f.d.SaveContact(ctx, f.admin, webmaster); err != nil {
			t.Fatal(err)
		}
		before, _ := f.d.ServiceOverview(ctx, f.lea)
		res, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: webmaster.ID, Email: "jean@example.fr", Body: "Partenariat ?", UserAgent: "UA/1", Address: "192.0.2.1"})
		if err != nil || res.Stored {
			t.Fatalf("forward only: %+v, %v", res, err)
		}
		after, _ := f.d.ServiceOverview(ctx, f.lea)
		if after.Stats.Threads != before.Stats.Threads {
			t.Fatalf("a forward-only contact stored a ticket")
		}
		es, err := f.d.ClaimEmails(ctx, time.Minute, 10)
		if err != nil || len(es) != 1 || es[0].To[0] != "webmaster@shop.example" || es[0].ReplyTo != "jean@example.fr" || !bytes.Contains([]byte(es[0].Body), []byte("Partenariat ?")) {
			t.Fatalf("queued email: %+v, %v", es, err)
		}
	})
}

// The default contacts work once an email channel exists, before an admin
// names theirs; without any, the form says so and stores nothing.
func TestContactFormFallsBackToTheSendingChannel(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		cs, _ := f.d.Contacts(ctx)
		_, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: cs[0].ID, Email: "jean@example.fr", Body: "Bonjour"})
		wantCode(t, err, desk.EConflict, "")
		mail := f.channel(t, desk.Channel{Kind: desk.ChannelEmail, Name: "SAV", GuardNames: []string{}, Active: true})
		res, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: cs[0].ID, Email: "jean@example.fr", Body: "Bonjour"})
		if err != nil || f.view(t, res.TicketID).Ticket.ChannelID != mail.ID {
			t.Fatalf("%+v, %v", res, err)
		}
	})
}
