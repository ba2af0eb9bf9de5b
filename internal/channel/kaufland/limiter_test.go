package kaufland

import (
	"context"
	"sync"
	"testing"
	"time"
)

// Two connectors of one seller share its 111 requests per second.
func TestLimiterSharedPerClientKey(t *testing.T) {
	a, b := limiterFor("limiter-test-key"), limiterFor("limiter-test-key")
	if a != b {
		t.Fatal("one limiter per client key")
	}
	if limiterFor("another-key") == a {
		t.Fatal("keys share a limiter")
	}
	start := time.Now()
	var wg sync.WaitGroup
	for _, l := range []*limiter{a, b} {
		wg.Go(func() {
			for range 56 {
				if err := l.wait(context.Background()); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	// 112 requests at 111/s: the last one a second after the first.
	if d := time.Since(start); d < 990*time.Millisecond {
		t.Errorf("112 requests in %v", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 5 {
		a.wait(context.Background())
	}
	if err := a.wait(ctx); err == nil {
		t.Error("wait ignores its context")
	}
}
