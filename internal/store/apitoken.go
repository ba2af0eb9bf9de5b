package store

import (
	"context"
	"database/sql"
	"time"

	"guichet/internal/desk"
)

const tokenColumns = `id, agent_id, name, token_hash, created_at, last_used_at`

func scanToken(r scanner) (desk.APIToken, error) {
	var k desk.APIToken
	var agent sql.NullInt64
	var created, used int64
	err := r.Scan(&k.ID, &agent, &k.Name, &k.TokenHash, &created, &used)
	k.AgentID, k.CreatedAt, k.LastUsedAt = agent.Int64, fromMS(created), fromMS(used)
	return k, err
}

func (t *tx) InsertAPIToken(ctx context.Context, k *desk.APIToken) error {
	return t.queryRow(ctx, `INSERT INTO api_tokens (agent_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		nullID(k.AgentID), k.Name, k.TokenHash, ms(k.CreatedAt)).Scan(&k.ID)
}

func (t *tx) APITokenByHash(ctx context.Context, h []byte) (desk.APIToken, error) {
	k, err := scanToken(t.queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = $1`, h))
	return k, notFound(err, "jeton")
}

func (t *tx) APITokenByID(ctx context.Context, id int64) (desk.APIToken, error) {
	k, err := scanToken(t.queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id))
	return k, notFound(err, "jeton")
}

func (t *tx) APITokens(ctx context.Context, f desk.TokenFilter) ([]desk.APIToken, error) {
	var rows *sql.Rows
	var err error
	switch {
	case f.AgentID != 0:
		rows, err = t.query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE agent_id = $1 ORDER BY id DESC`, f.AgentID)
	case f.Integrations:
		rows, err = t.query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE agent_id IS NULL ORDER BY id DESC`)
	default:
		rows, err = t.query(ctx, `SELECT `+tokenColumns+` FROM api_tokens ORDER BY id DESC`)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.APIToken
	for rows.Next() {
		k, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func (t *tx) DeleteAPIToken(ctx context.Context, id int64) error {
	_, err := t.exec(ctx, `DELETE FROM api_tokens WHERE id = $1`, id)
	return err
}

func (t *tx) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, ms(at))
	return err
}
