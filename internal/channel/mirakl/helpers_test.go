package mirakl_test

import (
	"net/http"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/mirakl"
	"guichet/internal/channel/mirakl/miraklfake"
)

// connect builds a connector on the fake.
func connect(t *testing.T, f *miraklfake.Server, hc *http.Client) *mirakl.Connector {
	t.Helper()
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	c, err := mirakl.New(channel.Config{Settings: f.Settings(), HTTP: hc, Now: f.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func connectWith(t *testing.T, settings map[string]string, f *miraklfake.Server) *mirakl.Connector {
	t.Helper()
	c, err := mirakl.New(channel.Config{Settings: settings, HTTP: &http.Client{Timeout: 5 * time.Second}, Now: f.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// CursorNotBeforeOK wraps mirakl.CursorNotBefore for a first cursor "".
func CursorNotBeforeOK(a, b string) (bool, error) {
	if b == "" {
		return true, nil
	}
	return mirakl.CursorNotBefore(a, b)
}
