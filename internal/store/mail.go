package store

import (
	"context"
	"fmt"

	"guichet/internal/desk"
)

func (t *tx) DeskSecret(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	if _, err := t.exec(ctx, `INSERT INTO desk_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, fresh); err != nil {
		return nil, fmt.Errorf("insert desk secret: %w", t.s.dialect.mapError(err))
	}
	var v []byte
	if err := t.queryRow(ctx, `SELECT value FROM desk_secrets WHERE name = $1`, name).Scan(&v); err != nil {
		return nil, fmt.Errorf("read desk secret: %w", err)
	}
	return v, nil
}

func (t *tx) TicketOfSources(ctx context.Context, ids []string) (desk.Ticket, error) {
	if len(ids) == 0 {
		return desk.Ticket{}, desk.NotFound("message")
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	// Not kept prepared: the count of ids varies.
	rows, err := t.queryOnce(ctx, `SELECT ticket_id FROM messages WHERE source_id IN (`+t.listSQL(len(ids))+`) ORDER BY id DESC LIMIT 1`, args...)
	if err != nil {
		return desk.Ticket{}, err
	}
	var ticketID int64
	found := rows.Next()
	if found {
		err = rows.Scan(&ticketID)
	}
	if cerr := rows.Close(); err == nil {
		err = cmpErr(cerr, rows.Err())
	}
	if err != nil {
		return desk.Ticket{}, err
	}
	if !found {
		return desk.Ticket{}, desk.NotFound("message")
	}
	return t.TicketByID(ctx, ticketID)
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
