package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"guichet/internal/desk"
)

const deliveryColumns = `d.message_id, d.ticket_id, d.channel_id, d.state, d.attempts, d.next_at, d.last_error,
	d.lease_owner, d.lease_until, d.created_at, d.updated_at, COALESCE(m.source_id, '')`

func scanDelivery(r scanner) (desk.OutboxEntry, error) {
	var e desk.OutboxEntry
	var next, until, created, updated int64
	err := r.Scan(&e.MessageID, &e.TicketID, &e.ChannelID, &e.State, &e.Attempts, &next, &e.LastError,
		&e.LeaseOwner, &until, &created, &updated, &e.SourceID)
	e.NextAt, e.LeaseUntil, e.CreatedAt, e.UpdatedAt = fromMS(next), fromMS(until), fromMS(created), fromMS(updated)
	return e, err
}

func scanDeliveries(rows *sql.Rows) ([]desk.OutboxEntry, error) {
	defer rows.Close()
	var out []desk.OutboxEntry
	for rows.Next() {
		e, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *tx) InsertDelivery(ctx context.Context, e *desk.OutboxEntry) error {
	_, err := t.exec(ctx, `INSERT INTO deliveries (message_id, ticket_id, channel_id, state, attempts, next_at, last_error, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		e.MessageID, e.TicketID, e.ChannelID, e.State, e.Attempts, ms(e.NextAt), e.LastError, ms(e.CreatedAt), ms(e.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert delivery: %w", err)
	}
	return nil
}

func (t *tx) Delivery(ctx context.Context, messageID int64) (desk.OutboxEntry, error) {
	lock := ""
	if t.write && t.s.dialect.name() == "postgres" {
		lock = " FOR UPDATE OF d"
	}
	e, err := scanDelivery(t.queryRow(ctx, `SELECT `+deliveryColumns+` FROM deliveries d JOIN messages m ON m.id = d.message_id
		WHERE d.message_id = $1`+lock, messageID))
	return e, notFound(err, "envoi")
}

// OpeningAhead says whether an earlier reply of the thread is still queued
// or being sent.
func (t *tx) OpeningAhead(ctx context.Context, threadID, messageID int64) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM deliveries d JOIN messages m ON m.id = d.message_id
		WHERE m.thread_id = $1 AND m.id < $2 AND d.state IN ('queued', 'sending')`, threadID, messageID).Scan(&n)
	return n > 0, err
}

func (t *tx) UpdateDelivery(ctx context.Context, e *desk.OutboxEntry) error {
	_, err := t.exec(ctx, `UPDATE deliveries SET state = $1, attempts = $2, next_at = $3, last_error = $4, updated_at = $5,
		lease_owner = '', lease_until = 0 WHERE message_id = $6`,
		e.State, e.Attempts, ms(e.NextAt), e.LastError, ms(e.UpdatedAt), e.MessageID)
	if err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	return nil
}

func (t *tx) MarkSending(ctx context.Context, messageID int64, lease string, now, until time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE deliveries SET state = 'sending', attempts = attempts + 1, next_at = $1, lease_until = $1, updated_at = $2
		WHERE message_id = $3 AND state IN ('queued', 'sending') AND lease_owner = $4 AND lease_until > $2`, ms(until), ms(now), messageID, lease)
	if err != nil {
		return false, fmt.Errorf("mark sending: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (t *tx) Deliveries(ctx context.Context, f desk.DeliveryFilter) ([]desk.OutboxEntry, error) {
	var where []string
	var args []any
	if len(f.States) > 0 {
		var ps []string
		for _, st := range f.States {
			args = append(args, string(st))
			ps = append(ps, t.param(len(args)))
		}
		where = append(where, "d.state IN ("+strings.Join(ps, ", ")+")")
	}
	if f.ChannelID != 0 {
		args = append(args, f.ChannelID)
		where = append(where, "d.channel_id = "+t.param(len(args)))
	}
	if f.TicketID != 0 {
		args = append(args, f.TicketID)
		where = append(where, "d.ticket_id = "+t.param(len(args)))
	}
	q := `SELECT ` + deliveryColumns + ` FROM deliveries d JOIN messages m ON m.id = d.message_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit)
	rows, err := t.queryOnce(ctx, q+" ORDER BY d.updated_at DESC, d.message_id DESC LIMIT "+t.param(len(args)), args...)
	if err != nil {
		return nil, err
	}
	return scanDeliveries(rows)
}

