package store

import (
	"context"
	"time"

	"guichet/internal/desk"
)

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

func (t *tx) EndSessions(ctx context.Context, agentID int64, except []byte) error {
	if except == nil {
		_, err := t.exec(ctx, `DELETE FROM sessions WHERE agent_id = $1`, agentID)
		return err
	}
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE agent_id = $1 AND token_hash <> $2`, agentID, except)
	return err
}

func (t *tx) InsertDevice(ctx context.Context, d *desk.Device, staleBefore time.Time, keep int) error {
	err := t.queryRow(ctx, `INSERT INTO devices (agent_id, token_hash, created_at, last_used_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		d.AgentID, d.TokenHash, ms(d.CreatedAt), ms(d.LastUsedAt)).Scan(&d.ID)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM devices WHERE last_used_at < $1`, ms(staleBefore)); err != nil {
		return err
	}
	_, err = t.exec(ctx, `DELETE FROM devices WHERE agent_id = $1 AND id NOT IN
		(SELECT id FROM devices WHERE agent_id = $1 ORDER BY last_used_at DESC, id DESC LIMIT $2)`, d.AgentID, keep)
	return err
}

func (t *tx) DeviceByHash(ctx context.Context, h []byte) (desk.Device, error) {
	var d desk.Device
	var created, used int64
	err := t.queryRow(ctx, `SELECT id, agent_id, token_hash, created_at, last_used_at FROM devices WHERE token_hash = $1`, h).
		Scan(&d.ID, &d.AgentID, &d.TokenHash, &created, &used)
	d.CreatedAt, d.LastUsedAt = fromMS(created), fromMS(used)
	return d, notFound(err, "appareil")
}

func (t *tx) TouchDevice(ctx context.Context, id int64, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE devices SET last_used_at = $2 WHERE id = $1`, id, ms(at))
	return err
}
