package mirakl

import (
	"encoding/json"
	"fmt"
	"time"
)

// cursor is where a Fetch starts, as an opaque JSON string for sync:
//
//	{"since":"2026-03-02T08:59:00Z","boundary_ids":["8c2e…"],
//	 "newest":"2026-03-02T09:00:00Z","page_token":"bGltaXQ9…"}
//
// A pass lists the threads updated at or after since (M11, seek
// pagination) and delivers their messages created at or after since but
// for boundary_ids, those of that very instant delivered already. While a
// pass pages on, page_token is its next page and newest the latest
// date_updated it saw; when it ends, since moves up to newest and
// boundary_ids become the messages delivered at that instant. since never
// goes back.
type cursor struct {
	Since       time.Time `json:"since,omitzero"`
	BoundaryIDs []string  `json:"boundary_ids,omitempty"`
	Newest      time.Time `json:"newest,omitzero"`
	PageToken   string    `json:"page_token,omitempty"`
	// Delivered are messages of this pass delivered at newest already.
	Delivered []string `json:"delivered,omitempty"`
}

// maxBoundaryIDs caps the ids kept at the boundary instant; past it the
// next pass re-delivers some, which desk drops by SourceID.
const maxBoundaryIDs = 500

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
