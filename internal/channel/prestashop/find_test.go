package prestashop_test

import (
	"context"
	"testing"

	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
)

// A marketplace order imported by a module is found by the field the
// module writes its reference into, through the webservice's filter.
func TestFindOrder(t *testing.T) {
	f := prestashopfake.Start(t)
	c := connect(t, f, map[string]string{"admin_url": "https://boutique.example/admin123/"})
	ctx := context.Background()
	f.AddOrder(prestashopfake.Order{Reference: "FNAC-7F3K22", Payment: "Fnac", Carrier: "Colissimo",
		CarrierURL: "https://www.laposte.fr/outils/suivre-vos-envois?code=@", Tracking: "6A99", Note: "Commande Fnac n° 7F3K22"})
	f.AddOrder(prestashopfake.Order{Reference: "QWERTYUIO", Note: "Commande Darty n° 1234-5678"})
	o, err := c.FindOrder(ctx, "reference", "FNAC-7F3K22")
	if err != nil || o.Ref != "FNAC-7F3K22" || o.Payment != "Fnac" || o.TrackingURL() != "https://www.laposte.fr/outils/suivre-vos-envois?code=6A99" || o.URL == "" || o.Email == "" {
		t.Errorf("by reference: %+v %v", o, err)
	}
	if o, err := c.FindOrder(ctx, "note", "n° 1234-5678"); err != nil || o.Ref != "QWERTYUIO" {
		t.Errorf("by note: %+v %v", o, err)
	}
	for _, v := range []struct{ field, value string }{{"reference", "FNAC-0000"}, {"reference", "7F3K22"}, {"note", "n° 9999"}, {"reference", "X]|["}, {"reference", " "}} {
		if _, err := c.FindOrder(ctx, v.field, v.value); !desk.IsNotFound(err) {
			t.Errorf("%s=%q: %v, want not found", v.field, v.value, err)
		}
	}
	if _, err := c.FindOrder(ctx, "shipping_number", "6A99"); desk.ErrorCode(err) != desk.EInvalid {
		t.Errorf("unfilterable field: %v", err)
	}
}
