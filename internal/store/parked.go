package store

import (
	"context"
	"encoding/json"
	"fmt"

	"guichet/internal/desk"
)

// Parked messages: what desk.Ingest could not store, kept for an admin.

const parkedColumns = `id, channel_id, source_key, source_id, order_ref, code, field, reason, content, first_seen, last_seen, times_seen`

// ParkMessages stores each message, or updates the row its channel and
// source key have: one statement each (a batch parks few, if any).
func (t *tx) ParkMessages(ctx context.Context, ps []desk.ParkedMessage) error {
	for _, p := range ps {
		content, err := json.Marshal(p.Content)
		if err != nil {
			return fmt.Errorf("park message: %w", err)
		}
		if _, err := t.exec(ctx, `INSERT INTO parked_messages (channel_id, source_key, source_id, order_ref, code, field, reason,
				content, first_seen, last_seen, times_seen)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)
			ON CONFLICT (channel_id, source_key) DO UPDATE SET source_id = excluded.source_id, order_ref = excluded.order_ref,
				code = excluded.code, field = excluded.field, reason = excluded.reason, content = excluded.content,
				last_seen = excluded.last_seen, times_seen = parked_messages.times_seen + 1`,
			p.ChannelID, p.SourceKey, p.SourceID, p.OrderRef, p.Code, p.Field, p.Reason, string(content),
			ms(p.FirstSeen), ms(p.LastSeen)); err != nil {
			return fmt.Errorf("park message: %w", err)
		}
	}
	return nil
}

// UnparkSources drops the channel's parked rows of these source keys, 500
// at a time. The statement is not kept prepared: the count varies.
func (t *tx) UnparkSources(ctx context.Context, channelID int64, keys []string) error {
	return chunks(keys, 500, func(keys []string) error {
		args := make([]any, 0, len(keys)+1)
		for _, k := range keys {
			args = append(args, k)
		}
		args = append(args, channelID)
		_, err := t.ExecContext(ctx, `DELETE FROM parked_messages WHERE source_key IN (`+t.listSQL(len(keys))+`) AND channel_id = `+t.param(len(keys)+1), args...)
		if err != nil {
			return fmt.Errorf("unpark messages: %w", t.s.dialect.mapError(err))
		}
		return nil
	})
}

func (t *tx) ParkedMessages(ctx context.Context, limit int) ([]desk.ParkedMessage, error) {
	rows, err := t.query(ctx, `SELECT `+parkedColumns+` FROM parked_messages ORDER BY last_seen DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.ParkedMessage
	for rows.Next() {
		p, err := scanParked(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *tx) ParkedMessage(ctx context.Context, id int64) (desk.ParkedMessage, error) {
	p, err := scanParked(t.queryRow(ctx, `SELECT `+parkedColumns+` FROM parked_messages WHERE id = $1`, id))
	return p, notFound(err, "message en attente")
}

func (t *tx) CountParked(ctx context.Context) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT count(*) FROM parked_messages`).Scan(&n)
	return n, err
}

func (t *tx) DeleteParked(ctx context.Context, id int64) error {
	_, err := t.exec(ctx, `DELETE FROM parked_messages WHERE id = $1`, id)
	return err
}

func scanParked(r scanner) (desk.ParkedMessage, error) {
	var p desk.ParkedMessage
	var content string
	var first, last int64
	if err := r.Scan(&p.ID, &p.ChannelID, &p.SourceKey, &p.SourceID, &p.OrderRef, &p.Code, &p.Field, &p.Reason,
		&content, &first, &last, &p.TimesSeen); err != nil {
		return p, err
	}
	p.FirstSeen, p.LastSeen = fromMS(first), fromMS(last)
	if err := json.Unmarshal([]byte(content), &p.Content); err != nil {
		return p, fmt.Errorf("parked message %d: %w", p.ID, err)
	}
	return p, nil
}
