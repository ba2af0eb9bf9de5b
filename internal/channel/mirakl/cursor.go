package mirakl

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// cursor is where a Fetch starts, as an opaque JSON string for sync:
//
//	{"since":"2026-03-02T09:00:00Z","newest":"2026-03-02T09:00:04Z",
//	 "page_token":"eyJsaW1pdCI6…","recent":[{"id":"8c2e…","at":"2026-03-02T08:58:10Z"}]}
//
// A pass lists the threads updated at or after since (M11, seek
// pagination); page_token is its next page while it pages on, newest the
// latest date_updated it saw. When it ends, since moves up to newest.
// A listed thread's messages are delivered from reread before since: a
// message's date and its thread's date_updated are not written at the
// same instant, and several messages share one. recent are the messages
// of that window delivered already, so that a pass does not bring them
// again. since never goes back.
type cursor struct {
	Since     time.Time `json:"since,omitzero"`
	Newest    time.Time `json:"newest,omitzero"`
	PageToken string    `json:"page_token,omitempty"`
	Recent    []seen    `json:"recent,omitempty"`
}

type seen struct {
	ID string    `json:"id"`
	At time.Time `json:"at"`
}

// reread is how far before since a thread's messages are read again.
const reread = 5 * time.Minute

// maxRecent caps recent; past it the oldest are forgotten, and a pass may
// bring them again: desk drops them by SourceID.
const maxRecent = 400

func parseCursor(s string) (cursor, error) {
	var c cursor
	if s == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return cursor{}, fmt.Errorf("curseur Mirakl illisible : %w", err)
	}
	if !c.Newest.IsZero() && c.Newest.Before(c.Since) {
		return cursor{}, fmt.Errorf("curseur Mirakl incohérent : %q", s)
	}
	return c, nil
}

func (c cursor) String() string {
	b, _ := json.Marshal(c) // plain fields: cannot fail
	return string(b)
}

// from is the date a pass delivers messages from.
func (c cursor) from() time.Time {
	if c.Since.IsZero() {
		return time.Time{}
	}
	return c.Since.Add(-reread)
}

// remember adds delivered messages to recent, forgets those before the
// window, and keeps the newest maxRecent.
func (c *cursor) remember(ids []seen) {
	c.Recent = append(c.Recent, ids...)
	from := c.from()
	c.Recent = slices.DeleteFunc(c.Recent, func(s seen) bool { return s.At.Before(from) })
	slices.SortStableFunc(c.Recent, func(a, b seen) int { return a.At.Compare(b.At) })
	if n := len(c.Recent); n > maxRecent {
		c.Recent = c.Recent[n-maxRecent:]
	}
}

// CursorNotBefore reports whether cursor a is at or after cursor b.
func CursorNotBefore(a, b string) (bool, error) {
	ca, err := parseCursor(a)
	if err != nil {
		return false, err
	}
	cb, err := parseCursor(b)
	if err != nil {
		return false, err
	}
	return !ca.Since.Before(cb.Since), nil
}
