package mirakl

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"guichet/internal/channel"
)

func cents(f float64) int64 { return int64(math.Round(f * 100)) }

// stateLabels are OR11's order and line states, as the panel shows them.
var stateLabels = map[string]string{
	"STAGING": "En cours de validation", "WAITING_ACCEPTANCE": "En attente d'acceptation",
	"WAITING_DEBIT": "En attente de paiement", "WAITING_DEBIT_PAYMENT": "En attente de paiement",
	"SHIPPING": "À expédier", "SHIPPED": "Expédiée", "TO_COLLECT": "À retirer", "RECEIVED": "Reçue",
	"CLOSED": "Clôturée", "REFUSED": "Refusée", "CANCELED": "Annulée", "INCIDENT_OPEN": "Incident ouvert",
	"REFUNDED": "Remboursée",
}

func stateLabel(s string) string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return s
}

// readOrder reads one order (OR11 with order_ids).
func (k *Connector) readOrder(ctx context.Context, ref string) (order, error) {
	if strings.TrimSpace(ref) == "" || strings.Contains(ref, ",") {
		return order{}, &channel.Error{Kind: channel.Refused, Status: http.StatusNotFound, Message: "commande Mirakl inconnue"}
	}
	var out struct {
		Orders []order `json:"orders"`
	}
	if err := k.api.do(ctx, request{method: http.MethodGet, path: "/api/orders", query: url.Values{"order_ids": {ref}}}, &out); err != nil {
		return order{}, err
	}
	for _, o := range out.Orders {
		if o.ID == ref {
			return o, nil
		}
	}
	return order{}, &channel.Error{Kind: channel.Refused, Status: http.StatusNotFound, Message: "commande Mirakl " + ref + " introuvable"}
}

// Order reads an order for the integrations panel.
func (k *Connector) Order(ctx context.Context, ref string) (channel.Order, error) {
	o, err := k.readOrder(ctx, ref)
	if err != nil {
		return channel.Order{}, err
	}
	return mapOrder(o), nil
}

func mapOrder(o order) channel.Order {
	out := channel.Order{Ref: o.ID, Status: stateLabel(o.State), CreatedAt: o.Created, Currency: o.Currency,
		Total: cents(o.TotalPrice), Payment: o.PaymentType, Email: o.NotificationEmail,
		Buyer: strings.TrimSpace(o.Customer.Firstname + " " + o.Customer.Lastname)}
	if a := o.Customer.ShippingAddress; a != nil {
		var parts []string
		for _, p := range []string{strings.TrimSpace(a.Firstname + " " + a.Lastname), a.Company, a.Street1, a.Street2,
			strings.TrimSpace(a.ZipCode + " " + a.City), a.Country} {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		out.Address = strings.Join(parts, "\n")
	}
	var shipped, received time.Time
	allReceived := len(o.Lines) > 0
	for _, l := range o.Lines {
		sku := l.OfferSKU
		if sku == "" {
			sku = l.ProductSKU
		}
		out.Lines = append(out.Lines, channel.OrderLine{ID: l.ID, Product: l.ProductTitle, SKU: sku, Quantity: l.Quantity,
			Price: cents(l.Price), Status: stateLabel(l.State), UpdatedAt: l.LastUpdated})
		if l.ShippedDate != nil && (shipped.IsZero() || l.ShippedDate.Before(shipped)) {
			shipped = *l.ShippedDate
		}
		switch {
		case l.ReceivedDate == nil:
			allReceived = false
		case l.ReceivedDate.After(received):
			received = *l.ReceivedDate
		}
	}
	if o.ShippingTracking != "" || o.ShippingCompany != "" || o.TrackingURL != "" {
		out.Shipments = []channel.Shipment{{Carrier: o.ShippingCompany, TrackingNumber: o.ShippingTracking,
			TrackingURL: o.TrackingURL, ShippedAt: shipped}}
	}
	if allReceived {
		out.Delivered = received // the last line's receipt: the order is all there
	}
	return out
}
