package mail_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jhillyerd/enmime/v2"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// A new email opens a ticket; the agent's reply leaves by SMTP threaded
// (token, In-Reply-To, subject number); the customer's answers come back
// into that ticket by each of the three paths, and an Outlook « RE: »
// that kept no header too; a forged token writes nowhere.
func TestEmailThreading(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ch := e.mailbox(desk.ChannelEmail, "SAV boutique")
		e.deliver(email("Bonjour,\nmon colis n'est pas arrivé.\nMarie", "From", "Marie Durand <marie@client.test>",
			"To", "sav@boutique.test", "Subject", "Colis non reçu", "Message-ID", "<first@client.test>"))
		if rep := e.sync(ch); rep.Stored != 1 {
			t.Fatalf("first sync: %+v", rep)
		}
		ts := e.tickets(ch)
		if len(ts) != 1 || ts[0].Subject != "Colis non reçu" || ts[0].Status != desk.StatusWaitingAdmin {
			t.Fatalf("tickets: %+v", ts)
		}
		ticket := ts[0]
		v := e.view(ticket.ID)
		if v.Customer == nil || v.Customer.Email != "marie@client.test" || !strings.Contains(v.Messages[0].Body, "mon colis n'est pas arrivé") {
			t.Fatalf("customer %+v, message %+v", v.Customer, v.Messages)
		}

		// The agent answers: SMTP receives it threaded.
		if _, err := e.d.Reply(ctx, e.agent, desk.ReplyInput{TicketID: ticket.ID, Body: "Bonjour Marie, il part ce soir.", Status: desk.StatusWaitingCustomer}); err != nil {
			t.Fatal(err)
		}
		if rep := e.sync(ch); rep.Delivered != 1 {
			t.Fatalf("outbox: %+v", rep)
		}
		got := e.srv.smtp.Wait(t, 1, 5*time.Second)[0]
		sent, err := enmime.ReadEnvelope(bytes.NewReader(got.Data))
		if err != nil {
			t.Fatal(err)
		}
		ourID := strings.Trim(sent.GetHeader("Message-ID"), "<>")
		replyTo := strings.Trim(sent.GetHeader("Reply-To"), "<>")
		if got.To[0] != "marie@client.test" || sent.GetHeader("In-Reply-To") != "<first@client.test>" ||
			!strings.HasPrefix(replyTo, "sav+t") || !strings.HasPrefix(ourID, fmt.Sprintf("t%d.m", ticket.ID)) ||
			sent.GetHeader("Subject") != fmt.Sprintf("Re: Colis non reçu [#%d]", ticket.ID) || !strings.Contains(sent.Text, "il part ce soir") {
			t.Fatalf("sent: to %v, headers %q %q %q %q", got.To, sent.GetHeader("In-Reply-To"), replyTo, ourID, sent.GetHeader("Subject"))
		}
		if v := e.view(ticket.ID); v.Messages[len(v.Messages)-1].Delivery != desk.DeliverySent {
			t.Errorf("reply delivery: %+v", v.Messages[len(v.Messages)-1])
		}

		// (1) the token in the address written to, from another address,
		// another subject, no threading header.
		e.deliver(email("Voici mon numéro de suivi.", "From", "Marie au bureau <marie.durand@travail.test>", "To", replyTo,
			"Subject", "suivi", "Message-ID", "<token-path@travail.test>"))
		// (2) In-Reply-To our Message-ID... from a colleague, no token address.
		e.deliver(email("Je complète pour ma femme.", "From", "Paul <paul@autre.test>", "To", "sav@boutique.test",
			"Subject", "Re: colis", "In-Reply-To", "<first@client.test>", "References", "<first@client.test>", "Message-ID", "<ref-path@autre.test>"))
		// An Outlook « RE: » that kept no header: the ticket number in the subject, from the customer.
		e.deliver(email("Toujours rien reçu ce matin.", "From", "Marie Durand <marie@client.test>", "To", "sav@boutique.test",
			"Subject", fmt.Sprintf("RE: Re: Colis non reçu [#%d]", ticket.ID), "Message-ID", "<outlook@client.test>",
			"X-Mailer", "Microsoft Outlook 16.0"))
		// A forged token for this ticket from a stranger: not believed, a ticket of its own.
		e.deliver(email("Je veux écrire dans le ticket d'un autre.", "From", "Intrus <intrus@pirate.test>",
			"To", fmt.Sprintf("sav+t%d.0123456789abcdef@boutique.test", ticket.ID), "Subject", fmt.Sprintf("piratage ticket %d", ticket.ID), "Message-ID", "<forged@pirate.test>"))
		if rep := e.sync(ch); rep.Stored != 4 {
			t.Fatalf("answers sync: %+v", rep)
		}
		var bodies []string
		for _, m := range e.incoming(ticket.ID) {
			bodies = append(bodies, m.Body)
		}
		want := []string{"mon colis", "numéro de suivi", "Je complète", "Toujours rien"}
		if len(bodies) != len(want) {
			t.Fatalf("ticket %d has %d incoming messages, want %d: %q", ticket.ID, len(bodies), len(want), bodies)
		}
		all := strings.Join(bodies, "\n")
		for _, w := range want {
			if strings.Count(all, w) != 1 {
				t.Errorf("%q is on the ticket %d times, want once: %q", w, strings.Count(all, w), bodies)
			}
		}
		if tk := e.view(ticket.ID).Ticket; tk.Status != desk.StatusWaitingAdmin {
			t.Errorf("after the customer's answers: status %s", tk.Status)
		}
		ts = e.tickets(ch)
		if len(ts) != 2 || ts[1].ID == ticket.ID {
			t.Fatalf("the forged token: tickets %+v", ts)
		}
		// Fetched again from the start (a lost cursor): stored once.
		if rep := e.sync(ch); rep.Stored != 0 {
			t.Errorf("second sync stored %d", rep.Stored)
		}
	})
}

