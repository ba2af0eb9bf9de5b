package kaufland

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"guichet/internal/channel"
)

// portalTicketURL and portalOrderURL are the seller portal's pages of a
// ticket and of an order (a channel's OrderURL, when set, wins for orders).
const (
	portalTicketURL = "https://sellerportal.kaufland.de/tickets/"
	portalOrderURL  = "https://sellerportal.kaufland.de/order-overview/"
)

func (k *Connector) order(ctx context.Context, id string) (orderDetails, error) {
	if strings.TrimSpace(id) == "" {
		return orderDetails{}, &channel.Error{Kind: channel.Refused, Message: "Ce ticket n'est lié à aucune commande Kaufland."}
	}
	var out struct {
		Data *orderDetails `json:"data"`
	}
	if _, err := k.api.do(ctx, http.MethodGet, "/orders/"+url.PathEscape(id), nil, nil, &out); err != nil {
		return orderDetails{}, err
	}
	if out.Data == nil || out.Data.ID == "" {
		return orderDetails{}, &channel.Error{Kind: channel.Transient, Message: "commande " + id + " : réponse de Kaufland incomplète"}
	}
	return *out.Data, nil
}

// Order reads an order for the integrations panel. Kaufland's order
// details carry no parcel tracking (the spec has carriers and tracking
// numbers only on the way in, PATCH …/send), so Shipments stay empty.
func (k *Connector) Order(ctx context.Context, ref string) (channel.Order, error) {
	d, err := k.order(ctx, ref)
	if err != nil {
		return channel.Order{}, err
	}
	return k.mapOrder(d), nil
}

func (k *Connector) mapOrder(d orderDetails) channel.Order {
	o := channel.Order{Ref: d.ID, CreatedAt: parseTime(d.Created), URL: k.orderURL(d.ID), Lines: []channel.OrderLine{}}
	var statuses []string
	ship := d.Shipping
	by := d.Buyer
	for _, u := range d.Units {
		line := channel.OrderLine{ID: itoa(u.ID), SKU: deref(u.IDOffer), Quantity: 1, Price: u.Price,
			Status: labelOr(unitStatusLabels, u.Status), UpdatedAt: parseTime(u.Updated)}
		if u.Product != nil {
			line.Product = u.Product.Title
			if len(u.Product.EANs) > 0 {
				line.EAN = u.Product.EANs[0]
			}
		}
		o.Lines = append(o.Lines, line)
		// What the buyer paid: each unit's price and its shipping.
		o.Total += u.Price + u.ShippingRate
		if o.Currency == "" {
			o.Currency = u.Currency
		}
		if !slices.Contains(statuses, line.Status) {
			statuses = append(statuses, line.Status)
		}
		if ship == nil {
			ship = u.Shipping
		}
		if by == nil {
			by = u.Buyer
		}
	}
	o.Status = strings.Join(statuses, ", ")
	if by != nil {
		o.Email = deref(by.Email)
	}
	if ship != nil {
		o.Buyer = strings.TrimSpace(ship.FirstName + " " + ship.LastName)
		o.Address = ship.lines()
	}
	return o
}

func (a address) lines() string {
	var ls []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			ls = append(ls, s)
		}
	}
	add(deref(a.Company))
	add(a.FirstName + " " + a.LastName)
	add(a.Street + " " + a.HouseNo)
	add(deref(a.Additional))
	add(a.Postcode + " " + a.City)
	add(a.Country)
	return strings.Join(ls, "\n")
}

func (k *Connector) orderURL(id string) string {
	if t := k.channel.OrderURL; strings.Contains(t, "{order}") {
		return strings.ReplaceAll(t, "{order}", url.PathEscape(id))
	}
	return portalOrderURL + url.PathEscape(id)
}
