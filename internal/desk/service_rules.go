package desk

import (
	"context"
	"strconv"
	"time"
)

// ServiceRules are the rules an admin sets for the whole desk.
type ServiceRules struct {
	// ReplyToP2: an agent's answer on a P1 ticket makes it P2 (follow-up).
	ReplyToP2 bool `json:"reply_to_p2"`
	// CustomerToP1: a customer's message on a P2 ticket brings it back to P1.
	CustomerToP1 bool `json:"customer_to_p1"`
	// WarningLead is how long before a deadline the responsible ADV is
	// warned; 0: no warnings.
	WarningLead time.Duration `json:"warning_lead"`
}

// DefaultServiceRules are the rules of a new desk: priorities change only
// by hand until an admin turns the rules on; warnings 2 hours ahead.
var DefaultServiceRules = ServiceRules{WarningLead: 2 * time.Hour}

// RuleActor is how the history names a change made by a rule.
const RuleActor = "Règle de priorité"

// maxWarningLead bounds the lead time (a week).
const maxWarningLead = 7 * 24 * time.Hour

// ServiceRulesTx stores the rules as keys and values; a key never set is
// absent from the map.
type ServiceRulesTx interface {
	ServiceRuleValues(ctx context.Context) (map[string]string, error)
	SetServiceRuleValues(ctx context.Context, values map[string]string) error
}

func serviceRules(ctx context.Context, tx ServiceRulesTx) (ServiceRules, error) {
	values, err := tx.ServiceRuleValues(ctx)
	if err != nil {
		return ServiceRules{}, err
	}
	r := DefaultServiceRules
	if v, ok := values["reply_to_p2"]; ok {
		r.ReplyToP2 = v == "1"
	}
	if v, ok := values["customer_to_p1"]; ok {
		r.CustomerToP1 = v == "1"
	}
	if v, ok := values["warning_lead_minutes"]; ok {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			r.WarningLead = time.Duration(n) * time.Minute
		}
	}
	return r, nil
}

// ServiceRules returns the desk's rules.
func (d *Desk) ServiceRules(ctx context.Context) (ServiceRules, error) {
	var r ServiceRules
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		r, err = serviceRules(ctx, tx)
		return err
	})
	return r, err
}

// SetServiceRules changes the desk's rules; admins only.
func (d *Desk) SetServiceRules(ctx context.Context, actor Actor, r ServiceRules) (ServiceRules, error) {
	if actor.Role != RoleAdmin {
		return ServiceRules{}, Errorf(EForbidden, "réservé aux administrateurs")
	}
	if r.WarningLead < 0 || r.WarningLead > maxWarningLead {
		return ServiceRules{}, Invalid("warning_lead", "entre 0 (aucun avertissement) et 7 jours")
	}
	if r.WarningLead%time.Minute != 0 {
		return ServiceRules{}, Invalid("warning_lead", "en minutes entières")
	}
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	values := map[string]string{
		"reply_to_p2":          flag(r.ReplyToP2),
		"customer_to_p1":       flag(r.CustomerToP1),
		"warning_lead_minutes": strconv.Itoa(int(r.WarningLead / time.Minute)),
	}
	err := d.store.Write(ctx, func(tx Tx) error { return tx.SetServiceRuleValues(ctx, values) })
	return r, err
}

// ruleEvent is a change of priority made by a rule, for the history.
func ruleEvent(t *Ticket, p Priority, at time.Time) Event {
	e := Event{TicketID: t.ID, At: at, ActorName: RuleActor, Kind: EventPriority, Old: string(t.Priority), New: string(p)}
	t.Priority = p
	return e
}
