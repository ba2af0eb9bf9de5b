package prestashop_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/prestashop"
	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
)

// A contact-form question: no order (id_order "0", so absent from the
// JSON), no account; it becomes an order-less ticket on its thread, for
// the visitor's email, its contact as subject and reason.
func TestContactFormThreadIsOrderless(t *testing.T) {
	f, c := setup(t)
	th := f.AddThread(prestashopfake.Thread{Email: "visiteur@example.com", Contact: prestashopfake.ContactCustomerService})
	f.AddMessage(th, false, "Bonjour, livrez-vous en Belgique ?", time.Time{})
	msgs, threads, _ := drain(t, c, "")
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.OrderRef != "" || m.ThreadExternalID != strconv.Itoa(th) || m.Customer.Email != "visiteur@example.com" || m.Customer.ExternalID != "" {
		t.Errorf("message %+v: want an order-less ticket on thread %d for the visitor", m, th)
	}
	if m.ThreadSubject != "Service client" || m.Reason != "Service client" || m.FromSeller || m.AuthorKind != desk.AuthorCustomer {
		t.Errorf("message %+v: want the contact as subject and reason, from the customer", m)
	}
	if m.SourceID == "" || !strings.HasPrefix(m.SourceID, "cm") || m.Body != "Bonjour, livrez-vous en Belgique ?" {
		t.Errorf("message %+v", m)
	}
	if len(threads) != 1 || threads[0].Status != "open" || threads[0].StatusLabel != "Ouvert" || threads[0].TicketStatus != "" {
		t.Errorf("threads %+v", threads)
	}
}

// A thread on an order: the ticket is the order's (its reference, read
// from orders), with the customer's id and email.
func TestOrderThreadGoesToTheOrder(t *testing.T) {
	f, c := setup(t)
	cust := f.AddCustomer(prestashopfake.Customer{FirstName: "Jeanne", LastName: "Dupont", Email: "jeanne@example.com"})
	o := f.AddOrder(prestashopfake.Order{Reference: "XKBKNABJK", Customer: cust})
	th := f.AddThread(prestashopfake.Thread{Order: o, Customer: cust})
	f.AddMessage(th, false, "Où est mon colis ?", time.Time{})
	f.AddMessage(th, true, "Il part aujourd'hui.", time.Time{}) // written in the back office
	f.AddNote(th, "Client difficile, voir avec Paul", time.Time{})
	msgs, _, _ := drain(t, c, "")
	if len(msgs) != 3 || !msgs[2].Internal || msgs[2].FromSeller || msgs[0].Internal || msgs[1].Internal {
		t.Fatalf("%d messages, want 3, the private one an internal note: %+v", len(msgs), msgs)
	}
	msgs = msgs[:2]
	for _, m := range msgs {
		if m.OrderRef != "XKBKNABJK" || m.Customer.ExternalID != strconv.Itoa(cust) || m.Customer.Email != "jeanne@example.com" {
			t.Errorf("message %+v: want order XKBKNABJK and its customer", m)
		}
	}
	if msgs[0].FromSeller || !msgs[1].FromSeller {
		t.Errorf("FromSeller: %v %v, want the employee's message only", msgs[0].FromSeller, msgs[1].FromSeller)
	}
}

func TestThreadStatuses(t *testing.T) {
	f, c := setup(t)
	want := map[string]struct {
		label  string
		ticket desk.Status
	}{"open": {"Ouvert", ""}, "closed": {"Fermé", desk.StatusClosed}, "pending1": {"En attente 1", ""}, "pending2": {"En attente 2", ""}}
	ids := map[string]string{}
	for st := range want {
		ids[strconv.Itoa(f.AddThread(prestashopfake.Thread{Email: st + "@example.com", Status: st}))] = st
	}
	_, threads, cur := drain(t, c, "")
	if len(threads) != 4 {
		t.Fatalf("%d thread states, want 4", len(threads))
	}
	for _, ts := range threads {
		w := want[ids[ts.ExternalID]]
		if ts.Status != ids[ts.ExternalID] || ts.StatusLabel != w.label || ts.TicketStatus != w.ticket {
			t.Errorf("thread %s: %+v, want %s « %s » %q", ts.ExternalID, ts, ids[ts.ExternalID], w.label, w.ticket)
		}
	}
	// Closed in the back office later, without a message: the next fetch says so.
	f.Advance(time.Minute)
	for id, st := range ids {
		if st == "open" {
			n, _ := strconv.Atoi(id)
			f.SetThreadStatus(n, "closed")
		}
	}
	_, threads, _ = drain(t, c, cur)
	closed := false
	for _, ts := range threads {
		if ids[ts.ExternalID] == "open" && ts.TicketStatus == desk.StatusClosed && ts.StatusLabel == "Fermé" {
			closed = true
		}
	}
	if !closed {
		t.Errorf("the thread closed later is not reported closed: %+v", threads)
	}
}

