// Package outmail sends the desk's emails that are not replies on a thread
// (a ticket forwarded outside, a contact's forwarded form message, agents'
// notifications) through the email connector of their channel, retrying
// with backoff: the desk keeps them queued in its database, so that a
// restart or a mail server down loses none.
package outmail

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Desk is what the worker asks of the application: a *desk.Desk.
type Desk interface {
	Channel(ctx context.Context, id int64) (desk.Channel, error)
	QueueNotificationEmails(ctx context.Context, limit int) (int, error)
	ClaimEmails(ctx context.Context, lease time.Duration, limit int) ([]desk.OutgoingEmail, error)
	EmailSent(ctx context.Context, id int64, messageID string) error
	EmailFailed(ctx context.Context, id int64, reason string, permanent bool) (gaveUp bool, err error)
}

// Connectors builds a channel's connector: a *channel.Connectors.
type Connectors interface {
	Connector(ctx context.Context, ch desk.Channel) (channel.Connector, error)
}

// Blobs opens the bytes of attachments.
type Blobs interface {
	Open(ctx context.Context, key string) (io.ReadCloser, error)
}

// Worker sends due emails.
type Worker struct {
	Desk       Desk
	Connectors Connectors
	Blobs      Blobs
	Log        *slog.Logger
	Lease      time.Duration // how long a claimed email is ours; default 2 minutes
	Batch      int           // emails per run; default 20
}

// Result counts what a run did.
type Result struct {
	Notifications int // notifications turned into emails
	Sent, Retried int
	Failed        int // given up
}

// RunOnce queues the pending notification emails, then sends the emails
// that are due.
func (w *Worker) RunOnce(ctx context.Context) (Result, error) {
	var res Result
	var err error
	if res.Notifications, err = w.Desk.QueueNotificationEmails(ctx, 100); err != nil {
		return res, err
	}
	es, err := w.Desk.ClaimEmails(ctx, cmp.Or(w.Lease, 2*time.Minute), cmp.Or(w.Batch, 20))
	if err != nil {
		return res, err
	}
	for _, e := range es {
		id, sendErr := w.send(ctx, e)
		if sendErr == nil {
			if err := w.Desk.EmailSent(ctx, e.ID, id); err != nil {
				return res, err
			}
			res.Sent++
			continue
		}
		if ctx.Err() != nil {
			return res, ctx.Err() // stopping: the lease runs out and it is sent later
		}
		// A channel without its settings yet is retried: an admin may fill them.
		permanent := channel.KindOf(sendErr) == channel.Refused
		gaveUp, err := w.Desk.EmailFailed(ctx, e.ID, sendErr.Error(), permanent)
		if err != nil {
			return res, err
		}
		w.log().Warn("email non envoyé", "email", e.ID, "channel", e.ChannelID, "error", sendErr, "abandon", gaveUp)
		if gaveUp {
			res.Failed++
		} else {
			res.Retried++
		}
	}
	return res, nil
}

func (w *Worker) send(ctx context.Context, e desk.OutgoingEmail) (string, error) {
	ch, err := w.Desk.Channel(ctx, e.ChannelID)
	if err != nil {
		return "", fmt.Errorf("canal d'envoi : %w", err)
	}
	conn, err := w.Connectors.Connector(ctx, ch)
	if err != nil {
		return "", fmt.Errorf("canal %s : %w", ch.Name, err)
	}
	m, ok := conn.(channel.Mailer)
	if !ok {
		return "", &channel.Error{Kind: channel.Refused, Message: fmt.Sprintf("le canal %s n'envoie pas d'emails", ch.Name)}
	}
	msg := channel.Email{To: e.To, ReplyTo: e.ReplyTo, Subject: e.Subject, Text: e.Body}
	for _, f := range e.Files {
		data, err := w.read(ctx, f.BlobKey)
		if err != nil {
			return "", fmt.Errorf("pièce jointe %s : %w", f.Name, err)
		}
		msg.Files = append(msg.Files, channel.File{Name: f.Name, ContentType: f.ContentType, Data: data})
	}
	return m.Mail(ctx, msg)
}

func (w *Worker) read(ctx context.Context, key string) ([]byte, error) {
	r, err := w.Blobs.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, desk.MaxFileSize+1))
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}
