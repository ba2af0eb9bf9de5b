package desk_test

import (
	"sync"
	"testing"

	"guichet/internal/desk"
)

// An automatic message is queued on the customer's thread, signed
// « Système », once per key even when two runs send it at once; it
// changes neither the status nor the deadline.
func TestSystemMessageOncePerKey(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		res, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-1", "k-1", "Bonjour, où est mon colis ?")})
		if err != nil {
			t.Fatal(err)
		}
		id := res.Tickets[0]
		before, err := f.d.Ticket(ctx, f.lea, id)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		sent := make(chan bool, 8)
		for range 8 {
			wg.Go(func() {
				_, ok, err := f.d.SendSystemMessage(ctx, desk.SystemMessageInput{TicketID: id, Key: "ack", Body: "Nous avons bien reçu votre message."})
				if err != nil {
					t.Error(err)
				}
				sent <- ok
			})
		}
		wg.Wait()
		close(sent)
		n := 0
		for ok := range sent {
			if ok {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("sent %d times, want once", n)
		}
		after, err := f.d.Ticket(ctx, f.lea, id)
		if err != nil {
			t.Fatal(err)
		}
		if after.Ticket.Status != before.Ticket.Status || !after.Ticket.Deadline.Equal(before.Ticket.Deadline) {
			t.Errorf("status/deadline changed: %s %v → %s %v", before.Ticket.Status, before.Ticket.Deadline, after.Ticket.Status, after.Ticket.Deadline)
		}
		var system []desk.Message
		for _, m := range after.Messages {
			if m.AuthorKind == desk.AuthorSystem {
				system = append(system, m)
			}
		}
		if len(system) != 1 || system[0].AuthorName != desk.SystemAuthor || system[0].Delivery != desk.DeliveryQueued || system[0].ThreadID == 0 {
			t.Fatalf("system messages: %+v", system)
		}
		ds, err := f.d.Deliveries(ctx, f.admin, desk.DeliveryFilter{TicketID: id, States: []desk.DeliveryState{desk.OutboxQueued}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].MessageID != system[0].ID {
			t.Fatalf("deliveries: %+v", ds)
		}
		if _, ok, err := f.d.SendSystemMessage(ctx, desk.SystemMessageInput{TicketID: id, Key: "reminder", Body: "Avez-vous reçu votre colis ?"}); err != nil || !ok {
			t.Fatalf("another key: %v %v", ok, err)
		}
	})
}

// An incoming auto-reply keeps its kind.
func TestIncomingAutoKindKept(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		in := incoming(f.kaufland, "K-2", "k-2", "Je suis absent jusqu'au 3 janvier.")
		in.AutoKind = desk.AutoReply
		bad := incoming(f.kaufland, "K-3", "k-3", "?")
		bad.AutoKind = "robot"
		res, err := f.d.Ingest(ctx, []desk.Incoming{in, bad})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Parked) != 1 || res.Parked[0].Field != "auto_kind" {
			t.Fatalf("parked: %+v", res.Parked)
		}
		v, err := f.d.Ticket(ctx, f.lea, res.Tickets[0])
		if err != nil {
			t.Fatal(err)
		}
		if v.Messages[0].AutoKind != desk.AutoReply {
			t.Fatalf("auto kind: %q", v.Messages[0].AutoKind)
		}
	})
}

// A notification reaches its agent only, unread until read.
func TestNotifications(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		for _, text := range []string{"Marc vous a transféré le ticket 1", "Ticket 2 : délai dans 1 h"} {
			if _, err := f.d.Notify(ctx, desk.Notification{AgentID: f.lea.AgentID, Kind: "forward", Text: text, ByName: "Marc"}); err != nil {
				t.Fatal(err)
			}
		}
		ns, unread, err := f.d.Notifications(ctx, f.lea)
		if err != nil || unread != 2 || len(ns) != 2 || ns[0].Text != "Ticket 2 : délai dans 1 h" {
			t.Fatalf("lea: %d unread, %+v, %v", unread, ns, err)
		}
		if ns, unread, _ := f.d.Notifications(ctx, f.marc); unread != 0 || len(ns) != 0 {
			t.Fatalf("marc sees %+v", ns)
		}
		if err := f.d.ReadNotifications(ctx, f.lea, []int64{ns[1].ID}); err != nil {
			t.Fatal(err)
		}
		if _, unread, _ := f.d.Notifications(ctx, f.lea); unread != 1 {
			t.Fatalf("after reading one: %d unread", unread)
		}
		if err := f.d.ReadNotifications(ctx, f.lea, nil); err != nil {
			t.Fatal(err)
		}
		if _, unread, _ := f.d.Notifications(ctx, f.lea); unread != 0 {
			t.Fatalf("after reading all: %d unread", unread)
		}
		if _, err := f.d.Notify(ctx, desk.Notification{AgentID: f.lea.AgentID, Kind: "forward"}); desk.ErrorCode(err) != desk.EInvalid {
			t.Fatalf("empty text: %v", err)
		}
	})
}
