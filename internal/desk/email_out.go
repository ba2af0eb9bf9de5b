package desk

import (
	"context"
	"time"
)

// OutgoingEmail is an email that is not a reply on a thread: a ticket
// forwarded to someone outside, the message of a contact that stores
// nothing, an agent's notification. A worker sends it through an email
// channel's connector, retrying with backoff.
type OutgoingEmail struct {
	ID             int64       `json:"id"`
	ChannelID      int64       `json:"channel_id"` // the email channel that sends it
	TicketID       int64       `json:"ticket_id,omitempty"`
	NotificationID int64       `json:"notification_id,omitempty"`
	To             []string    `json:"to"`
	ReplyTo        string      `json:"reply_to,omitempty"`
	Subject        string      `json:"subject"`
	Body           string      `json:"body"`
	Files          []EmailFile `json:"files,omitempty"`
	State          string      `json:"state"` // EmailQueued, EmailSent, EmailFailed
	Attempts       int         `json:"attempts"`
	NextAt         time.Time   `json:"next_at"`
	LastError      string      `json:"last_error,omitempty"`
	MessageID      string      `json:"message_id,omitempty"` // the Message-ID it went with
	CreatedAt      time.Time   `json:"created_at"`
	SentAt         time.Time   `json:"sent_at,omitzero"`
}

// EmailFile is an attachment of an outgoing email; its bytes are in the
// blob store.
type EmailFile struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	BlobKey     string `json:"blob_key"`
}

// Outgoing email states.
const (
	EmailQueued = "queued"
	EmailSent   = "sent"
	EmailFailed = "failed" // given up after maxEmailAttempts
)

// maxEmailAttempts is how many times an email is tried before it is failed.
const maxEmailAttempts = 8

// EmailTx stores the outgoing emails. ClaimEmails leases the due queued
// ones until `until` (their next_at moves there, so that no other process
// takes them meanwhile), skipping rows another transaction holds.
type EmailTx interface {
	InsertOutgoingEmail(ctx context.Context, e *OutgoingEmail) error
	OutgoingEmailByID(ctx context.Context, id int64) (OutgoingEmail, error)
	UpdateOutgoingEmail(ctx context.Context, e *OutgoingEmail) error
	ClaimEmails(ctx context.Context, now, until time.Time, limit int) ([]OutgoingEmail, error)
	OutgoingEmails(ctx context.Context, ticketID int64) ([]OutgoingEmail, error)
	// FirstEmailChannel is the first active email channel; ENotFound when none.
	FirstEmailChannel(ctx context.Context) (Channel, error)
	// PendingNotificationEmails lists notifications whose email_state is
	// pending and that have no outgoing email yet, oldest first.
	PendingNotificationEmails(ctx context.Context, limit int) ([]Notification, error)
	SetNotificationEmailState(ctx context.Context, id int64, state string) error
	AgentNotifyByEmail(ctx context.Context, agentID int64) (bool, error)
	SetAgentNotifyByEmail(ctx context.Context, agentID int64, on bool) error
}

// EventEmailed records in a ticket's history that it went by email to
// someone outside (New: the address; Old: "failed" when given up).
const EventEmailed EventKind = "emailed"

// sendingChannel is the email channel that sends what is not a reply:
// prefer, when it is an active email channel, else the option, else the
// first active email channel.
func sendingChannel(ctx context.Context, tx Tx, prefer int64) (Channel, error) {
	if prefer != 0 {
		if ch, err := tx.ChannelByID(ctx, prefer); err == nil && ch.Kind == ChannelEmail && ch.Active {
			return ch, nil
		}
	}
	o, err := serviceOptions(ctx, tx)
	if err != nil {
		return Channel{}, err
	}
	if o.SendingChannelID != 0 {
		if ch, err := tx.ChannelByID(ctx, o.SendingChannelID); err == nil && ch.Kind == ChannelEmail && ch.Active {
			return ch, nil
		}
	}
	ch, err := tx.FirstEmailChannel(ctx)
	if IsNotFound(err) {
		return Channel{}, Errorf(EConflict, "aucun canal email actif pour envoyer : ajoutez-en un dans Administration › Canaux")
	}
	return ch, err
}

