package ui

import (
	"errors"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// orderPanelData is the integrations fragment: the order as the panels
// show it, and what ticket.js needs (the tracking link for {lien_suivi},
// the actions for « Choisir une action »).
type orderPanelData struct {
	Order      *orderView
	OrderError string // the channel's failure, in French ("": none, or no order)
	Script     integrationsScript
}

type orderView struct {
	Ref, Status, Created, URL, Total, Buyer string
	Lines                                   []orderLineView
	Parcels                                 []parcelView
}

type orderLineView struct {
	Product, SKU, Price, Status, Updated string
	Quantity                             int
}

type parcelView struct {
	Carrier, Number, URL, Shipped string
}

type integrationsScript struct {
	TrackingURL string           `json:"tracking_url"`
	Actions     []channel.Action `json:"actions"`
}

func integrationsOf(tr translator, o channel.Order, orderErr error, actions []channel.Action) orderPanelData {
	d := orderPanelData{Script: integrationsScript{Actions: actions}}
	if d.Script.Actions == nil {
		d.Script.Actions = []channel.Action{}
	}
	switch {
	case errors.Is(orderErr, channel.ErrNotSupported), desk.IsNotFound(orderErr): // no order to show
	case orderErr != nil:
		d.OrderError = tr.T("int.channel_error", channel.Explain(orderErr))
	default:
		d.Order = orderViewOf(o)
		d.Script.TrackingURL = o.TrackingURL()
	}
	return d
}

func orderViewOf(o channel.Order) *orderView {
	v := &orderView{Ref: o.Ref, Status: o.Status, Created: showTime(o.CreatedAt), URL: o.URL, Total: money(o.Total, o.Currency), Buyer: o.Buyer}
	for _, l := range o.Lines {
		v.Lines = append(v.Lines, orderLineView{Product: l.Product, SKU: l.SKU, Price: money(l.Price, o.Currency), Status: l.Status,
			Updated: showTime(l.UpdatedAt), Quantity: l.Quantity})
	}
	for _, s := range o.Shipments {
		v.Parcels = append(v.Parcels, parcelView{Carrier: s.Carrier, Number: s.TrackingNumber, URL: s.TrackingURL, Shipped: showTime(s.ShippedAt)})
	}
	return v
}

// money writes cents of a currency the French way: « 159,80 € ».
func money(cents int64, currency string) string {
	switch currency {
	case "", "EUR":
		currency = "€"
	}
	return channel.FormatAmount(cents) + "\u00a0" + currency
}
