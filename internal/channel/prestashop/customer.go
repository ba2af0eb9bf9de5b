package prestashop

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// psCustomerOrder is what a customer's page needs of an order.
type psCustomerOrder struct {
	psOrder
	Valid text `json:"valid"`
	Cart  text `json:"id_cart"`
}

type psCustomer struct {
	ID           text            `json:"id"`
	DefaultGroup text            `json:"id_default_group"`
	Associations json.RawMessage `json:"associations"`
}

type psAddress struct {
	address
	ID      text `json:"id"`
	Alias   text `json:"alias"`
	Mobile  text `json:"phone_mobile"`
	Deleted text `json:"deleted"`
}

type groupRef struct {
	ID text `json:"id"`
}

// defaultGroups are PrestaShop's three groups that cannot be removed
// (seed « Gérer les clients »); others are named by their id (the
// webservice key's groups resource is not among the documented ones).
var defaultGroups = map[string]string{"1": "Visiteur", "2": "Invité", "3": "Client"}

// Customer reads a shop customer for the customer's page, read-only: its
// groups, orders (with their state and whether they count as valid), the
// products ordered, its addresses, and the carts its orders came from.
func (p *Connector) Customer(ctx context.Context, id string) (channel.ShopCustomer, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
	if err != nil || n <= 0 {
		return channel.ShopCustomer{}, desk.NotFound("client " + id + " dans la boutique")
	}
	id = strconv.FormatInt(n, 10)
	raw, err := p.api.get(ctx, "/customers/"+id, nil)
	if err != nil {
		return channel.ShopCustomer{}, err
	}
	c, err := decodeOne[psCustomer](raw, "customer")
	if err != nil {
		return channel.ShopCustomer{}, &channel.Error{Kind: channel.Transient, Message: "réponse de PrestaShop illisible (customers)", Err: err}
	}
	out := channel.ShopCustomer{ID: id, Currency: "EUR"}
	groups := assocList[groupRef](c.Associations, "groups")
	if len(groups) == 0 && c.DefaultGroup.id() > 0 {
		groups = []groupRef{{ID: c.DefaultGroup}}
	}
	for _, g := range groups {
		name := defaultGroups[g.ID.String()]
		if name == "" {
			name = "Groupe " + g.ID.String()
		}
		out.Groups = append(out.Groups, channel.ShopGroup{ID: g.ID.String(), Name: name})
	}
	orders, err := listAll[psCustomerOrder](ctx, p, "orders", url.Values{"filter[id_customer]": {"[" + id + "]"}, "sort": {"[id_DESC]"}, "limit": {"100"}})
	if err != nil {
		return channel.ShopCustomer{}, err
	}
	states, err := listAll[orderState](ctx, p, "order_states", nil)
	if err != nil {
		return channel.ShopCustomer{}, err
	}
	stateName := map[int64]orderState{}
	for _, s := range states {
		stateName[s.ID.id()] = s
	}
	for _, o := range orders {
		at := parseDate(o.DateAdd.String(), p.loc)
		total := o.TotalPaidTaxInc.cents()
		if total == 0 {
			total = o.TotalPaid.cents()
		}
		out.Orders = append(out.Orders, channel.ShopOrder{ID: o.ID.String(), Reference: o.Reference.String(), At: at,
			Payment: o.Payment.String(), State: stateName[o.CurrentState.id()].Name.in(o.Lang.String()), Valid: o.Valid.bool(), Total: total})
		for _, r := range assocList[orderRow](o.Associations, "order_rows") {
			out.Products = append(out.Products, channel.OrderedProduct{OrderRef: o.Reference.String(), At: at, Name: r.Name.String(), Quantity: r.Quantity.int()})
		}
		if o.Cart.id() > 0 {
			out.Carts = append(out.Carts, channel.ShopCart{ID: o.Cart.String(), At: at, OrderID: o.Reference.String()})
		}
	}
	addrs, err := listAll[psAddress](ctx, p, "addresses", url.Values{"filter[id_customer]": {"[" + id + "]"}})
	if err != nil {
		return channel.ShopCustomer{}, err
	}
	for _, a := range addrs {
		if a.Deleted.bool() {
			continue
		}
		phone := a.Phone.String()
		if phone == "" {
			phone = a.Mobile.String()
		}
		out.Addresses = append(out.Addresses, channel.ShopAddress{ID: a.ID.String(), Alias: a.Alias.String(),
			Name: strings.TrimSpace(a.FirstName.String() + " " + a.LastName.String()), Company: a.Company.String(),
			Lines: strings.TrimSpace(a.Address1.String() + "\n" + a.Address2.String()), Postcode: a.Postcode.String(), City: a.City.String(), Phone: phone})
	}
	slices.SortFunc(out.Orders, func(a, b channel.ShopOrder) int { return b.At.Compare(a.At) })
	return out, nil
}