func (t *tx) CountDeliveries(ctx context.Context) (map[desk.DeliveryState]int, error) {
	rows, err := t.query(ctx, `SELECT state, COUNT(*) FROM deliveries WHERE state <> 'sent' GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[desk.DeliveryState]int{}
	for rows.Next() {
		var st desk.DeliveryState
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

func (t *tx) SetMessageDelivery(ctx context.Context, messageID int64, d desk.Delivery, deliveryError, sourceID string) error {
	_, err := t.exec(ctx, `UPDATE messages SET delivery = $1, delivery_error = $2,
		source_id = CASE WHEN $3 = '' THEN source_id ELSE $3 END WHERE id = $4`, d, deliveryError, sourceID, messageID)
	if err != nil {
		return fmt.Errorf("set message delivery: %w", err)
	}
	return nil
}

func (t *tx) MessageByID(ctx context.Context, id int64) (desk.Message, error) {
	var ticketID int64
	if err := t.queryRow(ctx, `SELECT ticket_id FROM messages WHERE id = $1`, id).Scan(&ticketID); err != nil {
		return desk.Message{}, notFound(err, "message")
	}
	ms, err := t.Messages(ctx, ticketID)
	if err != nil {
		return desk.Message{}, err
	}
	for _, m := range ms {
		if m.ID == id {
			return m, nil
		}
	}
	return desk.Message{}, desk.NotFound("message")
}

func (t *tx) EchoCandidates(ctx context.Context, ticketID int64) ([]desk.EchoCandidate, error) {
	rows, err := t.query(ctx, `SELECT m.id, m.body, COALESCE(d.state, '') FROM messages m LEFT JOIN deliveries d ON d.message_id = m.id
		WHERE m.ticket_id = $1 AND m.direction = 'out' AND m.internal = 0 AND m.source_id IS NULL AND m.author_agent_id IS NOT NULL
		ORDER BY m.seq`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.EchoCandidate
	for rows.Next() {
		var c desk.EchoCandidate
		if err := rows.Scan(&c.MessageID, &c.Body, &c.State); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ClaimDeliveries leases up to limit deliveries that are due at now (queued
// ones whose time has come, and 'sending' ones whose lease ran out: their
// process died mid-send) until `until`, for owner; channelID 0 means every
// channel. A leased row's next_at is its lease's end, so that nobody else
// claims it before.
func (s *Store) ClaimDeliveries(ctx context.Context, owner string, channelID int64, now, until time.Time, limit int) ([]desk.OutboxEntry, error) {
	var out []desk.OutboxEntry
	err := s.Write(ctx, func(dt desk.Tx) error {
		t := dt.(*tx)
		rows, err := t.query(ctx, `SELECT `+deliveryColumns+` FROM deliveries d JOIN messages m ON m.id = d.message_id
			WHERE d.state IN ('queued', 'sending') AND d.next_at <= $1 AND ($2 = 0 OR d.channel_id = $2)
			ORDER BY d.next_at, d.message_id LIMIT $3`+t.skipLocked("d"), ms(now), channelID, limit)
		if err != nil {
			return err
		}
		if out, err = scanDeliveries(rows); err != nil {
			return err
		}
		for i := range out {
			if _, err := t.exec(ctx, `UPDATE deliveries SET lease_owner = $1, lease_until = $2, next_at = $2 WHERE message_id = $3`,
				owner, ms(until), out[i].MessageID); err != nil {
				return err
			}
			out[i].LeaseOwner, out[i].LeaseUntil = owner, until
		}
		return nil
	})
	return out, err
}

// ReleaseDelivery gives back a queued delivery owner leased but did not
// send (its channel has no connector now), due again at next.
func (s *Store) ReleaseDelivery(ctx context.Context, messageID int64, owner string, next time.Time) error {
	return s.Write(ctx, func(dt desk.Tx) error {
		_, err := dt.(*tx).exec(ctx, `UPDATE deliveries SET lease_owner = '', lease_until = 0, next_at = $1
			WHERE message_id = $2 AND lease_owner = $3 AND state = 'queued'`, ms(next), messageID, owner)
		return err
	})
}

func (t *tx) InsertSystemMessage(ctx context.Context, ticketID int64, key string, messageID int64, at time.Time) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO system_messages (ticket_id, key, message_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (ticket_id, key) DO NOTHING`, ticketID, key, messageID, ms(at))
	if err != nil {
		return false, fmt.Errorf("insert system message: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