// Thousands of messages over hundreds of threads, several per second:
// paged through and re-read at each boundary second, every message comes
// once, and from the last cursor nothing comes again.
func TestDatasetPagingAndBoundary(t *testing.T) {
	f, c := setup(t, prestashopfake.WithDataset(prestashopfake.Dataset{Threads: 300, Messages: 3000, PerSecond: 13, Seed: 7}))
	msgs, _, cur := drain(t, c, "")
	seen := map[string]int{}
	for _, m := range msgs {
		seen[m.SourceID]++
	}
	if len(seen) != f.Messages() {
		t.Errorf("%d distinct messages, the shop has %d", len(seen), f.Messages())
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("%s delivered %d times in one sync", id, n)
		}
	}
	again, _, _ := drain(t, c, cur)
	for _, m := range again {
		if seen[m.SourceID] > 0 {
			t.Errorf("%s delivered again from the last cursor", m.SourceID)
		}
	}
	// More in the last second, after the sync read it: they come next.
	f.AddMessage(1, false, "même seconde, plus tard", f.Now())
	late, _, _ := drain(t, c, cur)
	if len(late) != 1 || late[0].Body != "même seconde, plus tard" {
		t.Errorf("after the boundary: %+v", late)
	}
}

// PrestaShop's JSON as a real shop writes it, served by hand: ids as
// numbers or strings, id_order absent (it was "0"), "private" absent,
// multilingual contact names, an empty association as [], and one
// message that does not decode among good ones.
func TestJSONQuirks(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/customer_messages"):
			if r.URL.Query().Get("filter[date_upd]") != "" {
				w.Write([]byte(`[]`))
				return
			}
			w.Write([]byte(`{"customer_messages":[
				{"id":7,"id_customer_thread":"3","message":"Bonjour &amp; merci","date_add":"2026-03-02 10:00:00","date_upd":"2026-03-02 10:00:00"},
				{"id":"8","id_customer_thread":3,"id_employee":"0","message":{"oops":true},"date_upd":"2026-03-02 10:00:01"},
				{"id":"9","id_customer_thread":"3","id_employee":"2","message":"Réponse","private":"0","date_add":"2026-03-02 10:00:02","date_upd":"2026-03-02 10:00:02"},
				["not","an","object"]]}`))
		case strings.HasSuffix(r.URL.Path, "/customer_threads"):
			if r.URL.Query().Get("filter[date_upd]") != "" {
				w.Write([]byte(`[]`))
				return
			}
			w.Write([]byte(`{"customer_threads":[{"id":3,"id_lang":"1","id_contact":"2","email":"a@example.com","status":"pending1",
				"token":"abc","date_upd":"2026-03-02 10:00:02","associations":[]}]}`))
		case strings.HasSuffix(r.URL.Path, "/contacts"):
			w.Write([]byte(`{"contacts":[{"id":2,"customer_service":"1","name":[{"id":"1","value":"Service client"},{"id":"2","value":"Customer service"}]}]}`))
		default:
			w.Write([]byte(`[]`))
		}
	}))
	defer srv.Close()
	settings, _ := prestashop.Kind().Check(map[string]string{"base_url": srv.URL, "api_key": "K", "employee_id": "2"})
	c, err := prestashop.New(channel.Config{Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Fetch(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Messages) != 3 {
		t.Fatalf("%d messages, want 3 (the bad one kept as text or skipped, never failing the batch): %+v", len(b.Messages), b.Messages)
	}
	m := b.Messages[0]
	if m.SourceID != "cm7" || m.OrderRef != "" || m.ThreadExternalID != "3" || m.Body != "Bonjour & merci" || m.ThreadSubject != "Service client" ||
		m.FromSeller || m.At.IsZero() {
		t.Errorf("first message %+v", m)
	}
	if !b.Messages[2].FromSeller || b.Messages[2].SourceID != "cm9" {
		t.Errorf("employee's message %+v", b.Messages[2])
	}
	if len(b.Threads) != 1 || b.Threads[0].StatusLabel != "En attente 1" {
		t.Errorf("threads %+v", b.Threads)
	}
	var cur map[string]any
	if json.Unmarshal([]byte(b.Cursor), &cur) != nil {
		t.Errorf("cursor %q is not JSON", b.Cursor)
	}
}
