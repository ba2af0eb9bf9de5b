package main

import (
	"context"
	"log/slog"
	"time"

	"guichet/internal/desk"
	"guichet/internal/jobs"
)

// automaticEvery is how often the reminders and automatic closes are looked for.
const automaticEvery = time.Minute

// startAutomatic runs the automatic messages that wait on time (the
// reminder, the automatic close) until ctx ends; the returned channel is
// closed once the run in flight has stopped. Several processes may run it:
// desk sends each message once and closes a ticket once.
func startAutomatic(ctx context.Context, d *desk.Desk, log *slog.Logger) <-chan struct{} {
	s := jobs.New(1, log)
	s.Add(jobs.Task{Name: "desk.waiting_rules", Every: automaticEvery, Run: func(ctx context.Context) error {
		r, err := d.RunWaitingRules(ctx)
		if r.Reminded > 0 || r.Closed > 0 {
			log.Info("messages automatiques", "rappels", r.Reminded, "fermetures", r.Closed)
		}
		return err
	}})
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	return done
}
