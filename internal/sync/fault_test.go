package sync_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	gosync "sync"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
	gsync "guichet/internal/sync"
)

// ticketOrders lists the orders of a channel that have a ticket.
func (e *env) ticketOrders(t testing.TB, ch desk.Channel) []string {
	t.Helper()
	rows, err := e.s.DB().QueryContext(ctx, `SELECT order_ref FROM tickets WHERE channel_id = $1 ORDER BY id`, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

// checkOutcome checks that every message of the fakes is stored once, and
// every reply delivered once or visibly failed; it returns the counts.
func checkOutcome(t *testing.T, e *env, fakes map[int64]*fakeChannel, wantIn map[int64]int, replies map[int64]int64) (sent, failed, unknown int) {
	t.Helper()
	states := e.deliveryStates(t)
	outPer := map[int64]int{}
	for id, chID := range replies {
		outPer[chID]++
		rc, _, _ := fakes[chID].counts()
		st := states[id]
		switch {
		case st[0] == string(desk.OutboxSent) && st[1] == string(desk.DeliverySent) && rc[id] == 1:
			sent++
		case st[0] == string(desk.OutboxFailed) && st[1] == string(desk.DeliveryFailed) && rc[id] <= 1:
			failed++
		case st[0] == string(desk.OutboxUnknown) && st[1] == string(desk.DeliveryFailed) && rc[id] <= 1:
			unknown++
		default:
			t.Errorf("reply %d: outbox %q, message %q, received %d times", id, st[0], st[1], rc[id])
		}
	}
	for _, ch := range e.channels {
		if n := e.countMessages(t, ch, "in"); n != wantIn[ch.ID] {
			t.Errorf("%s: %d messages stored; want %d", ch.Name, n, wantIn[ch.ID])
		}
		if n := e.countMessages(t, ch, "out"); n != outPer[ch.ID] {
			t.Errorf("%s: %d outgoing messages; want the %d replies (echoes not stored again)", ch.Name, n, outPer[ch.ID])
		}
		if _, overlaps, _ := fakes[ch.ID].counts(); overlaps != 0 {
			t.Errorf("%s: %d overlapping fetches", ch.Name, overlaps)
		}
	}
	return sent, failed, unknown
}

// Thousands of messages over hundreds of orders, a channel failing one call
// in five (network, 429, 503), answers lost after the channel took a reply,
// and the runner stopped mid-run and started again, several times: every
// message is stored once, every reply delivered once or visibly failed.
func TestFaultsStopsAndRestarts(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		clk := &clock{t: monday}
		e := newEnv(t, s, clk, "Kaufland", "Fnac", "Carrefour")
		rng := rand.New(rand.NewPCG(1, 2))
		var mu gosync.Mutex
		chance := func(p float64) bool { mu.Lock(); defer mu.Unlock(); return rng.Float64() < p }
		fakes := map[int64]*fakeChannel{}
		wantIn := map[int64]int{}
		for i, ch := range e.channels {
			f := newFake(50)
			f.add(customerMessages(fmt.Sprintf("C%d", i), 1000, 100)...)
			f.fault = randomFault(rng, &mu, 0.2)
			f.crashAfter = func(channel.Reply) bool { return chance(0.05) }
			f.pause = func() time.Duration { // some calls are slow: a stop catches them
				switch {
				case chance(0.2):
					return 10 * time.Millisecond
				case chance(0.3):
					return time.Millisecond
				}
				return 0
			}
			f.echo = true
			fakes[ch.ID], e.fakes[ch.ID] = f, f
			wantIn[ch.ID] = 1000
		}
		replies := map[int64]int64{} // message → channel
		queue := func(n int) {
			for _, ch := range e.channels {
				orders := e.ticketOrders(t, ch)
				for j := 0; j < n && len(orders) > 0; j++ {
					mu.Lock()
					order := orders[rng.IntN(len(orders))]
					mu.Unlock()
					m := e.replyTo(t, ch, order, fmt.Sprintf("Réponse %d sur %s", len(replies), order))
					replies[m.ID] = ch.ID
				}
			}
		}
		stops, before, leftSending := 0, 0, 0
		for round := range 10 {
			stop, cancel := context.WithCancel(ctx)
			done := e.runner(fmt.Sprintf("process-%d", round)).Start(stop)
			queue(10) // while it runs
			// Stop it mid-run, once it has done something (the race
			// detector slows it down a lot).
			time.Sleep(time.Duration(5+round*3) * time.Millisecond)
			for wait := time.Now().Add(5 * time.Second); time.Now().Before(wait); time.Sleep(time.Millisecond) {
				if n := e.totalIn(t); n > before || n == 3000 {
					break
				}
			}
			cancel()
			<-done
			stops++
			before = e.totalIn(t)
			for _, st := range e.deliveryStates(t) {
				if st[0] == string(desk.OutboxSending) {
					leftSending++
				}
			}
			t.Logf("round %d: %d stored, %d replies queued", round, before, len(replies))
			clk.Add(2 * time.Hour) // leases and backoffs run out
		}
		// Calm again: the channels answer, and the runner catches up.
		for _, f := range fakes {
			f.mu.Lock()
			f.fault, f.crashAfter, f.pause = nil, nil, nil
			f.mu.Unlock()
		}
		r := e.runner("last")
		for range 100 {
			clk.Add(2 * time.Hour)
			if _, err := r.Once(ctx, 0); err != nil {
				t.Fatal(err)
			}
			counts, _ := e.d.OutboxCounts(ctx)
			if counts[desk.OutboxQueued]+counts[desk.OutboxSending] == 0 && e.totalIn(t) == 3000 {
				break
			}
		}
		sent, failed, unknown := checkOutcome(t, e, fakes, wantIn, replies)
		fetches, sends := 0, 0
		for _, f := range fakes {
			_, _, n := f.counts()
			fetches += n
			f.mu.Lock()
			sends += f.sends
			f.mu.Unlock()
		}
		t.Logf("%d messages over %d orders stored once; %d replies: %d sent once, %d failed, %d uncertain; %d stops leaving %d replies 'sending'; %d fetches, %d send calls",
			3000, 300, len(replies), sent, failed, unknown, stops, leftSending, fetches, sends)
	})
}

