package prestashop

import (
	"encoding/json"
	"fmt"
	"slices"
)

// cursor is where a Fetch starts, as an opaque JSON string for sync:
//
//	{"messages":{"from":"2026-03-02 10:00:05","ids":[641,642],"count":2},
//	 "threads":{"from":"2026-03-02 09:58:00","ids":[12],"count":1}}
//
// Each list (customer_messages, customer_threads) is read by date_upd,
// oldest first, from its "from" date (the shop's local time, as PrestaShop
// writes it), which is re-read since several items share a second: ids
// are those already delivered at that second, count how many (ids are
// capped). Neither date ever goes back.
type cursor struct {
	Messages stream `json:"messages,omitzero"`
	Threads  stream `json:"threads,omitzero"`
}

type stream struct {
	From  string  `json:"from,omitempty"`
	IDs   []int64 `json:"ids,omitempty"`
	Count int     `json:"count,omitempty"`
}

// maxBoundaryIDs caps the ids kept at a boundary second; past it the next
// fetch re-reads items that desk deduplicates.
const maxBoundaryIDs = 500

func parseCursor(s string) (cursor, error) {
	var c cursor
	if s == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return cursor{}, fmt.Errorf("curseur PrestaShop illisible : %w", err)
	}
	for _, st := range []stream{c.Messages, c.Threads} {
		if st.From != "" && !validDate(st.From) || st.Count < len(st.IDs) || st.From == "" && st.Count > 0 {
			return cursor{}, fmt.Errorf("curseur PrestaShop incohérent : %q", s)
		}
	}
	return c, nil
}

func (c cursor) String() string {
	b, _ := json.Marshal(c) // plain fields: cannot fail
	return string(b)
}

// advance moves the stream past an item updated at upd.
func (s stream) advance(id int64, upd string) stream {
	switch {
	case !validDate(upd):
	case upd > s.From: // the notation sorts as the dates do
		s.From, s.IDs, s.Count = upd, []int64{id}, 1
	case upd == s.From:
		ids := append(slices.Clip(s.IDs), id)
		if len(ids) > maxBoundaryIDs {
			ids = slices.Clone(ids[len(ids)-maxBoundaryIDs:])
		}
		s.IDs, s.Count = ids, s.Count+1
	}
	return s
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
	return ca.Messages.From >= cb.Messages.From && ca.Threads.From >= cb.Threads.From, nil
}
