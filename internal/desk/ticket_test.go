package desk_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/desk"
)

func TestOpenTicketFindsOrCreates(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		in := desk.OpenInput{ChannelID: f.shop.ID, OrderRef: "XKBKNABJK", Customer: desk.CustomerInput{Name: "Éloïse Dupont"}}
		t1, created, err := f.d.OpenTicket(ctx, f.lea, in)
		if err != nil || !created {
			t.Fatalf("first open: %v, created %v", err, created)
		}
		if t1.AssigneeID != f.lea.AgentID || t1.Priority != desk.P1 || t1.Status != desk.StatusWaitingAdmin {
			t.Errorf("opened by hand: %+v; want assigned to Léa, P1, waiting_admin", t1)
		}
		if t1.Deadline.IsZero() || !t1.Deadline.After(t1.OpenedAt) {
			t.Errorf("deadline %v not after opening %v", t1.Deadline, t1.OpenedAt)
		}
		t2, created, err := f.d.OpenTicket(ctx, f.marc, in)
		if err != nil || created || t2.ID != t1.ID || t2.AssigneeID != f.lea.AgentID {
			t.Fatalf("second open = %d (created %v, assignee %d), %v; want ticket %d unchanged", t2.ID, created, t2.AssigneeID, err, t1.ID)
		}
		v := f.view(t, t1.ID)
		if v.OrderLink != "https://shop.example/admin/orders/XKBKNABJK" {
			t.Errorf("order link %q", v.OrderLink)
		}
		if !reflect.DeepEqual(eventKinds(v), []desk.EventKind{desk.EventCreated, desk.EventDeadline}) {
			t.Errorf("events %v", eventKinds(v))
		}
		// The same order on another channel is another ticket.
		t3, created, err := f.d.OpenTicket(ctx, desk.System, desk.OpenInput{ChannelID: f.kaufland.ID, OrderRef: "XKBKNABJK"})
		if err != nil || !created || t3.ID == t1.ID || t3.AssigneeID != f.marc.AgentID {
			t.Errorf("other channel: %+v, %v, %v; want a new ticket for Marc (the channel's ADV)", t3, created, err)
		}
	})
}

func TestOpenTicketConcurrentGivesOneTicket(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		const n = 16
		ids := make([]int64, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				tk, _, err := f.d.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.kaufland.ID, OrderRef: "ORDER-RACE"})
				ids[i], errs[i] = tk.ID, err
			})
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("call %d: %v", i, errs[i])
			}
			if ids[i] != ids[0] {
				t.Fatalf("calls gave tickets %v; want one", ids)
			}
		}
		page, err := f.d.FindTickets(ctx, f.admin, desk.TicketFilter{})
		if err != nil || len(page.Tickets) != 1 {
			t.Fatalf("tickets in store: %d, %v", len(page.Tickets), err)
		}
	})
}

func TestOpenTicketRejectsBadInput(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		tests := []struct {
			in    desk.OpenInput
			field string
		}{
			{desk.OpenInput{OrderRef: "A1"}, "channel_id"},
			{desk.OpenInput{ChannelID: 9999, OrderRef: "A1"}, "channel_id"},
			{desk.OpenInput{ChannelID: f.shop.ID, OrderRef: strings.Repeat("x", 65)}, "order_ref"},
			{desk.OpenInput{ChannelID: f.shop.ID, OrderRef: "A\nB"}, "order_ref"},
			{desk.OpenInput{ChannelID: f.shop.ID, OrderRef: "A1", Customer: desk.CustomerInput{Email: "pas-une-adresse"}}, "customer.email"},
		}
		for _, tt := range tests {
			_, _, err := f.d.OpenTicket(ctx, f.lea, tt.in)
			wantCode(t, err, desk.EInvalid, tt.field)
		}
	})
}

