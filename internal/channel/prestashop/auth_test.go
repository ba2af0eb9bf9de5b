package prestashop_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"guichet/internal/channel"
	"guichet/internal/channel/prestashop/prestashopfake"
)

func TestWrongKeyIsUnauthorized(t *testing.T) {
	f := prestashopfake.Start(t)
	c := connect(t, f, map[string]string{"api_key": "WRONGKEYWRONGKEYWRONGKEYWRONGKEY"})
	_, err := c.Fetch(context.Background(), "")
	e := kindOf(t, err, channel.Unauthorized)
	if !strings.Contains(e.Message, "permissions") || e.Status != http.StatusUnauthorized {
		t.Errorf("message %q: want a hint about the key and its permissions", e.Message)
	}
	kindOf(t, c.Test(context.Background()), channel.Unauthorized)
}

// The fake answers as PrestaShop: 401 with WWW-Authenticate without the
// key as Basic-auth user; the key with any password is accepted.
func TestFakeAuth(t *testing.T) {
	f := prestashopfake.Start(t)
	get := func(user string, set bool) *http.Response {
		req, _ := http.NewRequest("GET", f.URL()+"/api/contacts?output_format=JSON", nil)
		if set {
			req.SetBasicAuth(user, "")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := get("", false); r.StatusCode != 401 || !strings.Contains(r.Header.Get("WWW-Authenticate"), "Basic") {
		t.Errorf("no key: %d %q", r.StatusCode, r.Header.Get("WWW-Authenticate"))
	}
	if r := get("nope", true); r.StatusCode != 401 {
		t.Errorf("wrong key: %d", r.StatusCode)
	}
	if r := get(prestashopfake.Key, true); r.StatusCode != 200 {
		t.Errorf("the key: %d", r.StatusCode)
	}
}

func TestConnectionTestNamesMissingPermissions(t *testing.T) {
	_, c := setup(t)
	if err := c.Test(context.Background()); err != nil {
		t.Fatalf("all permissions: %v", err)
	}
	f2 := prestashopfake.Start(t, prestashopfake.WithDenied("customer_messages POST", "order_carriers GET"))
	c2 := connect(t, f2, nil)
	err := c2.Test(context.Background())
	e := kindOf(t, err, channel.Unauthorized)
	if !strings.Contains(e.Message, "POST customer_messages") || !strings.Contains(e.Message, "GET order_carriers") || strings.Contains(e.Message, "GET orders,") {
		t.Errorf("message %q", e.Message)
	}
	// And a denied resource in use is Unauthorized with PrestaShop's words.
	f3 := prestashopfake.Start(t, prestashopfake.WithDenied("customer_threads GET"))
	_, err = connect(t, f3, nil).Fetch(context.Background(), "")
	if e := kindOf(t, err, channel.Unauthorized); !strings.Contains(e.Message, "not allowed") {
		t.Errorf("message %q", e.Message)
	}
}
