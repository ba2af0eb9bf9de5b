package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"guichet/internal/desk"
)

const emailColumns = `e.id, e.channel_id, e.ticket_id, e.notification_id, e.recipients, e.reply_to, e.subject, e.body, e.files,
	e.state, e.attempts, e.next_at, e.last_error, e.message_id, e.created_at, e.sent_at`

func scanEmail(r scanner) (desk.OutgoingEmail, error) {
	var e desk.OutgoingEmail
	var channel, ticket, notification sql.NullInt64
	var to, files string
	var next, created, sent int64
	err := r.Scan(&e.ID, &channel, &ticket, &notification, &to, &e.ReplyTo, &e.Subject, &e.Body, &files,
		&e.State, &e.Attempts, &next, &e.LastError, &e.MessageID, &created, &sent)
	if err != nil {
		return e, err
	}
	e.ChannelID, e.TicketID, e.NotificationID = channel.Int64, ticket.Int64, notification.Int64
	e.NextAt, e.CreatedAt, e.SentAt = fromMS(next), fromMS(created), fromMS(sent)
	if err := json.Unmarshal([]byte(to), &e.To); err != nil {
		return e, fmt.Errorf("outgoing email %d recipients: %w", e.ID, err)
	}
	if err := json.Unmarshal([]byte(files), &e.Files); err != nil {
		return e, fmt.Errorf("outgoing email %d files: %w", e.ID, err)
	}
	return e, nil
}

func scanEmails(rows *sql.Rows) ([]desk.OutgoingEmail, error) {
	defer rows.Close()
	var out []desk.OutgoingEmail
	for rows.Next() {
		e, err := scanEmail(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *tx) InsertOutgoingEmail(ctx context.Context, e *desk.OutgoingEmail) error {
	files := e.Files
	if files == nil {
		files = []desk.EmailFile{}
	}
	var err error
	e.ID, _, err = t.insertID(ctx, `INSERT INTO outgoing_emails (channel_id, ticket_id, notification_id, recipients, reply_to, subject, body, files,
		state, attempts, next_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		nullID(e.ChannelID), nullID(e.TicketID), nullID(e.NotificationID), jsonText(nonNil(e.To)), e.ReplyTo, e.Subject, e.Body, jsonText(files),
		e.State, e.Attempts, ms(e.NextAt), ms(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert outgoing email: %w", err)
	}
	return nil
}

func (t *tx) OutgoingEmailByID(ctx context.Context, id int64) (desk.OutgoingEmail, error) {
	e, err := scanEmail(t.queryRow(ctx, `SELECT `+emailColumns+` FROM outgoing_emails e WHERE e.id = $1`, id))
	return e, notFound(err, "email")
}

func (t *tx) UpdateOutgoingEmail(ctx context.Context, e *desk.OutgoingEmail) error {
	_, err := t.exec(ctx, `UPDATE outgoing_emails SET state = $1, attempts = $2, next_at = $3, last_error = $4, message_id = $5,
		sent_at = $6, lease_until = 0 WHERE id = $7`, e.State, e.Attempts, ms(e.NextAt), e.LastError, e.MessageID, ms(e.SentAt), e.ID)
	return err
}

func (t *tx) ClaimEmails(ctx context.Context, now, until time.Time, limit int) ([]desk.OutgoingEmail, error) {
	rows, err := t.query(ctx, `SELECT `+emailColumns+` FROM outgoing_emails e
		WHERE e.state = 'queued' AND e.next_at <= $1 ORDER BY e.next_at, e.id LIMIT $2`+t.skipLocked("e"), ms(now), limit)
	if err != nil {
		return nil, err
	}
	out, err := scanEmails(rows)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if _, err := t.exec(ctx, `UPDATE outgoing_emails SET next_at = $1, lease_until = $1 WHERE id = $2`, ms(until), out[i].ID); err != nil {
			return nil, err
		}
		out[i].NextAt = until
	}
	return out, nil
}

func (t *tx) OutgoingEmails(ctx context.Context, ticketID int64) ([]desk.OutgoingEmail, error) {
	rows, err := t.query(ctx, `SELECT `+emailColumns+` FROM outgoing_emails e
		WHERE e.ticket_id = $1 AND e.notification_id IS NULL ORDER BY e.id`, ticketID)
	if err != nil {
		return nil, err
	}
	return scanEmails(rows)
}

func (t *tx) FirstEmailChannel(ctx context.Context) (desk.Channel, error) {
	c, err := scanChannel(t.queryRow(ctx, `SELECT `+channelColumns+` FROM channels WHERE kind = $1 AND active = 1 ORDER BY id LIMIT 1`, desk.ChannelEmail))
	return c, notFound(err, "canal email")
}

func (t *tx) PendingNotificationEmails(ctx context.Context, limit int) ([]desk.Notification, error) {
	rows, err := t.query(ctx, `SELECT n.id, n.agent_id, n.ticket_id, n.kind, n.text, n.by_name, n.created_at, n.email_state
		FROM notifications n WHERE n.email_state = 'pending'
		AND NOT EXISTS (SELECT 1 FROM outgoing_emails e WHERE e.notification_id = n.id)
		ORDER BY n.id LIMIT $1`+t.skipLocked("n"), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Notification
	for rows.Next() {
		var n desk.Notification
		var ticket sql.NullInt64
		var created int64
		if err := rows.Scan(&n.ID, &n.AgentID, &ticket, &n.Kind, &n.Text, &n.ByName, &created, &n.EmailState); err != nil {
			return nil, err
		}
		n.TicketID, n.CreatedAt = ticket.Int64, fromMS(created)
		out = append(out, n)
	}
	return out, rows.Err()
}

func (t *tx) SetNotificationEmailState(ctx context.Context, id int64, state string) error {
	_, err := t.exec(ctx, `UPDATE notifications SET email_state = $1 WHERE id = $2`, state, id)
	return err
}
