package channel

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"guichet/internal/desk"
)

// Sealer seals and opens settings: a *secret.Box.
type Sealer interface {
	Seal(plain []byte) ([]byte, error)
	Open(sealed []byte) ([]byte, error)
}

// Desk is what Connectors asks of the application: a *desk.Desk.
type Desk interface {
	Channel(ctx context.Context, id int64) (desk.Channel, error)
	SealedSettings(ctx context.Context, channelID int64) ([]byte, error)
	SetSealedSettings(ctx context.Context, actor desk.Actor, channelID int64, sealed []byte) error
	TicketThreads(ctx context.Context, actor desk.Actor, ticketID int64) (desk.TicketThreads, error)
	RecordAction(ctx context.Context, actor desk.Actor, ticketID int64, label, outcome string, failed bool) error
}

// ConnectorsConfig is what Connectors is built from; HTTP, Log and Now
// go to every connector (nil: the Registry's defaults).
type ConnectorsConfig struct {
	Registry *Registry
	Sealer   Sealer
	Desk     Desk
	HTTP     *http.Client
	Log      *slog.Logger
	Now      func() time.Time
}

// Connectors builds the connectors of configured channels from their sealed
// settings, and runs what the pages and the command line ask of them:
// settings, connection test, order, actions. Safe for concurrent use.
type Connectors struct {
	c     ConnectorsConfig
	mu    sync.Mutex
	cache map[int64]cachedConnector
}

type cachedConnector struct {
	key  [32]byte // the channel and its sealed settings: a change builds anew
	conn Connector
}

// NewConnectors returns the channels' connectors.
func NewConnectors(c ConnectorsConfig) *Connectors {
	if c.Registry == nil {
		c.Registry = NewRegistry()
	}
	return &Connectors{c: c, cache: map[int64]cachedConnector{}}
}

// Registry is the registry the connectors come from.
func (cs *Connectors) Registry() *Registry { return cs.c.Registry }

// Connector returns the channel's connector, built once per version of its
// settings. Its error wraps ErrNotSupported when the kind has no connector
// or the channel no settings yet.
func (cs *Connectors) Connector(ctx context.Context, ch desk.Channel) (Connector, error) {
	if _, ok := cs.c.Registry.Kind(ch.Kind); !ok {
		return nil, fmt.Errorf("canal %s : %w", ch.Kind, ErrNotSupported)
	}
	sealed, err := cs.c.Desk.SealedSettings(ctx, ch.ID)
	if err != nil {
		return nil, err
	}
	if len(sealed) == 0 {
		return nil, fmt.Errorf("canal %s : connexion pas encore réglée : %w", ch.Name, ErrNotSupported)
	}
	chJSON, _ := json.Marshal(ch)
	key := sha256.Sum256(append(chJSON, sealed...))
	cs.mu.Lock()
	c, ok := cs.cache[ch.ID]
	cs.mu.Unlock()
	if ok && c.key == key {
		return c.conn, nil
	}
	values, err := cs.open(sealed)
	if err != nil {
		return nil, err
	}
	conn, err := cs.c.Registry.New(Config{Channel: ch, Settings: values, HTTP: cs.c.HTTP, Log: cs.c.Log, Now: cs.c.Now})
	if err != nil {
		return nil, err
	}
	cs.mu.Lock()
	cs.cache[ch.ID] = cachedConnector{key: key, conn: conn}
	cs.mu.Unlock()
	return conn, nil
}

func (cs *Connectors) open(sealed []byte) (map[string]string, error) {
	values := map[string]string{}
	if len(sealed) == 0 {
		return values, nil
	}
	plain, err := cs.c.Sealer.Open(sealed)
	if err != nil {
		return nil, fmt.Errorf("réglages du canal illisibles (la clé GUICHET_SECRET_KEY ou secret.key a-t-elle changé ?) : %w", err)
	}
	if err := json.Unmarshal(plain, &values); err != nil {
		return nil, fmt.Errorf("réglages du canal : %w", err)
	}
	return values, nil
}

// kindOf returns a channel and its kind's description.
func (cs *Connectors) kindOf(ctx context.Context, channelID int64) (desk.Channel, Kind, error) {
	ch, err := cs.c.Desk.Channel(ctx, channelID)
	if err != nil {
		return ch, Kind{}, err
	}
	k, ok := cs.c.Registry.Kind(ch.Kind)
	if !ok {
		return ch, k, fmt.Errorf("canal %s : %w", ch.Kind, ErrNotSupported)
	}
	return ch, k, nil
}

// Settings returns a channel's settings for its form: the values of those
// that are not secret, and for each setting whether it has a value. A
// secret's value is never returned.
func (cs *Connectors) Settings(ctx context.Context, channelID int64) (values map[string]string, set map[string]bool, err error) {
	_, k, err := cs.kindOf(ctx, channelID)
	if err != nil {
		return nil, nil, err
	}
	sealed, err := cs.c.Desk.SealedSettings(ctx, channelID)
	if err != nil {
		return nil, nil, err
	}
	stored, err := cs.open(sealed)
	if err != nil {
		return nil, nil, err
	}
	values, set = map[string]string{}, map[string]bool{}
	for _, s := range k.Settings {
		v := stored[s.Key]
		set[s.Key] = v != ""
		if s.Secret {
			continue
		}
		if v == "" && len(sealed) == 0 {
			v = s.Default
		}
		values[s.Key] = v
	}
	return values, set, nil
}

