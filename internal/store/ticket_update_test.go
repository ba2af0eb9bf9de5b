package store_test

import (
	"fmt"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// TestUpdateTickets writes several tickets in one call, each with its own
// changes (a copy given twice: the last wins), as UpdateTicket would, and
// refuses an unknown ticket.
func TestUpdateTickets(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		d := desk.New(desk.Config{Store: s})
		d.EnsureAdmin(ctx, "admin@example.fr")
		agents, _ := d.Agents(ctx)
		admin := desk.ActorOf(agents[0])
		ch, _ := d.SaveChannel(ctx, admin, desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", Active: true})
		var batch []desk.Incoming
		for i := range 4 {
			batch = append(batch, desk.Incoming{ChannelID: ch.ID, OrderRef: fmt.Sprintf("U-%d", i), SourceID: fmt.Sprint(i), Body: "Bonjour"})
		}
		res, err := d.Ingest(ctx, batch)
		if err != nil || len(res.Tickets) != 4 {
			t.Fatalf("ingest: %+v, %v", res, err)
		}
		ids := res.Tickets
		deadline := time.Date(2026, 12, 24, 10, 0, 0, 0, time.UTC)
		err = s.Write(ctx, func(tx desk.Tx) error {
			var ts []*desk.Ticket
			for _, id := range ids[:3] {
				tk, err := tx.TicketByID(ctx, id)
				if err != nil {
					return err
				}
				ts = append(ts, &tk)
			}
			ts[0].Status, ts[0].Deadline = desk.StatusWaitingCustomer, deadline
			ts[1].Priority, ts[1].Problem = desk.P2, "Colis abîmé"
			ts[2].Preview = "premier"
			again := *ts[2]
			again.Preview = "second"
			ts = append(ts, &again)
			unread := desk.Ticket{ID: ids[3]} // not read in the transaction
			if tk, err := d.Ticket(ctx, admin, ids[3]); err == nil {
				unread = tk.Ticket
			}
			unread.Reason = "Retour"
			ts = append(ts, &unread)
			return tx.UpdateTickets(ctx, ts)
		})
		if err != nil {
			t.Fatal(err)
		}
		get := func(id int64) desk.Ticket {
			v, err := d.Ticket(ctx, admin, id)
			if err != nil {
				t.Fatal(err)
			}
			return v.Ticket
		}
		if tk := get(ids[0]); tk.Status != desk.StatusWaitingCustomer || !tk.Deadline.Equal(deadline) {
			t.Errorf("ticket 0: %s, %s", tk.Status, tk.Deadline)
		}
		if tk := get(ids[1]); tk.Priority != desk.P2 || tk.Problem != "Colis abîmé" || tk.Status != desk.StatusWaitingAdmin {
			t.Errorf("ticket 1: %s, %q, %s", tk.Priority, tk.Problem, tk.Status)
		}
		if tk := get(ids[2]); tk.Preview != "second" {
			t.Errorf("ticket 2: preview %q; want the last copy's", tk.Preview)
		}
		if tk := get(ids[3]); tk.Reason != "Retour" {
			t.Errorf("ticket 3: reason %q", tk.Reason)
		}
		c, err := d.Counts(ctx, admin, 0)
		if err != nil || c.ByStatus[desk.StatusWaitingCustomer] != 1 || c.ByStatus[desk.StatusWaitingAdmin] != 3 {
			t.Errorf("counters after UpdateTickets: %+v, %v", c.ByStatus, err)
		}
		err = s.Write(ctx, func(tx desk.Tx) error {
			return tx.UpdateTickets(ctx, []*desk.Ticket{{ID: 999999, Status: desk.StatusClosed, Priority: desk.P1}})
		})
		if !desk.IsNotFound(err) {
			t.Errorf("an unknown ticket: %v; want not found", err)
		}
	})
}
