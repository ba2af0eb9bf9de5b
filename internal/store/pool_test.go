package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// Many more transactions than pooled connections, each running statements
// that no connection has prepared yet (a cold start), while every connection
// is held by a transaction: they all complete. A transaction that asked the
// pool for a second connection (to prepare a statement, to catch the search
// index up) waited here for ever, as did every transaction behind it.
func TestTransactionsNeverWaitForASecondConnection(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		const n = 100 // SQLite has 8 readers, PostgreSQL 32 connections
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				err := s.Read(ctx, func(tx desk.Tx) error {
					time.Sleep(50 * time.Millisecond) // let the others take every connection
					if _, err := tx.Channels(ctx); err != nil {
						return err
					}
					if _, err := tx.FindTickets(ctx, desk.TicketFilter{Limit: 1 + i%50, Statuses: desk.Statuses[:1+i%3]}); err != nil {
						return err
					}
					_, err := tx.FindTickets(ctx, desk.TicketFilter{Text: "colis", Limit: 20})
					return err
				})
				if err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	})
}
