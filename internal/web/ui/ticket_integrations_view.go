package ui

import (
	"errors"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// orderPanelData is the integrations fragment: the order as the panels
// show it, and what the page's scripts need (the tracking link for
// {lien_suivi}, the actions for « Choisir une action », whether to offer
// the Email thread, the values to propose for the ticket's fields).
type orderPanelData struct {
	Order      *orderView
	OrderError string // the channel's failure, in French ("": none, or no order)
	// Backoffice is the order found in the back office for a marketplace
	// ticket (a PrestaShop ticket's is Order itself); BackofficeNote says
	// why there is none (not found, no rule), BackofficeError its failure.
	Backoffice      *orderView
	BackofficeNote  string
	BackofficeError string
	Parcels         []parcelView // the channel's and the back office's
	Script          integrationsScript
}

type orderView struct {
	Prefix                                                      string // of its elements' ids: order, bo
	Ref, Status, Created, URL, Total, Buyer, Payment, Delivered string
	Lines                                                       []orderLineView
	Parcels                                                     []parcelView
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
	// EmailThread: the order is in the back office and an address is
	// known, so the ticket offers its Email thread.
	EmailThread bool `json:"email_thread"`
	// Delivered (yyyy-mm-dd, shown as DeliveredLabel) and Email are
	// proposed for the ticket's « Date de livraison » and « Email client ».
	Delivered      string `json:"delivered,omitempty"`
	DeliveredLabel string `json:"delivered_label,omitempty"`
	Email          string `json:"email,omitempty"`
}

func integrationsOf(tr translator, os channel.TicketOrders, actions []channel.Action) orderPanelData {
	d := orderPanelData{Script: integrationsScript{Actions: actions}}
	if d.Script.Actions == nil {
		d.Script.Actions = []channel.Action{}
	}
	switch err := os.OrderErr; {
	case errors.Is(err, channel.ErrNotSupported), desk.IsNotFound(err): // no order to show
	case err != nil:
		d.OrderError = tr.T("int.channel_error", channel.Explain(err))
	default:
		d.Order = orderViewOf(os.Order)
		d.Order.Prefix = "order"
		d.Parcels = d.Order.Parcels
		d.Script.TrackingURL = os.Order.TrackingURL()
	}
	delivered := os.Order.Delivered
	if !os.BackofficeOwn {
		switch err := os.BackofficeErr; {
		case errors.Is(err, channel.ErrNotSupported) && !os.Channel.Backoffice.Set():
			d.BackofficeNote = tr.T("int.bo_rule")
		case desk.IsNotFound(err):
			d.BackofficeNote = tr.T("int.bo_none", os.Channel.Backoffice.Value(os.Ticket.OrderRef))
		case err != nil:
			d.BackofficeError = tr.T("int.bo_error", channel.Explain(err))
		default:
			d.Backoffice = orderViewOf(os.Backoffice)
			d.Backoffice.Prefix = "bo"
			d.Parcels = mergeParcels(d.Parcels, d.Backoffice.Parcels)
			if d.Script.TrackingURL == "" {
				d.Script.TrackingURL = os.Backoffice.TrackingURL()
			}
			if !os.Backoffice.Delivered.IsZero() {
				delivered = os.Backoffice.Delivered
			}
		}
	}
	if os.Found() {
		email := os.Ticket.RealEmail
		if email == "" {
			email = os.Backoffice.Email
			d.Script.Email = email
		}
		d.Script.EmailThread = email != ""
	}
	if !delivered.IsZero() {
		d.Script.Delivered = delivered.In(paris).Format("2006-01-02")
		d.Script.DeliveredLabel = delivered.In(paris).Format("02/01/2006")
		if d.Script.Delivered == os.Ticket.DeliveryDate {
			d.Script.Delivered, d.Script.DeliveredLabel = "", ""
		}
	}
	return d
}

// mergeParcels adds the back office's parcels to the channel's, each
// tracking number once.
func mergeParcels(own, bo []parcelView) []parcelView {
	seen := map[string]bool{}
	for _, p := range own {
		seen[p.Number] = p.Number != ""
	}
	for _, p := range bo {
		if p.Number == "" || !seen[p.Number] {
			own = append(own, p)
		}
	}
	return own
}

func orderViewOf(o channel.Order) *orderView {
	v := &orderView{Ref: o.Ref, Status: o.Status, Created: showTime(o.CreatedAt), URL: o.URL, Total: money(o.Total, o.Currency), Buyer: o.Buyer,
		Payment: o.Payment}
	if !o.Delivered.IsZero() {
		v.Delivered = o.Delivered.In(paris).Format("02/01/2006")
	}
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
