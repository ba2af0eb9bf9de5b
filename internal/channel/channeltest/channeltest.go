// Package channeltest is the contract suite every connector runs against
// its fake: what sync relies on (fetch twice → stored once, the cursor
// never goes back, nothing lost at a page boundary, a sent reply is found
// before it is sent again) checked the same way for every channel kind.
//
//	func TestContract(t *testing.T) {
//		channeltest.Run(t, channeltest.Harness{New: func(t *testing.T) channeltest.Fixture { ... }})
//	}
package channeltest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Harness builds, for each check, a fresh fake channel and a connector.
type Harness struct {
	New func(t *testing.T) Fixture
}

// Fixture is one fake channel, empty, and a connector on it.
type Fixture struct {
	Connector channel.Connector
	// AddMessage adds a customer's message with body to conversation conv
	// (0, 1, 2…: the fixture opens them as needed), created at at.
	AddMessage func(conv int, at time.Time, body string)
	// Now is the fake's clock.
	Now func() time.Time
	// Reply is a reply on conversation conv as desk would hand it to Send
	// (ThreadExternalID, OrderRef… filled); the suite sets Body.
	Reply func(conv int) channel.Reply
	// PageSize is the channel's page size: the suite puts messages across
	// page boundaries with it.
	PageSize int
	// CursorNotBefore, when set, says whether cursor a is at or after b.
	CursorNotBefore func(a, b string) (bool, error)
}

// Run runs the contract checks as subtests.
func Run(t *testing.T, h Harness) {
	t.Run("FetchTwiceStoredOnce", func(t *testing.T) { fetchTwice(t, h.New(t)) })
	t.Run("SharedTimestampAtPageBoundary", func(t *testing.T) { sharedTimestamp(t, h.New(t)) })
	t.Run("AddedAfterFetchComesNext", func(t *testing.T) { addedAfter(t, h.New(t)) })
	t.Run("SendThenLookup", func(t *testing.T) { sendLookup(t, h.New(t)) })
	t.Run("BadCursorDoesNotPanic", func(t *testing.T) { badCursor(t, h.New(t)) })
}

// store is what desk keeps of a channel's messages: one per SourceID.
type store struct {
	t      *testing.T
	f      Fixture
	cursor string
	ids    map[string]desk.Incoming
	bodies map[string]int
}

func newStore(t *testing.T, f Fixture) *store {
	if f.PageSize <= 0 {
		f.PageSize = 30
	}
	return &store{t: t, f: f, ids: map[string]desk.Incoming{}, bodies: map[string]int{}}
}

// drain fetches until nothing more waits; it returns the messages that
// were new, and fails on one already stored.
func (s *store) drain() []desk.Incoming {
	s.t.Helper()
	var fresh []desk.Incoming
	for i := 0; ; i++ {
		if i > 10000 {
			s.t.Fatal("Fetch says More for ever")
		}
		b, err := s.f.Connector.Fetch(context.Background(), s.cursor)
		if err != nil {
			s.t.Fatalf("Fetch(%q): %v", s.cursor, err)
		}
		if b.Cursor == "" && len(b.Messages) > 0 {
			s.t.Fatalf("Fetch returned %d messages and an empty cursor", len(b.Messages))
		}
		if s.f.CursorNotBefore != nil && s.cursor != "" {
			ok, err := s.f.CursorNotBefore(b.Cursor, s.cursor)
			if err != nil || !ok {
				s.t.Fatalf("the cursor went back: %q → %q (%v)", s.cursor, b.Cursor, err)
			}
		}
		for _, m := range b.Messages {
			if m.SourceID == "" {
				s.t.Fatalf("a message without SourceID: %+v", m)
			}
			if _, dup := s.ids[m.SourceID]; dup {
				continue // desk drops it; counted by the callers that care
			}
			s.ids[m.SourceID] = m
			s.bodies[m.Body]++
			fresh = append(fresh, m)
		}
		s.cursor = b.Cursor
		if !b.More {
			return fresh
		}
	}
}

func (s *store) want(bodies ...string) {
	s.t.Helper()
	for _, b := range bodies {
		if s.bodies[b] != 1 {
			s.t.Errorf("%q stored %d times, want once", b, s.bodies[b])
		}
	}
}

