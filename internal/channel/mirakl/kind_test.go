package mirakl_test

import (
	"strings"
	"testing"

	"guichet/internal/channel"
	"guichet/internal/channel/mirakl"
	"guichet/internal/desk"
)

func TestKindSettings(t *testing.T) {
	k := mirakl.Kind()
	if k.Kind != desk.ChannelMirakl {
		t.Fatal(k.Kind)
	}
	if _, err := k.Check(map[string]string{"api_key": "k"}); desk.ErrorField(err) != "base_url" {
		t.Errorf("base_url required: %v", err)
	}
	if _, err := k.Check(map[string]string{"base_url": "https://x.mirakl.net", "api_key": "k", "shop_id": "abc"}); desk.ErrorField(err) != "shop_id" {
		t.Errorf("shop_id a number: %v", err)
	}
	for _, s := range k.Settings {
		if s.Key == "api_key" && !s.Secret {
			t.Error("the key must be secret")
		}
	}
	r := channel.NewRegistry(k)
	c, err := r.New(channel.Config{Channel: desk.Channel{Kind: desk.ChannelMirakl}, Settings: map[string]string{"base_url": "https://carrefour-prod.mirakl.net/api/", "api_key": "k"}})
	if err != nil || c == nil {
		t.Fatalf("%v", err)
	}
}

func TestPresets(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range mirakl.Presets() {
		if p.ID == "" || p.Name == "" || len(p.GuardNames) == 0 || seen[p.ID] {
			t.Errorf("preset %+v", p)
		}
		seen[p.ID] = true
		if p.BaseURL != "" && !strings.HasPrefix(p.BaseURL, "https://") {
			t.Errorf("%s: %s", p.ID, p.BaseURL)
		}
		if strings.Contains(strings.ToLower(p.Name), "cdiscount") {
			t.Error("Cdiscount is not Mirakl")
		}
	}
	for _, id := range []string{"fnac", "darty", "carrefour", "leroymerlin", "conforama", "boulanger", "rueducommerce"} {
		if !seen[id] {
			t.Errorf("no preset %s", id)
		}
	}
}
