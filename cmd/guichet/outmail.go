package main

import (
	"context"
	"log/slog"
	"time"

	"guichet/internal/blob"
	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/outmail"
)

// sendEmails runs the outgoing-email worker (forwards, notifications) every
// 20 seconds until ctx ends; the channel it returns closes when its last
// run is over, so that the database closes after it.
func sendEmails(ctx context.Context, d *desk.Desk, cs *channel.Connectors, blobs *blob.Local, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	w := &outmail.Worker{Desk: d, Connectors: cs, Blobs: blobs, Log: log}
	go func() {
		defer close(done)
		tick := time.NewTicker(20 * time.Second)
		defer tick.Stop()
		for {
			if res, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
				log.Error("envoi des emails", "error", err)
			} else if res.Sent+res.Retried+res.Failed > 0 {
				log.Info("emails", "envoyés", res.Sent, "à réessayer", res.Retried, "abandonnés", res.Failed)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return done
}
