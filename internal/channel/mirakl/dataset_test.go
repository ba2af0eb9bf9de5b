package mirakl_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/mirakl/miraklfake"
)

// Thousands of messages over hundreds of orders, a third of the requests
// failing: every message arrives, and the cursor never goes back.
func TestDatasetUnderFaultsExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	f := miraklfake.Start(t, miraklfake.WithDataset(miraklfake.Dataset{Orders: 400, Messages: 4000, OperatorEvery: 4, OrderLess: 30, Seed: 7}))
	c := connect(t, f, &http.Client{Timeout: time.Second})
	f.SetFaultRate(0.3, 42, miraklfake.RateLimit, miraklfake.ServerError, miraklfake.Drop, miraklfake.Malformed, miraklfake.BadItem)
	got := map[string]int{}
	cursor, errs := "", 0
	for i := 0; ; i++ {
		if i > 5000 {
			t.Fatal("no end")
		}
		b, err := c.Fetch(context.Background(), cursor)
		if err != nil {
			errs++
			continue // sync backs off and tries the same cursor again
		}
		if ok, err := CursorNotBeforeOK(b.Cursor, cursor); !ok {
			t.Fatalf("the cursor went back: %v", err)
		}
		for _, m := range b.Messages {
			got[m.SourceID]++
		}
		cursor = b.Cursor
		if !b.More {
			break
		}
	}
	f.SetFaultRate(0, 0)
	if len(got) != 4000 {
		t.Errorf("%d distinct messages, want 4000 (%d failed fetches)", len(got), errs)
	}
	// Nothing new since: nothing more.
	b, err := c.Fetch(context.Background(), cursor)
	if err != nil || len(b.Messages) != 0 {
		t.Errorf("again: %d, %v", len(b.Messages), err)
	}
	t.Logf("%d requests, %d failed fetches", len(f.Requests()), errs)
}

// A slow instance holds a fetch no longer than its context allows.
func TestSlowInstanceHonoursContext(t *testing.T) {
	f := miraklfake.Start(t)
	c := connect(t, f, &http.Client{}) // no client timeout: the context decides
	f.Inject(miraklfake.Fault{Kind: miraklfake.Slow, Delay: 3 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Fetch(ctx, "")
	if channel.KindOf(err) != channel.Transient || time.Since(start) > time.Second {
		t.Errorf("%v after %v", err, time.Since(start))
	}
}
