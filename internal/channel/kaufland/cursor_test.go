package kaufland

import (
	"context"
	"testing"
	"time"

	"guichet/internal/channel"
)

func TestParseCursor(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"", true},
		{`{}`, true},
		{`{"messages_from":"2026-01-02T10:00:05Z","boundary_ids":[1,2],"boundary_count":2}`, true},
		{`{"tickets_from":"2026-01-02T10:00:00Z","tickets_offset":30,"tickets_newest":"2026-01-02T11:00:00Z"}`, true},
		{`not json`, false},
		{`[]`, false},
		{`{"messages_from":"yesterday"}`, false},
		{`{"boundary_count":-1}`, false},
		{`{"tickets_offset":-30}`, false},
		{`{"boundary_ids":[1,2,3],"boundary_count":1}`, false},
		{`{"tickets_from":"2026-01-02T12:00:00Z","tickets_newest":"2026-01-02T11:00:00Z"}`, false},
	}
	for _, tt := range tests {
		_, err := parseCursor(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("parseCursor(%q) = %v, want ok %v", tt.in, err, tt.ok)
		}
	}
}

func FuzzCursor(f *testing.F) {
	f.Add(`{"messages_from":"2026-01-02T10:00:05Z","boundary_ids":[1],"boundary_count":1}`)
	f.Add(`{"tickets_offset":3}`)
	f.Add(`{`)
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCursor(s)
		if err != nil {
			return
		}
		back, err := parseCursor(c.String())
		if err != nil {
			t.Fatalf("a cursor's own string does not parse: %v", err)
		}
		if !back.notBefore(c) {
			t.Fatalf("round trip went back: %+v → %+v", c, back)
		}
	})
}

// A bad cursor is refused before any request, whatever it holds.
func TestFetchBadCursor(t *testing.T) {
	k, err := New(channel.Config{Settings: map[string]string{"base_url": "http://127.0.0.1:1/v2", "client_key": "k", "secret_key": "s"},
		Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	_, err = k.Fetch(context.Background(), "{garbage")
	if channel.KindOf(err) != channel.Refused {
		t.Errorf("err %v", err)
	}
}
