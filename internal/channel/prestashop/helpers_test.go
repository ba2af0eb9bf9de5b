package prestashop_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/prestashop"
	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
)

// setup starts a fake shop and a connector on it, sharing its clock.
func setup(t *testing.T, opts ...prestashopfake.Option) (*prestashopfake.Server, *prestashop.Connector) {
	t.Helper()
	f := prestashopfake.Start(t, opts...)
	return f, connect(t, f, nil)
}

func connect(t *testing.T, f *prestashopfake.Server, extra map[string]string) *prestashop.Connector {
	t.Helper()
	values := f.Settings()
	for k, v := range extra {
		values[k] = v
	}
	settings, err := prestashop.Kind().Check(values)
	if err != nil {
		t.Fatal(err)
	}
	c, err := prestashop.New(channel.Config{Channel: desk.Channel{ID: 1, Kind: desk.ChannelPrestaShop, Name: "Boutique"},
		Settings: settings, HTTP: &http.Client{Timeout: 2 * time.Second}, Now: f.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// drain fetches from cursor until nothing more waits.
func drain(t *testing.T, c *prestashop.Connector, cursor string) ([]desk.Incoming, []desk.ThreadState, string) {
	t.Helper()
	var msgs []desk.Incoming
	var threads []desk.ThreadState
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("Fetch never ends")
		}
		b, err := c.Fetch(context.Background(), cursor)
		if err != nil {
			t.Fatalf("Fetch(%s): %v", cursor, err)
		}
		msgs = append(msgs, b.Messages...)
		threads = append(threads, b.Threads...)
		cursor = b.Cursor
		if !b.More {
			return msgs, threads, cursor
		}
	}
}

func kindOf(t *testing.T, err error, want channel.ErrorKind) *channel.Error {
	t.Helper()
	var e *channel.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v, want *channel.Error of kind %d", err, err, want)
	}
	if e.Kind != want {
		t.Fatalf("kind %d (%v), want %d", e.Kind, err, want)
	}
	return e
}
