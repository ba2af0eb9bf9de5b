package bench_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/bench"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// A shorter span packs the tickets into the days before Until, and the
// day roll-up the triggers keep during the bulk load matches its hours.
func TestLoadDataSpan(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		until := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		spec := bench.DataSpec{Tickets: 200, Seed: 3, Until: until, Span: 10 * 24 * time.Hour}
		if err := bench.LoadData(ctx, s, spec, nil); err != nil {
			t.Fatal(err)
		}
		var first, last int64
		if err := s.DB().QueryRowContext(ctx, `SELECT min(opened_at), max(opened_at) FROM tickets`).Scan(&first, &last); err != nil {
			t.Fatal(err)
		}
		from := until.Add(-spec.Span)
		if f, l := time.UnixMilli(first), time.UnixMilli(last); f.Before(from) || !l.Before(until) || l.Sub(f) < 9*24*time.Hour {
			t.Errorf("tickets opened from %v to %v; want over the 10 days to %v", f.UTC(), l.UTC(), until)
		}
		var days, hours int64
		if err := s.DB().QueryRowContext(ctx, `SELECT (SELECT sum(msgs_in + msgs_out + closed) FROM perf_days),
			(SELECT sum(msgs_in + msgs_out + closed) FROM perf_hours)`).Scan(&days, &hours); err != nil {
			t.Fatal(err)
		}
		if days != hours || hours == 0 {
			t.Errorf("perf_days hold %d counts, perf_hours %d", days, hours)
		}
		spec.Span = time.Hour
		if err := bench.LoadData(ctx, s, spec, nil); err == nil {
			t.Error("a span of an hour was accepted")
		}
	})
}
