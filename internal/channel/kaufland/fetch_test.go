package kaufland_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"guichet/internal/channel/kaufland"
	"guichet/internal/channel/kaufland/kauflandfake"
	"guichet/internal/desk"
)

func TestFetchMapsRolesOrdersAndStates(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{ID: "MB7UWLD", Buyer: kauflandfake.Buyer{Email: "anna@example.de"}})
	tk := f.OpenTicket(o.ID, "product_defect", "delivery_delayed")
	f.AddMessage(tk, "buyer", "Le produit est cassé.")
	f.AddMessage(tk, "customer_service", "Merci de répondre au client.")
	f.AddMessage(tk, "system", "Ticket ouvert.")
	f.AddMessage(tk, "seller", "Nous regardons.")
	msgs, threads, _ := drain(t, c, "")
	if len(msgs) != 4 {
		t.Fatalf("%d messages, want 4: %+v", len(msgs), msgs)
	}
	want := []struct {
		thread desk.ThreadKind
		author desk.AuthorKind
		seller bool
	}{{desk.ThreadCustomer, desk.AuthorCustomer, false}, {desk.ThreadOperator, desk.AuthorOperator, false},
		{desk.ThreadCustomer, desk.AuthorSystem, false}, {desk.ThreadCustomer, "", true}}
	for i, m := range msgs {
		if m.OrderRef != "MB7UWLD" || m.ThreadExternalID != tk || m.SourceID == "" {
			t.Errorf("message %d: %+v", i, m)
		}
		if m.ThreadKind != want[i].thread || m.AuthorKind != want[i].author || m.FromSeller != want[i].seller {
			t.Errorf("message %d: thread %q author %q seller %v, want %+v", i, m.ThreadKind, m.AuthorKind, m.FromSeller, want[i])
		}
		if m.ThreadSubject != "Produit défectueux — Livraison en retard" || m.Reason != "Produit défectueux" {
			t.Errorf("message %d: subject %q reason %q", i, m.ThreadSubject, m.Reason)
		}
		if m.Customer.Email != "anna@example.de" || m.Customer.ExternalID == "" || m.Customer.Name != "Anna Schmidt" {
			t.Errorf("message %d: customer %+v", i, m.Customer)
		}
	}
	if len(threads) == 0 || threads[0].ExternalID != tk || threads[0].StatusLabel != "Ouvert" || threads[0].TicketStatus != "" {
		t.Errorf("threads: %+v", threads)
	}
}

func TestFetchStatusChangeWithoutMessage(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{})
	tk := f.OpenTicket(o.ID, "contact_other", "")
	f.AddMessage(tk, "buyer", "Bonjour")
	_, _, cur := drain(t, c, "")
	f.Advance(time.Minute)
	f.SetStatus(tk, "customer_service_closed_final")
	msgs, threads, _ := drain(t, c, cur)
	if len(msgs) != 0 {
		t.Errorf("messages again: %+v", msgs)
	}
	var got *desk.ThreadState
	for i := range threads {
		if threads[i].ExternalID == tk {
			got = &threads[i]
		}
	}
	if got == nil || got.Status != "customer_service_closed_final" || got.TicketStatus != desk.StatusClosed ||
		got.StatusLabel != "Clôturé par le service client Kaufland" || got.OrderRef != o.ID {
		t.Errorf("state: %+v", got)
	}
}

func TestFetchLargeDatasetPagesWithinLimits(t *testing.T) {
	f, c := setup(t, kauflandfake.WithDataset(kauflandfake.Dataset{Orders: 150, Messages: 2000, PerSecond: 40, Seed: 7}))
	msgs, _, cur := drain(t, c, "")
	seen := map[string]bool{}
	for _, m := range msgs {
		seen[m.SourceID] = true
	}
	if len(seen) != 2000 {
		t.Fatalf("%d distinct messages, want 2000 (%d delivered)", len(seen), len(msgs))
	}
	for _, r := range f.Requests() {
		for _, l := range r.Query["limit"] {
			if n, err := strconv.Atoi(l); err != nil || n < 1 || n > 30 {
				t.Fatalf("limit %s on %s", l, r.Path)
			}
		}
	}
	b, err := c.Fetch(context.Background(), cur)
	if err != nil || len(b.Messages) != 0 || b.More {
		t.Fatalf("again: %d messages, more %v, %v", len(b.Messages), b.More, err)
	}
}