// SaveSettings checks and stores a channel's settings. Keys left out keep
// their stored value; an empty secret keeps the stored one (« laisser vide
// pour conserver »); an empty setting that is not secret is cleared (its
// default applies). Admins only.
func (cs *Connectors) SaveSettings(ctx context.Context, actor desk.Actor, channelID int64, values map[string]string) error {
	if !actor.IsAdmin() {
		return desk.Errorf(desk.EForbidden, "réservé aux administrateurs")
	}
	_, k, err := cs.kindOf(ctx, channelID)
	if err != nil {
		return err
	}
	sealed, err := cs.c.Desk.SealedSettings(ctx, channelID)
	if err != nil {
		return err
	}
	merged, err := cs.open(sealed)
	if err != nil {
		return err
	}
	secret := map[string]bool{}
	for _, s := range k.Settings {
		secret[s.Key] = s.Secret
	}
	for key, v := range values {
		if secret[key] && strings.TrimSpace(v) == "" {
			continue
		}
		merged[key] = v
	}
	checked, err := k.Check(merged)
	if err != nil {
		return err
	}
	plain, err := json.Marshal(checked)
	if err != nil {
		return err
	}
	if sealed, err = cs.c.Sealer.Seal(plain); err != nil {
		return err
	}
	return cs.c.Desk.SetSealedSettings(ctx, actor, channelID, sealed)
}

// Test checks a channel's connection (« Tester la connexion »).
func (cs *Connectors) Test(ctx context.Context, channelID int64) error {
	ch, _, err := cs.kindOf(ctx, channelID)
	if err != nil {
		return err
	}
	conn, err := cs.Connector(ctx, ch)
	if err != nil {
		return err
	}
	t, ok := conn.(Tester)
	if !ok {
		return fmt.Errorf("test de connexion : %w", ErrNotSupported)
	}
	return t.Test(ctx)
}

// target reads a ticket and builds its channel's connector.
func (cs *Connectors) target(ctx context.Context, actor desk.Actor, ticketID int64) (Connector, Target, error) {
	tt, err := cs.c.Desk.TicketThreads(ctx, actor, ticketID)
	if err != nil {
		return nil, Target{}, err
	}
	conn, err := cs.Connector(ctx, tt.Channel)
	if err != nil {
		return nil, Target{}, err
	}
	t := Target{OrderRef: tt.Ticket.OrderRef}
	for _, th := range tt.Threads {
		t.Threads = append(t.Threads, ThreadRef{OrderRef: tt.Ticket.OrderRef, Kind: th.Kind, ExternalID: th.ExternalID, Status: th.Status})
	}
	return conn, t, nil
}

// Order reads the ticket's order on its channel.
func (cs *Connectors) Order(ctx context.Context, actor desk.Actor, ticketID int64) (Order, error) {
	conn, t, err := cs.target(ctx, actor, ticketID)
	if err != nil {
		return Order{}, err
	}
	r, ok := conn.(OrderReader)
	if !ok {
		return Order{}, fmt.Errorf("détail de la commande : %w", ErrNotSupported)
	}
	if t.OrderRef == "" {
		return Order{}, desk.NotFound("commande")
	}
	return r.Order(ctx, t.OrderRef)
}

// Actions lists what the ticket's channel lets the seller do on it now.
func (cs *Connectors) Actions(ctx context.Context, actor desk.Actor, ticketID int64) ([]Action, error) {
	conn, t, err := cs.target(ctx, actor, ticketID)
	if err != nil {
		return nil, err
	}
	a, ok := conn.(Actioner)
	if !ok {
		return nil, fmt.Errorf("actions : %w", ErrNotSupported)
	}
	return a.Actions(ctx, t)
}

// RunAction runs one of the ticket's actions with the parameters as the
// agent typed them (amounts as « 12,50 », sent to the channel in cents),
// and records in the ticket's history what was asked and what the channel
// answered, refusals included. Read-only actions are not recorded.
func (cs *Connectors) RunAction(ctx context.Context, actor desk.Actor, ticketID int64, action string, params map[string]string) (ActionResult, error) {
	if actor.AgentID == 0 {
		return ActionResult{}, desk.Errorf(desk.EForbidden, "réservé aux agents")
	}
	conn, t, err := cs.target(ctx, actor, ticketID)
	if err != nil {
		return ActionResult{}, err
	}
	a, ok := conn.(Actioner)
	if !ok {
		return ActionResult{}, fmt.Errorf("actions : %w", ErrNotSupported)
	}
	actions, err := a.Actions(ctx, t)
	if err != nil {
		return ActionResult{}, err
	}
	var act Action
	for _, x := range actions {
		if x.ID == action {
			act, ok = x, true
		}
	}
	switch {
	case !ok:
		return ActionResult{}, desk.Invalid("action", "action indisponible sur ce ticket : %q", action)
	case act.URL != "":
		return ActionResult{}, desk.Invalid("action", "%s s'ouvre sur le portail du canal", act.Label)
	}
	values, shown, err := checkParams(act, params)
	if err != nil {
		return ActionResult{}, err
	}
	res, runErr := a.RunAction(ctx, t, act.ID, values)
	if act.ReadOnly {
		return res, runErr
	}
	label := act.Label
	if len(shown) > 0 {
		label += " (" + strings.Join(shown, ", ") + ")"
	}
	outcome, failed := res.Message, runErr != nil
	if failed {
		outcome = Explain(runErr)
	} else if outcome == "" {
		outcome = "accepté"
	}
	// The channel acted: the history says so even if the request ends now.
	if err := cs.c.Desk.RecordAction(context.WithoutCancel(ctx), actor, ticketID, label, outcome, failed); err != nil {
		if runErr == nil {
			return res, fmt.Errorf("action faite, mais pas inscrite à l'historique : %w", err)
		}
		return res, errors.Join(runErr, err)
	}
	return res, runErr
}
