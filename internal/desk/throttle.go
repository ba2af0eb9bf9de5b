package desk

import (
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// Sign-in throttling. Failures are counted per account and per client
// address separately, each with its own limit, so that guessing at one
// account never locks another out:
//   - per account: a few failures, one person's typos; beyond that the
//     account is locked for the window, whatever the address (a guesser gets
//     about 5 tries per 15 minutes per account);
//   - per address: well above one person's typos, because behind an office
//     NAT or a shared reverse proxy the whole team is one address; it stops
//     one machine spraying many accounts;
//   - per device: a browser that signed in to an account before holds a
//     device cookie (OWASP « device cookies »); presenting it for that
//     account exempts the attempt from the address limit and from the
//     account's lockout, and its failures count against the device's own
//     small budget instead. When that budget is spent the cookie no longer
//     exempts and the attempt is counted like any other. An attacker
//     spraying accounts from the office NAT therefore never locks out an
//     agent at their usual browser.
//
// Counting is atomic: an attempt reserves its place under the lock before
// the password is checked, and the reservation becomes a failure or is
// released afterwards, so 40 parallel guesses at one account put at most
// the account limit of them through argon2. The counts live in memory: one
// process; a restart forgets them, and several processes on PostgreSQL each
// count their own (the limits then multiply by the number of processes).
const (
	SignInWindow    = 15 * time.Minute
	accountFailures = 5
	addressFailures = 50 // ten people mistyping twice at 9:00 is 20
	deviceFailures  = 5
)

// SignInLimits are the failures allowed within Window per account, per
// client address and per known device. Zero fields take the defaults above.
type SignInLimits struct {
	Account, Address, Device int
	Window                   time.Duration
}

func (l SignInLimits) withDefaults() SignInLimits {
	if l.Account <= 0 {
		l.Account = accountFailures
	}
	if l.Address <= 0 {
		l.Address = addressFailures
	}
	if l.Device <= 0 {
		l.Device = deviceFailures
	}
	if l.Window <= 0 {
		l.Window = SignInWindow
	}
	return l
}

// ErrTooManyAttempts refuses a sign-in whose account, address or device is
// over its limit; no password is checked.
var ErrTooManyAttempts = &Error{Code: ETooMany, Message: "trop de tentatives de connexion : réessayez dans 15 minutes"}

// maxThrottleKeys bounds the memory an attacker spraying keys can take.
const maxThrottleKeys = 100_000

type attempts struct {
	failures []time.Time // within the window, oldest first
	pending  int         // attempts being checked right now
}

// throttle counts sign-in attempts per key in a sliding window.
type throttle struct {
	window time.Duration

	mu   sync.Mutex
	keys map[string]*attempts
}

func newThrottle(window time.Duration) *throttle {
	return &throttle{window: window, keys: map[string]*attempts{}}
}

// limit is one key and the failures it allows.
type limit struct {
	key string
	max int
}

// reservation is an attempt counted before its password is checked.
type reservation struct {
	t    *throttle
	keys []string
}

// reserve counts one attempt on every key, or on none when one of them is
// full (failures plus attempts in flight reach its max).
func (t *throttle) reserve(now time.Time, limits ...limit) (*reservation, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range limits {
		if a := t.recent(l.key, now); a != nil && len(a.failures)+a.pending >= l.max {
			return nil, false
		}
	}
	if len(t.keys) >= maxThrottleKeys {
		t.prune(now)
	}
	r := &reservation{t: t}
	for _, l := range limits {
		a := t.keys[l.key]
		if a == nil {
			a = &attempts{}
			t.keys[l.key] = a
		}
		a.pending++
		r.keys = append(r.keys, l.key)
	}
	return r, true
}

// fail turns the reservation into one failure on each of its keys.
func (r *reservation) fail(now time.Time) { r.end(now, true) }

// release gives the reservation back: the attempt did not fail.
func (r *reservation) release() { r.end(time.Time{}, false) }

func (r *reservation) end(now time.Time, failed bool) {
	t := r.t
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range r.keys {
		a := t.keys[k]
		if a == nil {
			continue
		}
		a.pending--
		if failed {
			a.failures = append(a.failures, now)
		}
		if a.pending <= 0 && len(a.failures) == 0 {
			delete(t.keys, k)
		}
	}
}

// forget clears the failures of keys (a successful sign-in), leaving the
// attempts in flight counted.
func (t *throttle) forget(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		if a := t.keys[k]; a != nil {
			a.failures = nil
			if a.pending <= 0 {
				delete(t.keys, k)
			}
		}
	}
}

// recent drops the failures of key older than the window and returns what is left.
func (t *throttle) recent(key string, now time.Time) *attempts {
	a := t.keys[key]
	if a == nil {
		return nil
	}
	i := 0
	for i < len(a.failures) && now.Sub(a.failures[i]) >= t.window {
		i++
	}
	a.failures = a.failures[i:]
	if len(a.failures) == 0 && a.pending <= 0 {
		delete(t.keys, key)
		return nil
	}
	return a
}

func (t *throttle) prune(now time.Time) {
	for k := range t.keys {
		t.recent(k, now)
	}
	if len(t.keys) < maxThrottleKeys {
		return
	}
	// Still full: forget half of the keys with nothing in flight. An attacker
	// who fills the table this way gains a reset of old counts, not access.
	n := 0
	for k, a := range t.keys {
		if a.pending == 0 {
			delete(t.keys, k)
			if n++; n > maxThrottleKeys/2 {
				break
			}
		}
	}
}

// Keys of the three kinds of limit.
func accountKey(email string) string { return "account:" + email }
func deviceKey(id int64) string      { return "device:" + strconv.FormatInt(id, 10) }

// addressKey keys an IPv4 address whole and an IPv6 address by its /64
// (what one subscriber line or one host usually gets: counting single IPv6
// addresses would give an attacker 2^64 fresh budgets).
func addressKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		if len(addr) > 64 {
			addr = addr[:64]
		}
		return "address:" + addr
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return "address:" + p.String()
	}
	return "address:" + ip.String()
}