func TestReplyNeedsStatusAndRecordsIt(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		tk, _, _ := f.d.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.kaufland.ID, OrderRef: "K-1"})
		_, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: tk.ID, Body: "Bonjour"})
		wantCode(t, err, desk.EInvalid, "status")

		f.clock.Add(time.Hour)
		m, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: tk.ID, Body: "Bonjour, le colis part demain.", Status: desk.StatusWaitingCustomer})
		if err != nil {
			t.Fatal(err)
		}
		if m.Delivery != desk.DeliveryQueued || m.AuthorKind != desk.AuthorAgent || m.Direction != desk.Out || m.ThreadID == 0 {
			t.Errorf("reply stored as %+v; want queued, agent, out, in a thread", m)
		}
		v := f.view(t, tk.ID)
		if v.Ticket.Status != desk.StatusWaitingCustomer || v.Ticket.Preview != "Bonjour, le colis part demain." {
			t.Errorf("ticket after reply: %+v", v.Ticket)
		}
		// Waiting for the customer, the deadline stops.
		want := []desk.EventKind{desk.EventCreated, desk.EventDeadline, desk.EventMessageOut, desk.EventStatus, desk.EventDeadline}
		if !reflect.DeepEqual(eventKinds(v), want) {
			t.Errorf("events %v; want %v", eventKinds(v), want)
		}

		f.clock.Add(time.Hour)
		if _, err := f.d.Reply(ctx, f.marc, desk.ReplyInput{TicketID: tk.ID, Body: "Remboursé.", Status: desk.StatusClosed}); err != nil {
			t.Fatal(err)
		}
		v = f.view(t, tk.ID)
		if v.Ticket.Status != desk.StatusClosed || v.Ticket.ClosedBy != f.marc.AgentID || !v.Ticket.ClosedAt.Equal(f.clock.Now()) {
			t.Errorf("closed ticket: status %s by %d at %v", v.Ticket.Status, v.Ticket.ClosedBy, v.Ticket.ClosedAt)
		}
		last := v.Events[len(v.Events)-1]
		if last.Kind != desk.EventStatus || last.Old != "waiting_customer" || last.New != "closed" || last.AgentID != f.marc.AgentID {
			t.Errorf("last event %+v", last)
		}
	})
}

func TestCustomerMessagePutsTicketBackToWaitingAdmin(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		res, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-7", "m1", "Où est mon colis ?")})
		if err != nil || res.Stored != 1 || res.Opened != 1 {
			t.Fatalf("ingest = %+v, %v", res, err)
		}
		tk, err := f.d.LookupTicket(ctx, f.admin, "K-7")
		if err != nil {
			t.Fatal(err)
		}
		if tk.AssigneeID != f.marc.AgentID || tk.Priority != desk.P1 {
			t.Errorf("ticket from channel assigned to %d, %s; want Marc, P1", tk.AssigneeID, tk.Priority)
		}
		// Monday 10:00 Paris + 48 business hours = Wednesday 10:00.
		if want := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC); !tk.Deadline.Equal(want) {
			t.Errorf("deadline %v; want %v", tk.Deadline, want)
		}
		f.d.Reply(ctx, f.marc, desk.ReplyInput{TicketID: tk.ID, Body: "Il arrive.", Status: desk.StatusClosed})

		f.clock.Add(72 * time.Hour) // Thursday
		in := incoming(f.kaufland, "K-7", "m2", "Toujours rien !")
		in.At = f.clock.Now()
		if _, err := f.d.Ingest(ctx, []desk.Incoming{in}); err != nil {
			t.Fatal(err)
		}
		v := f.view(t, tk.ID)
		if v.Ticket.Status != desk.StatusWaitingAdmin || !v.Ticket.ClosedAt.IsZero() {
			t.Errorf("after customer message: %s, closed at %v", v.Ticket.Status, v.Ticket.ClosedAt)
		}
		// Thursday 10:00 + 48 business hours = Monday 10:00.
		if want := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC); !v.Ticket.Deadline.Equal(want) {
			t.Errorf("new deadline %v; want %v", v.Ticket.Deadline, want)
		}
		if len(v.Messages) != 3 || v.Messages[2].Seq != 3 || v.Messages[2].Body != "Toujours rien !" {
			t.Errorf("messages %+v", v.Messages)
		}
	})
}

func TestIngestStoresADuplicateOnce(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		batch := []desk.Incoming{
			incoming(f.kaufland, "K-1", "s-1", "Bonjour"),
			incoming(f.kaufland, "K-1", "s-1", "Bonjour"), // twice in the same batch
			incoming(f.kaufland, "K-2", "s-2", "Hallo"),
		}
		res, err := f.d.Ingest(ctx, batch)
		if err != nil || res.Stored != 2 || res.Duplicates != 1 || res.Opened != 2 {
			t.Fatalf("first ingest %+v, %v", res, err)
		}
		res, err = f.d.Ingest(ctx, batch) // fetched again
		if err != nil || res.Stored != 0 || res.Duplicates != 3 || res.Opened != 0 {
			t.Fatalf("second ingest %+v, %v", res, err)
		}
		// Concurrent fetchers of the same messages.
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if _, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.fnac, "F-1", "x-1", "Salut"), incoming(f.fnac, "F-1", "x-2", "Re")}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		tk, err := f.d.LookupTicket(ctx, f.admin, "F-1")
		if err != nil {
			t.Fatal(err)
		}
		v := f.view(t, tk.ID)
		if len(v.Messages) != 2 || tk.MessageCount != 2 {
			t.Errorf("concurrent ingest stored %d messages (count %d); want 2", len(v.Messages), tk.MessageCount)
		}
		// The same source id on another channel is another message.
		res, _ = f.d.Ingest(ctx, []desk.Incoming{incoming(f.fnac, "F-9", "s-1", "autre canal")})
		if res.Stored != 1 {
			t.Errorf("same source id, other channel: %+v", res)
		}
	})
}