// The Email thread of a ticket of another channel (seed 001) is sent by
// the email channel to the customer's real address, and the answer comes
// back into that ticket's Email thread (by token, or by the ticket number
// from that address).
func TestEmailThreadOfAnotherChannel(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		// The first email channel would send it; the service options name another.
		e.mailbox(desk.ChannelEmail, "Newsletter", "from", "news@boutique.test")
		ch := e.mailbox(desk.ChannelEmail, "SAV boutique")
		o, err := e.d.ServiceOptions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		o.SendingChannelID = ch.ID
		if _, err := e.d.SetServiceOptions(ctx, e.admin, o); err != nil {
			t.Fatal(err)
		}
		kaufland, err := e.d.SaveChannel(ctx, e.admin, desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", GuardNames: []string{}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.d.Ingest(ctx, []desk.Incoming{{ChannelID: kaufland.ID, OrderRef: "KL-1", SourceID: "k1", Body: "Wo ist mein Paket?", Customer: desk.CustomerInput{ExternalID: "c1", Name: "Hans"}}})
		if err != nil || len(res.Tickets) != 1 {
			t.Fatal(res, err)
		}
		tk := res.Tickets[0]
		real := "hans@privat.test"
		if _, err := e.d.UpdateTicket(ctx, e.agent, tk, desk.TicketPatch{RealEmail: &real}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.d.Reply(ctx, e.agent, desk.ReplyInput{TicketID: tk, ThreadKind: desk.ThreadEmail, Body: "Bitte senden Sie uns ein Foto.", Status: desk.StatusWaitingCustomer}); err != nil {
			t.Fatal(err)
		}
		if rep := e.sync(kaufland); rep.Delivered != 1 {
			t.Fatalf("outbox: %+v", rep)
		}
		got := e.srv.smtp.Wait(t, 1, 5*time.Second)[0]
		env, _ := enmime.ReadEnvelope(bytes.NewReader(got.Data))
		if got.To[0] != real || got.From != "sav@boutique.test" || !strings.HasPrefix(env.GetHeader("Reply-To"), "<sav+t") {
			t.Fatalf("sent to %v, Reply-To %q", got.To, env.GetHeader("Reply-To"))
		}
		e.deliver(email("Hier ist das Foto.", "From", "Hans <"+real+">", "To", strings.Trim(env.GetHeader("Reply-To"), "<>"),
			"Subject", env.GetHeader("Subject"), "In-Reply-To", env.GetHeader("Message-ID"), "Message-ID", "<foto@privat.test>"))
		e.deliver(email("Und noch etwas.", "From", "Hans <"+real+">", "To", "sav@boutique.test",
			"Subject", fmt.Sprintf("AW: Paket [#%d]", tk), "Message-ID", "<noch@privat.test>"))
		if rep := e.sync(ch); rep.Stored != 2 {
			t.Fatalf("sync: %+v", rep)
		}
		if n := len(e.tickets(ch)); n != 0 {
			t.Errorf("the email channel opened %d tickets", n)
		}
		v := e.view(tk)
		var emailThread int64
		for _, th := range v.Threads {
			if th.Kind == desk.ThreadEmail {
				emailThread = th.ID
			}
		}
		var in []string
		for _, m := range v.Messages {
			if m.Direction == desk.In && m.ThreadID == emailThread {
				in = append(in, m.Body)
			}
		}
		if len(in) != 2 || v.Ticket.Status != desk.StatusWaitingAdmin {
			t.Fatalf("Email thread's incoming: %q, status %s", in, v.Ticket.Status)
		}
	})
}
