package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestRunSmall runs the whole bench on a tiny set: every measure must work,
// twice on the same database (the second run reuses it).
func TestRunSmall(t *testing.T) {
	ctx := context.Background()
	opt := Options{DSN: filepath.Join(t.TempDir(), "bench.db"), Tickets: 400, Samples: 5, IngestBatches: 2, BatchSize: 50}
	var out bytes.Buffer
	rep, err := Run(ctx, opt, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if rep.Tickets != 400 || rep.Messages != 4000 || rep.Generated == 0 || rep.DBBytes == 0 {
		t.Errorf("report: %d tickets, %d messages, generated in %s, %d bytes", rep.Tickets, rep.Messages, rep.Generated, rep.DBBytes)
	}
	if rep.Ingest.Messages != 100 || rep.Ingest.Stored+rep.Ingest.Duplicates != 100 || rep.Ingest.Opened == 0 {
		t.Errorf("ingest: %+v", rep.Ingest)
	}
	groups := map[string]int{}
	for _, r := range rep.Results {
		groups[r.Group] += r.N
		if r.Name == "common word (rank 30-100)" && r.Rows == 0 {
			t.Errorf("%s %s: nothing found", r.Group, r.Name)
		}
	}
	if groups["inbox"] == 0 || groups["search"] == 0 || groups["view"] == 0 {
		t.Errorf("samples per group: %v", groups)
	}
	if _, err := Run(ctx, opt, &out); err == nil {
		t.Error("a second run without Reuse filled a database that is not empty")
	}
	opt.Reuse = true
	rep, err = Run(ctx, opt, &out)
	if err != nil || rep.Generated != 0 {
		t.Errorf("reuse: generated in %s, %v", rep.Generated, err)
	}
	t.Log(out.String())
}

// TestRun is the real bench from go test (`guichet bench` is the same):
//
//	GUICHET_BENCH_DSN=/work/bench-data/guichet.db GUICHET_BENCH_TICKETS=1000000 \
//	  go test ./internal/bench -run 'TestRun$' -v -timeout 0
func TestRun(t *testing.T) {
	dsn := os.Getenv("GUICHET_BENCH_DSN")
	if dsn == "" {
		t.Skip("GUICHET_BENCH_DSN not set")
	}
	opt := Options{DSN: dsn, Reuse: true}
	opt.Tickets, _ = strconv.Atoi(os.Getenv("GUICHET_BENCH_TICKETS"))
	opt.Samples, _ = strconv.Atoi(os.Getenv("GUICHET_BENCH_SAMPLES"))
	opt.IngestBatches, _ = strconv.Atoi(os.Getenv("GUICHET_BENCH_INGEST_BATCHES"))
	opt.SkipQueries = os.Getenv("GUICHET_BENCH_SKIP_QUERIES") == "1"
	if _, err := Run(context.Background(), opt, testWriter{t}); err != nil {
		t.Fatal(err)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}
