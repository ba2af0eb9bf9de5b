package desk

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// SystemRuleTx reads and stores the automatic messages' rules, and what
// their conditions look up.
type SystemRuleTx interface {
	SystemRules(ctx context.Context) ([]SystemRule, error)
	// SaveSystemRule inserts or replaces the rule of its (channel, kind, language).
	SaveSystemRule(ctx context.Context, r *SystemRule) error
	// WaitingTickets pages the tickets waiting for the customer since before
	// `before`, by (waiting_since, id) after the given key.
	WaitingTickets(ctx context.Context, before time.Time, afterSince time.Time, afterID int64, limit int) ([]Ticket, error)
	// CustomerHasOtherTicket reports whether the customer has a ticket other than ticketID.
	CustomerHasOtherTicket(ctx context.Context, customerID, ticketID int64) (bool, error)
}

// SystemKind names an automatic message.
type SystemKind string

const (
	SystemAck         SystemKind = "ack"          // acknowledges a ticket's first message
	SystemOutOfHours  SystemKind = "out_of_hours" // a message arrived while the calendar is closed
	SystemReminder    SystemKind = "reminder"     // the ticket waits for the customer for Days
	SystemAutoClosing SystemKind = "auto_close"   // the ticket waited Days: closed, with this text
)

// SystemKinds lists the kinds in the order the admin page shows them.
var SystemKinds = []SystemKind{SystemAck, SystemOutOfHours, SystemReminder, SystemAutoClosing}

// Valid reports whether k is a known kind.
func (k SystemKind) Valid() bool {
	for _, x := range SystemKinds {
		if x == k {
			return true
		}
	}
	return false
}

// SystemRule is the text and conditions of one automatic message, for one
// channel (0: every channel without its own) and language. The text may
// hold {nom_client}, {commande}, {numero_ticket}, {canal}, {ouverture}
// (when the calendar opens next) and {jours}.
type SystemRule struct {
	ID        int64      `json:"id"`
	ChannelID int64      `json:"channel_id"`
	Kind      SystemKind `json:"kind"`
	Language  string     `json:"language"`
	Body      string     `json:"body"`
	Enabled   bool       `json:"enabled"`
	Days      int        `json:"days,omitempty"` // reminder and auto_close: days waiting for the customer
	UpdatedAt time.Time  `json:"updated_at"`
}

// SystemRules lists every rule. Admins only.
func (d *Desk) SystemRules(ctx context.Context, actor Actor) ([]SystemRule, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	var rs []SystemRule
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		rs, err = tx.SystemRules(ctx)
		return err
	})
	return rs, err
}

// SaveSystemRule creates or replaces the rule of a channel, kind and
// language. Admins only. A rule switched on needs a text, and the
// reminder and the closing a number of days (the reminder before the close).
func (d *Desk) SaveSystemRule(ctx context.Context, actor Actor, r SystemRule) (SystemRule, error) {
	if err := requireAdmin(actor); err != nil {
		return SystemRule{}, err
	}
	var err error
	r.Language = strings.ToLower(strings.TrimSpace(r.Language))
	switch {
	case !r.Kind.Valid():
		return SystemRule{}, Invalid("kind", "message automatique inconnu : %q", r.Kind)
	case !validLanguage(r.Language):
		return SystemRule{}, Invalid("language", "langue inconnue : %q (%s)", r.Language, strings.Join(Languages, ", "))
	case r.ChannelID < 0:
		return SystemRule{}, Invalid("channel_id", "canal inconnu")
	}
	if r.Body, err = checkBody("body", r.Body, 8<<10); err != nil {
		return SystemRule{}, err
	}
	if r.Enabled && r.Body == "" && r.Kind != SystemAutoClosing {
		return SystemRule{}, Invalid("body", "texte obligatoire pour un message activé")
	}
	timed := r.Kind == SystemReminder || r.Kind == SystemAutoClosing
	switch {
	case timed && (r.Days < 1 || r.Days > 365):
		return SystemRule{}, Invalid("days", "nombre de jours entre 1 et 365")
	case !timed:
		r.Days = 0
	}
	r.UpdatedAt = d.Now()
	err = d.store.Write(ctx, func(tx Tx) error {
		if r.ChannelID != 0 {
			if _, err := tx.ChannelByID(ctx, r.ChannelID); IsNotFound(err) {
				return Invalid("channel_id", "canal inconnu")
			} else if err != nil {
				return err
			}
		}
		rules, err := tx.SystemRules(ctx)
		if err != nil {
			return err
		}
		if err := checkReminderBeforeClose(rules, r); err != nil {
			return err
		}
		return tx.SaveSystemRule(ctx, &r)
	})
	return r, err
}

// checkReminderBeforeClose refuses a reminder that would come at or after
// the automatic close of the same channel and language.
func checkReminderBeforeClose(rules []SystemRule, r SystemRule) error {
	if r.Kind != SystemReminder && r.Kind != SystemAutoClosing || !r.Enabled {
		return nil
	}
	other := SystemReminder
	if r.Kind == SystemReminder {
		other = SystemAutoClosing
	}
	for _, o := range rules {
		if o.ChannelID != r.ChannelID || o.Language != r.Language || o.Kind != other || !o.Enabled {
			continue
		}
		remind, closing := r.Days, o.Days
		if r.Kind == SystemAutoClosing {
			remind, closing = o.Days, r.Days
		}
		if remind >= closing {
			return Invalid("days", "le rappel (%d j) doit précéder la fermeture automatique (%d j)", remind, closing)
		}
	}
	return nil
}

// ruleFor is the rule that applies to a channel in a language: the
// channel's own, else every channel's, in that language, else in French.
// ok is false when none is switched on.
func ruleFor(rules []SystemRule, ch Channel, kind SystemKind, lang string) (SystemRule, bool) {
	for _, l := range []string{lang, "fr"} {
		for _, chID := range []int64{ch.ID, 0} {
			for _, r := range rules {
				if r.ChannelID == chID && r.Kind == kind && r.Language == l {
					return r, r.Enabled
				}
			}
		}
	}
	return SystemRule{}, false
}

// channelLanguage is the language of a channel's automatic messages.
func channelLanguage(ch Channel) string {
	if ch.Language != "" {
		return ch.Language
	}
	return "fr"
}

// fillSystem writes a rule's text for a ticket.
func fillSystem(body string, t Ticket, ch Channel, customer string, opening time.Time, loc *time.Location, days int) string {
	open := ""
	if !opening.IsZero() {
		open = opening.In(loc).Format("02/01/2006 15:04")
	}
	if customer == "" { // « Bonjour {nom_client}, » reads « Bonjour, »
		body = strings.ReplaceAll(body, " {nom_client}", "")
	}
	return strings.NewReplacer("{nom_client}", customer, "{commande}", t.OrderRef, "{numero_ticket}", t.Number,
		"{canal}", ch.Name, "{ouverture}", open, "{jours}", fmt.Sprint(days)).Replace(body)
}
