package store_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// TestBulkWrite writes one ticket's rows with ids of the caller's and reads
// them back as desk would, search included.
func TestBulkWrite(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		var ch desk.Channel
		err := s.Write(ctx, func(tx desk.Tx) error {
			ch = desk.Channel{Kind: desk.ChannelEmail, Name: "Email", DeadlinePolicy: "24h", Active: true, CreatedAt: at}
			return tx.InsertChannel(ctx, &ch)
		})
		if err != nil {
			t.Fatal(err)
		}
		ids, err := s.BulkNextIDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := store.NewBulkRows(1, 1, 1, 1)
		c.AddCustomer(&desk.Customer{ID: ids.Customer, ChannelID: ch.ID, ExternalID: "c1", Name: "Anne Brun", CreatedAt: at})
		c.AddTicket(&desk.Ticket{ID: ids.Ticket, ChannelID: ch.ID, OrderRef: "ABC", CustomerID: ids.Customer, Status: desk.StatusWaitingAdmin,
			Priority: desk.P2, Deadline: at.Add(24 * time.Hour), OpenedAt: at, LastActivityAt: at, Subject: "Commande ABC", MessageCount: 1, Preview: "Où est mon colis ?"})
		c.AddThread(&desk.Thread{ID: ids.Thread, TicketID: ids.Ticket, Kind: desk.ThreadCustomer, ExternalID: "conv-1", Subject: "Commande ABC", CreatedAt: at})
		c.AddMessage(&desk.Message{ID: ids.Message, TicketID: ids.Ticket, ThreadID: ids.Thread, Seq: 1, Direction: "in", AuthorKind: "customer",
			AuthorName: "Anne Brun", Body: "Où est mon colis ?", SourceID: "m1", CreatedAt: at}, ch.ID)
		c.AddEvent(&desk.Event{ID: ids.Event, TicketID: ids.Ticket, At: at, ActorName: ch.Name, Kind: desk.EventCreated, New: ch.Name})
		c.AddDoc(ids.Ticket, 0, "ABC Anne Brun")
		c.AddDoc(ids.Ticket, 1, "Où est mon colis ?")
		chunks := make(chan *store.BulkRows, 1)
		chunks <- c
		close(chunks)
		var reached []int
		if err := s.BulkWrite(ctx, chunks, func(n int) { reached = append(reached, n) }); err != nil {
			t.Fatal(err)
		}
		if len(reached) != 1 || reached[0] != 1 {
			t.Errorf("progress = %v", reached)
		}
		err = s.Read(ctx, func(tx desk.Tx) error {
			tk, err := tx.TicketByID(ctx, ids.Ticket)
			if err != nil {
				return err
			}
			if tk.OrderRef != "ABC" || tk.Status != desk.StatusWaitingAdmin || !tk.Deadline.Equal(at.Add(24*time.Hour)) || tk.AssigneeID != 0 {
				t.Errorf("ticket = %+v", tk)
			}
			ms, err := tx.Messages(ctx, ids.Ticket)
			if err != nil {
				return err
			}
			if len(ms) != 1 || ms[0].Body != "Où est mon colis ?" || ms[0].ThreadID != ids.Thread {
				t.Errorf("messages = %+v", ms)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SyncSearch(ctx); err != nil {
			t.Fatal(err)
		}
		err = s.Read(ctx, func(tx desk.Tx) error {
			page, err := tx.FindTickets(ctx, desk.TicketFilter{Text: "colis", Limit: 10})
			if err != nil {
				return err
			}
			if len(page.Tickets) != 1 || page.Tickets[0].ID != ids.Ticket {
				t.Errorf("search colis = %+v", page.Tickets)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
