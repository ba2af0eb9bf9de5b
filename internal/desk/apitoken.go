package desk

import (
	"context"
	"strings"
	"sync"
	"time"
)

// APITokenTx keeps the API tokens.
type APITokenTx interface {
	InsertAPIToken(ctx context.Context, t *APIToken) error
	APITokenByHash(ctx context.Context, tokenHash []byte) (APIToken, error)
	APITokenByID(ctx context.Context, id int64) (APIToken, error)
	// APITokens lists tokens newest first (see TokenFilter).
	APITokens(ctx context.Context, f TokenFilter) ([]APIToken, error)
	DeleteAPIToken(ctx context.Context, id int64) error
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
}

// APIToken lets a script call the API. An agent's token acts as that agent;
// an integration's token (AgentID 0, made by an admin) acts as the system,
// under the token's name. Only its SHA-256 is stored.
type APIToken struct {
	ID         int64     `json:"id"`
	AgentID    int64     `json:"agent_id,omitempty"` // 0: an integration
	Name       string    `json:"name"`
	TokenHash  []byte    `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"` // zero: never used; refreshed at most once a minute
}

// IsIntegration reports whether the token belongs to an integration rather than an agent.
func (t APIToken) IsIntegration() bool { return t.AgentID == 0 }

// Integration is a system calling the API with a token of its own (the
// shop's order-page button): it is no agent, so what it opens goes by the
// channel's rules, and the history names it.
type Integration struct {
	ID   int64  `json:"id"` // its token's id
	Name string `json:"name"`
}

// Actor is how desk sees an integration: the system, under its name.
func (i Integration) Actor() Actor { return Actor{Name: "intégration " + i.Name} }

// TokenFilter selects API tokens: those of one agent (AgentID), those of
// integrations (Integrations), or every token (the zero filter).
type TokenFilter struct {
	AgentID      int64
	Integrations bool
}

// tokenTouchEvery is how stale last_used_at may get: a write a minute per
// token, not one per API call.
const tokenTouchEvery = time.Minute

// tokenTouches remembers when this process last wrote each token's
// last_used_at, so that calls within the minute need no read of it either.
type tokenTouches struct {
	mu   sync.Mutex
	last map[int64]time.Time
}

func (t *tokenTouches) due(id int64, stored, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if last := t.last[id]; now.Sub(last) < tokenTouchEvery || now.Sub(stored) < tokenTouchEvery {
		return false
	}
	if len(t.last) > 10_000 {
		clear(t.last)
	}
	t.last[id] = now
	return true
}

const tokenPrefix = "gch_"

// CreateAPIToken makes a token for a script acting as agentID: the agent's
// own, or any agent's for an admin. The token is returned once; only its
// hash is kept.
func (d *Desk) CreateAPIToken(ctx context.Context, actor Actor, agentID int64, name string) (string, error) {
	if !actor.IsAdmin() && (actor.AgentID == 0 || actor.AgentID != agentID) {
		return "", Errorf(EForbidden, "réservé aux administrateurs")
	}
	if agentID <= 0 {
		return "", Invalid("agent_id", "agent obligatoire")
	}
	return d.createToken(ctx, agentID, name)
}

// CreateIntegrationToken makes a token for an integration, which acts as
// the system under the given name. Admins only.
func (d *Desk) CreateIntegrationToken(ctx context.Context, actor Actor, name string) (string, error) {
	if err := requireAdmin(actor); err != nil {
		return "", err
	}
	return d.createToken(ctx, 0, name)
}

func (d *Desk) createToken(ctx context.Context, agentID int64, name string) (string, error) {
	name, err := checkLine("name", name, maxNameChars, true)
	if err != nil {
		return "", err
	}
	token, h := NewToken()
	t := APIToken{AgentID: agentID, Name: name, TokenHash: h, CreatedAt: d.Now()}
	err = d.store.Write(ctx, func(tx Tx) error {
		if agentID != 0 {
			if _, err := tx.AgentByID(ctx, agentID); err != nil {
				return err
			}
		}
		return tx.InsertAPIToken(ctx, &t)
	})
	if err != nil {
		return "", err
	}
	return tokenPrefix + token, nil
}

// APITokens lists tokens, newest first. An agent sees their own; an admin
// any.
func (d *Desk) APITokens(ctx context.Context, actor Actor, f TokenFilter) ([]APIToken, error) {
	if !actor.IsAdmin() && (actor.AgentID == 0 || f.Integrations || f.AgentID != actor.AgentID) {
		return nil, Errorf(EForbidden, "réservé aux administrateurs")
	}
	var ts []APIToken
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		ts, err = tx.APITokens(ctx, f)
		return err
	})
	return ts, err
}

// RevokeAPIToken deletes a token: the next call with it is refused. An agent
// revokes their own tokens; an admin any (integrations' included).
func (d *Desk) RevokeAPIToken(ctx context.Context, actor Actor, id int64) (APIToken, error) {
	var t APIToken
	err := d.store.Write(ctx, func(tx Tx) error {
		var err error
		if t, err = tx.APITokenByID(ctx, id); err != nil {
			return err
		}
		if !actor.IsAdmin() && (actor.AgentID == 0 || t.AgentID != actor.AgentID) {
			return NotFound("jeton") // another's token is not even said to exist
		}
		return tx.DeleteAPIToken(ctx, id)
	})
	return t, err
}

// TokenCaller is who calls with an API token: an agent (Agent), or an
// integration (Agent is the zero Agent).
type TokenCaller struct {
	Token APIToken
	Agent Agent
}

// Integration returns the integration behind the token, if it is one.
func (c TokenCaller) Integration() (Integration, bool) {
	return Integration{ID: c.Token.ID, Name: c.Token.Name}, c.Token.IsIntegration()
}

// Actor is the caller as use cases see it.
func (c TokenCaller) Actor() Actor {
	if i, ok := c.Integration(); ok {
		return i.Actor()
	}
	return ActorOf(c.Agent)
}

// TokenCaller returns who is behind an API token, or EUnauthorized. It notes
// when the token was last used, at most once a minute.
func (d *Desk) TokenCaller(ctx context.Context, token string) (TokenCaller, error) {
	raw, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok || raw == "" || len(raw) > 100 {
		return TokenCaller{}, Errorf(EUnauthorized, "jeton invalide")
	}
	var c TokenCaller
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		if c.Token, err = tx.APITokenByHash(ctx, HashToken(raw)); err != nil || c.Token.IsIntegration() {
			return err
		}
		c.Agent, err = tx.AgentByID(ctx, c.Token.AgentID)
		return err
	})
	if IsNotFound(err) || (err == nil && !c.Token.IsIntegration() && !c.Agent.Active) {
		return TokenCaller{}, Errorf(EUnauthorized, "jeton invalide")
	}
	if err != nil {
		return TokenCaller{}, err
	}
	if now := d.Now(); d.touches.due(c.Token.ID, c.Token.LastUsedAt, now) {
		c.Token.LastUsedAt = now
		if err := d.store.Write(ctx, func(tx Tx) error { return tx.TouchAPIToken(ctx, c.Token.ID, now) }); err != nil {
			return TokenCaller{}, err
		}
	}
	return c, nil
}
