package desk

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// Session is a signed-in browser. The cookie holds the token; we keep its hash.
type Session struct {
	TokenHash []byte
	AgentID   int64
	CSRF      string // the form token of this session
	CreatedAt time.Time
	ExpiresAt time.Time
}

// APIToken lets an integration act as an agent. Only its SHA-256 is stored.
type APIToken struct {
	ID        int64
	AgentID   int64
	Name      string
	TokenHash []byte
	CreatedAt time.Time
}

// SessionLifetime is how long a session lives without use.
const SessionLifetime = 12 * time.Hour

// argon2id parameters (OWASP's second recommended set).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether password matches a HashPassword result.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

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

// dummyHash keeps sign-in time the same whether the email exists or not.
var dummyHash = HashPassword("guichet-dummy")

// SignIn checks an email and password and opens a session. The token goes in the cookie.
func (d *Desk) SignIn(ctx context.Context, email, password string) (Agent, Session, string, error) {
	email = normalizeEmail(email)
	var agent Agent
	var hash string
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		agent, hash, err = tx.AgentByEmail(ctx, email)
		return err
	})
	if err != nil && !IsNotFound(err) {
		return Agent{}, Session{}, "", err
	}
	if err != nil {
		CheckPassword(dummyHash, password)
		return Agent{}, Session{}, "", Errorf(EUnauthorized, "email ou mot de passe incorrect")
	}
	if !CheckPassword(hash, password) || !agent.Active {
		return Agent{}, Session{}, "", Errorf(EUnauthorized, "email ou mot de passe incorrect")
	}
	token, tokenHash := NewToken()
	csrf, _ := NewToken()
	now := d.now()
	s := Session{TokenHash: tokenHash, AgentID: agent.ID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(SessionLifetime)}
	err = d.store.Write(ctx, func(tx Tx) error { return tx.InsertSession(ctx, &s) })
	if err != nil {
		return Agent{}, Session{}, "", err
	}
	return agent, s, token, nil
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

// CreateAPIToken makes a token for an integration acting as agentID. The token
// is returned once; only its hash is kept.
func (d *Desk) CreateAPIToken(ctx context.Context, actor Actor, agentID int64, name string) (string, error) {
	if !actor.IsAdmin() && actor.AgentID != agentID {
		return "", Errorf(EForbidden, "réservé aux administrateurs")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", Invalid("name", "nom obligatoire")
	}
	token, h := NewToken()
	t := APIToken{AgentID: agentID, Name: name, TokenHash: h, CreatedAt: d.now()}
	err := d.store.Write(ctx, func(tx Tx) error {
		if _, err := tx.AgentByID(ctx, agentID); err != nil {
			return err
		}
		return tx.InsertAPIToken(ctx, &t)
	})
	if err != nil {
		return "", err
	}
	return "gch_" + token, nil
}

// TokenAgent returns the agent behind an API token, or EUnauthorized.
func (d *Desk) TokenAgent(ctx context.Context, token string) (Agent, error) {
	raw, ok := strings.CutPrefix(token, "gch_")
	if !ok || raw == "" {
		return Agent{}, Errorf(EUnauthorized, "jeton invalide")
	}
	var a Agent
	err := d.store.Read(ctx, func(tx Tx) error {
		t, err := tx.APITokenByHash(ctx, HashToken(raw))
		if err != nil {
			return err
		}
		a, err = tx.AgentByID(ctx, t.AgentID)
		return err
	})
	if IsNotFound(err) || (err == nil && !a.Active) {
		return Agent{}, Errorf(EUnauthorized, "jeton invalide")
	}
	return a, err
}
