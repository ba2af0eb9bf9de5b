package mirakl

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

const (
	pageSize = 50 // M11's default; Mirakl's seek pagination allows 100
	// A Fetch reads at most this many pages; More says the rest waits.
	fetchPages = 5
)

// Fetch reads the threads updated since the cursor (M11 with their last
// messages, M10 for a thread with more) and returns their new messages
// and their states. A failure after some progress ends the batch at the
// last whole page rather than failing it.
func (k *Connector) Fetch(ctx context.Context, cur string) (channel.Batch, error) {
	c, err := parseCursor(cur)
	if err != nil {
		return channel.Batch{}, &channel.Error{Kind: channel.Refused, Message: err.Error(), Err: err}
	}
	var b channel.Batch
	for page := 0; page < fetchPages; page++ {
		q := url.Values{"with_messages": {"true"}, "limit": {strconv.Itoa(pageSize)}}
		if !c.Since.IsZero() {
			q.Set("updated_since", c.Since.UTC().Format(time.RFC3339Nano))
		}
		if c.PageToken != "" {
			q.Set("page_token", c.PageToken)
		}
		var p threadPage
		err := k.api.do(ctx, request{method: http.MethodGet, path: "/api/inbox/threads", query: q}, &p)
		if err == nil {
			var msgs []desk.Incoming
			var states []desk.ThreadState
			msgs, states, err = k.readPage(ctx, p, c)
			if err == nil {
				b.Messages = append(b.Messages, msgs...)
				b.Threads = append(b.Threads, states...)
				c = c.advance(states, msgs, p.NextPageToken)
				if c.PageToken == "" {
					b.More = false
					break
				}
				b.More = true
				continue
			}
		}
		if c.PageToken != "" && channel.KindOf(err) == channel.Refused && isStatus(err, http.StatusBadRequest) {
			// A page token the instance no longer takes: the pass starts
			// again from since (desk drops what it has already).
			k.log.Warn("mirakl: page token refused, pass restarted", "err", err)
			c.PageToken = ""
			b.More = true
			break
		}
		if page == 0 {
			return channel.Batch{}, err
		}
		b.More = true // the pages read are worth storing; the rest comes next
		break
	}
	b.Cursor = c.String()
	return b, nil
}

// advance moves the cursor past a page whose threads and messages were
// read: on to the next page, or, at the pass's end, since up to the newest
// change seen.
func (c cursor) advance(states []desk.ThreadState, msgs []desk.Incoming, next string) cursor {
	for _, s := range states {
		if s.UpdatedAt.After(c.Newest) {
			c.Newest = s.UpdatedAt
		}
	}
	ids := make([]seen, 0, len(msgs))
	for _, m := range msgs {
		ids = append(ids, seen{ID: m.SourceID, At: m.At})
	}
	c.PageToken = next
	if next == "" && c.Newest.After(c.Since) {
		c.Since = c.Newest
	}
	c.remember(ids)
	return c
}

// readPage maps a page's threads. A thread that cannot be decoded is
// read again alone (M10); one that still cannot be read is skipped with a
// warning when it is malformed, and fails the page when the instance
// failed (the page is read again next time).
func (k *Connector) readPage(ctx context.Context, p threadPage, c cursor) ([]desk.Incoming, []desk.ThreadState, error) {
	var msgs []desk.Incoming
	var states []desk.ThreadState
	for _, raw := range p.Data {
		var t thread
		if err := json.Unmarshal(raw, &t); err != nil || t.ID == "" || t.DateUpdated.IsZero() {
			var id struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(raw, &id) != nil || id.ID == "" {
				k.log.Warn("mirakl: unreadable thread skipped", "err", err, "item", truncate(string(raw), 200))
				continue
			}
			t = thread{ID: id.ID}
		}
		if t.DateUpdated.IsZero() || len(t.Messages) < t.Metadata.TotalCount {
			full, err := k.thread(ctx, t.ID)
			switch {
			case err == nil:
				t = full
			case channel.KindOf(err) == channel.Refused:
				k.log.Warn("mirakl: thread skipped", "thread", t.ID, "err", err)
				continue
			default:
				return nil, nil, err
			}
		}
		st, tmsgs, err := k.mapThread(ctx, t, c)
		if err != nil {
			return nil, nil, err
		}
		states = append(states, st)
		msgs = append(msgs, tmsgs...)
	}
	return msgs, states, nil
}

// thread reads one thread with all its messages (M10).
func (k *Connector) thread(ctx context.Context, id string) (thread, error) {
	var t thread
	err := k.api.do(ctx, request{method: http.MethodGet, path: "/api/inbox/threads/" + url.PathEscape(id)}, &t)
	if err == nil && t.ID == "" {
		err = &channel.Error{Kind: channel.Transient, Message: "fil Mirakl sans identifiant"}
	}
	return t, err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
