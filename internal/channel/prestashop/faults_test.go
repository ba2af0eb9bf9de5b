package prestashop_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
)

func TestFailuresClassified(t *testing.T) {
	for _, tc := range []struct {
		fault prestashopfake.Fault
		kind  channel.ErrorKind
		wait  time.Duration
	}{
		{prestashopfake.Fault{Kind: prestashopfake.RateLimit, RetryAfter: "7"}, channel.RateLimited, 7 * time.Second},
		{prestashopfake.Fault{Kind: prestashopfake.Unavailable, RetryAfter: "120"}, channel.RateLimited, 2 * time.Minute},
		{prestashopfake.Fault{Kind: prestashopfake.ServerError}, channel.Transient, 0},
		{prestashopfake.Fault{Kind: prestashopfake.Drop}, channel.Transient, 0},
		{prestashopfake.Fault{Kind: prestashopfake.Malformed}, channel.Transient, 0},
		{prestashopfake.Fault{Kind: prestashopfake.Slow, Delay: 3 * time.Second}, channel.Transient, 0},
	} {
		f, c := setup(t)
		th := f.AddThread(prestashopfake.Thread{Email: "a@example.com"})
		f.AddMessage(th, false, "Bonjour", time.Time{})
		f.Inject(tc.fault)
		_, err := c.Fetch(context.Background(), "")
		e := kindOf(t, err, tc.kind)
		if tc.wait != 0 && e.RetryAfter != tc.wait {
			t.Errorf("fault %d: RetryAfter %v, want %v", tc.fault.Kind, e.RetryAfter, tc.wait)
		}
		// Nothing lost after it.
		msgs, _, _ := drain(t, c, "")
		if len(msgs) != 1 {
			t.Errorf("fault %d: then %d messages, want 1", tc.fault.Kind, len(msgs))
		}
	}
}

// Under random failures a long backlog syncs page by page, each message
// stored once, as sync would: retry a failed Fetch from the same cursor.
func TestRandomFaultsLoseNothing(t *testing.T) {
	f, c := setup(t, prestashopfake.WithDataset(prestashopfake.Dataset{Threads: 200, Messages: 2000, PerSecond: 9, Seed: 3}))
	f.SetFaultRate(0.2, 11, prestashopfake.RateLimit, prestashopfake.ServerError, prestashopfake.Drop, prestashopfake.Malformed, prestashopfake.Unavailable)
	seen := map[string]bool{}
	cur, failures := "", 0
	for i := 0; ; i++ {
		if i > 5000 {
			t.Fatal("no end")
		}
		b, err := c.Fetch(context.Background(), cur)
		if err != nil {
			failures++
			continue
		}
		for _, m := range b.Messages {
			seen[m.SourceID] = true
		}
		cur = b.Cursor
		if !b.More {
			break
		}
	}
	if len(seen) != f.Messages() {
		t.Errorf("%d messages stored, the shop has %d", len(seen), f.Messages())
	}
	if failures == 0 {
		t.Error("no failure injected")
	}
}

// A reply whose answer is lost (written, then the connection dropped):
// Send fails as Transient, and Lookup finds it so the outbox does not send
// it twice.
func TestLostAnswerFoundByLookup(t *testing.T) {
	f, c := setup(t)
	th := f.AddThread(prestashopfake.Thread{Email: "a@example.com"})
	r := channel.Reply{MessageID: 3, ThreadKind: desk.ThreadCustomer, ThreadExternalID: strconv.Itoa(th), Body: "Nous vous remboursons.", CreatedAt: f.Now()}
	f.Inject(prestashopfake.Fault{Kind: prestashopfake.DropAfter, Resource: "customer_messages", Method: "POST"})
	_, err := c.Send(context.Background(), r)
	kindOf(t, err, channel.Transient)
	if len(f.Posted()) != 1 {
		t.Fatalf("posted %d, want the write done", len(f.Posted()))
	}
	got, found, err := c.Lookup(context.Background(), r)
	if err != nil || !found || got.SourceID != "cm"+strconv.Itoa(f.Posted()[0].ID) {
		t.Errorf("Lookup: %+v %v %v", got, found, err)
	}
	// A reply written an hour before its CreatedAt's minute is another one.
	old := r
	old.CreatedAt = f.Now().Add(2 * time.Hour)
	if _, found, _ := c.Lookup(context.Background(), old); found {
		t.Error("Lookup finds a message older than the reply")
	}
}
