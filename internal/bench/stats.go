package bench

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Result is the latency of one kind of call.
type Result struct {
	Group string        `json:"group"` // inbox, search, view
	Name  string        `json:"name"`
	N     int           `json:"n"`
	P50   time.Duration `json:"p50"`
	P95   time.Duration `json:"p95"`
	P99   time.Duration `json:"p99"`
	Max   time.Duration `json:"max"`
	Rows  float64       `json:"rows"` // mean rows returned
}

func (r Result) String() string {
	return fmt.Sprintf("%-7s %-34s n=%-5d p50 %8s  p95 %8s  p99 %8s  max %8s  rows %6.1f",
		r.Group, r.Name, r.N, ms(r.P50), ms(r.P95), ms(r.P99), ms(r.Max), r.Rows)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/1e6) }

// timings collects the durations of calls.
type timings struct {
	d    []time.Duration
	rows int
}

// time runs fn and records how long it took and how many rows it returned.
func (t *timings) time(fn func() (rows int, err error)) error {
	start := time.Now()
	n, err := fn()
	t.d = append(t.d, time.Since(start))
	t.rows += n
	return err
}

func (t *timings) result(group, name string) Result {
	r := Result{Group: group, Name: name, N: len(t.d)}
	if r.N == 0 {
		return r
	}
	d := slices.Clone(t.d)
	slices.Sort(d)
	r.P50, r.P95, r.P99, r.Max = rank(d, 50), rank(d, 95), rank(d, 99), d[len(d)-1]
	r.Rows = float64(t.rows) / float64(r.N)
	return r
}

// rank is the nearest-rank percentile p of sorted durations.
func rank(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, i-1)]
}

// merge is one result over several kinds of calls.
func merge(group, name string, ts ...*timings) Result {
	var all timings
	for _, t := range ts {
		all.d = append(all.d, t.d...)
		all.rows += t.rows
	}
	return all.result(group, name)
}

// measure times n calls of fn, after a few untimed ones to prepare the
// statements and warm the caches.
func measure(ctx context.Context, n int, fn func(i int) (rows int, err error)) (*timings, error) {
	for i := range min(n, 20) {
		if _, err := fn(i); err != nil {
			return nil, err
		}
	}
	t := &timings{}
	for i := range n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := t.time(func() (int, error) { return fn(i) }); err != nil {
			return nil, err
		}
	}
	return t, nil
}
