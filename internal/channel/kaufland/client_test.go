package kaufland_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/kaufland"
	"guichet/internal/channel/kaufland/kauflandfake"
)

// Vectors computed apart (Python's hmac) from Kaufland's example secret.
func TestSignKnownVectors(t *testing.T) {
	const secret = "a7d0cb1da1ddbc86c96ee5fedd341b7d8ebfbb2f5c83cfe0909f4e57f05dd403"
	tests := []struct{ method, uri, body, want string }{
		{"POST", "https://sellerapi.kaufland.com/v2/tickets/00110123123/messages", `{"text":"Bonjour"}`,
			"2bc93891c266c1125196f300991272138f9b67219ba30f2426b8b94781009d82"},
		{"GET", "https://sellerapi.kaufland.com/v2/tickets?limit=1", "",
			"727e0fe33654a6054a437fdcb6c13405bb1bad63928c934cb439579358ff6213"},
	}
	for _, tt := range tests {
		if got := kaufland.Sign(tt.method, tt.uri, tt.body, 1411055926, secret); got != tt.want {
			t.Errorf("Sign(%s %s) = %s, want %s", tt.method, tt.uri, got, tt.want)
		}
	}
}

func TestTestChecksKeys(t *testing.T) {
	f, c := setup(t)
	if err := c.Test(context.Background()); err != nil {
		t.Fatalf("Test: %v", err)
	}
	s := f.Settings()
	s["secret_key"] = "wrong"
	bad, err := kaufland.New(channel.Config{Settings: s, Now: f.Now})
	if err != nil {
		t.Fatal(err)
	}
	e := kindOf(t, bad.Test(context.Background()), channel.Unauthorized)
	if e.Message != "Signature is corrupted" {
		t.Errorf("message %q, want Kaufland's", e.Message)
	}
}

func TestStaleClockIsUnauthorized(t *testing.T) {
	f := kauflandfake.Start(t)
	s, _ := kaufland.Kind().Check(f.Settings())
	c, _ := kaufland.New(channel.Config{Settings: s, Now: func() time.Time { return f.Now().Add(-time.Hour) }})
	_, err := c.Fetch(context.Background(), "")
	kindOf(t, err, channel.Unauthorized)
}

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		name  string
		fault kauflandfake.Fault
		kind  channel.ErrorKind
		wait  time.Duration
	}{
		{"429 seconds", kauflandfake.Fault{Kind: kauflandfake.RateLimit, RetryAfter: "7"}, channel.RateLimited, 7 * time.Second},
		{"429 date", kauflandfake.Fault{Kind: kauflandfake.RateLimit, RetryAfter: "Mon, 02 Mar 2026 09:00:30 GMT"}, channel.RateLimited, 30 * time.Second},
		{"500", kauflandfake.Fault{Kind: kauflandfake.ServerError}, channel.Transient, 0},
		{"dropped", kauflandfake.Fault{Kind: kauflandfake.Drop}, channel.Transient, 0},
		{"malformed", kauflandfake.Fault{Kind: kauflandfake.Malformed}, channel.Transient, 0},
		{"truncated", kauflandfake.Fault{Kind: kauflandfake.Truncated}, channel.Transient, 0},
		{"timeout", kauflandfake.Fault{Kind: kauflandfake.Slow, Delay: 3 * time.Second}, channel.Transient, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := kauflandfake.Start(t)
			c := connect(t, f, &http.Client{Timeout: 300 * time.Millisecond})
			o := f.AddOrder(kauflandfake.Order{})
			f.AddMessage(f.OpenTicket(o.ID, "product_defect", ""), "buyer", "Bonjour")
			f.Inject(tt.fault)
			_, err := c.Fetch(context.Background(), "")
			kindOf(t, err, tt.kind)
			if d, _ := channel.RetryAfterOf(err); d != tt.wait {
				t.Errorf("RetryAfter %v, want %v", d, tt.wait)
			}
			// Nothing lost: the same cursor fetches it all once the API is well.
			msgs, _, _ := drain(t, c, "")
			if len(msgs) != 1 {
				t.Errorf("%d messages after recovery, want 1", len(msgs))
			}
		})
	}
}

func TestRefusedCarriesKauflandMessage(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{Units: []kauflandfake.Unit{{Status: "sent"}}})
	tk := f.OpenTicket(o.ID, "product_defect", "")
	_, err := c.RunAction(context.Background(), channel.Target{OrderRef: o.ID, Threads: []channel.ThreadRef{{ExternalID: tk}}},
		"cancel_unit", map[string]string{"unit": itoa(o.Units[0].ID), "reason": "NoInventory"})
	e := kindOf(t, err, channel.Refused)
	if e.Status != 400 || e.Message != "Order unit cannot be cancelled in status sent" {
		t.Errorf("error %+v", e)
	}
}

func TestContextCancelled(t *testing.T) {
	_, c := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Fetch(ctx, "")
	if !errors.Is(err, context.Canceled) || channel.KindOf(err) != channel.Transient {
		t.Errorf("err %v", err)
	}
}
