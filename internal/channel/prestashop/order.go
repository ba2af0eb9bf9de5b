package prestashop

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// psOrder is an order with its rows (display=full).
type psOrder struct {
	ID              text            `json:"id"`
	Reference       text            `json:"reference"`
	Customer        text            `json:"id_customer"`
	AddressDelivery text            `json:"id_address_delivery"`
	Lang            text            `json:"id_lang"`
	Shop            text            `json:"id_shop"`
	CurrentState    text            `json:"current_state"`
	Payment         text            `json:"payment"`
	TotalPaid       text            `json:"total_paid"`
	TotalPaidTaxInc text            `json:"total_paid_tax_incl"`
	DateAdd         text            `json:"date_add"`
	Associations    json.RawMessage `json:"associations"`
}

type orderRow struct {
	ID        text `json:"id"`
	Quantity  text `json:"product_quantity"`
	Name      text `json:"product_name"`
	Reference text `json:"product_reference"`
	EAN       text `json:"product_ean13"`
	UnitPrice text `json:"unit_price_tax_incl"`
	Price     text `json:"product_price"`
}

type orderState struct {
	ID       text     `json:"id"`
	Name     langText `json:"name"`
	Delivery text     `json:"delivery"`
	Shipped  text     `json:"shipped"`
}

type orderHistory struct {
	ID      text `json:"id"`
	State   text `json:"id_order_state"`
	DateAdd text `json:"date_add"`
}

type orderCarrier struct {
	ID       text `json:"id"`
	Carrier  text `json:"id_carrier"`
	Tracking text `json:"tracking_number"`
	DateAdd  text `json:"date_add"`
}

type carrier struct {
	ID   text `json:"id"`
	Name text `json:"name"`
	URL  text `json:"url"`
}

type customer struct {
	ID        text `json:"id"`
	FirstName text `json:"firstname"`
	LastName  text `json:"lastname"`
	Email     text `json:"email"`
}

type address struct {
	Company   text `json:"company"`
	FirstName text `json:"firstname"`
	LastName  text `json:"lastname"`
	Address1  text `json:"address1"`
	Address2  text `json:"address2"`
	Postcode  text `json:"postcode"`
	City      text `json:"city"`
	Phone     text `json:"phone"`
}

// orderByRef finds an order by its reference (or, for a number that is
// no reference, its id).
func (p *Connector) orderByRef(ctx context.Context, ref string) (psOrder, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.ContainsAny(ref, "[]|,%!<>") {
		return psOrder{}, desk.NotFound(fmt.Sprintf("commande %q dans la boutique", ref))
	}
	raw, err := p.api.get(ctx, "/orders", url.Values{"display": {"full"}, "filter[reference]": {"[" + ref + "]"}, "limit": {"2"}})
	if err != nil {
		return psOrder{}, err
	}
	list, _, err := decodeList[psOrder](raw, "orders")
	if err != nil {
		return psOrder{}, &channel.Error{Kind: channel.Transient, Message: "réponse de PrestaShop illisible (orders)", Err: err}
	}
	if len(list) > 0 {
		return list[0], nil
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		raw, err := p.api.get(ctx, "/orders/"+ref, nil)
		if err == nil {
			if o, err := decodeOne[psOrder](raw, "order"); err == nil {
				return o, nil
			}
		}
	}
	return psOrder{}, desk.NotFound(fmt.Sprintf("commande %q dans la boutique", ref))
}

// Order reads an order for the « Backoffice » and « Suivi colis » panels:
// its rows, current state (named in the order's language), the delivered
// date from its history, its parcels with the carriers' tracking links,
// its customer and delivery address.
func (p *Connector) Order(ctx context.Context, ref string) (channel.Order, error) {
	o, err := p.orderByRef(ctx, ref)
	if err != nil {
		return channel.Order{}, err
	}
	return p.orderDetail(ctx, o)
}

