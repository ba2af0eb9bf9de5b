package mirakl

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"guichet/internal/channel"
)

// The actions on a Mirakl order.
const (
	actionOrder       = "order"
	actionRefundLine  = "refund_line"
	actionCancelOrder = "cancel_order"
	actionCancelLine  = "cancel_line"
)

// cancelableStates are the line states a cancellation (OR30) applies to:
// accepted or waiting, not shipped yet. OR29 and OR30 need the order's
// can_cancel besides.
var cancelableStates = []string{"WAITING_ACCEPTANCE", "WAITING_DEBIT", "WAITING_DEBIT_PAYMENT", "SHIPPING"}

// reasonOptions lists the operator's reason codes of a type (RE01); nil
// when the instance does not give them (then the code is typed).
func (k *Connector) reasonOptions(ctx context.Context, typ string) []channel.Option {
	var out struct {
		Reasons []reason `json:"reasons"`
	}
	if err := k.api.do(ctx, request{method: http.MethodGet, path: "/api/reasons"}, &out); err != nil {
		k.log.Warn("mirakl: reasons not read", "err", err)
		return nil
	}
	var opts []channel.Option
	for _, r := range out.Reasons {
		if r.Type == typ && r.IsShopRight && r.Code != "" {
			opts = append(opts, channel.Option{Value: r.Code, Label: r.Label})
		}
	}
	return opts
}

func reasonParam(opts []channel.Option) channel.Param {
	if len(opts) == 0 {
		return channel.Param{Key: "reason", Label: "Code motif (liste de l'opérateur)", Kind: channel.ParamText, Required: true}
	}
	return channel.Param{Key: "reason", Label: "Motif", Kind: channel.ParamSelect, Options: opts, Required: true}
}

// Actions offers what the order allows now: its details always, a line's
// refund where a line can be refunded, the order's or a line's
// cancellation where the order can be cancelled.
func (k *Connector) Actions(ctx context.Context, t channel.Target) ([]channel.Action, error) {
	if t.OrderRef == "" {
		return nil, nil
	}
	o, err := k.readOrder(ctx, t.OrderRef)
	if err != nil {
		return nil, err
	}
	acts := []channel.Action{{ID: actionOrder, Label: "Afficher les détails de la commande", ReadOnly: true}}
	var refundable, cancelable []channel.Option
	for _, l := range o.Lines {
		opt := channel.Option{Value: l.ID, Label: fmt.Sprintf("%s × %d (%s €)", l.ProductTitle, l.Quantity, channel.FormatAmount(cents(l.Price)))}
		if l.CanRefund {
			refundable = append(refundable, opt)
		}
		if o.CanCancel && slices.Contains(cancelableStates, l.State) {
			cancelable = append(cancelable, opt)
		}
	}
	if len(refundable) > 0 {
		acts = append(acts, channel.Action{ID: actionRefundLine, Label: "Rembourser une ligne",
			Confirm: "Rembourser ce montant au client sur la ligne choisie ? Mirakl le débite de votre prochain paiement.",
			Params: []channel.Param{
				{Key: "line", Label: "Ligne", Kind: channel.ParamSelect, Options: refundable, Required: true, Default: refundable[0].Value},
				{Key: "amount", Label: "Montant (hors frais de port)", Kind: channel.ParamAmount, Required: true},
				reasonParam(k.reasonOptions(ctx, "REFUND")),
			}})
	}
	if o.CanCancel {
		cancelReasons := k.reasonOptions(ctx, "CANCELATION")
		acts = append(acts, channel.Action{ID: actionCancelOrder, Label: "Annuler la commande",
			Confirm: "Annuler toute la commande ? Le client est remboursé et ne sera pas livré.",
			Params:  []channel.Param{}})
		if len(cancelable) > 0 {
			acts = append(acts, channel.Action{ID: actionCancelLine, Label: "Annuler une ligne",
				Confirm: "Annuler cette ligne de la commande ? Le client en est remboursé, frais de port compris.",
				Params: []channel.Param{
					{Key: "line", Label: "Ligne", Kind: channel.ParamSelect, Options: cancelable, Required: true, Default: cancelable[0].Value},
					reasonParam(cancelReasons),
				}})
		}
	}
	return acts, nil
}

// RunAction does one of Actions. A refusal by Mirakl is an *Error with
// Kind Refused and Mirakl's message.
func (k *Connector) RunAction(ctx context.Context, t channel.Target, action string, params map[string]string) (channel.ActionResult, error) {
	if t.OrderRef == "" {
		return channel.ActionResult{}, &channel.Error{Kind: channel.Refused, Message: "ce ticket n'a pas de commande Mirakl"}
	}
	o, err := k.readOrder(ctx, t.OrderRef)
	if err != nil {
		return channel.ActionResult{}, err
	}
	line := func() (orderLine, error) {
		i := slices.IndexFunc(o.Lines, func(l orderLine) bool { return l.ID == params["line"] })
		if i < 0 {
			return orderLine{}, &channel.Error{Kind: channel.Refused, Message: "ligne inconnue sur cette commande : " + params["line"]}
		}
		return o.Lines[i], nil
	}
	switch action {
	case actionOrder:
		m := mapOrder(o)
		return channel.ActionResult{Message: "Commande " + o.ID + " : " + m.Status, Order: &m}, nil
	case actionRefundLine:
		l, err := line()
		if err != nil {
			return channel.ActionResult{}, err
		}
		amount, err := strconv.ParseInt(params["amount"], 10, 64)
		if err != nil || amount <= 0 {
			return channel.ActionResult{}, &channel.Error{Kind: channel.Refused, Message: "montant invalide"}
		}
		body := map[string]any{"refunds": []map[string]any{{"order_line_id": l.ID, "amount": float64(amount) / 100,
			"shipping_amount": 0, "reason_code": params["reason"], "quantity": l.Quantity, "currency_iso_code": o.Currency}}}
		if err := k.api.do(ctx, request{method: http.MethodPut, path: "/api/orders/refund", in: body}, nil); err != nil {
			return channel.ActionResult{}, err
		}
		return channel.ActionResult{Message: fmt.Sprintf("Remboursement de %s € demandé sur « %s »", channel.FormatAmount(amount), l.ProductTitle)}, nil
	case actionCancelOrder:
		if err := k.api.do(ctx, request{method: http.MethodPut, path: "/api/orders/" + url.PathEscape(o.ID) + "/cancel"}, nil); err != nil {
			return channel.ActionResult{}, err
		}
		return channel.ActionResult{Message: "Commande " + o.ID + " annulée"}, nil
	case actionCancelLine:
		l, err := line()
		if err != nil {
			return channel.ActionResult{}, err
		}
		body := map[string]any{"cancelations": []map[string]any{{"order_line_id": l.ID, "quantity": l.Quantity,
			"amount": l.Price, "shipping_amount": l.Shipping, "reason_code": params["reason"], "currency_iso_code": o.Currency}}}
		if err := k.api.do(ctx, request{method: http.MethodPut, path: "/api/orders/cancel", in: body}, nil); err != nil {
			return channel.ActionResult{}, err
		}
		return channel.ActionResult{Message: fmt.Sprintf("Ligne « %s » annulée", l.ProductTitle)}, nil
	}
	return channel.ActionResult{}, fmt.Errorf("action Mirakl inconnue %q : %w", action, channel.ErrNotSupported)
}
