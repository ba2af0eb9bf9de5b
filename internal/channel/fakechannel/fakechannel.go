// Package fakechannel is a channel kind for tests: settings like a real
// marketplace's (a URL, a key, a secret, a select), a connection test, an
// order with a parcel, and actions (order details, a partial refund, a
// portal link, closing), every call recorded.
package fakechannel

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Recorder keeps what the connectors of a kind were asked.
type Recorder struct {
	mu      sync.Mutex
	Runs    []Run
	Built   int           // connectors built
	Delay   time.Duration // before answering Order (a slow channel)
	Refuse  string        // when set, RunAction is refused with this message
	NoOrder bool          // Order answers not found
}

// Run is one RunAction call.
type Run struct {
	Action   string
	OrderRef string
	Params   map[string]string
	Settings map[string]string
}

// Calls returns the RunAction calls so far.
func (r *Recorder) Calls() []Run {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Run(nil), r.Runs...)
}

// Kind returns the fake kind under the given kind's name.
func Kind(k desk.ChannelKind, rec *Recorder) channel.Kind {
	return channel.Kind{
		Kind: k, Name: "Kaufland", Every: 5 * time.Minute,
		Settings: []channel.Setting{
			{Key: "base_url", Label: "Adresse de l'API", Kind: channel.SettingURL, Default: "https://sellerapi.kaufland.example/v2", Required: true},
			{Key: "client_key", Label: "Clé client", Kind: channel.SettingText, Required: true, Help: "Portail vendeur › Paramètres › API"},
			{Key: "secret_key", Label: "Clé secrète", Kind: channel.SettingText, Required: true, Secret: true},
			{Key: "storefront", Label: "Boutique", Kind: channel.SettingSelect, Default: "de",
				Options: []channel.Option{{Value: "de", Label: "Allemagne"}, {Value: "fr", Label: "France"}}},
		},
		New: func(c channel.Config) (channel.Connector, error) {
			rec.mu.Lock()
			rec.Built++
			rec.mu.Unlock()
			return &conn{rec: rec, settings: c.Settings}, nil
		},
	}
}

type conn struct {
	rec      *Recorder
	settings map[string]string
}

func (c *conn) Fetch(ctx context.Context, cursor string) (channel.Batch, error) {
	return channel.Batch{Cursor: cursor}, nil
}

func (c *conn) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	return channel.Sent{SourceID: "sent-" + strconv.FormatInt(r.MessageID, 10), At: time.Now()}, nil
}

func (c *conn) Test(ctx context.Context) error {
	if c.settings["secret_key"] == "wrong" {
		return &channel.Error{Kind: channel.Unauthorized, Status: 401, Message: "invalid signature"}
	}
	return nil
}

func (c *conn) Order(ctx context.Context, ref string) (channel.Order, error) {
	if c.rec.Delay > 0 {
		select {
		case <-time.After(c.rec.Delay):
		case <-ctx.Done():
			return channel.Order{}, ctx.Err()
		}
	}
	if c.rec.NoOrder {
		return channel.Order{}, &channel.Error{Kind: channel.Refused, Status: 404, Message: "order not found"}
	}
	at := time.Date(2026, 3, 11, 10, 30, 0, 0, time.UTC)
	return channel.Order{Ref: ref, Status: "envoyée", CreatedAt: at, Currency: "EUR", Total: 15980, Buyer: "Jean Dupont",
		URL: "https://sellerportal.kaufland.example/orders/" + ref,
		Lines: []channel.OrderLine{
			{ID: "u1", Product: "Perceuse visseuse 18 V", SKU: "PV-18", Quantity: 1, Price: 12990, Status: "envoyée", UpdatedAt: at.Add(24 * time.Hour)},
			{ID: "u2", Product: "Coffret de forets", SKU: "CF-10", Quantity: 1, Price: 2990, Status: "envoyée", UpdatedAt: at.Add(24 * time.Hour)},
		},
		Shipments: []channel.Shipment{{Carrier: "DHL", TrackingNumber: "00340434161094042557",
			TrackingURL: "https://tracking.example/dhl/00340434161094042557", ShippedAt: at.Add(24 * time.Hour)}},
	}, nil
}

func (c *conn) Actions(ctx context.Context, t channel.Target) ([]channel.Action, error) {
	return []channel.Action{
		{ID: "order", Label: "Afficher les détails de la commande", ReadOnly: true},
		{ID: "refund", Label: "Rembourser une partie du montant", Confirm: "Rembourser ce montant au client ?",
			Params: []channel.Param{
				{Key: "amount", Label: "Montant", Kind: channel.ParamAmount, Required: true},
				{Key: "reason", Label: "Motif", Kind: channel.ParamSelect, Default: "damaged",
					Options: []channel.Option{{Value: "damaged", Label: "Article endommagé"}, {Value: "late", Label: "Livraison en retard"}}},
			}},
		{ID: "close", Label: "Fermer le ticket", Confirm: "Fermer le ticket sur Kaufland ?"},
		{ID: "portal", Label: "Ouvrir sur le portail vendeur", URL: "https://sellerportal.kaufland.example/tickets/" + t.OrderRef, ReadOnly: true},
	}, nil
}

func (c *conn) RunAction(ctx context.Context, t channel.Target, action string, params map[string]string) (channel.ActionResult, error) {
	c.rec.mu.Lock()
	c.rec.Runs = append(c.rec.Runs, Run{Action: action, OrderRef: t.OrderRef, Params: params, Settings: c.settings})
	refuse := c.rec.Refuse
	c.rec.mu.Unlock()
	if refuse != "" {
		return channel.ActionResult{}, &channel.Error{Kind: channel.Refused, Status: 400, Message: refuse}
	}
	switch action {
	case "order":
		o, err := c.Order(ctx, t.OrderRef)
		return channel.ActionResult{Message: "Commande " + t.OrderRef, Order: &o}, err
	case "refund":
		cents, _ := strconv.ParseInt(params["amount"], 10, 64)
		return channel.ActionResult{Message: fmt.Sprintf("Remboursement de %s € accepté", channel.FormatAmount(cents))}, nil
	}
	return channel.ActionResult{Message: "accepté"}, nil
}