func TestIngestParksBadMessagesAlone(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		batch := []desk.Incoming{
			incoming(f.kaufland, "K-1", "", "no source id"),
			incoming(f.kaufland, "K-2", "ok-1", ""),
			{ChannelID: f.kaufland.ID, OrderRef: "K-3", SourceID: "html-1", BodyHTML: `<p>Bonjour <img src=x onerror="alert(1)"><script>alert(2)</script></p>`},
			incoming(f.kaufland, "K-4", "ok-2", "Bonjour"),
		}
		res, err := f.d.Ingest(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored != 2 || len(res.Parked) != 2 || res.Parked[0].Index != 0 || res.Parked[1].Index != 1 ||
			res.Parked[0].Field != "source_id" || res.Parked[1].Field != "body" {
			t.Fatalf("result %+v", res)
		}
		tk, _ := f.d.LookupTicket(ctx, f.admin, "K-3")
		m := f.view(t, tk.ID).Messages[0]
		if strings.Contains(m.BodyHTML, "onerror") || strings.Contains(m.BodyHTML, "script") || m.Body != "Bonjour" {
			t.Errorf("HTML kept as %q, text %q", m.BodyHTML, m.Body)
		}
	})
}

// eventFailStore fails every history write, after the ticket row is written.
type eventFailStore struct{ desk.Store }

type eventFailTx struct{ desk.Tx }

var errBoom = errors.New("disk on fire")

func (eventFailTx) InsertEvent(context.Context, *desk.Event) error { return errBoom }

func (s eventFailStore) Write(ctx context.Context, fn func(desk.Tx) error) error {
	return s.Store.Write(ctx, func(tx desk.Tx) error { return fn(eventFailTx{tx}) })
}

func TestFailedWriteLeavesNoHalfTicket(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		// A batch whose second message names an unknown channel fails as a
		// whole: the first message's new ticket is not kept.
		_, err := f.d.Ingest(ctx, []desk.Incoming{
			incoming(f.kaufland, "K-HALF", "h-1", "Bonjour"),
			{ChannelID: 424242, OrderRef: "X", SourceID: "h-2", Body: "?"},
		})
		wantCode(t, err, desk.EInvalid, "channel_id")
		if _, err := f.d.LookupTicket(ctx, f.admin, "K-HALF"); !desk.IsNotFound(err) {
			t.Fatalf("ticket of a failed batch: %v; want not found", err)
		}
		// A write failing after the ticket row: nothing remains.
		broken := desk.New(desk.Config{Store: eventFailStore{f.s}, Now: f.clock.Now})
		_, _, err = broken.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.shop.ID, OrderRef: "HALF-2"})
		if !errors.Is(err, errBoom) {
			t.Fatalf("open with failing history: %v", err)
		}
		if _, err := f.d.LookupTicket(ctx, f.admin, "HALF-2"); !desk.IsNotFound(err) {
			t.Fatalf("half ticket left: %v", err)
		}
		counts, _ := f.d.Counts(ctx, f.admin, 0)
		if n := counts.ByStatus[desk.StatusWaitingAdmin]; n != 0 {
			t.Errorf("counter says %d waiting tickets; want 0", n)
		}
	})
}

