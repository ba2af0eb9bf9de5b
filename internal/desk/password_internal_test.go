package desk

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
)

// The gate runs at most its slots at once, queues up to its bound, refuses
// past it at once, and lets a waiter go when its context ends.
func TestHashGateBoundsAndQueues(t *testing.T) {
	g := newHashGate(2) // 2 slots, 32 waiters
	release := make(chan struct{})
	started := make(chan struct{}, 64)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 2 + int(g.maxWaiting) {
		wg.Go(func() {
			errs <- g.do(context.Background(), func() { started <- struct{}{}; <-release })
		})
	}
	<-started
	<-started
	for g.waiting.Load() < g.maxWaiting { // every other caller is queued
		select {
		case <-started:
			t.Fatal("a third hash started while two were running")
		default:
			runtime.Gosched()
		}
	}
	if err := g.do(context.Background(), func() { t.Error("ran past the queue's bound") }); !errors.Is(err, ErrBusy) || ErrorCode(err) != ETooMany {
		t.Errorf("past the queue: %v; want ErrBusy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	g.maxWaiting++ // room for one more, that gives up
	done := make(chan error)
	go func() { done <- g.do(ctx, func() { t.Error("a cancelled waiter ran") }) }()
	for g.waiting.Load() < g.maxWaiting {
		runtime.Gosched()
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) || ErrorCode(err) != ETooMany {
		t.Errorf("cancelled waiter: %v", err)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if p, b := g.peak.Load(), g.busy.Load(); p != 2 || b != 1 {
		t.Errorf("peak %d, busy %d; want 2 and 1", p, b)
	}
}
