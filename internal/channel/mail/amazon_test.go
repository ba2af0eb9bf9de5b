package mail_test

import (
	"strings"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// A buyer's message from Amazon's relay lands on its order's ticket; a
// reply with a link is stopped before it is queued; a clean one leaves
// for the relay address from the seller's address.
func TestAmazonRelay(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ch := e.mailbox(desk.ChannelAmazon, "Amazon FR")
		if ch.DeadlinePolicy != "24h clock" || !ch.ForbidContact {
			t.Errorf("new Amazon channel: deadline %q, forbid contact %v", ch.DeadlinePolicy, ch.ForbidContact)
		}
		relay := "x7k2m9q4p1@marketplace.amazon.fr"
		e.deliver(email("Bonjour, je n'ai pas reçu ma commande.\nCordialement", "From", "Claire via Amazon <"+relay+">",
			"To", "sav@boutique.test", "Subject", "Demande de renseignements sur la commande 402-1234567-7654321", "Message-ID", "<amz1@amazon.fr>"))
		e.deliver(email("Et la facture ?", "From", "Claire via Amazon <"+relay+">",
			"To", "sav@boutique.test", "Subject", "Autre question", "Message-ID", "<amz2@amazon.fr>"))
		// Anyone but Amazon's relay, threading nowhere: no ticket.
		e.deliver(email("Promo !", "From", "Vendeur <spam@ailleurs.test>", "To", "sav@boutique.test", "Subject", "Offre", "Message-ID", "<spam@ailleurs.test>"))
		rep := e.sync(ch)
		if rep.Stored != 2 || rep.Parked != 1 {
			t.Fatalf("sync: %+v", rep)
		}
		ts := e.tickets(ch)
		if len(ts) != 1 || ts[0].OrderRef != "402-1234567-7654321" {
			t.Fatalf("tickets: %+v", ts)
		}
		tk := ts[0]
		if n := len(e.incoming(tk.ID)); n != 2 {
			t.Errorf("the order's ticket has %d messages, want 2 (the second by the relay address)", n)
		}
		if d := tk.Deadline.Sub(tk.OpenedAt); d != 24*time.Hour {
			t.Errorf("deadline %v after opening, want 24 h", d)
		}

		for _, body := range []string{"Voir https://boutique.test/suivi", "Écrivez-nous à sav@boutique.test", "Appelez le 06 12 34 56 78"} {
			_, err := e.d.Reply(ctx, e.agent, desk.ReplyInput{TicketID: tk.ID, Body: body, Status: desk.StatusWaitingCustomer, Confirmed: true})
			if desk.ErrorCode(err) != desk.EInvalid || !strings.Contains(desk.ErrorMessage(err), "Amazon refuse") {
				t.Errorf("%q: err %v, want Amazon's refusal", body, err)
			}
		}
		_, err := e.d.Reply(ctx, e.agent, desk.ReplyInput{TicketID: tk.ID, Body: "Voici le fichier.", Status: desk.StatusWaitingCustomer,
			Attachments: []desk.NewAttachment{{Name: "programme.exe", Data: strings.NewReader("MZ"), Size: 2}}})
		if desk.ErrorCode(err) != desk.EInvalid {
			t.Errorf("an .exe for Amazon: %v", err)
		}
		if n := len(e.view(tk.ID).Messages); n != 2 {
			t.Fatalf("%d messages on the ticket after refused replies, want 2", n)
		}
		if _, err := e.d.Reply(ctx, e.agent, desk.ReplyInput{TicketID: tk.ID, Body: "Votre colis arrive demain.", Status: desk.StatusWaitingCustomer,
			Attachments: []desk.NewAttachment{{Name: "facture.pdf", ContentType: "application/pdf", Data: strings.NewReader("%PDF"), Size: 4}}}); err != nil {
			t.Fatal(err)
		}
		if rep := e.sync(ch); rep.Delivered != 1 {
			t.Fatalf("outbox: %+v", rep)
		}
		got := e.srv.smtp.Wait(t, 1, 5*time.Second)[0]
		if got.To[0] != relay || got.From != "sav@boutique.test" {
			t.Errorf("sent from %q to %v", got.From, got.To)
		}
	})
}
