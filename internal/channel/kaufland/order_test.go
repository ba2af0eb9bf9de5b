package kaufland_test

import (
	"context"
	"testing"

	"guichet/internal/channel"
	"guichet/internal/channel/kaufland/kauflandfake"
)

func TestOrder(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{ID: "MB7UWLD", Buyer: kauflandfake.Buyer{Email: "tom@example.de"},
		Shipping: kauflandfake.Address{FirstName: "Tom", LastName: "Smith", Street: "Test Ln.", HouseNumber: "1",
			Postcode: "12345", City: "Köln", Country: "DE"},
		Units: []kauflandfake.Unit{
			{Title: "Bouilloire", EAN: "4011905437873", Offer: "AB-120", Price: 2999, Shipping: 390, Status: "sent"},
			{Title: "Théière", Price: 1500, Status: "sent"},
		}})
	got, err := c.Order(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Ref != "MB7UWLD" || got.Currency != "EUR" || got.Total != 2999+390+1500 || got.Status != "Expédiée" ||
		got.Buyer != "Tom Smith" || got.Email != "tom@example.de" || got.Address != "Tom Smith\nTest Ln. 1\n12345 Köln\nDE" ||
		got.URL == "" || got.CreatedAt.IsZero() {
		t.Errorf("order %+v", got)
	}
	l := got.Lines[0]
	if len(got.Lines) != 2 || l.ID != itoa(o.Units[0].ID) || l.Product != "Bouilloire" || l.EAN != "4011905437873" ||
		l.SKU != "AB-120" || l.Quantity != 1 || l.Price != 2999 || l.Status != "Expédiée" {
		t.Errorf("lines %+v", got.Lines)
	}
	_, err = c.Order(context.Background(), "NOPE")
	if e := kindOf(t, err, channel.Refused); e.Status != 404 {
		t.Errorf("unknown order: %+v", e)
	}
}

// A channel is one storefront: another's tickets are not its business.
func TestFetchOtherStorefrontIgnored(t *testing.T) {
	f, c := setup(t)
	de := f.AddOrder(kauflandfake.Order{})
	fr := f.AddOrder(kauflandfake.Order{Storefront: "fr"})
	f.AddMessage(f.OpenTicket(fr.ID, "contact_other", ""), "buyer", "Bonjour de France")
	f.AddMessage(f.OpenTicket(de.ID, "contact_other", ""), "buyer", "Hallo")
	msgs, threads, _ := drain(t, c, "")
	if len(msgs) != 1 || msgs[0].Body != "Hallo" || msgs[0].OrderRef != de.ID {
		t.Errorf("messages %+v", msgs)
	}
	for _, th := range threads {
		if th.OrderRef == fr.ID {
			t.Errorf("thread of another storefront: %+v", th)
		}
	}
}
