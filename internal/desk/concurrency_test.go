package desk_test

import (
	"fmt"
	"sync"
	"testing"

	"guichet/internal/desk"
)

// Batches touching the same tickets in opposite orders, from several
// fetchers at once (several processes on PostgreSQL), all succeed and store
// every message once.
func TestConcurrentBatchesOnTheSameTickets(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		orders := []string{"C-1", "C-2", "C-3", "C-4"}
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for w := range 6 {
			wg.Go(func() {
				for round := range 5 {
					var batch []desk.Incoming
					for i := range orders {
						o := orders[i]
						if w%2 == 1 {
							o = orders[len(orders)-1-i]
						}
						batch = append(batch, incoming(f.kaufland, o, fmt.Sprintf("w%d-r%d-%s", w, round, o), "message"))
					}
					if _, err := f.d.Ingest(ctx, batch); err != nil {
						errs <- err
						return
					}
					// Agents change the same tickets meanwhile.
					tk, err := f.d.LookupTicket(ctx, f.admin, orders[round%len(orders)])
					if err == nil {
						_, err = f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: tk.ID, Body: "Réponse", Status: desk.StatusWaitingCustomer})
					}
					if err != nil && !desk.IsNotFound(err) {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		total := 0
		for _, o := range orders {
			tk, err := f.d.LookupTicket(ctx, f.admin, o)
			if err != nil {
				t.Fatal(err)
			}
			v := f.view(t, tk.ID)
			in := 0
			for i, m := range v.Messages {
				if m.Seq != i+1 {
					t.Fatalf("%s: message %d has seq %d", o, i, m.Seq)
				}
				if m.Direction == desk.In {
					in++
				}
			}
			if in != 30 || tk.MessageCount != len(v.Messages) {
				t.Errorf("%s: %d incoming messages (count %d of %d); want 30", o, in, tk.MessageCount, len(v.Messages))
			}
			total += in
		}
		c, _ := f.d.Counts(ctx, f.admin, 0)
		if n := c.ByStatus[desk.StatusWaitingAdmin] + c.ByStatus[desk.StatusWaitingCustomer]; n != len(orders) {
			t.Errorf("counters say %d open tickets; want %d", n, len(orders))
		}
	})
}
