package web_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// Deadlines come back in one form, UTC with a Z, whatever the channel's
// counting; a ticket waiting for the customer has none, and « due_soon »
// and the counters answer.
func TestDeadlinesInOneFormInTheAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		utc := regexp.MustCompile(`"deadline":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"`)
		for _, ch := range []desk.Channel{e.kauf, e.amazon} { // working days, around the clock
			var tk struct {
				Ticket json.RawMessage `json:"ticket"`
			}
			if code := e.call("POST", "/api/v1/tickets", map[string]any{"channel_id": ch.ID, "order_ref": "O-" + ch.Name}, &tk); code != 201 {
				t.Fatalf("open on %s: %d", ch.Name, code)
			}
			if !utc.Match(tk.Ticket) {
				t.Errorf("%s: %s; want a UTC deadline", ch.Name, tk.Ticket)
			}
			var page struct{ Tickets []json.RawMessage }
			e.call("GET", "/api/v1/tickets?status=waiting_admin&channel="+itoa(ch.ID), nil, &page)
			if len(page.Tickets) != 1 || !utc.Match(page.Tickets[0]) {
				t.Errorf("%s in the list: %s", ch.Name, page.Tickets)
			}
		}
		var page struct{ Tickets []desk.Ticket }
		if code := e.call("GET", "/api/v1/tickets?due_soon=1", nil, &page); code != 200 || len(page.Tickets) != 0 {
			t.Errorf("due_soon: %d, %d rows", code, len(page.Tickets))
		}
		if code := e.call("GET", "/api/v1/tickets?due_soon=maybe", nil, nil); code != 400 {
			t.Errorf("bad due_soon: %d", code)
		}
		var open struct{ Ticket desk.Ticket }
		e.call("POST", "/api/v1/tickets", map[string]any{"channel_id": e.amazon.ID, "order_ref": "W-1"}, &open)
		waiting := desk.StatusWaitingCustomer
		if _, err := e.d.UpdateTicket(ctx, e.adv, open.Ticket.ID, desk.TicketPatch{Status: &waiting}); err != nil {
			t.Fatal(err)
		}
		var raw json.RawMessage
		e.call("GET", "/api/v1/tickets/"+open.Ticket.Number, nil, &raw)
		if regexp.MustCompile(`"ticket":\{[^}]*"deadline"`).Match(raw) {
			t.Errorf("a ticket waiting for the customer has a deadline: %s", raw)
		}
	})
}
