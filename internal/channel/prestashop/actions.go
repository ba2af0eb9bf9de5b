package prestashop

import (
	"context"
	"net/url"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Actions are what the shop's webservice allows on a ticket's order: the
// order's details (read-only) and, when the back office's address is set,
// a link to the order there. Refunds and cancellations are the back
// office's (order slips): not offered through the webservice.
func (p *Connector) Actions(ctx context.Context, t channel.Target) ([]channel.Action, error) {
	if t.OrderRef == "" {
		return nil, nil
	}
	acts := []channel.Action{{ID: "order", Label: "Afficher les détails de la commande", ReadOnly: true}}
	if p.admin != "" {
		o, err := p.orderByRef(ctx, t.OrderRef)
		if err != nil {
			return nil, err
		}
		acts = append(acts, channel.Action{ID: "backoffice", Label: "Ouvrir la commande dans le back-office PrestaShop", ReadOnly: true,
			URL: p.admin + "/index.php?controller=AdminOrders&vieworder&id_order=" + url.QueryEscape(o.ID.String())})
	}
	return acts, nil
}

// RunAction runs « Afficher les détails de la commande ».
func (p *Connector) RunAction(ctx context.Context, t channel.Target, action string, params map[string]string) (channel.ActionResult, error) {
	if action != "order" || t.OrderRef == "" {
		return channel.ActionResult{}, desk.Invalid("action", "action inconnue pour PrestaShop : %q", action)
	}
	o, err := p.Order(ctx, t.OrderRef)
	if err != nil {
		return channel.ActionResult{}, err
	}
	msg := "Commande " + o.Ref
	if o.Status != "" {
		msg += " : " + o.Status
	}
	return channel.ActionResult{Message: msg, Order: &o}, nil
}
