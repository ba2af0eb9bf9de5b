package channel

import (
	"context"
	"fmt"
	"time"
)

// ShopCustomer is what the shop knows of one of its customers, shown
// read-only on the customer's page: the shop stays the owner of groups,
// carts and orders (issue 12). Amounts are in cents of Currency.
type ShopCustomer struct {
	ID        string            `json:"id"`
	Currency  string            `json:"currency,omitempty"`
	Groups    []ShopGroup       `json:"groups"`
	Orders    []ShopOrder       `json:"orders"`
	Products  []OrderedProduct  `json:"products"`
	Addresses []ShopAddress     `json:"addresses"`
	Carts     []ShopCart        `json:"carts"`
	Extra     map[string]string `json:"extra,omitempty"`
}

// ShopGroup is a customer group of the shop (Visiteur, Invité, Client…).
type ShopGroup struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ShopOrder is one order of the customer.
type ShopOrder struct {
	ID        string    `json:"id"`
	Reference string    `json:"reference"`
	At        time.Time `json:"at"`
	Payment   string    `json:"payment,omitempty"`
	State     string    `json:"state,omitempty"`
	Valid     bool      `json:"valid"` // counts in « Commandes valides »
	Total     int64     `json:"total"` // cents, taxes included
}

// OrderedProduct is a product line of one of the customer's orders.
type OrderedProduct struct {
	OrderRef string    `json:"order_ref"`
	At       time.Time `json:"at"`
	Name     string    `json:"name"`
	Quantity int       `json:"quantity"`
}

// ShopAddress is one of the customer's addresses.
type ShopAddress struct {
	ID       string `json:"id"`
	Alias    string `json:"alias,omitempty"`
	Name     string `json:"name"`
	Company  string `json:"company,omitempty"`
	Lines    string `json:"lines"` // street lines, one per line
	Postcode string `json:"postcode"`
	City     string `json:"city"`
	Country  string `json:"country,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// ShopCart is a cart the customer made, ordered or not.
type ShopCart struct {
	ID      string    `json:"id"`
	At      time.Time `json:"at"`
	OrderID string    `json:"order_id,omitempty"` // empty: not ordered (abandoned)
}

// CustomerReader is a connector that reads a customer from its shop, by
// the shop's customer id (the customer's external id on that channel).
type CustomerReader interface {
	Customer(ctx context.Context, id string) (ShopCustomer, error)
}

// ShopCustomer reads a customer from a channel's shop.
func (cs *Connectors) ShopCustomer(ctx context.Context, channelID int64, externalID string) (ShopCustomer, error) {
	ch, err := cs.c.Desk.Channel(ctx, channelID)
	if err != nil {
		return ShopCustomer{}, err
	}
	conn, err := cs.Connector(ctx, ch)
	if err != nil {
		return ShopCustomer{}, err
	}
	r, ok := conn.(CustomerReader)
	if !ok {
		return ShopCustomer{}, fmt.Errorf("client de la boutique : %w", ErrNotSupported)
	}
	return r.Customer(ctx, externalID)
}

// SecretSetting returns one stored setting of a channel, secret or not
// (the shop button's signing key), "" when it is not set.
func (cs *Connectors) SecretSetting(ctx context.Context, channelID int64, key string) (string, error) {
	sealed, err := cs.c.Desk.SealedSettings(ctx, channelID)
	if err != nil {
		return "", err
	}
	values, err := cs.open(sealed)
	if err != nil {
		return "", err
	}
	return values[key], nil
}
