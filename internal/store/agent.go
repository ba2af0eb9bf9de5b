package store

import (
	"context"
	"fmt"

	"guichet/internal/desk"
)

const agentColumns = `id, email, name, role, lang, active, created_at`

func scanAgent(r scanner, extra ...any) (desk.Agent, error) {
	var a desk.Agent
	var created int64
	err := r.Scan(append([]any{&a.ID, &a.Email, &a.Name, &a.Role, &a.Lang, &a.Active, &created}, extra...)...)
	a.CreatedAt = fromMS(created)
	return a, err
}

func (t *tx) Agents(ctx context.Context) ([]desk.Agent, error) {
	rows, err := t.query(ctx, `SELECT `+agentColumns+` FROM agents ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Agent
	for rows.Next() {
		a, err := scanAgent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (t *tx) AgentByID(ctx context.Context, id int64) (desk.Agent, error) {
	a, err := scanAgent(t.queryRow(ctx, `SELECT `+agentColumns+` FROM agents WHERE id = $1`, id))
	return a, notFound(err, "agent")
}

func (t *tx) AgentByEmail(ctx context.Context, email string) (desk.Agent, string, error) {
	var hash string
	a, err := scanAgent(t.queryRow(ctx, `SELECT `+agentColumns+`, password_hash FROM agents WHERE email = $1`, email), &hash)
	return a, hash, notFound(err, "agent")
}

func (t *tx) InsertAgent(ctx context.Context, a *desk.Agent, hash string) error {
	err := t.queryRow(ctx, `INSERT INTO agents (email, name, role, lang, active, password_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		a.Email, a.Name, a.Role, a.Lang, boolInt(a.Active), hash, ms(a.CreatedAt)).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("insert agent: %w", t.s.dialect.mapError(err))
	}
	return nil
}

func (t *tx) UpdateAgent(ctx context.Context, a *desk.Agent) error {
	_, err := t.exec(ctx, `UPDATE agents SET email = $2, name = $3, role = $4, lang = $5, active = $6 WHERE id = $1`,
		a.ID, a.Email, a.Name, a.Role, a.Lang, boolInt(a.Active))
	return err
}

func (t *tx) SetPassword(ctx context.Context, agentID int64, hash string) error {
	_, err := t.exec(ctx, `UPDATE agents SET password_hash = $2 WHERE id = $1`, agentID, hash)
	return err
}