// orderDetail reads the rest of an order: states, history, parcels,
// customer, address.
func (p *Connector) orderDetail(ctx context.Context, o psOrder) (channel.Order, error) {
	lang := o.Lang.String()
	out := channel.Order{
		Ref:       o.Reference.String(),
		CreatedAt: parseDate(o.DateAdd.String(), p.loc),
		Payment:   o.Payment.String(),
		Total:     o.TotalPaidTaxInc.cents(),
	}
	if out.Total == 0 {
		out.Total = o.TotalPaid.cents()
	}
	if p.admin != "" {
		out.URL = p.admin + "/index.php?controller=AdminOrders&vieworder&id_order=" + url.QueryEscape(o.ID.String())
	}
	for _, r := range assocList[orderRow](o.Associations, "order_rows") {
		unit := r.UnitPrice.cents()
		if unit == 0 {
			unit = r.Price.cents()
		}
		out.Lines = append(out.Lines, channel.OrderLine{ID: r.ID.String(), Product: r.Name.String(),
			SKU: r.Reference.String(), EAN: r.EAN.String(), Quantity: r.Quantity.int(), Price: unit * int64(r.Quantity.int())})
	}
	states, err := listAll[orderState](ctx, p, "order_states", nil)
	if err != nil {
		return channel.Order{}, err
	}
	byID := map[int64]orderState{}
	for _, s := range states {
		byID[s.ID.id()] = s
	}
	out.Status = byID[o.CurrentState.id()].Name.in(lang)
	hist, err := listAll[orderHistory](ctx, p, "order_histories", url.Values{"filter[id_order]": {"[" + o.ID.String() + "]"}})
	if err != nil {
		return channel.Order{}, err
	}
	slices.SortFunc(hist, func(a, b orderHistory) int { return strings.Compare(a.DateAdd.String(), b.DateAdd.String()) })
	var shipped time.Time
	for _, h := range hist {
		s := byID[h.State.id()]
		at := parseDate(h.DateAdd.String(), p.loc)
		if s.Delivery.bool() && out.Delivered.IsZero() {
			out.Delivered = at
		}
		if s.Shipped.bool() && shipped.IsZero() {
			shipped = at
		}
	}
	ocs, err := listAll[orderCarrier](ctx, p, "order_carriers", url.Values{"filter[id_order]": {"[" + o.ID.String() + "]"}})
	if err != nil {
		return channel.Order{}, err
	}
	for _, oc := range ocs {
		sh := channel.Shipment{TrackingNumber: oc.Tracking.String(), ShippedAt: shipped}
		if id := oc.Carrier.id(); id > 0 {
			raw, err := p.api.get(ctx, "/carriers/"+oc.Carrier.String(), nil)
			if err != nil {
				return channel.Order{}, err
			}
			if c, err := decodeOne[carrier](raw, "carrier"); err == nil {
				sh.Carrier = c.Name.String()
				if u := c.URL.String(); u != "" && sh.TrackingNumber != "" {
					sh.TrackingURL = strings.ReplaceAll(u, "@", url.QueryEscape(sh.TrackingNumber))
				}
			}
		}
		out.Shipments = append(out.Shipments, sh)
	}
	if c, err := p.customer(ctx, o.Customer.id()); err == nil {
		out.Buyer = strings.TrimSpace(c.FirstName.String() + " " + c.LastName.String())
		out.Email = c.Email.String()
	} else if channel.KindOf(err) != channel.Refused {
		return channel.Order{}, err
	}
	if id := o.AddressDelivery.id(); id > 0 {
		raw, err := p.api.get(ctx, "/addresses/"+o.AddressDelivery.String(), nil)
		if err != nil && channel.KindOf(err) != channel.Refused {
			return channel.Order{}, err
		}
		if a, err := decodeOne[address](raw, "address"); err == nil {
			out.Address = a.lines()
		}
	}
	return out, nil
}

func (p *Connector) customer(ctx context.Context, id int64) (customer, error) {
	if id <= 0 {
		return customer{}, &channel.Error{Kind: channel.Refused, Message: "commande sans client"}
	}
	raw, err := p.api.get(ctx, "/customers/"+strconv.FormatInt(id, 10), nil)
	if err != nil {
		return customer{}, err
	}
	c, err := decodeOne[customer](raw, "customer")
	if err != nil {
		return customer{}, &channel.Error{Kind: channel.Transient, Message: "réponse de PrestaShop illisible (customers)", Err: err}
	}
	return c, nil
}

// listAll reads a (short) list in full.
func listAll[T any](ctx context.Context, p *Connector, resource string, q url.Values) ([]T, error) {
	if q == nil {
		q = url.Values{}
	}
	q.Set("display", "full")
	raw, err := p.api.get(ctx, "/"+resource, q)
	if err != nil {
		return nil, err
	}
	items, _, err := decodeList[T](raw, resource)
	if err != nil {
		return nil, &channel.Error{Kind: channel.Transient, Message: "réponse de PrestaShop illisible (" + resource + ")", Err: err}
	}
	return items, nil
}

func (a address) lines() string {
	var ls []string
	add := func(parts ...string) {
		if l := strings.TrimSpace(strings.Join(parts, " ")); l != "" {
			ls = append(ls, l)
		}
	}
	add(a.FirstName.String(), a.LastName.String())
	add(a.Company.String())
	add(a.Address1.String())
	add(a.Address2.String())
	add(a.Postcode.String(), a.City.String())
	add(a.Phone.String())
	return strings.Join(ls, "\n")
}
