// Package desk is guichet's application: every use case on tickets, channels,
// agents and default replies, with the rules that keep them right. It knows no
// HTTP and no SQL: storage comes in through Store, files through Blobs.
package desk

import (
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"guichet/internal/deadline"
)

// Desk runs the use cases. It is safe for concurrent use.
type Desk struct {
	store     Store
	blobs     Blobs
	notifier  Notifier
	calendar  *deadline.Calendar // when a channel has none, or a wrong one
	calendars calendarCache
	now       func() time.Time

	passwords *hashGate // bounds concurrent argon2id computations
	limits    SignInLimits
	throttle  *throttle // sign-in attempts per account, address, device
	touches   *tokenTouches
}

// Config is what a Desk is built from. Store is required; the rest has defaults.
type Config struct {
	Store    Store
	Blobs    Blobs
	Notifier Notifier
	Calendar *deadline.Calendar // default: France
	Now      func() time.Time   // default: time.Now
	// PasswordSlots is how many password hashes may run at once (each takes
	// 19 MiB); default DefaultPasswordSlots().
	PasswordSlots int
	SignInLimits  SignInLimits // default: 5 per account, 50 per address, 5 per device in 15 minutes
}

// New returns a Desk over the given store.
func New(c Config) *Desk {
	d := &Desk{store: c.Store, blobs: c.Blobs, notifier: c.Notifier, calendar: c.Calendar, now: c.Now}
	if d.calendar == nil {
		d.calendar = deadline.France()
	}
	if d.now == nil {
		d.now = time.Now
	}
	d.passwords = newHashGate(c.PasswordSlots)
	d.limits = c.SignInLimits.withDefaults()
	d.throttle = newThrottle(d.limits.Window)
	d.touches = &tokenTouches{last: map[int64]time.Time{}}
	return d
}

// Now is the desk's clock, truncated to the millisecond we store.
func (d *Desk) Now() time.Time { return d.now().Truncate(time.Millisecond) }

func (d *Desk) notify(changes ...Change) {
	if d.notifier != nil && len(changes) > 0 {
		d.notifier.Notify(changes...)
	}
}

// Limits on what people type; beyond them the input is refused, not cut.
const (
	maxLine      = 300      // one-line fields
	maxBody      = 64 << 10 // a message body
	maxOrderRef  = 64
	maxFiles     = 10 // attachments per reply
	maxNameChars = 120
)

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// checkLine validates a one-line text field.
func checkLine(field, s string, max int, required bool) (string, error) {
	if err := checkText(field, s); err != nil {
		return "", err
	}
	s = strings.TrimSpace(s)
	switch {
	case required && s == "":
		return "", Invalid(field, "champ obligatoire")
	case utf8.RuneCountInString(s) > max:
		return "", Invalid(field, "%d caractères au plus", max)
	case strings.ContainsAny(s, "\r\n"):
		return "", Invalid(field, "une seule ligne attendue")
	}
	return s, nil
}

// checkBody validates a message or template text: a person's, up to max bytes.
func checkBody(field, s string, max int) (string, error) {
	if err := checkText(field, s); err != nil {
		return "", err
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if len(s) > max {
		return "", Invalid(field, "texte trop long (%d Kio au plus)", max>>10)
	}
	return s, nil
}

// checkEmail validates an optional address and returns it lowercased.
func checkEmail(field, s string) (string, error) {
	if err := checkText(field, s); err != nil {
		return "", err
	}
	s = normalizeEmail(s)
	if s == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "", Invalid(field, "adresse email invalide")
	}
	return s, nil
}

func urlPathEscape(s string) string { return url.PathEscape(s) }
