package desk

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters (OWASP's second recommended set).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB: each hash holds 19 MiB while it runs
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash in the PHC string format. It is not
// bounded: use cases go through Desk's gate (hashPassword) instead.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether password matches a HashPassword result. Like
// HashPassword it is not bounded; use cases call Desk.checkPassword.
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
	if m > 4*argonMemory || t > 8*argonTime || p == 0 || p > 4 { // a forged hash must not cost more than ours
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// ErrBusy is the answer when too many password checks are already waiting:
// the caller should retry in a moment. It has the code ETooMany.
var ErrBusy = &Error{Code: ETooMany, Message: "serveur occupé, réessayez dans un instant"}

// hashGate bounds the argon2id computations running at once, so that a flood
// of sign-ins takes slots × 19 MiB of memory and not one 19 MiB per request
// (40 parallel logins took an unbounded process to 825 MB). Callers past the
// slots wait in a queue, with their context; a queue already longer than
// maxWaiting refuses at once with ErrBusy rather than letting latency grow.
type hashGate struct {
	slots      chan struct{}
	maxWaiting int64

	waiting, running atomic.Int64
	hashes, busy     atomic.Int64
	peak             atomic.Int64
}

// DefaultPasswordSlots is max(2, GOMAXPROCS): argon2id is CPU-bound, more
// at once only adds memory and latency.
func DefaultPasswordSlots() int { return max(2, runtime.GOMAXPROCS(0)) }

// passwordQueuePerSlot sizes the queue: 16 waiters a slot is about half a
// second of waiting at ~30 ms a hash, enough for a whole team signing in at 9:00.
const passwordQueuePerSlot = 16

func newHashGate(slots int) *hashGate {
	if slots <= 0 {
		slots = DefaultPasswordSlots()
	}
	return &hashGate{slots: make(chan struct{}, slots), maxWaiting: int64(slots * passwordQueuePerSlot)}
}

// do runs fn in a slot, waiting for one if need be.
func (g *hashGate) do(ctx context.Context, fn func()) error {
	select {
	case g.slots <- struct{}{}:
	default:
		if g.waiting.Add(1) > g.maxWaiting {
			g.waiting.Add(-1)
			g.busy.Add(1)
			return ErrBusy
		}
		select {
		case g.slots <- struct{}{}:
			g.waiting.Add(-1)
		case <-ctx.Done():
			g.waiting.Add(-1)
			return fmt.Errorf("%w: %w", ErrBusy, ctx.Err())
		}
	}
	defer func() { <-g.slots }()
	n := g.running.Add(1)
	defer g.running.Add(-1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	g.hashes.Add(1)
	fn()
	return nil
}

// PasswordStats counts the argon2id computations of a Desk, for metrics
// and tests: how many ran, the most that ran at once, how many were refused
// because the queue was full.
type PasswordStats struct {
	Hashes int64
	Peak   int64
	Busy   int64
}

// PasswordStats returns the counters of the password gate.
func (d *Desk) PasswordStats() PasswordStats {
	g := d.passwords
	return PasswordStats{Hashes: g.hashes.Load(), Peak: g.peak.Load(), Busy: g.busy.Load()}
}

// hashPassword hashes a new password within the gate.
func (d *Desk) hashPassword(ctx context.Context, password string) (string, error) {
	var h string
	err := d.passwords.do(ctx, func() { h = HashPassword(password) })
	return h, err
}

// checkPassword compares within the gate.
func (d *Desk) checkPassword(ctx context.Context, hash, password string) (bool, error) {
	var ok bool
	err := d.passwords.do(ctx, func() { ok = CheckPassword(hash, password) })
	return ok, err
}

// dummyHash keeps sign-in time the same whether the email exists or not.
var dummyHash = HashPassword("guichet-dummy")
