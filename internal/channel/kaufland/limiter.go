package kaufland

import (
	"context"
	"sync"
	"time"
)

// RequestsPerSecond is Kaufland's limit per seller (per client key).
const RequestsPerSecond = 111

// limiter spaces a client key's requests evenly, so that every connector of
// one seller in this process stays under Kaufland's limit together: the
// limit is the seller's, not the channel's.
type limiter struct {
	mu    sync.Mutex
	every time.Duration
	next  time.Time
}

var limiters sync.Map // client key → *limiter

func limiterFor(clientKey string) *limiter {
	l, _ := limiters.LoadOrStore(clientKey, &limiter{every: time.Second / RequestsPerSecond})
	return l.(*limiter)
}

// SetRate paces a client key's requests at perSecond instead of Kaufland's
// documented limit (0: back to it). Only for a sandbox or a test server
// that allows more: the real API answers 429 above the limit.
func SetRate(clientKey string, perSecond int) {
	if perSecond <= 0 {
		perSecond = RequestsPerSecond
	}
	l := limiterFor(clientKey)
	l.mu.Lock()
	l.every = time.Second / time.Duration(perSecond)
	l.mu.Unlock()
}

// wait takes the next free slot, or returns when ctx ends.
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	now := time.Now()
	if l.next.Before(now) {
		l.next = now
	}
	at := l.next
	l.next = l.next.Add(l.every)
	l.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
