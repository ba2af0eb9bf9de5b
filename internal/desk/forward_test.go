package desk_test

import (
	"strings"
	"testing"
	"time"

	"guichet/internal/desk"
)

// Forwarding to an agent assigns (when asked), records it in the history
// and notifies them; the notification is emailed only to an agent who
// asked for it, and the others' go back to app only.
func TestForwardToAgentNotifiesAndEmailsWhoWantsIt(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		mail, _, _ := serviceFixture(t, f)
		r, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-5", "k-5", "Bonjour")})
		if err != nil {
			t.Fatal(err)
		}
		id := r.Tickets[0]
		if err := f.d.SetNotifyByEmail(ctx, f.lea, true); err != nil {
			t.Fatal(err)
		}
		if on, err := f.d.NotifyByEmail(ctx, f.lea); err != nil || !on {
			t.Fatalf("preference: %v, %v", on, err)
		}
		if err := f.d.ForwardTicket(ctx, f.marc, desk.ForwardInput{TicketID: id, AgentID: f.lea.AgentID, Comment: "Peux-tu voir le remboursement ?", Assign: true}); err != nil {
			t.Fatal(err)
		}
		if err := f.d.ForwardTicket(ctx, f.lea, desk.ForwardInput{TicketID: id, AgentID: f.marc.AgentID}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.d.ForwardTicket(ctx, f.lea, desk.ForwardInput{TicketID: id, AgentID: f.lea.AgentID}), desk.EInvalid, "agent_id")
		wantCode(t, f.d.ForwardTicket(ctx, f.lea, desk.ForwardInput{TicketID: id, AgentID: 999}), desk.EInvalid, "agent_id")
		v := f.view(t, id)
		if v.Ticket.AssigneeID != f.lea.AgentID {
			t.Fatalf("assignee %d, want Léa", v.Ticket.AssigneeID)
		}
		ks := eventKinds(v)
		if !containsKind(ks, desk.EventAssignee) || countKind(ks, desk.EventForwarded) != 2 {
			t.Fatalf("events: %v", ks)
		}
		ns, unread, err := f.d.Notifications(ctx, f.lea)
		if err != nil || unread != 1 || !strings.Contains(ns[0].Text, "Peux-tu voir le remboursement") || ns[0].EmailState != "pending" {
			t.Fatalf("Léa's notifications: %+v %d %v", ns, unread, err)
		}
		n, err := f.d.QueueNotificationEmails(ctx, 100)
		if err != nil || n != 1 {
			t.Fatalf("queued %d, %v; want 1 (Léa only)", n, err)
		}
		if n, _ := f.d.QueueNotificationEmails(ctx, 100); n != 0 {
			t.Fatalf("queued %d again", n)
		}
		if ns, _, _ := f.d.Notifications(ctx, f.marc); ns[0].EmailState != "" {
			t.Fatalf("Marc does not want emails: %+v", ns[0])
		}
		es, err := f.d.ClaimEmails(ctx, time.Minute, 10)
		if err != nil || len(es) != 1 || es[0].To[0] != "lea@example.fr" || es[0].ChannelID != mail.ID || es[0].NotificationID == 0 {
			t.Fatalf("claimed: %+v, %v", es, err)
		}
		if again, _ := f.d.ClaimEmails(ctx, time.Minute, 10); len(again) != 0 {
			t.Fatalf("claimed twice within the lease: %+v", again)
		}
		if err := f.d.EmailSent(ctx, es[0].ID, "<n1@guichet>"); err != nil {
			t.Fatal(err)
		}
		if ns, _, _ := f.d.Notifications(ctx, f.lea); ns[0].EmailState != "sent" {
			t.Fatalf("after sending: %+v", ns[0])
		}
	})
}

// Forwarding outside queues the conversation (without notes) with the
// comment through an email channel, in the ticket's history; a failed send
// is retried with a growing backoff, and a give-up is in the history too.
func TestForwardOutsideIsQueuedRetriedAndRecorded(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		r, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-9", "k-9", "La bouilloire fuit")})
		if err != nil {
			t.Fatal(err)
		}
		id := r.Tickets[0]
		if _, err := f.d.AddNote(ctx, f.lea, id, "note privée : client difficile"); err != nil {
			t.Fatal(err)
		}
		err = f.d.ForwardTicket(ctx, f.lea, desk.ForwardInput{TicketID: id, Email: "sav@fournisseur.example", Comment: "Garantie ?"})
		wantCode(t, err, desk.EConflict, "") // no email channel yet
		mail, _, _ := serviceFixture(t, f)
		wantCode(t, f.d.ForwardTicket(ctx, f.lea, desk.ForwardInput{TicketID: id, Email: "pas une adresse"}), desk.EInvalid, "email")
		if err := f.d.ForwardTicket(ctx, f.lea, desk.ForwardInput{TicketID: id, Email: "SAV@fournisseur.example", Comment: "Garantie ?"}); err != nil {
			t.Fatal(err)
		}
		es, err := f.d.ClaimEmails(ctx, time.Minute, 10)
		if err != nil || len(es) != 1 {
			t.Fatalf("claimed %+v, %v", es, err)
		}
		e := es[0]
		if e.ChannelID != mail.ID || e.To[0] != "sav@fournisseur.example" || !strings.HasPrefix(e.Body, "Garantie ?") ||
			!strings.Contains(e.Body, "La bouilloire fuit") || strings.Contains(e.Body, "client difficile") || !strings.Contains(e.Subject, "K-9") {
			t.Fatalf("email: %+v", e)
		}
		if gaveUp, err := f.d.EmailFailed(ctx, e.ID, "connexion refusée", false); err != nil || gaveUp {
			t.Fatalf("first failure: %v %v", gaveUp, err)
		}
		if es, _ := f.d.ClaimEmails(ctx, time.Minute, 10); len(es) != 0 {
			t.Fatalf("due again before its backoff: %+v", es)
		}
		f.clock.Add(desk.EmailBackoff(1) + time.Second)
		es, _ = f.d.ClaimEmails(ctx, time.Minute, 10)
		if len(es) != 1 {
			t.Fatalf("not due after its backoff")
		}
		if gaveUp, err := f.d.EmailFailed(ctx, e.ID, "550 boîte inconnue", true); err != nil || !gaveUp {
			t.Fatalf("permanent failure: %v %v", gaveUp, err)
		}
		got, err := f.d.TicketEmails(ctx, f.lea, id)
		if err != nil || len(got) != 1 || got[0].State != desk.EmailFailed || got[0].LastError != "550 boîte inconnue" || got[0].Attempts != 2 {
			t.Fatalf("ticket emails: %+v, %v", got, err)
		}
		if ks := eventKinds(f.view(t, id)); countKind(ks, desk.EventEmailed) != 2 {
			t.Fatalf("events: %v", ks)
		}
		if desk.EmailBackoff(1) != time.Minute || desk.EmailBackoff(3) != 4*time.Minute || desk.EmailBackoff(50) != 6*time.Hour {
			t.Fatalf("backoff: %v %v %v", desk.EmailBackoff(1), desk.EmailBackoff(3), desk.EmailBackoff(50))
		}
	})
}

func containsKind(ks []desk.EventKind, k desk.EventKind) bool { return countKind(ks, k) > 0 }

func countKind(ks []desk.EventKind, k desk.EventKind) int {
	n := 0
	for _, x := range ks {
		if x == k {
			n++
		}
	}
	return n
}
