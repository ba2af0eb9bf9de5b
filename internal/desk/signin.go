package desk

import (
	"context"
	"time"
)

// SessionTx keeps the agents' sessions.
type SessionTx interface {
	InsertSession(ctx context.Context, s *Session) error
	SessionByHash(ctx context.Context, tokenHash []byte) (Session, error)
	TouchSession(ctx context.Context, tokenHash []byte, expires time.Time) error
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// EndSessions deletes the agent's sessions but the one whose hash is
	// except (nil: all of them).
	EndSessions(ctx context.Context, agentID int64, except []byte) error
}

// DeviceTx keeps the devices agents signed in from.
type DeviceTx interface {
	// InsertDevice stores a device and sets its ID; it also forgets devices
	// unused since staleBefore, and the agent's devices beyond the keep most
	// recently used.
	InsertDevice(ctx context.Context, d *Device, staleBefore time.Time, keep int) error
	DeviceByHash(ctx context.Context, tokenHash []byte) (Device, error)
	TouchDevice(ctx context.Context, id int64, at time.Time) error
}

// Device is a browser that signed in to an agent's account: it keeps a
// long-lived cookie holding a random token, of which only the SHA-256 is
// stored. Presenting it exempts a sign-in from the address limit and from
// the account's lockout (see throttle.go).
type Device struct {
	ID         int64
	AgentID    int64
	TokenHash  []byte
	CreatedAt  time.Time
	LastUsedAt time.Time
}

// DeviceLifetime is how long a device is remembered without a sign-in.
const DeviceLifetime = 365 * 24 * time.Hour

// MaxDeviceTokens is how many device tokens one browser's cookie holds:
// agents who share a computer each keep theirs. MaxDevicesPerAgent bounds
// what one agent's private windows leave behind.
const (
	MaxDeviceTokens    = 4
	MaxDevicesPerAgent = 20
)

// maxEmailKey bounds the throttle keys made of what people type.
const maxEmailKey = 254

// SignInInput is a sign-in attempt.
type SignInInput struct {
	Email    string
	Password string
	Address  string   // the client's address, for the per-address limit
	Devices  []string // the device tokens the browser presented, newest first
}

// SignedIn is an open session.
type SignedIn struct {
	Agent   Agent
	Session Session
	Token   string // the session token, for the session cookie
	Device  string // the device token for this account, for the device cookie
}

var errWrongPassword = &Error{Code: EUnauthorized, Message: "email ou mot de passe incorrect"}

// SignIn checks an email and password and opens a session. Attempts are
// throttled per account, per address and per device (throttle.go): over a
// limit it returns ErrTooManyAttempts without checking the password; when
// too many password checks are waiting, ErrBusy.
func (d *Desk) SignIn(ctx context.Context, in SignInInput) (SignedIn, error) {
	email := normalizeEmail(in.Email)
	var agent Agent
	var hash string
	var device Device // the presented device of this account, if any
	var deviceToken string
	now := d.now()
	var err error = NotFound("agent")
	if checkText("email", email) == nil { // no account has a NUL or broken text: unknown, not a failure
		err = d.store.Read(ctx, func(tx Tx) error {
			var err error
			if agent, hash, err = tx.AgentByEmail(ctx, email); err != nil {
				return err
			}
			for _, tok := range in.Devices[:min(len(in.Devices), MaxDeviceTokens)] {
				dv, err := tx.DeviceByHash(ctx, HashToken(tok))
				if IsNotFound(err) {
					continue
				}
				if err != nil {
					return err
				}
				if dv.AgentID == agent.ID && now.Sub(dv.LastUsedAt) < DeviceLifetime {
					device, deviceToken = dv, tok
					break
				}
			}
			return nil
		})
	}
	known := err == nil
	if err != nil && !IsNotFound(err) {
		return SignedIn{}, err
	}

	key := email
	if len(key) > maxEmailKey {
		key = key[:maxEmailKey]
	}
	var res *reservation
	ok, exempt := false, false
	if device.ID != 0 {
		res, ok = d.throttle.reserve(now, limit{deviceKey(device.ID), d.limits.Device})
		exempt = ok // a device over its own budget is counted like any browser
	}
	if !ok {
		res, ok = d.throttle.reserve(now, limit{accountKey(key), d.limits.Account}, limit{addressKey(in.Address), d.limits.Address})
	}
	if !ok {
		return SignedIn{}, ErrTooManyAttempts
	}
	if !known {
		hash = dummyHash // as long as for a real account
	}
	good, err := d.checkPassword(ctx, hash, in.Password)
	if err != nil {
		res.release()
		return SignedIn{}, err
	}
	if !good || !known || !agent.Active {
		res.fail(d.now())
		return SignedIn{}, errWrongPassword
	}
	res.release()
	if exempt {
		d.throttle.forget(deviceKey(device.ID))
	} else {
		d.throttle.forget(accountKey(key))
	}
	return d.openSession(ctx, agent, device, deviceToken)
}

// openSession stores a new session, and remembers the browser as a device
// of the agent (or notes that the device it presented was used).
func (d *Desk) openSession(ctx context.Context, agent Agent, device Device, deviceToken string) (SignedIn, error) {
	token, tokenHash := NewToken()
	csrf, _ := NewToken()
	now := d.Now()
	out := SignedIn{Agent: agent, Token: token, Device: deviceToken,
		Session: Session{TokenHash: tokenHash, AgentID: agent.ID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(SessionLifetime)}}
	err := d.store.Write(ctx, func(tx Tx) error {
		if err := tx.InsertSession(ctx, &out.Session); err != nil {
			return err
		}
		if device.ID != 0 {
			return tx.TouchDevice(ctx, device.ID, now)
		}
		tok, h := NewToken()
		out.Device = tok
		return tx.InsertDevice(ctx, &Device{AgentID: agent.ID, TokenHash: h, CreatedAt: now, LastUsedAt: now}, now.Add(-DeviceLifetime), MaxDevicesPerAgent)
	})
	if err != nil {
		return SignedIn{}, err
	}
	return out, nil
}
