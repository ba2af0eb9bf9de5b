package kaufland

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Actions are « Choisir une action » of Kaufland's ticket page, in its
// order (seed 004): order details, partial refund, calling in Kaufland's
// support, cancelling a unit, closing the ticket.
func (k *Connector) Actions(ctx context.Context, t channel.Target) ([]channel.Action, error) {
	var acts []channel.Action
	var units []orderUnit
	if t.OrderRef != "" {
		d, err := k.order(ctx, t.OrderRef)
		if err != nil {
			return nil, err
		}
		units = d.Units
		acts = append(acts, channel.Action{ID: "order", Label: "Afficher les détails de la commande", ReadOnly: true})
	}
	var refundable, cancellable []channel.Option
	for _, u := range units {
		o := channel.Option{Value: itoa(u.ID), Label: unitLabel(u)}
		if u.Status != "cancelled" {
			refundable = append(refundable, o)
		}
		if u.Status == "open" || u.Status == "need_to_be_sent" {
			cancellable = append(cancellable, o)
		}
	}
	if len(refundable) > 0 {
		acts = append(acts, channel.Action{ID: "refund", Label: "Rembourser une partie du montant",
			Confirm: "Rembourser ce montant à l'acheteur sur Kaufland ?",
			Params: []channel.Param{
				{Key: "unit", Label: "Unité de commande", Kind: channel.ParamSelect, Options: refundable, Required: true, Default: refundable[0].Value},
				{Key: "amount", Label: "Montant", Kind: channel.ParamAmount, Required: true},
				{Key: "reason", Label: "Motif", Kind: channel.ParamSelect, Options: refundReasons, Required: true},
			}})
	}
	ticket := customerTicket(t)
	if ticket.ExternalID != "" {
		acts = append(acts, channel.Action{ID: "customer_service",
			Label: "Faire appel au service client (ouvre le portail vendeur Kaufland)",
			URL:   portalTicketURL + ticket.ExternalID})
	}
	if len(cancellable) > 0 {
		acts = append(acts, channel.Action{ID: "cancel_unit", Label: "Annuler l'unité d'achat",
			Confirm: "Annuler cette unité de la commande sur Kaufland ? L'acheteur est remboursé.",
			Params: []channel.Param{
				{Key: "unit", Label: "Unité de commande", Kind: channel.ParamSelect, Options: cancellable, Required: true, Default: cancellable[0].Value},
				{Key: "reason", Label: "Motif", Kind: channel.ParamSelect, Options: cancelReasons, Required: true},
			}})
	}
	if len(units) > 0 {
		all := append([]channel.Option{{Value: "", Label: "Toute la commande"}}, refundable...)
		acts = append(acts, channel.Action{ID: "open_ticket", Label: "Ouvrir un ticket Kaufland (écrire à l'acheteur)",
			Confirm: "Ouvrir ce ticket sur Kaufland ? L'acheteur reçoit le message.",
			Params: []channel.Param{
				{Key: "unit", Label: "Unité de commande", Kind: channel.ParamSelect, Options: all},
				{Key: "reason", Label: "Motif", Kind: channel.ParamSelect, Options: reasonLabels, Required: true, Default: "contact_other"},
				{Key: "message", Label: "Message", Kind: channel.ParamLong, Required: true},
			}})
	}
	if ticket.ExternalID != "" && closable(ticket.Status) {
		acts = append(acts, channel.Action{ID: "close", Label: "Fermer le ticket",
			Confirm: "Fermer le ticket " + ticket.ExternalID + " sur Kaufland ? Ne le fermez que si la demande est réglée."})
	}
	return acts, nil
}

