package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"guichet/internal/desk"
)

func (t *tx) InsertNotification(ctx context.Context, n *desk.Notification) error {
	var err error
	n.ID, _, err = t.insertID(ctx, `INSERT INTO notifications (agent_id, ticket_id, kind, text, by_name, created_at, email_state)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		n.AgentID, nullID(n.TicketID), n.Kind, n.Text, n.ByName, ms(n.CreatedAt), n.EmailState)
	if err != nil {
		return fmt.Errorf("insert notification: %w", t.s.dialect.mapError(err))
	}
	return nil
}

func (t *tx) Notifications(ctx context.Context, agentID int64, limit int) ([]desk.Notification, int, error) {
	var unread int
	if err := t.queryRow(ctx, `SELECT count(*) FROM notifications WHERE agent_id = $1 AND read_at = 0`, agentID).Scan(&unread); err != nil {
		return nil, 0, err
	}
	rows, err := t.query(ctx, `SELECT id, agent_id, ticket_id, kind, text, by_name, created_at, read_at, email_state
		FROM notifications WHERE agent_id = $1 ORDER BY id DESC LIMIT $2`, agentID, limit)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []desk.Notification
	for rows.Next() {
		var n desk.Notification
		var ticket sql.NullInt64
		var created, read int64
		if err := rows.Scan(&n.ID, &n.AgentID, &ticket, &n.Kind, &n.Text, &n.ByName, &created, &read, &n.EmailState); err != nil {
			return nil, 0, err
		}
		n.TicketID, n.CreatedAt = ticket.Int64, fromMS(created)
		if read != 0 {
			n.ReadAt = fromMS(read)
		}
		out = append(out, n)
	}
	return out, unread, rows.Err()
}

func (t *tx) ReadNotifications(ctx context.Context, agentID int64, ids []int64, at time.Time) error {
	q := `UPDATE notifications SET read_at = $1 WHERE agent_id = $2 AND read_at = 0`
	args := []any{ms(at), agentID}
	if len(ids) > 0 {
		marks := make([]string, len(ids))
		for i, id := range ids {
			args = append(args, id)
			marks[i] = fmt.Sprintf("$%d", i+3)
		}
		q += ` AND id IN (` + strings.Join(marks, ", ") + `)`
	}
	_, err := t.exec(ctx, q, args...)
	return err
}
