package kaufland

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

const (
	pageSize = 30 // the spec's maximum for both lists
	// A Fetch reads at most this many pages of each list; More says the
	// rest is waiting, so a long backlog is taken in bounded batches.
	messagePages = 10
	ticketPages  = 5
)

// Fetch reads the messages created and the tickets updated since cursor.
func (k *Connector) Fetch(ctx context.Context, cur string) (channel.Batch, error) {
	c, err := parseCursor(cur)
	if err != nil {
		return channel.Batch{}, &channel.Error{Kind: channel.Refused, Message: err.Error(), Err: err}
	}
	var b channel.Batch
	threads := map[string]desk.ThreadState{}
	next, moreMessages, err := k.fetchMessages(ctx, c, &b, threads)
	if err != nil {
		return channel.Batch{}, err
	}
	next, moreTickets, err := k.fetchTickets(ctx, next, threads)
	if err != nil {
		if len(b.Messages) == 0 {
			return channel.Batch{}, err
		}
		// The messages are worth storing now; the tickets' turn comes next.
		moreTickets = true
	}
	ids := make([]string, 0, len(threads))
	for id := range threads {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		b.Threads = append(b.Threads, threads[id])
	}
	b.Cursor = next.String()
	b.More = moreMessages || moreTickets
	return b, nil
}

// fetchMessages pages through /tickets/messages oldest first. A failure
// after some progress ends the batch there rather than failing it: under
// a flaky API a long backlog still moves on, page by page.
func (k *Connector) fetchMessages(ctx context.Context, c cursor, b *channel.Batch, threads map[string]desk.ThreadState) (cursor, bool, error) {
	delivered := map[int64]bool{}
	for _, id := range c.BoundaryIDs {
		delivered[id] = true
	}
	offset := 0
	if !c.MessagesFrom.IsZero() {
		// Skip what was delivered at the boundary second but for a page,
		// which is re-read in case the API orders a second's messages
		// differently from one call to the next.
		offset = max(0, c.BoundaryCount-pageSize)
	}
	var msgs []ticketMessage
	more, failed := true, error(nil)
	for range messagePages {
		q := url.Values{"limit": {strconv.Itoa(pageSize)}, "offset": {strconv.Itoa(offset)}, "sort": {"ts_created_iso:asc"}}
		if !c.MessagesFrom.IsZero() {
			q.Set("ts_created_from_iso", c.MessagesFrom.Format(time.RFC3339))
		}
		var p page
		if _, err := k.api.do(ctx, http.MethodGet, "/tickets/messages", q, nil, &p); err != nil {
			failed = err
			break
		}
		for i, raw := range p.Data {
			var m ticketMessage
			if err := json.Unmarshal(raw, &m); err != nil || m.ID <= 0 || m.IDTicket == "" {
				k.log.Warn("kaufland: message illisible ignoré", "offset", offset+i, "error", err, "raw", clipBytes(raw, 200))
				continue
			}
			if !delivered[m.ID] {
				delivered[m.ID] = true
				msgs = append(msgs, m)
			}
		}
		offset += len(p.Data)
		if len(p.Data) < pageSize || p.Pagination != nil && offset >= p.Pagination.Total {
			more = false
			break
		}
	}
	next := c
	for i, m := range msgs {
		in, ti, ok, err := k.incoming(ctx, m)
		if err != nil {
			failed, msgs = err, msgs[:i]
			break
		}
		if ok {
			b.Messages = append(b.Messages, in)
			threads[m.IDTicket] = ti.state(m.IDTicket)
		}
		next = next.advance(m, k)
	}
	if failed != nil {
		if len(msgs) == 0 {
			return c, false, failed
		}
		more = true
	}
	return next, more, nil
}

// advance moves the cursor past a delivered message.
func (c cursor) advance(m ticketMessage, k *Connector) cursor {
	at := parseTime(m.Created)
	switch {
	case at.IsZero():
		k.log.Warn("kaufland: date de message illisible", "id", m.ID, "ts_created_iso", m.Created)
	case at.After(c.MessagesFrom):
		c.MessagesFrom, c.BoundaryIDs, c.BoundaryCount = at, []int64{m.ID}, 1
	case at.Equal(c.MessagesFrom):
		ids := append(slices.Clip(c.BoundaryIDs), m.ID)
		if len(ids) > maxBoundaryIDs {
			ids = slices.Clone(ids[len(ids)-maxBoundaryIDs:])
		}
		c.BoundaryIDs = ids
		c.BoundaryCount++
	}
	return c
}