func fetchTwice(t *testing.T, f Fixture) {
	s := newStore(t, f)
	var bodies []string
	at := f.Now().Add(-time.Hour)
	for i := range 2*s.f.PageSize + 5 {
		b := fmt.Sprintf("message %d", i)
		f.AddMessage(i%3, at.Add(time.Duration(i)*time.Second), b)
		bodies = append(bodies, b)
	}
	if got := s.drain(); len(got) != len(bodies) {
		t.Errorf("first sync: %d new messages, want %d", len(got), len(bodies))
	}
	s.want(bodies...)
	// Fetching again from the last cursor (the sync's next run) brings
	// nothing already stored: re-reading the boundary is not re-delivering.
	before := s.cursor
	b, err := f.Connector.Fetch(context.Background(), s.cursor)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range b.Messages {
		if _, ok := s.ids[m.SourceID]; ok {
			t.Errorf("delivered again from the last cursor: %s %q", m.SourceID, m.Body)
		}
	}
	if f.CursorNotBefore != nil {
		if ok, err := f.CursorNotBefore(b.Cursor, before); err != nil || !ok {
			t.Errorf("the cursor went back: %q → %q", before, b.Cursor)
		}
	}
	// And from the start again (a lost cursor): every message, stored once.
	s2 := newStore(t, f)
	s2.drain()
	if len(s2.ids) != len(s.ids) {
		t.Errorf("from the start again: %d messages, want %d", len(s2.ids), len(s.ids))
	}
	for id := range s2.ids {
		if _, ok := s.ids[id]; !ok {
			t.Errorf("SourceID %s is new the second time: SourceIDs must be stable", id)
		}
	}
}

func sharedTimestamp(t *testing.T, f Fixture) {
	s := newStore(t, f)
	at := f.Now().Add(-time.Minute).Truncate(time.Second)
	var bodies []string
	for i := range 2*s.f.PageSize + 3 {
		b := fmt.Sprintf("même seconde %d", i)
		f.AddMessage(i%2, at, b)
		bodies = append(bodies, b)
	}
	s.drain()
	// More in that same second, after the sync read it.
	for i := range 3 {
		b := fmt.Sprintf("même seconde, plus tard %d", i)
		f.AddMessage(2, at, b)
		bodies = append(bodies, b)
	}
	s.drain()
	s.want(bodies...)
}

func addedAfter(t *testing.T, f Fixture) {
	s := newStore(t, f)
	f.AddMessage(0, f.Now(), "avant")
	s.drain()
	f.AddMessage(0, f.Now(), "après")
	got := s.drain()
	if len(got) != 1 || got[0].Body != "après" {
		t.Errorf("next fetch: %+v, want the one added", got)
	}
	s.want("avant", "après")
}

func sendLookup(t *testing.T, f Fixture) {
	s := newStore(t, f)
	f.AddMessage(0, f.Now(), "Bonjour, où est mon colis ?")
	s.drain()
	r := f.Reply(0)
	r.Body, r.CreatedAt, r.MessageID = "Votre colis part aujourd'hui.", f.Now(), 1
	sent, err := f.Connector.Send(context.Background(), r)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	for _, m := range s.drain() {
		if m.Body == r.Body && sent.SourceID != "" && m.SourceID != sent.SourceID {
			t.Errorf("the echo has SourceID %q, Send said %q", m.SourceID, sent.SourceID)
		}
		if m.Body == r.Body && !m.FromSeller {
			t.Errorf("the echo is not marked FromSeller: %+v", m)
		}
	}
	l, ok := f.Connector.(channel.Looker)
	if !ok {
		return
	}
	got, found, err := l.Lookup(context.Background(), r)
	switch {
	case errors.Is(err, channel.ErrCannotTell):
	case err != nil:
		t.Errorf("Lookup: %v", err)
	case !found:
		t.Error("Lookup does not find a reply just sent")
	case sent.SourceID != "" && got.SourceID != sent.SourceID:
		t.Errorf("Lookup found %q, Send said %q", got.SourceID, sent.SourceID)
	}
	never := f.Reply(0)
	never.Body, never.CreatedAt, never.MessageID = "Une réponse jamais envoyée.", f.Now(), 2
	if _, found, err := l.Lookup(context.Background(), never); err != nil && !errors.Is(err, channel.ErrCannotTell) || found {
		t.Errorf("Lookup of a reply never sent: found %v, %v", found, err)
	}
}

func badCursor(t *testing.T, f Fixture) {
	f.AddMessage(0, f.Now(), "x")
	for _, c := range []string{"{", "\x00\xff", `{"messages_from":12}`, "[[[[", "null"} {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("Fetch(%q) panicked: %v", c, p)
				}
			}()
			f.Connector.Fetch(context.Background(), c)
		}()
	}
}
