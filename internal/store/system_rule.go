package store

import (
	"context"
	"time"

	"guichet/internal/desk"
)

func (t *tx) SystemRules(ctx context.Context) ([]desk.SystemRule, error) {
	rows, err := t.query(ctx, `SELECT id, channel_id, kind, language, body, enabled, days, updated_at
		FROM system_rules ORDER BY channel_id, kind, language`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.SystemRule
	for rows.Next() {
		var r desk.SystemRule
		var updated int64
		if err := rows.Scan(&r.ID, &r.ChannelID, &r.Kind, &r.Language, &r.Body, &r.Enabled, &r.Days, &updated); err != nil {
			return nil, err
		}
		r.UpdatedAt = fromMS(updated)
		out = append(out, r)
	}
	return out, rows.Err()
}

func (t *tx) SaveSystemRule(ctx context.Context, r *desk.SystemRule) error {
	return t.queryRow(ctx, `INSERT INTO system_rules (channel_id, kind, language, body, enabled, days, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (channel_id, kind, language) DO UPDATE SET body = excluded.body, enabled = excluded.enabled,
			days = excluded.days, updated_at = excluded.updated_at
		RETURNING id`, r.ChannelID, r.Kind, r.Language, r.Body, boolInt(r.Enabled), r.Days, ms(r.UpdatedAt)).Scan(&r.ID)
}

func (t *tx) WaitingTickets(ctx context.Context, before, afterSince time.Time, afterID int64, limit int) ([]desk.Ticket, error) {
	rows, err := t.query(ctx, `SELECT `+ticketColumns+` FROM tickets t
		WHERE t.waiting_since IS NOT NULL AND t.waiting_since <= $1 AND t.status = 'waiting_customer'
			AND (t.waiting_since, t.id) > ($2, $3)
		ORDER BY t.waiting_since, t.id LIMIT $4`, ms(before), ms(afterSince), afterID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Ticket
	for rows.Next() {
		tk, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, tk)
	}
	return out, rows.Err()
}

func (t *tx) CustomerHasOtherTicket(ctx context.Context, customerID, ticketID int64) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM tickets WHERE customer_id = $1 AND id <> $2 LIMIT 1) x`,
		customerID, ticketID).Scan(&n)
	return n > 0, err
}
