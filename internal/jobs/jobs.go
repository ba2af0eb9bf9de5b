// Package jobs runs periodic background tasks: a scheduler goroutine hands
// due tasks to a bounded pool of workers until its context ends. A task
// never runs twice at once in one process; across processes, tasks that
// must run once claim their work in the database themselves.
package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Task is a named periodic function.
type Task struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// Scheduler runs tasks. Add tasks before Run.
type Scheduler struct {
	workers int
	log     *slog.Logger

	mu      sync.Mutex
	tasks   map[string]*entry
	order   []*entry
	trigger chan string
}

type entry struct {
	Task
	next    time.Time
	running bool
	again   bool // triggered while running: run once more after
}

// New returns a scheduler with at most workers tasks running at once.
func New(workers int, log *slog.Logger) *Scheduler {
	if workers < 1 {
		workers = 1
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{workers: workers, log: log, tasks: map[string]*entry{}, trigger: make(chan string, 64)}
}

// Add registers a task; its first run is right after Run starts.
func (s *Scheduler) Add(t Task) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := &entry{Task: t}
	s.tasks[t.Name] = e
	s.order = append(s.order, e)
}

// Trigger asks for a run of the named task now (or, when it is running,
// once more right after). It never blocks.
func (s *Scheduler) Trigger(name string) {
	select {
	case s.trigger <- name:
	default: // a burst of triggers: the ones queued already will do
	}
}

// Run schedules until ctx ends, then waits for the running tasks (which
// see ctx cancelled) to return.
func (s *Scheduler) Run(ctx context.Context) {
	work := make(chan *entry)
	done := make(chan *entry, s.workers)
	var wg sync.WaitGroup
	for range s.workers {
		wg.Go(func() {
			for e := range work {
				start := time.Now()
				if err := e.Run(ctx); err != nil && ctx.Err() == nil {
					s.log.Warn("tâche en échec", "task", e.Name, "err", err, "took", time.Since(start))
				}
				done <- e
			}
		})
	}
	defer func() {
		close(work)
		// Drain the workers' reports so that none blocks on done.
		go func() {
			for range done {
			}
		}()
		wg.Wait()
		close(done)
	}()

	var queue []*entry // due, waiting for a free worker
	busy := 0
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		now := time.Now()
		s.mu.Lock()
		wake := now.Add(time.Hour)
		for _, e := range s.order {
			switch {
			case e.running || queued(queue, e):
			case !e.next.After(now):
				queue = append(queue, e)
			case e.next.Before(wake):
				wake = e.next
			}
		}
		s.mu.Unlock()
		var send chan *entry
		var head *entry
		if len(queue) > 0 && busy < s.workers {
			send, head = work, queue[0]
		}
		timer.Reset(max(time.Until(wake), time.Millisecond))
		select {
		case <-ctx.Done():
			return
		case send <- head:
			queue = queue[1:]
			busy++
			s.mu.Lock()
			head.running = true
			s.mu.Unlock()
		case e := <-done:
			busy--
			s.mu.Lock()
			e.running = false
			e.next = time.Now().Add(e.Every)
			if e.again {
				e.again, e.next = false, time.Time{}
			}
			s.mu.Unlock()
		case name := <-s.trigger:
			s.mu.Lock()
			if e := s.tasks[name]; e != nil {
				if e.running {
					e.again = true
				} else {
					e.next = time.Time{}
				}
			}
			s.mu.Unlock()
		case <-timer.C:
		}
	}
}

func queued(q []*entry, e *entry) bool {
	for _, x := range q {
		if x == e {
			return true
		}
	}
	return false
}
