package prestashop

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// FindOrder finds the shop order whose field holds value: how a
// marketplace order imported into the back office by its module is found
// (« Commandes dans le back-office »). reference matches exactly; note,
// where modules write « Commande Fnac n° … », matches when it contains the
// value. Not found is a desk not-found error.
func (p *Connector) FindOrder(ctx context.Context, field, value string) (channel.Order, error) {
	value = strings.TrimSpace(value)
	notFound := desk.NotFound(fmt.Sprintf("commande %q (%s) dans la boutique", value, field))
	if value == "" || strings.ContainsAny(value, "[]|,%!<>") { // the filter's own signs
		return channel.Order{}, notFound
	}
	var filter string
	switch field {
	case "reference":
		filter = "[" + value + "]"
	case "note":
		filter = "%[" + value + "]%"
	default:
		return channel.Order{}, desk.Invalid("backoffice_field", "champ de commande non pris en charge : %q", field)
	}
	raw, err := p.api.get(ctx, "/orders", url.Values{"display": {"full"}, "filter[" + field + "]": {filter}, "sort": {"[id_DESC]"}, "limit": {"1"}})
	if err != nil {
		return channel.Order{}, err
	}
	list, _, err := decodeList[psOrder](raw, "orders")
	if err != nil {
		return channel.Order{}, &channel.Error{Kind: channel.Transient, Message: "réponse de PrestaShop illisible (orders)", Err: err}
	}
	if len(list) == 0 {
		return channel.Order{}, notFound
	}
	return p.orderDetail(ctx, list[0])
}