// RunAction does one of Actions.
func (k *Connector) RunAction(ctx context.Context, t channel.Target, action string, params map[string]string) (channel.ActionResult, error) {
	switch action {
	case "order":
		o, err := k.Order(ctx, t.OrderRef)
		if err != nil {
			return channel.ActionResult{}, err
		}
		return channel.ActionResult{Message: "Commande " + o.Ref + " lue sur Kaufland.", Order: &o}, nil
	case "refund":
		unit, err := k.unitOf(ctx, t, params["unit"])
		if err != nil {
			return channel.ActionResult{}, err
		}
		amount, err := strconv.ParseInt(strings.TrimSpace(params["amount"]), 10, 32)
		if err != nil || amount <= 0 {
			return channel.ActionResult{}, refused("Montant invalide : %q (en centimes)", params["amount"])
		}
		if amount > unit.Price+unit.ShippingRate {
			return channel.ActionResult{}, refused("Le remboursement (%s) dépasse ce que l'acheteur a payé pour cette unité (%s).",
				cents(amount, unit.Currency), cents(unit.Price+unit.ShippingRate, unit.Currency))
		}
		reason := params["reason"]
		if !hasOption(refundReasons, reason) {
			return channel.ActionResult{}, refused("Motif de remboursement inconnu : %q", reason)
		}
		if _, err := k.api.do(ctx, http.MethodPatch, "/order-units/"+itoa(unit.ID)+"/refund", nil,
			refundRequest{Amount: amount, Reason: reason}, nil); err != nil {
			return channel.ActionResult{}, err
		}
		return channel.ActionResult{Message: fmt.Sprintf("Kaufland a accepté le remboursement de %s sur l'unité %d (%s).",
			cents(amount, unit.Currency), unit.ID, optionLabel(refundReasons, reason))}, nil
	case "cancel_unit":
		unit, err := k.unitOf(ctx, t, params["unit"])
		if err != nil {
			return channel.ActionResult{}, err
		}
		reason := params["reason"]
		if !hasOption(cancelReasons, reason) {
			return channel.ActionResult{}, refused("Motif d'annulation inconnu : %q", reason)
		}
		if _, err := k.api.do(ctx, http.MethodPatch, "/order-units/"+itoa(unit.ID)+"/cancel", nil,
			cancelRequest{Reason: reason}, nil); err != nil {
			return channel.ActionResult{}, err
		}
		return channel.ActionResult{Message: fmt.Sprintf("Kaufland a annulé l'unité %d (%s).", unit.ID, optionLabel(cancelReasons, reason))}, nil
	case "open_ticket":
		if params["unit"] != "" {
			if _, err := k.unitOf(ctx, t, params["unit"]); err != nil {
				return channel.ActionResult{}, err
			}
		}
		th, err := k.OpenThread(ctx, channel.NewThread{OrderRef: t.OrderRef, Unit: params["unit"], Reason: params["reason"], Body: params["message"]})
		if err != nil {
			return channel.ActionResult{}, err
		}
		return channel.ActionResult{Message: "Ticket Kaufland " + th.ExternalID +
			" ouvert ; la conversation arrive dans guichet à la prochaine synchronisation."}, nil
	case "close":
		th := customerTicket(t)
		if err := k.CloseThread(ctx, th); err != nil {
			return channel.ActionResult{}, err
		}
		return channel.ActionResult{Message: "Ticket " + th.ExternalID + " fermé sur Kaufland."}, nil
	case "customer_service":
		th := customerTicket(t)
		if th.ExternalID == "" {
			return channel.ActionResult{}, refused("Aucun ticket Kaufland sur cette commande.")
		}
		// The API has no call for it: the portal's ticket page does it.
		return channel.ActionResult{Message: "L'appel au service client se fait dans le portail vendeur : " + portalTicketURL + th.ExternalID}, nil
	}
	return channel.ActionResult{}, refused("Action inconnue pour Kaufland : %q", action)
}

// unitOf checks that a unit belongs to the ticket's order, so that a
// forged parameter cannot touch another order.
func (k *Connector) unitOf(ctx context.Context, t channel.Target, unit string) (orderUnit, error) {
	d, err := k.order(ctx, t.OrderRef)
	if err != nil {
		return orderUnit{}, err
	}
	for _, u := range d.Units {
		if itoa(u.ID) == strings.TrimSpace(unit) {
			return u, nil
		}
	}
	return orderUnit{}, refused("L'unité %q n'appartient pas à la commande %s.", unit, t.OrderRef)
}

func customerTicket(t channel.Target) channel.ThreadRef {
	for _, th := range t.Threads {
		if th.ExternalID != "" && (th.Kind == "" || th.Kind == desk.ThreadCustomer) {
			return th
		}
	}
	for _, th := range t.Threads {
		if th.ExternalID != "" {
			return th
		}
	}
	return channel.ThreadRef{}
}

// closable: the seller can close a ticket that is not closed on its side
// already nor closed for good by Kaufland.
func closable(status string) bool {
	switch status {
	case "seller_closed", "both_closed", "customer_service_closed_final":
		return false
	}
	return true
}

func unitLabel(u orderUnit) string {
	title := "Unité " + itoa(u.ID)
	if u.Product != nil && u.Product.Title != "" {
		title = u.Product.Title
	}
	return fmt.Sprintf("%s — %s (%s)", title, cents(u.Price, u.Currency), labelOr(unitStatusLabels, u.Status))
}

func cents(c int64, currency string) string {
	if currency == "" {
		currency = "EUR"
	}
	sym := map[string]string{"EUR": "€", "CZK": "Kč", "PLN": "zł"}[currency]
	if sym == "" {
		sym = currency
	}
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d,%02d %s", sign, c/100, c%100, sym)
}

func refused(format string, a ...any) error {
	return &channel.Error{Kind: channel.Refused, Message: fmt.Sprintf(format, a...)}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
