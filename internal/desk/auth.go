package desk

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// Session is a signed-in browser. The cookie holds the token; we keep its hash.
type Session struct {
	TokenHash []byte
	AgentID   int64
	CSRF      string // the form token of this session
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SessionLifetime is how long a session lives without use.
const SessionLifetime = 12 * time.Hour

// NewToken returns a random URL-safe token of 32 bytes and its SHA-256.
func NewToken() (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	return tok, HashToken(tok)
}

// HashToken is how tokens are looked up: a fast hash, since they are long and random.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// NewPassword returns a random password for a first admin or a reset.
func NewPassword() string {
	b := make([]byte, 12)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// SessionAgent returns the agent and session behind a session token, extending
// the session when it is past half its life. Unknown or expired: EUnauthorized.
func (d *Desk) SessionAgent(ctx context.Context, token string) (Agent, Session, error) {
	if token == "" {
		return Agent{}, Session{}, Errorf(EUnauthorized, "session absente")
	}
	h := HashToken(token)
	var s Session
	var a Agent
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		if s, err = tx.SessionByHash(ctx, h); err != nil {
			return err
		}
		a, err = tx.AgentByID(ctx, s.AgentID)
		return err
	})
	now := d.now()
	if IsNotFound(err) || (err == nil && (now.After(s.ExpiresAt) || !a.Active)) {
		return Agent{}, Session{}, Errorf(EUnauthorized, "session expirée")
	}
	if err != nil {
		return Agent{}, Session{}, err
	}
	if s.ExpiresAt.Sub(now) < SessionLifetime/2 {
		s.ExpiresAt = now.Add(SessionLifetime)
		if err := d.store.Write(ctx, func(tx Tx) error { return tx.TouchSession(ctx, h, s.ExpiresAt) }); err != nil {
			return Agent{}, Session{}, err
		}
	}
	return a, s, nil
}

// SignOut ends the session behind token.
func (d *Desk) SignOut(ctx context.Context, token string) error {
	return d.store.Write(ctx, func(tx Tx) error { return tx.DeleteSession(ctx, HashToken(token)) })
}
