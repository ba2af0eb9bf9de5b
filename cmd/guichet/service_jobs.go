package main

import (
	"context"
	"log/slog"
	"time"

	"guichet/internal/desk"
	"guichet/internal/jobs"
)

// startServiceJobs runs the desk's periodic work (the warnings before a
// deadline passes) until ctx ends; the channel closes when it has stopped.
func startServiceJobs(ctx context.Context, d *desk.Desk, log *slog.Logger) <-chan struct{} {
	s := jobs.New(1, log)
	s.Add(jobs.Task{Name: "desk.deadline_warnings", Every: time.Minute, Run: func(ctx context.Context) error {
		n, err := d.WarnDeadlines(ctx)
		if n > 0 {
			log.Info("avertissements de deadline envoyés", "n", n)
		}
		return err
	}})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx)
	}()
	return done
}