// Two processes (two pools, two lease owners) on one PostgreSQL database,
// running at once over the same channels and replies: each channel is
// fetched by one at a time, each reply sent once.
func TestTwoProcessesOnePostgres(t *testing.T) {
	stores := storetest.PostgresShared(t, 2)
	clk := &clock{t: monday}
	e1 := newEnv(t, stores[0], clk, "A", "B", "C", "D")
	e2 := e1.attach(t, stores[1])
	fakes := map[int64]*fakeChannel{}
	wantIn := map[int64]int{}
	for i, ch := range e1.channels {
		f := newFake(20)
		f.add(customerMessages(fmt.Sprintf("P%d", i), 300, 60)...)
		f.pause = func() time.Duration { return 200 * time.Microsecond }
		f.echo = true
		fakes[ch.ID], e1.fakes[ch.ID] = f, f
		wantIn[ch.ID] = 300
	}
	long := func(c *gsync.Config) { c.Lease = 100 * time.Hour }
	runners := [](func(context.Context)){}
	for i, e := range []*env{e1, e2} {
		r := e.runner(fmt.Sprintf("process-%d", i+1), long)
		runners = append(runners, func(ctx context.Context) {
			for ctx.Err() == nil {
				r.PollDue(ctx)
				r.DeliverDue(ctx, 0)
			}
		})
	}
	stop, cancel := context.WithCancel(ctx)
	var wg gosync.WaitGroup
	for _, run := range runners {
		wg.Go(func() { run(stop) })
	}
	wg.Go(func() { // time goes by: channels fall due again
		for stop.Err() == nil {
			clk.Add(3 * time.Minute)
			time.Sleep(2 * time.Millisecond)
		}
	})
	replies := map[int64]int64{}
	deadline := time.Now().Add(20 * time.Second)
	for n := 0; len(replies) < 120 && time.Now().Before(deadline); n++ {
		e := []*env{e1, e2}[n%2]
		ch := e.channels[n%len(e.channels)]
		orders := e.ticketOrders(t, ch)
		if len(orders) == 0 {
			time.Sleep(time.Millisecond)
			continue
		}
		order := orders[n%len(orders)]
		m := e.replyTo(t, ch, order, fmt.Sprintf("Réponse %d sur %s", n, order))
		replies[m.ID] = ch.ID
		if n%10 == 0 {
			fakes[ch.ID].add(customerMessages(fmt.Sprintf("Q%d-%d", ch.ID, n), 5, 5)...)
			wantIn[ch.ID] += 5
		}
	}
	// Let both catch up.
	for time.Now().Before(deadline) {
		counts, _ := e1.d.OutboxCounts(ctx)
		stored, want := 0, 0
		for _, ch := range e1.channels {
			stored += e1.countMessages(t, ch, "in")
			want += wantIn[ch.ID]
		}
		if counts[desk.OutboxQueued]+counts[desk.OutboxSending] == 0 && stored == want {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	sent, failed, unknown := checkOutcome(t, e1, fakes, wantIn, replies)
	if failed+unknown != 0 {
		t.Errorf("%d failed, %d uncertain; the channels never failed", failed, unknown)
	}
	fetches := 0
	for _, f := range fakes {
		_, _, n := f.counts()
		fetches += n
	}
	t.Logf("two processes: %d replies sent once, %d fetches, no overlap", sent, fetches)
}

func (e *env) totalIn(t testing.TB) int {
	n := 0
	for _, ch := range e.channels {
		n += e.countMessages(t, ch, "in")
	}
	return n
}
