package mirakl_test

import (
	"os"
	"testing"
	"time"

	"guichet/internal/channel/mirakl/miraklfake"
)

// The first sync of a big shop, for the figures of the note:
// MIRAKL_FIRST_SYNC=1 go test -run FirstSync -v ./internal/channel/mirakl/
func TestFirstSyncFigures(t *testing.T) {
	if os.Getenv("MIRAKL_FIRST_SYNC") == "" {
		t.Skip("set MIRAKL_FIRST_SYNC=1")
	}
	f := miraklfake.Start(t, miraklfake.WithDataset(miraklfake.Dataset{Orders: 18000, OrderLess: 2000, Messages: 60000, Seed: 3}))
	c := connect(t, f, nil)
	start := time.Now()
	msgs, threads, _ := drain(t, c, "")
	t.Logf("%d threads, %d messages in %v, %d requests (%d M11 pages, %d M10)", len(threads), len(msgs), time.Since(start),
		len(f.Requests()), f.Count("GET /api/inbox/threads"), len(f.Requests())-f.Count("GET /api/inbox/threads"))
}
