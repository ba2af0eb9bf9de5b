package store_test

import (
	"errors"
	"testing"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// A marketplace channel's back-office rule is stored with it, checked
// (a PrestaShop channel, a pattern with {order}, a known field), and
// dropped when the back-office channel goes.
func TestChannelBackofficeRule(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		d := desk.New(desk.Config{Store: s})
		d.EnsureAdmin(ctx, "admin@example.fr")
		agents, _ := d.Agents(ctx)
		admin := desk.ActorOf(agents[0])
		shop, err := d.SaveChannel(ctx, admin, desk.Channel{Kind: desk.ChannelPrestaShop, Name: "Boutique", DeadlinePolicy: "24h", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		kl, err := d.SaveChannel(ctx, admin, desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", DeadlinePolicy: "48h business", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		fnac := desk.Channel{Kind: desk.ChannelMirakl, Name: "Fnac", DeadlinePolicy: "48h business", Active: true,
			Backoffice: desk.BackofficeRule{ChannelID: shop.ID, Field: "note", Pattern: "FNAC-{order}"}}
		if fnac, err = d.SaveChannel(ctx, admin, fnac); err != nil {
			t.Fatal(err)
		}
		got, err := d.Channel(ctx, fnac.ID)
		if err != nil || got.Backoffice != (desk.BackofficeRule{ChannelID: shop.ID, Field: "note", Pattern: "FNAC-{order}"}) {
			t.Fatalf("rule read back: %+v %v", got.Backoffice, err)
		}
		if v := got.Backoffice.Value("7F3K-22"); v != "FNAC-7F3K-22" {
			t.Errorf("value %q", v)
		}
		for _, c := range []struct {
			rule  desk.BackofficeRule
			field string
		}{
			{desk.BackofficeRule{ChannelID: kl.ID, Field: "reference", Pattern: "{order}"}, "backoffice_channel"},
			{desk.BackofficeRule{ChannelID: fnac.ID, Field: "reference", Pattern: "{order}"}, "backoffice_channel"},
			{desk.BackofficeRule{ChannelID: 9999, Field: "reference", Pattern: "{order}"}, "backoffice_channel"},
			{desk.BackofficeRule{ChannelID: shop.ID, Field: "reference", Pattern: "FNAC-"}, "backoffice_pattern"},
			{desk.BackofficeRule{ChannelID: shop.ID, Field: "reference", Pattern: "%{order}%"}, "backoffice_pattern"},
			{desk.BackofficeRule{ChannelID: shop.ID, Field: "shipping_number", Pattern: "{order}"}, "backoffice_field"},
		} {
			ch := got
			ch.Backoffice = c.rule
			_, err := d.SaveChannel(ctx, admin, ch)
			var de *desk.Error
			if !errors.As(err, &de) || de.Code != desk.EInvalid || de.Field != c.field {
				t.Errorf("rule %+v: %v, want invalid %s", c.rule, err, c.field)
			}
		}
		// No back office: the rule's other fields go too.
		got.Backoffice = desk.BackofficeRule{Field: "note", Pattern: "X-{order}"}
		if _, err := d.SaveChannel(ctx, admin, got); err != nil {
			t.Fatal(err)
		}
		if got, _ = d.Channel(ctx, fnac.ID); got.Backoffice.Set() || got.Backoffice.Pattern != "" {
			t.Errorf("rule after clearing: %+v", got.Backoffice)
		}
	})
}
