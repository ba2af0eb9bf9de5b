package prestashop_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
)

func TestOrderMapping(t *testing.T) {
	f := prestashopfake.Start(t)
	c := connect(t, f, map[string]string{"admin_url": "https://boutique.example/admin123/"})
	paris := f.Location()
	paid := time.Date(2026, 2, 20, 14, 3, 0, 0, paris)
	shipped := time.Date(2026, 2, 21, 9, 30, 0, 0, paris)
	delivered := time.Date(2026, 2, 23, 11, 15, 0, 0, paris)
	cust := f.AddCustomer(prestashopfake.Customer{FirstName: "Jeanne", LastName: "Dupont", Email: "jeanne@example.com"})
	id := f.AddOrder(prestashopfake.Order{Reference: "XKBKNABJK", Customer: cust, Payment: "PayPal",
		Rows: []prestashopfake.Row{
			{Name: "Cafetière italienne 6 tasses", Reference: "CAF-6", EAN: "3760123456789", Quantity: 2, UnitPrice: "24.990000"},
			{Name: "Filtre de rechange", Reference: "FIL-1", Quantity: 1, UnitPrice: "4.500000"},
		},
		History: []prestashopfake.StateAt{{State: prestashopfake.StatePaid, At: paid}, {State: prestashopfake.StateShipped, At: shipped}, {State: prestashopfake.StateDelivered, At: delivered}},
		Carrier: "Colissimo", CarrierURL: "https://www.laposte.fr/outils/suivre-vos-envois?code=@", Tracking: "6A12345678901",
		Address: prestashopfake.Address{FirstName: "Jeanne", LastName: "Dupont", Address1: "12 rue des Lilas", Postcode: "69003", City: "Lyon"},
	})
	o, err := c.Order(context.Background(), "XKBKNABJK")
	if err != nil {
		t.Fatal(err)
	}
	if o.Ref != "XKBKNABJK" || o.Total != 5448 || o.Payment != "PayPal" || o.Status != "Livré" || o.Buyer != "Jeanne Dupont" || o.Email != "jeanne@example.com" {
		t.Errorf("order %+v", o)
	}
	if len(o.Lines) != 2 || o.Lines[0].Quantity != 2 || o.Lines[0].Price != 4998 || o.Lines[0].SKU != "CAF-6" || o.Lines[0].EAN != "3760123456789" ||
		o.Lines[1].Price != 450 {
		t.Errorf("lines %+v", o.Lines)
	}
	if len(o.Shipments) != 1 || o.Shipments[0].Carrier != "Colissimo" || o.Shipments[0].TrackingNumber != "6A12345678901" ||
		o.TrackingURL() != "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901" || !o.Shipments[0].ShippedAt.Equal(shipped) {
		t.Errorf("shipments %+v", o.Shipments)
	}
	if !o.Delivered.Equal(delivered) || !o.CreatedAt.Equal(paid) {
		t.Errorf("delivered %v created %v, want %v %v", o.Delivered, o.CreatedAt, delivered, paid)
	}
	if !strings.Contains(o.Address, "12 rue des Lilas") || !strings.Contains(o.Address, "69003 Lyon") {
		t.Errorf("address %q", o.Address)
	}
	if o.URL != "https://boutique.example/admin123/index.php?controller=AdminOrders&vieworder&id_order="+itoa(id) {
		t.Errorf("url %q", o.URL)
	}
	acts, err := c.Actions(context.Background(), channel.Target{OrderRef: "XKBKNABJK"})
	if err != nil || len(acts) != 2 || acts[0].Label != "Afficher les détails de la commande" || !acts[0].ReadOnly || acts[1].URL != o.URL {
		t.Errorf("actions %+v %v", acts, err)
	}
	res, err := c.RunAction(context.Background(), channel.Target{OrderRef: "XKBKNABJK"}, "order", nil)
	if err != nil || res.Order == nil || res.Order.Ref != "XKBKNABJK" {
		t.Errorf("run: %+v %v", res, err)
	}
}

func TestOrderNotFound(t *testing.T) {
	_, c := setup(t)
	_, err := c.Order(context.Background(), "NOPE")
	if desk.ErrorCode(err) != desk.ENotFound {
		t.Errorf("err %v, want not found", err)
	}
	// An order without carrier nor history: no shipment, no delivered date.
	f, c := setup(t)
	f.AddOrder(prestashopfake.Order{Reference: "BARE"})
	o, err := c.Order(context.Background(), "BARE")
	if err != nil || len(o.Shipments) != 0 || !o.Delivered.IsZero() || o.Status != "Paiement accepté" || o.URL != "" {
		t.Errorf("order %+v %v", o, err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