// Messages sharing one second across page boundaries, some added between
// fetches in that same second: all delivered, none twice in a cursor run.
func TestFetchSharedSecondAcrossPages(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{})
	tk := f.OpenTicket(o.ID, "contact_other", "")
	at := f.Now()
	for i := range 75 {
		f.AddMessageAt(tk, "buyer", "m"+strconv.Itoa(i), at)
	}
	msgs, _, cur := drain(t, c, "")
	for i := 75; i < 80; i++ {
		f.AddMessageAt(tk, "buyer", "m"+strconv.Itoa(i), at)
	}
	more, _, _ := drain(t, c, cur)
	seen := map[string]int{}
	for _, m := range append(msgs, more...) {
		seen[m.Body]++
	}
	for i := range 80 {
		if seen["m"+strconv.Itoa(i)] != 1 {
			t.Errorf("m%d delivered %d times", i, seen["m"+strconv.Itoa(i)])
		}
	}
}

// One spoilt item of a page loses that item only.
func TestFetchBadItemKeepsTheOthers(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{})
	tk := f.OpenTicket(o.ID, "contact_other", "")
	for i := range 5 {
		f.AddMessage(tk, "buyer", "m"+strconv.Itoa(i))
	}
	f.Inject(kauflandfake.Fault{Kind: kauflandfake.BadItem, Path: "/tickets/messages"})
	msgs, _, _ := drain(t, c, "")
	if len(msgs) != 4 {
		t.Errorf("%d messages, want the 4 intact ones", len(msgs))
	}
}

// Random faults on every request: the sync's loop (retry on error from
// the same cursor) ends with every message, each once.
func TestFetchUnderRandomFaults(t *testing.T) {
	f := kauflandfake.Start(t, kauflandfake.WithDataset(kauflandfake.Dataset{Orders: 40, Messages: 600, PerSecond: 13, Seed: 3}))
	c := connect(t, f, &http.Client{Timeout: 200 * time.Millisecond})
	f.SetFaultRate(0.2, 42, kauflandfake.RateLimit, kauflandfake.ServerError, kauflandfake.Drop,
		kauflandfake.Malformed, kauflandfake.Truncated, kauflandfake.Slow)
	seen := map[string]int{}
	cur := ""
	for tries := 0; ; tries++ {
		if tries > 2000 {
			t.Fatal("no end")
		}
		b, err := c.Fetch(context.Background(), cur)
		if err != nil {
			continue
		}
		ok, _ := kaufland.CursorNotBefore(b.Cursor, cur)
		if !ok {
			t.Fatalf("cursor went back: %s → %s", cur, b.Cursor)
		}
		for _, m := range b.Messages {
			seen[m.SourceID]++
		}
		cur = b.Cursor
		if !b.More {
			break
		}
	}
	if len(seen) != 600 {
		t.Errorf("%d messages, want 600", len(seen))
	}
}

// A topic that says what the reason says (« product_defect » and
// « order_product_defect » are both « Produit défectueux ») names the
// thread once, not « Produit défectueux — Produit défectueux ».
func TestFetchSubjectDoesNotRepeatTheReason(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{})
	tk := f.OpenTicket(o.ID, "product_defect", "order_product_defect")
	f.AddMessage(tk, "buyer", "Le coffret est arrivé cassé.")
	msgs, _, _ := drain(t, c, "")
	if len(msgs) != 1 || msgs[0].ThreadSubject != "Produit défectueux" {
		t.Fatalf("subject: %+v", msgs)
	}
}
