package sync

import (
	"context"
	"errors"
	"fmt"
	gosync "sync"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// PollDue fetches every channel due now, at most Parallel at once, and
// waits for them.
func (r *Runner) PollDue(ctx context.Context) (Report, error) { return r.poll(ctx, true) }

// poll claims due channels one at a time as slots free up, and runs each
// in its own goroutine: a slow channel holds one slot, never the others.
// Without wait it returns once nothing more is due, leaving the runs to
// finish (Start waits for them when it stops).
func (r *Runner) poll(ctx context.Context, wait bool) (Report, error) {
	chs, err := r.channels(ctx)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	var mu gosync.Mutex
	var wg gosync.WaitGroup
	for ctx.Err() == nil {
		select {
		case r.slots <- struct{}{}:
		case <-ctx.Done():
			continue
		}
		now := r.now()
		var sts []desk.SyncState
		cerr := r.claim(ctx, func(ctx context.Context) (err error) {
			sts, err = r.c.Leases.ClaimDueChannels(ctx, r.c.Owner, now, now.Add(r.c.Lease), 1)
			return err
		})
		if cerr != nil || len(sts) == 0 {
			<-r.slots
			err = cerr
			break
		}
		st := sts[0]
		ch, ok := r.channel(chs, st.ChannelID)
		if !ok { // created since we listed them
			if chs, err = r.channels(ctx); err != nil {
				<-r.slots
				break
			}
			ch, _ = r.channel(chs, st.ChannelID)
		}
		r.running.Add(1)
		wg.Add(1)
		go func() {
			defer func() { <-r.slots; wg.Done(); r.running.Done() }()
			cr := ChannelReport{ChannelID: ch.ID, Name: ch.Name}
			r.runChannel(ctx, ch, st, &cr)
			if wait {
				mu.Lock()
				rep.Channels = append(rep.Channels, cr)
				mu.Unlock()
			}
		}()
	}
	if wait {
		wg.Wait()
	}
	return rep, err
}

// runChannel is one run of a channel whose lease st holds: fetch while the
// channel has more (MaxPages at most), each batch stored with its cursor,
// then record the outcome and the next run.
func (r *Runner) runChannel(ctx context.Context, ch desk.Channel, st desk.SyncState, cr *ChannelReport) {
	started := r.now()
	finish := func(run desk.SyncRun) {
		// Recorded even when ctx ends: a lease left behind would hold the
		// channel until it runs out.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		run.StartedAt, run.EndedAt = started, r.now()
		if err := r.c.Leases.FinishSyncRun(fctx, ch.ID, r.c.Owner, run); err != nil {
			cr.Errors = append(cr.Errors, fmt.Sprintf("enregistrement du passage : %v", err))
		}
	}
	progressed := false // a batch of this run moved the cursor on
	fail := func(err error) {
		if ctx.Err() != nil { // stopping: not the channel's fault
			finish(desk.SyncRun{Skipped: true, NextRunAt: r.now()})
			return
		}
		// After progress the failure is the first in a row: a flaky
		// channel whose every run moves its backlog on is fetched again
		// in a minute, not after a backoff doubled up to its cap.
		failures := st.Failures + 1
		if progressed {
			failures = 1
		}
		wait := pollBackoff(err, failures)
		msg := describe(err)
		cr.Errors = append(cr.Errors, msg)
		r.metrics.syncErrors.WithLabelValues(ch.Name).Inc()
		r.c.Log.Warn("synchronisation en échec", "channel", ch.Name, "err", err, "retry_in", wait)
		finish(desk.SyncRun{Err: msg, NextRunAt: r.now().Add(wait), Progressed: progressed})
	}
	conn, ok, err := r.connector(ctx, ch)
	if err != nil {
		fail(err)
		return
	}
	if !ok {
		cr.Skipped = true
		finish(desk.SyncRun{Skipped: true, NextRunAt: r.now().Add(r.every(ch, st))})
		return
	}
	cursor, more := st.Cursor, false
	for page := range r.c.MaxPages {
		if page > 0 {
			now := r.now()
			held, err := r.c.Leases.RenewChannel(ctx, ch.ID, r.c.Owner, now, now.Add(r.c.Lease))
			if err != nil {
				fail(err)
				return
			}
			if !held {
				cr.Errors = append(cr.Errors, desk.ErrLeaseLost.Message)
				return
			}
		}
		b, err := conn.Fetch(ctx, cursor)
		if err != nil {
			fail(err)
			return
		}
		cr.Fetches++
		cr.Fetched += len(b.Messages)
		res, err := r.c.Desk.IngestSync(ctx, desk.SyncBatch{ChannelID: ch.ID, Messages: b.Messages, Threads: b.Threads,
			Cursor: b.Cursor, Lease: r.c.Owner})
		if errors.Is(err, desk.ErrLeaseLost) {
			// Another process holds the channel now, and fetches this window
			// again from the cursor stored before it.
			cr.Errors = append(cr.Errors, desk.ErrLeaseLost.Message)
			return
		}
		if err != nil {
			fail(err)
			return
		}
		cr.Stored += res.Stored
		cr.Duplicates += res.Duplicates
		cr.Echoes += res.Echoes
		cr.Parked += len(res.Parked)
		r.metrics.fetched.WithLabelValues(ch.Name).Add(float64(res.Stored))
		if b.Cursor != cursor {
			progressed = true
		}
		cursor, more = b.Cursor, b.More
		if !more {
			break
		}
	}
	next := r.now().Add(r.every(ch, st))
	if more { // stopped at MaxPages: the rest at the next look
		next = r.now()
	}
	finish(desk.SyncRun{NextRunAt: next})
}

// Backoffs: a failing channel is fetched less and less often, never more
// than once a minute, at least once an hour.
const (
	pollBackoffMin = time.Minute
	pollBackoffMax = time.Hour
)

// pollBackoff is the wait after the failures-th failure in a row: what a
// rate-limiting channel asked for, the cap for refused credentials
// (nothing works until an admin fixes them), else doubling from a minute.
func pollBackoff(err error, failures int) time.Duration {
	if d, ok := channel.RetryAfterOf(err); ok {
		return min(max(d, time.Second), pollBackoffMax)
	}
	if channel.KindOf(err) == channel.Unauthorized {
		return pollBackoffMax
	}
	return doubling(pollBackoffMin, pollBackoffMax, failures)
}

// doubling is min, 2·min, 4·min… for n = 1, 2, 3…, capped.
func doubling(base, cap time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < cap; i++ {
		d *= 2
	}
	return min(d, cap)
}

// describe is a failure as the admins read it.
func describe(err error) string {
	switch channel.KindOf(err) {
	case channel.Unauthorized:
		return "identifiants refusés par le canal (vérifiez ses réglages) : " + err.Error()
	case channel.RateLimited:
		return "le canal limite les requêtes (429) : " + err.Error()
	case channel.Refused:
		return "refusé par le canal : " + err.Error()
	}
	return err.Error()
}
