package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// shopReader reads, from the shop, what the customer's page shows read-only.
type shopReader interface {
	customer(ctx context.Context, file desk.CustomerFile) (*shopCustomer, error)
}

// shopCustomer is the shop's view of the person, ready for the page.
type shopCustomer struct {
	Channel    string
	ID         string
	ValidCount int
	ValidTotal string
	Orders     []shopOrderRow
	Products   []shopProductRow
	Addresses  []channel.ShopAddress
	Groups     []channel.ShopGroup
	Carts      []shopCartRow
}

type shopOrderRow struct {
	ID, Reference, Date, Payment, State, Total string
	At                                         time.Time
}

type shopProductRow struct{ Date, Name, OrderRef string }

type shopCartRow struct{ ID, Date, Order string }

// connectorShop asks the connector of the shop the person has a record on.
type connectorShop struct {
	cs      *channel.Connectors
	desk    *desk.Desk
	timeout time.Duration
}

func (s connectorShop) customer(ctx context.Context, file desk.CustomerFile) (*shopCustomer, error) {
	chs, err := s.desk.Channels(ctx)
	if err != nil {
		return nil, err
	}
	kind := map[int64]desk.Channel{}
	for _, c := range chs {
		kind[c.ID] = c
	}
	for _, r := range file.Records {
		ch, ok := kind[r.ChannelID]
		if !ok || ch.Kind != desk.ChannelPrestaShop || r.ExternalID == "" {
			continue
		}
		ctx, cancel := context.WithTimeout(ctx, s.timeout)
		sc, err := s.cs.ShopCustomer(ctx, ch.ID, r.ExternalID)
		cancel()
		if errors.Is(err, channel.ErrNotSupported) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s : %w", ch.Name, err)
		}
		return shopView(ch.Name, sc), nil
	}
	return nil, nil
}

func shopView(name string, sc channel.ShopCustomer) *shopCustomer {
	v := &shopCustomer{Channel: name, ID: sc.ID, Addresses: sc.Addresses, Groups: sc.Groups}
	var valid int64
	for _, o := range sc.Orders {
		if o.Valid {
			v.ValidCount++
			valid += o.Total
		}
		v.Orders = append(v.Orders, shopOrderRow{ID: o.ID, Reference: o.Reference, Date: showDate(o.At), Payment: o.Payment,
			State: o.State, Total: euros(o.Total, sc.Currency), At: o.At})
	}
	v.ValidTotal = euros(valid, sc.Currency)
	for _, p := range sc.Products {
		v.Products = append(v.Products, shopProductRow{Date: showDate(p.At), Name: p.Name, OrderRef: p.OrderRef})
	}
	for _, c := range sc.Carts {
		v.Carts = append(v.Carts, shopCartRow{ID: c.ID, Date: showTime(c.At), Order: c.OrderID})
	}
	return v
}

// euros writes cents the French way: 1 252,74 €.
func euros(cents int64, currency string) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	units := fmt.Sprint(cents / 100)
	var b strings.Builder
	for i, r := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteRune('\u202f')
		}
		b.WriteRune(r)
	}
	sym := "€"
	if currency != "" && currency != "EUR" {
		sym = currency
	}
	return fmt.Sprintf("%s%s,%02d %s", sign, b.String(), cents%100, sym)
}
