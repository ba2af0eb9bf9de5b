package prestashop_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
)

// A customer's page reads the shop's customer: groups, orders with state
// and total, the products, addresses and the carts the orders came from.
func TestCustomerReader(t *testing.T) {
	f := prestashopfake.Start(t)
	c := connect(t, f, nil)
	var _ channel.CustomerReader = c
	paris := f.Location()
	cust := f.AddCustomer(prestashopfake.Customer{FirstName: "John", LastName: "DOE", Email: "pub@prestashop.com"})
	f.AddOrder(prestashopfake.Order{Reference: "FIRSTORDR", Customer: cust, Payment: "Chèque",
		Rows:    []prestashopfake.Row{{Name: "iPod touch - Capacité: 32Go", Reference: "IPOD", Quantity: 1, UnitPrice: "1252.740000"}},
		History: []prestashopfake.StateAt{{State: prestashopfake.StatePaid, At: time.Date(2012, 10, 23, 11, 0, 0, 0, paris)}, {State: prestashopfake.StateDelivered, At: time.Date(2012, 10, 25, 11, 0, 0, 0, paris)}},
		Address: prestashopfake.Address{FirstName: "John", LastName: "DOE", Address1: "16, Main street", Postcode: "75002", City: "Paris"}})
	f.AddOrder(prestashopfake.Order{Reference: "OTHERCUST"}) // another customer's
	sc, err := c.Customer(context.Background(), strconv.Itoa(cust))
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Groups) != 1 || sc.Groups[0].Name != "Client" {
		t.Errorf("groups %+v", sc.Groups)
	}
	if len(sc.Orders) != 1 || sc.Orders[0].Reference != "FIRSTORDR" || sc.Orders[0].Total != 125274 || !sc.Orders[0].Valid ||
		sc.Orders[0].State != "Livré" || sc.Orders[0].Payment != "Chèque" {
		t.Errorf("orders %+v", sc.Orders)
	}
	if len(sc.Products) != 1 || sc.Products[0].Name != "iPod touch - Capacité: 32Go" || sc.Products[0].OrderRef != "FIRSTORDR" {
		t.Errorf("products %+v", sc.Products)
	}
	if len(sc.Addresses) != 1 || sc.Addresses[0].City != "Paris" || sc.Addresses[0].Lines != "16, Main street" || sc.Addresses[0].Name != "John DOE" {
		t.Errorf("addresses %+v", sc.Addresses)
	}
	if len(sc.Carts) != 1 || sc.Carts[0].OrderID != "FIRSTORDR" {
		t.Errorf("carts %+v", sc.Carts)
	}
	if _, err := c.Customer(context.Background(), "abc"); !desk.IsNotFound(err) {
		t.Errorf("bad id: %v", err)
	}
	if _, err := c.Customer(context.Background(), "999"); err == nil {
		t.Errorf("unknown customer read")
	}
}
