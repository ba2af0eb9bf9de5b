package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestTaskRunsAtStartAndOnTrigger(t *testing.T) {
	s := New(2, nil)
	runs := make(chan struct{}, 10)
	s.Add(Task{Name: "a", Every: time.Hour, Run: func(context.Context) error { runs <- struct{}{}; return nil }})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { s.Run(ctx); close(stopped) }()
	<-runs // the first run is at start
	s.Trigger("a")
	<-runs
	s.Trigger("unknown") // ignored
	cancel()
	<-stopped
}

func TestNoOverlappingRuns(t *testing.T) {
	s := New(4, nil)
	var inside, most, total atomic.Int32
	release := make(chan struct{})
	s.Add(Task{Name: "slow", Every: time.Millisecond, Run: func(context.Context) error {
		n := inside.Add(1)
		if n > most.Load() {
			most.Store(n)
		}
		if total.Add(1) == 1 {
			<-release
		}
		inside.Add(-1)
		return nil
	}})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { s.Run(ctx); close(stopped) }()
	for range 20 {
		s.Trigger("slow") // while it runs: at most one more run after
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	for total.Load() < 5 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-stopped
	if most.Load() != 1 {
		t.Fatalf("%d runs of one task at once", most.Load())
	}
}

func TestPoolIsBounded(t *testing.T) {
	s := New(2, nil)
	var inside, most atomic.Int32
	var mu sync.Mutex
	seen := map[string]bool{}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		s.Add(Task{Name: name, Every: time.Hour, Run: func(context.Context) error {
			n := inside.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			inside.Add(-1)
			mu.Lock()
			seen[name] = true
			mu.Unlock()
			return nil
		}})
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { s.Run(ctx); close(stopped) }()
	for {
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		if n == 5 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-stopped
	if most.Load() > 2 {
		t.Fatalf("%d tasks at once with 2 workers", most.Load())
	}
}

func TestRunWaitsForRunningTasks(t *testing.T) {
	s := New(1, nil)
	var ended atomic.Bool
	started := make(chan struct{})
	s.Add(Task{Name: "a", Every: time.Hour, Run: func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		time.Sleep(5 * time.Millisecond)
		ended.Store(true)
		return ctx.Err()
	}})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { s.Run(ctx); close(stopped) }()
	<-started
	cancel()
	<-stopped
	if !ended.Load() {
		t.Fatal("Run returned before its task")
	}
}