// SendingChannel is the email channel that sends what a ticket's own
// channel cannot send by email: the Email thread's replies on marketplace
// and shop tickets, forwards, notifications. The service options name it
// (Administration › Contacts › Options); by default the first active email
// channel. ENotFound when there is none.
func (d *Desk) SendingChannel(ctx context.Context) (Channel, error) {
	var ch Channel
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		ch, err = sendingChannel(ctx, tx, 0)
		if ErrorCode(err) == EConflict {
			return NotFound("canal email d'envoi")
		}
		return err
	})
	return ch, err
}

// queueEmail stores an email to send now.
func (d *Desk) queueEmail(ctx context.Context, tx Tx, e *OutgoingEmail) error {
	now := d.Now()
	e.State, e.NextAt, e.CreatedAt = EmailQueued, now, now
	return tx.InsertOutgoingEmail(ctx, e)
}

// ClaimEmails leases up to limit due emails for lease; the worker sends
// them and reports with EmailSent or EmailFailed.
func (d *Desk) ClaimEmails(ctx context.Context, lease time.Duration, limit int) ([]OutgoingEmail, error) {
	now := d.Now()
	var out []OutgoingEmail
	err := d.store.Write(ctx, func(tx Tx) error {
		var err error
		out, err = tx.ClaimEmails(ctx, now, now.Add(lease), limit)
		return err
	})
	return out, err
}

// EmailSent records that an email left, with the Message-ID it went with.
func (d *Desk) EmailSent(ctx context.Context, id int64, messageID string) error {
	now := d.Now()
	return d.store.Write(ctx, func(tx Tx) error {
		e, err := tx.OutgoingEmailByID(ctx, id)
		if err != nil {
			return err
		}
		e.State, e.SentAt, e.MessageID, e.LastError = EmailSent, now, clip(messageID, 300), ""
		e.Attempts++
		if err := tx.UpdateOutgoingEmail(ctx, &e); err != nil {
			return err
		}
		if e.NotificationID != 0 {
			return tx.SetNotificationEmailState(ctx, e.NotificationID, EmailSent)
		}
		return nil
	})
}

// EmailFailed records a failed attempt: tried again after a backoff that
// doubles from one minute, or given up (permanent, or after
// maxEmailAttempts), which a ticket's history then shows.
func (d *Desk) EmailFailed(ctx context.Context, id int64, reason string, permanent bool) (gaveUp bool, err error) {
	now := d.Now()
	var events []Event
	err = d.store.Write(ctx, func(tx Tx) error {
		events = nil
		e, err := tx.OutgoingEmailByID(ctx, id)
		if err != nil {
			return err
		}
		e.Attempts++
		e.LastError = clip(reason, 500)
		gaveUp = permanent || e.Attempts >= maxEmailAttempts
		if !gaveUp {
			e.NextAt = now.Add(EmailBackoff(e.Attempts))
			return tx.UpdateOutgoingEmail(ctx, &e)
		}
		e.State = EmailFailed
		if err := tx.UpdateOutgoingEmail(ctx, &e); err != nil {
			return err
		}
		if e.NotificationID != 0 {
			if err := tx.SetNotificationEmailState(ctx, e.NotificationID, EmailFailed); err != nil {
				return err
			}
		}
		if e.TicketID != 0 && e.NotificationID == 0 {
			ev := Event{TicketID: e.TicketID, At: now, ActorName: SystemAuthor, Kind: EventEmailed, Old: EmailFailed, New: joinAddresses(e.To)}
			events = append(events, ev)
			return tx.InsertEvent(ctx, &ev)
		}
		return nil
	})
	if err == nil {
		d.notifyEvents(Actor{Name: SystemAuthor}, events)
	}
	return gaveUp, err
}

// EmailBackoff is the wait before attempt n+1: 1, 2, 4... minutes, at
// most 6 hours.
func EmailBackoff(attempts int) time.Duration {
	d := time.Minute << min(max(attempts-1, 0), 10)
	return min(d, 6*time.Hour)
}

// TicketEmails lists the emails a ticket was sent outside with.
func (d *Desk) TicketEmails(ctx context.Context, actor Actor, ticketID int64) ([]OutgoingEmail, error) {
	if actor.AgentID == 0 {
		return nil, Errorf(EForbidden, "réservé aux agents")
	}
	var out []OutgoingEmail
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		out, err = tx.OutgoingEmails(ctx, ticketID)
		return err
	})
	return out, err
}

func joinAddresses(as []string) string {
	s := ""
	for i, a := range as {
		if i > 0 {
			s += ", "
		}
		s += a
	}
	return s
}
