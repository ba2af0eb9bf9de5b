package store

import (
	"context"
	"fmt"
	"time"

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
	if _, err := t.exec(ctx, `UPDATE agents SET password_hash = $2 WHERE id = $1`, agentID, hash); err != nil {
		return err
	}
	// A new password signs the agent out everywhere.
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE agent_id = $1`, agentID)
	return err
}

func (t *tx) InsertSession(ctx context.Context, s *desk.Session) error {
	_, err := t.exec(ctx, `INSERT INTO sessions (token_hash, agent_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		s.TokenHash, s.AgentID, s.CSRF, ms(s.CreatedAt), ms(s.ExpiresAt))
	if err != nil {
		return err
	}
	// Sweep expired sessions now and then: on sign-in is often enough.
	_, err = t.exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, ms(s.CreatedAt))
	return err
}

func (t *tx) SessionByHash(ctx context.Context, h []byte) (desk.Session, error) {
	var s desk.Session
	var created, expires int64
	err := t.queryRow(ctx, `SELECT token_hash, agent_id, csrf, created_at, expires_at FROM sessions WHERE token_hash = $1`, h).
		Scan(&s.TokenHash, &s.AgentID, &s.CSRF, &created, &expires)
	s.CreatedAt, s.ExpiresAt = fromMS(created), fromMS(expires)
	return s, notFound(err, "session")
}

func (t *tx) TouchSession(ctx context.Context, h []byte, expires time.Time) error {
	_, err := t.exec(ctx, `UPDATE sessions SET expires_at = $2 WHERE token_hash = $1`, h, ms(expires))
	return err
}

func (t *tx) DeleteSession(ctx context.Context, h []byte) error {
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, h)
	return err
}

func (t *tx) InsertAPIToken(ctx context.Context, k *desk.APIToken) error {
	return t.queryRow(ctx, `INSERT INTO api_tokens (agent_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		k.AgentID, k.Name, k.TokenHash, ms(k.CreatedAt)).Scan(&k.ID)
}

func (t *tx) APITokenByHash(ctx context.Context, h []byte) (desk.APIToken, error) {
	var k desk.APIToken
	var created int64
	err := t.queryRow(ctx, `SELECT id, agent_id, name, token_hash, created_at FROM api_tokens WHERE token_hash = $1`, h).
		Scan(&k.ID, &k.AgentID, &k.Name, &k.TokenHash, &created)
	k.CreatedAt = fromMS(created)
	return k, notFound(err, "jeton")
}