func TestUpdateTicketRecordsEachChange(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		tk, _, _ := f.d.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.fnac.ID, OrderRef: "F-100"})
		p2 := desk.P2
		marc := f.marc.AgentID
		dl := monday.Add(72 * time.Hour)
		problem, email, delivery := "Colis abîmé", "Eloise.Dupont@Example.fr", "2026-11-20"
		same := tk.Status
		got, err := f.d.UpdateTicket(ctx, f.lea, tk.ID, desk.TicketPatch{Status: &same, Priority: &p2, AssigneeID: &marc, Deadline: &dl,
			Problem: &problem, RealEmail: &email, DeliveryDate: &delivery})
		if err != nil {
			t.Fatal(err)
		}
		if got.Priority != desk.P2 || got.AssigneeID != marc || !got.Deadline.Equal(dl) || got.RealEmail != "eloise.dupont@example.fr" || got.DeliveryDate != delivery {
			t.Errorf("updated ticket %+v", got)
		}
		want := []desk.EventKind{desk.EventCreated, desk.EventDeadline, desk.EventPriority, desk.EventAssignee, desk.EventDeadline, desk.EventProblem, desk.EventRealEmail, desk.EventDeliveryDate}
		if k := eventKinds(f.view(t, tk.ID)); !reflect.DeepEqual(k, want) {
			t.Errorf("events %v; want %v (an unchanged status is no event)", k, want)
		}
		// Nothing changes: no event.
		if _, err := f.d.UpdateTicket(ctx, f.lea, tk.ID, desk.TicketPatch{Priority: &p2}); err != nil {
			t.Fatal(err)
		}
		if k := eventKinds(f.view(t, tk.ID)); len(k) != len(want) {
			t.Errorf("no-op update added events: %v", k)
		}
		bad := []struct {
			p     desk.TicketPatch
			field string
		}{
			{desk.TicketPatch{Status: ptr(desk.Status("open"))}, "status"},
			{desk.TicketPatch{Priority: ptr(desk.Priority("P3"))}, "priority"},
			{desk.TicketPatch{AssigneeID: ptr(int64(999))}, "assignee_id"},
			{desk.TicketPatch{RealEmail: ptr("nope")}, "real_email"},
			{desk.TicketPatch{DeliveryDate: ptr("20/11/2026")}, "delivery_date"},
			{desk.TicketPatch{Deadline: ptr(time.Time{})}, "deadline"},
		}
		for _, b := range bad {
			_, err := f.d.UpdateTicket(ctx, f.lea, tk.ID, b.p)
			wantCode(t, err, desk.EInvalid, b.field)
		}
		_, err = f.d.UpdateTicket(ctx, f.lea, 987654, desk.TicketPatch{Priority: &p2})
		wantCode(t, err, desk.ENotFound, "")
	})
}

func ptr[T any](v T) *T { return &v }

func TestCloseAndReopen(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		tk, _, _ := f.d.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.shop.ID, OrderRef: "S-1"})
		c, err := f.d.CloseTicket(ctx, f.marc, tk.ID)
		if err != nil || c.Status != desk.StatusClosed || c.ClosedBy != f.marc.AgentID {
			t.Fatalf("close: %+v, %v", c, err)
		}
		r, err := f.d.ReopenTicket(ctx, f.lea, tk.ID)
		if err != nil || r.Status != desk.StatusWaitingAdmin || r.ClosedBy != 0 || !r.ClosedAt.IsZero() {
			t.Fatalf("reopen: %+v, %v", r, err)
		}
	})
}

func TestNotesAndNextUnanswered(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		var ids []int64
		for i := range 3 {
			in := incoming(f.fnac, fmt.Sprintf("N-%d", i), fmt.Sprintf("n%d", i), "Question")
			in.At = monday.Add(time.Duration(-i) * time.Hour) // N-2 is the oldest
			f.d.Ingest(ctx, []desk.Incoming{in})
			tk, _ := f.d.LookupTicket(ctx, f.admin, in.OrderRef)
			ids = append(ids, tk.ID)
		}
		// Unassign N-0: Léa's own tickets come first, then nobody's.
		zero := int64(0)
		f.d.UpdateTicket(ctx, f.admin, ids[0], desk.TicketPatch{AssigneeID: &zero})
		next, err := f.d.NextUnanswered(ctx, f.lea, 0)
		if err != nil || next.ID != ids[2] {
			t.Fatalf("next = %d, %v; want the oldest deadline %d", next.ID, err, ids[2])
		}
		next, _ = f.d.NextUnanswered(ctx, f.lea, ids[2])
		if next.ID != ids[1] {
			t.Errorf("next skipping the current = %d; want %d", next.ID, ids[1])
		}
		f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: ids[2], Body: "ok", Status: desk.StatusWaitingCustomer})
		f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: ids[1], Body: "ok", Status: desk.StatusClosed})
		next, _ = f.d.NextUnanswered(ctx, f.lea, 0)
		if next.ID != ids[0] {
			t.Errorf("after my tickets, next = %d; want the unassigned %d", next.ID, ids[0])
		}
		f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: ids[0], Body: "ok", Status: desk.StatusClosed})
		_, err = f.d.NextUnanswered(ctx, f.lea, 0)
		wantCode(t, err, desk.ENotFound, "")

		m, err := f.d.AddNote(ctx, f.marc, ids[0], "Client difficile, voir avec le transporteur")
		if err != nil || !m.Internal {
			t.Fatalf("note %+v, %v", m, err)
		}
		_, err = f.d.AddNote(ctx, f.marc, ids[0], "   ")
		wantCode(t, err, desk.EInvalid, "body")
	})
}
