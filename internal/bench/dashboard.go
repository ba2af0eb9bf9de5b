package bench

import (
	"context"
	"time"

	"guichet/internal/desk"
)

// monthDashboard is the summary's line: « Performance du service » over one
// calendar month, as the page asks for it.
const monthDashboard = "a month (desk.Performance)"

// dashboard times the service's figures over the last full month of the
// tickets loaded, over any of the twelve before, and over a week.
func (b *bench) dashboard(ctx context.Context) ([]Result, error) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.UTC
	}
	// Where the data ends (a set loaded in part ends early): plain SQL.
	var lastOpened int64
	if err := b.s.DB().QueryRowContext(ctx, `SELECT coalesce(max(opened_at), 0) FROM ticket_facts`).Scan(&lastOpened); err != nil {
		return nil, err
	}
	until := DataSpec{}.until().In(paris)
	if lastOpened > 0 {
		until = time.UnixMilli(lastOpened).In(paris)
	}
	last := time.Date(until.Year(), until.Month(), 1, 0, 0, 0, 0, paris).AddDate(0, -1, 0)
	n := max(b.opt.Samples/10, 20)
	run := func(q desk.PerformanceQuery) (int, error) {
		q.Location = paris
		p, err := b.d.Performance(ctx, b.actor, q)
		return p.Overall.Opened, err
	}
	month, err := measure(ctx, n, func(int) (int, error) {
		return run(desk.PerformanceQuery{From: last, To: last.AddDate(0, 1, 0)})
	})
	if err != nil {
		return nil, err
	}
	anyMonth, err := measure(ctx, n, func(int) (int, error) {
		from := last.AddDate(0, -b.r.IntN(12), 0)
		return run(desk.PerformanceQuery{From: from, To: from.AddDate(0, 1, 0)})
	})
	if err != nil {
		return nil, err
	}
	week, err := measure(ctx, n, func(int) (int, error) {
		from := last.AddDate(0, 0, b.r.IntN(24))
		return run(desk.PerformanceQuery{From: from, To: from.AddDate(0, 0, 7)})
	})
	if err != nil {
		return nil, err
	}
	return []Result{month.result("dashboard", monthDashboard), anyMonth.result("dashboard", "one of the last 12 months"),
		week.result("dashboard", "a week")}, nil
}
