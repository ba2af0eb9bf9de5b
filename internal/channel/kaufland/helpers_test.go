package kaufland_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/kaufland"
	"guichet/internal/channel/kaufland/kauflandfake"
	"guichet/internal/desk"
)

// setup starts a fake and a connector on it, sharing its clock.
func setup(t *testing.T, opts ...kauflandfake.Option) (*kauflandfake.Server, *kaufland.Connector) {
	t.Helper()
	f := kauflandfake.Start(t, opts...)
	return f, connect(t, f, &http.Client{Timeout: 2 * time.Second})
}

func connect(t *testing.T, f *kauflandfake.Server, hc *http.Client) *kaufland.Connector {
	t.Helper()
	settings, err := kaufland.Kind().Check(f.Settings())
	if err != nil {
		t.Fatal(err)
	}
	c, err := kaufland.New(channel.Config{Channel: desk.Channel{ID: 1, Kind: desk.ChannelKaufland, Name: "Kaufland"},
		Settings: settings, HTTP: hc, Now: f.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// drain fetches from cursor until nothing more waits.
func drain(t *testing.T, c *kaufland.Connector, cursor string) ([]desk.Incoming, []desk.ThreadState, string) {
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
	if err == nil {
		t.Fatalf("no error, want kind %d", want)
	}
	e, ok := err.(*channel.Error)
	if !ok {
		t.Fatalf("error %T %v, want *channel.Error", err, err)
	}
	if e.Kind != want {
		t.Fatalf("kind %d (%v), want %d", e.Kind, err, want)
	}
	return e
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
