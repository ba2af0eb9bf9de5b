package ui

import (
	"sync"
	"time"
)

// Limiter counts failures per key (an IP, an email) in a sliding window and
// refuses a key once it reached the limit. In memory: one guichet process;
// a restart forgets (an acceptable gap for sign-in throttling).
type Limiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

// maxLimiterKeys bounds the memory an attacker spraying keys can take.
const maxLimiterKeys = 100_000

// NewLimiter refuses a key after max failures within window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{max: max, window: window, now: time.Now, failures: map[string][]time.Time{}}
}

// Blocked reports whether any of the keys is over its limit.
func (l *Limiter) Blocked(keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		if len(l.recent(k, now)) >= l.max {
			return true
		}
	}
	return false
}

// Fail records one failure for each key.
func (l *Limiter) Fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.failures) >= maxLimiterKeys {
		l.prune(now)
	}
	for _, k := range keys {
		l.failures[k] = append(l.recent(k, now), now)
	}
}

// Reset forgets a key's failures (after a successful sign-in).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	delete(l.failures, key)
	l.mu.Unlock()
}

func (l *Limiter) recent(k string, now time.Time) []time.Time {
	ts := l.failures[k]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	if i == len(ts) {
		delete(l.failures, k)
		return nil
	}
	ts = ts[i:]
	l.failures[k] = ts
	return ts
}

func (l *Limiter) prune(now time.Time) {
	for k := range l.failures {
		l.recent(k, now)
	}
	if len(l.failures) >= maxLimiterKeys { // still full: forget the oldest half at random
		n := 0
		for k := range l.failures {
			delete(l.failures, k)
			if n++; n > maxLimiterKeys/2 {
				break
			}
		}
	}
}
