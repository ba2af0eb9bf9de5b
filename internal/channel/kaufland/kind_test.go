package kaufland_test

import (
	"testing"

	"guichet/internal/channel"
	"guichet/internal/channel/kaufland"
	"guichet/internal/desk"
)

func TestKindSettings(t *testing.T) {
	k := kaufland.Kind()
	got, err := k.Check(map[string]string{"client_key": "c", "secret_key": "s"})
	if err != nil {
		t.Fatal(err)
	}
	if got["base_url"] != "https://sellerapi.kaufland.com/v2" || got["storefront"] != "de" {
		t.Errorf("defaults %v", got)
	}
	if _, err := k.Check(map[string]string{"client_key": "c"}); err == nil {
		t.Error("secret_key is required")
	}
	if _, err := k.Check(map[string]string{"client_key": "c", "secret_key": "s", "storefront": "uk"}); err == nil {
		t.Error("uk is no Kaufland storefront")
	}
	for _, s := range k.Settings {
		if (s.Key == "client_key" || s.Key == "secret_key") != s.Secret {
			t.Errorf("%s: secret %v", s.Key, s.Secret)
		}
	}
	if k.Every.Minutes() != 2 {
		t.Errorf("every %v", k.Every)
	}
}

func TestRegistryBuildsConnector(t *testing.T) {
	r := channel.NewRegistry(kaufland.Kind())
	c, err := r.New(channel.Config{Channel: desk.Channel{Kind: desk.ChannelKaufland},
		Settings: map[string]string{"client_key": "c", "secret_key": "s"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.(channel.Actioner); !ok {
		t.Error("no Actioner")
	}
	c, err = r.New(channel.Config{Channel: desk.Channel{Kind: desk.ChannelKaufland},
		Settings: map[string]string{"client_key": "c", "secret_key": "s", "base_url": "ftp://x"}})
	if err == nil || c != nil {
		t.Errorf("bad base_url: %v, %v", c, err)
	}
}
