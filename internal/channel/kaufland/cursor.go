package kaufland

import (
	"encoding/json"
	"fmt"
	"time"
)

// cursor is where a Fetch starts, as an opaque JSON string for sync:
//
//	{"messages_from":"2026-01-02T10:00:05Z","boundary_ids":[641,642],"boundary_count":2,
//	 "tickets_from":"2026-01-02T09:58:00Z","tickets_offset":30,"tickets_newest":"2026-01-02T10:00:01Z"}
//
// Messages are read oldest first from messages_from, which is re-read
// (several messages share a second): boundary_ids are the ones delivered
// at that second already, boundary_count how many (the ids are capped).
// Tickets can only be listed newest first, so a pass over the changes
// since tickets_from pages on with tickets_offset, remembering the newest
// change it saw; when the pass ends, tickets_from moves up to it. Neither
// timestamp ever goes back.
type cursor struct {
	MessagesFrom  time.Time `json:"messages_from,omitzero"`
	BoundaryIDs   []int64   `json:"boundary_ids,omitempty"`
	BoundaryCount int       `json:"boundary_count,omitempty"`
	TicketsFrom   time.Time `json:"tickets_from,omitzero"`
	TicketsOffset int       `json:"tickets_offset,omitempty"`
	TicketsNewest time.Time `json:"tickets_newest,omitzero"`
}

// maxBoundaryIDs caps the ids kept at the boundary second; past it the
// next fetch re-reads a page that desk deduplicates.
const maxBoundaryIDs = 500

func parseCursor(s string) (cursor, error) {
	var c cursor
	if s == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return cursor{}, fmt.Errorf("curseur Kaufland illisible : %w", err)
	}
	if c.BoundaryCount < 0 || c.TicketsOffset < 0 || c.BoundaryCount < len(c.BoundaryIDs) {
		return cursor{}, fmt.Errorf("curseur Kaufland incohérent : %q", s)
	}
	if c.TicketsFrom.After(c.TicketsNewest) && !c.TicketsNewest.IsZero() {
		return cursor{}, fmt.Errorf("curseur Kaufland incohérent : %q", s)
	}
	return c, nil
}

func (c cursor) String() string {
	b, _ := json.Marshal(c) // plain fields: cannot fail
	return string(b)
}

// notBefore says whether c is at or after o on both timelines: what "never
// goes back" means for this cursor.
func (c cursor) notBefore(o cursor) bool {
	return !c.MessagesFrom.Before(o.MessagesFrom) && !c.TicketsFrom.Before(o.TicketsFrom)
}

// CursorNotBefore reports whether cursor a is at or after cursor b (the
// contract suite's check that a cursor never goes back).
func CursorNotBefore(a, b string) (bool, error) {
	ca, err := parseCursor(a)
	if err != nil {
		return false, err
	}
	cb, err := parseCursor(b)
	if err != nil {
		return false, err
	}
	return ca.notBefore(cb), nil
}