// incoming maps a message; ok is false for a ticket of another storefront.
func (k *Connector) incoming(ctx context.Context, m ticketMessage) (desk.Incoming, ticketInfo, bool, error) {
	ti, err := k.ticketInfo(ctx, m.IDTicket)
	if isStatus(err, http.StatusNotFound) {
		// A ticket Kaufland no longer shows: keep the message, on no order.
		k.log.Warn("kaufland: ticket introuvable", "ticket", m.IDTicket)
		ti, err = ticketInfo{}, nil
	}
	if err != nil {
		return desk.Incoming{}, ti, false, err
	}
	if !k.ours(ti) {
		return desk.Incoming{}, ti, false, nil
	}
	in := desk.Incoming{
		OrderRef:         ti.order,
		SourceID:         sourceID(m.ID),
		ThreadKind:       desk.ThreadCustomer,
		ThreadExternalID: m.IDTicket,
		ThreadSubject:    ti.subject(),
		AuthorName:       m.Author.Name,
		Customer:         ti.buyer,
		Body:             m.Text,
		Reason:           optionLabel(reasonLabels, ti.reason),
		At:               parseTime(m.Created),
	}
	switch m.Author.Role {
	case "buyer":
		in.AuthorKind = desk.AuthorCustomer
	case "customer_service":
		// Kaufland's own support talks to the seller in the same ticket;
		// guichet keeps it apart from the customer's conversation.
		in.ThreadKind, in.AuthorKind = desk.ThreadOperator, desk.AuthorOperator
	case "system":
		in.AuthorKind = desk.AuthorSystem
	case "seller":
		in.FromSeller = true
	default:
		k.log.Warn("kaufland: auteur inconnu", "id", m.ID, "role", m.Author.Role)
		in.AuthorKind = desk.AuthorSystem
	}
	return in, ti, true, nil
}

// sourceID is a message's SourceID: "m" and Kaufland's id_ticket_message.
func sourceID(id int64) string { return "m" + strconv.FormatInt(id, 10) }

// fetchTickets pages through the tickets updated since the cursor, for
// status changes that come with no message (a buyer closing a ticket).
func (k *Connector) fetchTickets(ctx context.Context, c cursor, threads map[string]desk.ThreadState) (cursor, bool, error) {
	next := c
	for range ticketPages {
		q := url.Values{"limit": {strconv.Itoa(pageSize)}, "offset": {strconv.Itoa(next.TicketsOffset)},
			"sort": {"ts_updated_iso:desc"}, "storefront": {k.storefront}}
		if !c.TicketsFrom.IsZero() {
			q.Set("ts_updated_from_iso", c.TicketsFrom.Format(time.RFC3339))
		}
		var p page
		if _, err := k.api.do(ctx, http.MethodGet, "/tickets", q, nil, &p); err != nil {
			if next.TicketsOffset > c.TicketsOffset || next.TicketsFrom.After(c.TicketsFrom) {
				return next, true, nil
			}
			return c, false, err
		}
		for _, raw := range p.Data {
			var t ticket
			if err := json.Unmarshal(raw, &t); err != nil || t.ID == "" {
				k.log.Warn("kaufland: ticket illisible ignoré", "error", err, "raw", clipBytes(raw, 200))
				continue
			}
			ti := infoOf(t)
			k.remember(t.ID, ti)
			k.mu.Lock()
			ti = k.tickets[t.ID]
			k.mu.Unlock()
			if !k.ours(ti) {
				continue
			}
			threads[t.ID] = ti.state(t.ID)
			if ti.updated.After(next.TicketsNewest) {
				next.TicketsNewest = ti.updated
			}
		}
		next.TicketsOffset += len(p.Data)
		if len(p.Data) < pageSize || p.Pagination != nil && next.TicketsOffset >= p.Pagination.Total {
			// The pass is over: the next starts at its newest change,
			// re-read as the messages' boundary is.
			if next.TicketsNewest.After(next.TicketsFrom) {
				next.TicketsFrom = next.TicketsNewest
			}
			next.TicketsOffset, next.TicketsNewest = 0, time.Time{}
			return next, false, nil
		}
	}
	return next, true, nil
}

func clipBytes(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
