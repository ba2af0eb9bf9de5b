package sync_test

import (
	"strings"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func TestOnceFetchesEverythingOnceAndSkipsChannelsWithoutConnector(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s, &clock{t: monday}, "Kaufland", "Boutique")
		kaufland := e.channels[0]
		fake := newFake(7)
		fake.add(customerMessages("K", 50, 10)...)
		e.fakes[kaufland.ID] = fake
		r := e.runner("p1")
		rep, err := r.Once(ctx, 0)
		if err != nil || rep.Failed() || len(rep.Channels) != 2 {
			t.Fatalf("%+v, %v", rep, err)
		}
		k, shop := rep.Channels[0], rep.Channels[1]
		if k.ChannelID != kaufland.ID {
			k, shop = shop, k
		}
		if k.Stored != 50 || k.Fetches != 8 || !shop.Skipped {
			t.Errorf("report %+v / %+v; want 50 stored in 8 fetches, the shop skipped", k, shop)
		}
		if n := e.countMessages(t, kaufland, "in"); n != 50 {
			t.Errorf("%d messages stored; want 50", n)
		}
		st, _ := e.d.SyncState(ctx, kaufland.ID)
		if st.Cursor != "50" || st.Running || st.LastOKAt.IsZero() || !st.NextRunAt.Equal(monday.Add(desk.DefaultSyncEvery)) {
			t.Errorf("state %+v", st)
		}
		// Nothing new: the boundary is re-read and dropped.
		rep, err = r.Once(ctx, kaufland.ID)
		if err != nil || rep.Channels[0].Stored != 0 || rep.Channels[0].Duplicates != 1 {
			t.Fatalf("second pass: %+v, %v", rep, err)
		}
		// Not due yet: a scheduled pass leaves it alone.
		_, _, before := fake.counts()
		if _, err := r.PollDue(ctx); err != nil {
			t.Fatal(err)
		}
		if _, _, after := fake.counts(); after != before {
			t.Errorf("fetched %d times before its time", after-before)
		}
	})
}

// A failing channel is fetched less and less often: 1 min, 2, 4…; a 429's
// Retry-After is honoured; refused credentials wait the cap, and say so.
func TestPollBacksOff(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		clk := &clock{t: monday}
		e := newEnv(t, s, clk, "Kaufland")
		ch := e.channels[0]
		fake := newFake(10)
		fake.add(customerMessages("K", 5, 5)...)
		e.fakes[ch.ID] = fake
		r := e.runner("p1")
		var fail error = &channel.Error{Kind: channel.Transient, Status: 503, Message: "indisponible"}
		fake.fault = func(string) error { return fail }

		step := func(wait time.Duration, wantFailures int, wantErr string) {
			t.Helper()
			start := clk.Now()
			if _, err := r.PollDue(ctx); err != nil {
				t.Fatal(err)
			}
			st, _ := e.d.SyncState(ctx, ch.ID)
			if st.Failures != wantFailures || !st.NextRunAt.Equal(start.Add(wait)) || !strings.Contains(st.LastError, wantErr) {
				t.Fatalf("after failure %d: failures %d, next in %v, error %q; want next in %v, error with %q",
					wantFailures, st.Failures, st.NextRunAt.Sub(start), st.LastError, wait, wantErr)
			}
			// Not before its time.
			clk.Add(wait - time.Second)
			_, _, n := fake.counts()
			r.PollDue(ctx)
			if _, _, m := fake.counts(); m != n {
				t.Fatalf("fetched %v before the backoff's end", time.Second)
			}
			clk.Add(time.Second)
		}
		step(time.Minute, 1, "indisponible")
		step(2*time.Minute, 2, "indisponible")
		step(4*time.Minute, 3, "indisponible")
		fail = &channel.Error{Kind: channel.RateLimited, Status: 429, RetryAfter: 7 * time.Minute, Message: "trop de requêtes"}
		step(7*time.Minute, 4, "429")
		fail = &channel.Error{Kind: channel.Unauthorized, Status: 401, Message: "clé invalide"}
		step(time.Hour, 5, "identifiants refusés")
		fail = nil
		if _, err := r.PollDue(ctx); err != nil {
			t.Fatal(err)
		}
		st, _ := e.d.SyncState(ctx, ch.ID)
		if st.Failures != 0 || st.LastError != "" || st.Fetched != 5 {
			t.Errorf("after a success: %+v", st)
		}
	})
}

// A channel that keeps one of the slots busy does not hold the others.
func TestSlowChannelDoesNotDelayTheOthers(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), &clock{t: monday}, "Lent", "A", "B", "C")
	slow := newFake(10)
	slow.add(customerMessages("L", 3, 3)...)
	release := make(chan struct{})
	slow.fault = func(string) error { <-release; return nil }
	e.fakes[e.channels[0].ID] = slow
	for _, ch := range e.channels[1:] {
		f := newFake(10)
		f.add(customerMessages(ch.Name, 3, 3)...)
		e.fakes[ch.ID] = f
	}
	r := e.runner("p1")
	stop, cancel := contextWithCancel()
	defer cancel()
	done := r.Start(stop)
	deadline := time.Now().Add(10 * time.Second)
	for _, ch := range e.channels[1:] {
		for e.countMessages(t, ch, "in") != 3 {
			if time.Now().After(deadline) {
				t.Fatalf("%s not fetched while the slow channel runs", ch.Name)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	close(release)
	cancel()
	<-done
}

// A run that stores batches and then fails on a later page made progress:
// its failure is the first in a row again, so that a flaky channel with a
// backlog is fetched again in a minute, not in an hour. Before, each such
// run added to the failures, and the backoff doubled up to its cap while
// every run moved the backlog on.
func TestPollFailureAfterProgressBacksOffFromTheStart(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		clk := &clock{t: monday}
		e := newEnv(t, s, clk, "Kaufland")
		ch := e.channels[0]
		fake := newFake(5)
		fake.add(customerMessages("K", 100, 20)...)
		calls := 0
		fake.fault = func(op string) error {
			if op != "fetch" {
				return nil
			}
			calls++
			if calls%2 == 0 { // every run: one page stored, the next one fails
				return &channel.Error{Kind: channel.Transient, Status: 500, Message: "en panne"}
			}
			return nil
		}
		e.fakes[ch.ID] = fake
		r := e.runner("p1")
		for run := 1; run <= 6; run++ {
			start := clk.Now()
			rep, err := r.Once(ctx, ch.ID)
			if err != nil || rep.Channels[0].Stored == 0 {
				t.Fatalf("run %d: %+v %v", run, rep, err)
			}
			st, _ := e.d.SyncState(ctx, ch.ID)
			if st.Failures != 1 || st.LastError == "" || st.NextRunAt.After(start.Add(time.Minute)) {
				t.Fatalf("run %d, after progress: %d failures, next in %v, error %q; want 1, a minute, the error",
					run, st.Failures, st.NextRunAt.Sub(start), st.LastError)
			}
			clk.Add(time.Minute)
		}
		// A run that stores nothing before it fails adds to the failures.
		calls = 1
		start := clk.Now()
		r.Once(ctx, ch.ID)
		if st, _ := e.d.SyncState(ctx, ch.ID); st.Failures != 2 || !st.NextRunAt.Equal(start.Add(2*time.Minute)) {
			t.Errorf("after a run without progress: %d failures, next in %v; want 2, 2 min", st.Failures, st.NextRunAt.Sub(start))
		}
	})
}
