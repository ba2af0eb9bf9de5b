package prestashop

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

const (
	pageSize = 50
	// A Fetch reads at most this many pages of messages and of threads;
	// More says the rest is waiting.
	messagePages = 10
	threadPages  = 4
	// idsPerRequest bounds a filter[id]=[a|b|…] list (the URL's length).
	idsPerRequest = 50
)

// message is a customer_message as the JSON output gives it.
type message struct {
	ID       text `json:"id"`
	Employee text `json:"id_employee"`
	Thread   text `json:"id_customer_thread"`
	Message  text `json:"message"`
	FileName text `json:"file_name"`
	Private  text `json:"private"`
	DateAdd  text `json:"date_add"`
	DateUpd  text `json:"date_upd"`
}

// thread is a customer_thread.
type thread struct {
	ID       text `json:"id"`
	Lang     text `json:"id_lang"`
	Customer text `json:"id_customer"`
	Order    text `json:"id_order"`
	Contact  text `json:"id_contact"`
	Email    text `json:"email"`
	Status   text `json:"status"`
	DateUpd  text `json:"date_upd"`
}

// statusLabels are PrestaShop's names of a thread's statuses, in French
// as its back office shows them.
var statusLabels = map[string]string{
	"open": "Ouvert", "closed": "Fermé", "pending1": "En attente 1", "pending2": "En attente 2",
}

// Fetch reads the customer messages and the threads updated since cursor.
func (p *Connector) Fetch(ctx context.Context, cur string) (channel.Batch, error) {
	c, err := parseCursor(cur)
	if err != nil {
		return channel.Batch{}, &channel.Error{Kind: channel.Refused, Message: err.Error(), Err: err}
	}
	rawMsgs, nextMsgs, moreMsgs, err := p.readStream(ctx, "customer_messages", c.Messages, messagePages)
	if err != nil {
		return channel.Batch{}, err
	}
	msgs := decodeItems[message](p, rawMsgs, "customer_messages")
	rawThreads, nextThreads, moreThreads, err := p.readStream(ctx, "customer_threads", c.Threads, threadPages)
	if err != nil {
		if len(msgs) == 0 {
			return channel.Batch{}, err
		}
		// The messages are worth storing now; the threads' turn comes next.
		nextThreads, moreThreads = c.Threads, true
	}
	threads := map[int64]thread{}
	for _, t := range decodeItems[thread](p, rawThreads, "customer_threads") {
		threads[t.ID.id()] = t
	}
	var missing []int64
	for _, m := range msgs {
		if id := m.Thread.id(); id > 0 && !slices.Contains(missing, id) {
			if _, ok := threads[id]; !ok {
				missing = append(missing, id)
			}
		}
	}
	found, err := p.threadsByID(ctx, missing)
	if err != nil {
		return channel.Batch{}, err // nothing lost: the cursor stays
	}
	for id, t := range found {
		threads[id] = t
	}
	refs, err := p.orderRefs(ctx, threads)
	if err != nil {
		return channel.Batch{}, err
	}
	contacts, err := p.contactList(ctx, threads)
	if err != nil {
		return channel.Batch{}, err
	}
	var b channel.Batch
	for _, m := range msgs {
		if in, ok := p.incoming(m, threads, refs, contacts); ok {
			b.Messages = append(b.Messages, in)
		}
	}
	ids := make([]int64, 0, len(threads))
	for id := range threads {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		b.Threads = append(b.Threads, p.state(threads[id], refs, contacts))
	}
	b.Cursor = cursor{Messages: nextMsgs, Threads: nextThreads}.String()
	b.More = moreMsgs || moreThreads
	return b, nil
}

// readStream pages through resource by date_upd from s. A failure after
// some progress ends the read there rather than failing it: under a flaky
// shop a long backlog still moves on, page by page.
func (p *Connector) readStream(ctx context.Context, resource string, s stream, pages int) ([]json.RawMessage, stream, bool, error) {
	atBoundary, seen := map[int64]bool{}, map[int64]bool{}
	for _, id := range s.IDs {
		atBoundary[id] = true
	}
	offset := 0
	if s.From != "" {
		// Skip what was delivered at the boundary second but for a page,
		// re-read in case an item's date moved in the meantime.
		offset = max(0, s.Count-pageSize)
	}
	var out []json.RawMessage
	next := s
	for range pages {
		q := url.Values{"display": {"full"}, "sort": {"[date_upd_ASC,id_ASC]"},
			"limit": {strconv.Itoa(offset) + "," + strconv.Itoa(pageSize)}}
		if s.From != "" {
			q.Set("date", "1") // PrestaShop filters on a date's time only with it
			q.Set("filter[date_upd]", ">["+secondBefore(s.From)+"]")
		}
		raw, err := p.api.get(ctx, "/"+resource, q)
		if err == nil {
			var page []json.RawMessage
			page, _, err = decodeList[json.RawMessage](raw, resource)
			if err == nil {
				for _, item := range page {
					var k struct {
						ID      text `json:"id"`
						DateUpd text `json:"date_upd"`
					}
					if json.Unmarshal(item, &k) != nil || k.ID.id() <= 0 {
						p.log.Warn("prestashop: élément illisible ignoré", "resource", resource, "raw", clip(item, 200))
						continue
					}
					// Delivered already: at the boundary second, by an id
					// the cursor keeps; or earlier in this read.
					id, upd := k.ID.id(), k.DateUpd.String()
					if upd == s.From && atBoundary[id] || seen[id] {
						continue
					}
					seen[id] = true
					out = append(out, item)
					next = next.advance(id, upd)
				}
				offset += len(page)
				if len(page) < pageSize {
					return out, next, false, nil
				}
				continue
			}
			err = &channel.Error{Kind: channel.Transient, Message: "réponse de PrestaShop illisible (" + resource + ")", Err: err}
		}
		if len(out) == 0 {
			return nil, s, false, err
		}
		p.log.Warn("prestashop: lecture interrompue, la suite au prochain passage", "resource", resource, "error", err)
		return out, next, true, nil
	}
	return out, next, true, nil
}

// decodeItems decodes items one by one; one that does not decode is
// logged and skipped.
func decodeItems[T any](p *Connector, raws []json.RawMessage, resource string) []T {
	var out []T
	for _, r := range raws {
		var v T
		if err := json.Unmarshal(r, &v); err != nil {
			p.log.Warn("prestashop: élément illisible ignoré", "resource", resource, "error", err, "raw", clip(r, 200))
			continue
		}
		out = append(out, v)
	}
	return out
}

// threadsByID reads threads by id, a few dozen per request.
func (p *Connector) threadsByID(ctx context.Context, ids []int64) (map[int64]thread, error) {
	out := map[int64]thread{}
	for chunk := range slices.Chunk(ids, idsPerRequest) {
		list, err := listByIDs[thread](ctx, p, "customer_threads", "id", chunk, "full")
		if err != nil {
			return nil, err
		}
		for _, t := range list {
			out[t.ID.id()] = t
		}
	}
	return out, nil
}

// listByIDs reads the items of resource whose field is one of ids.
func listByIDs[T any](ctx context.Context, p *Connector, resource, field string, ids []int64, display string) ([]T, error) {
	vals := make([]string, len(ids))
	for i, id := range ids {
		vals[i] = strconv.FormatInt(id, 10)
	}
	q := url.Values{"display": {display}, "filter[" + field + "]": {"[" + strings.Join(vals, "|") + "]"},
		"limit": {"0," + strconv.Itoa(max(len(ids), 1)*20)}}
	raw, err := p.api.get(ctx, "/"+resource, q)
	if err != nil {
		return nil, err
	}
	items, bad, err := decodeList[T](raw, resource)
	if err != nil {
		return nil, &channel.Error{Kind: channel.Transient, Message: "réponse de PrestaShop illisible (" + resource + ")", Err: err}
	}
	for _, e := range bad {
		p.log.Warn("prestashop: élément illisible ignoré", "error", e)
	}
	return items, nil
}

// orderRefs returns the references of the threads' orders, cached.
func (p *Connector) orderRefs(ctx context.Context, threads map[int64]thread) (map[int64]string, error) {
	refs := map[int64]string{}
	var missing []int64
	p.mu.Lock()
	for _, t := range threads {
		id := t.Order.id()
		if id == 0 {
			continue
		}
		if r, ok := p.refs[id]; ok {
			refs[id] = r
		} else if !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	p.mu.Unlock()
	slices.Sort(missing)
	for chunk := range slices.Chunk(missing, idsPerRequest) {
		type orderRef struct {
			ID        text `json:"id"`
			Reference text `json:"reference"`
		}
		list, err := listByIDs[orderRef](ctx, p, "orders", "id", chunk, "[id,reference]")
		if err != nil {
			return nil, err
		}
		p.mu.Lock()
		if len(p.refs) > maxCachedRefs {
			p.refs = map[int64]string{}
		}
		for _, o := range list {
			refs[o.ID.id()] = o.Reference.String()
			p.refs[o.ID.id()] = o.Reference.String()
		}
		p.mu.Unlock()
	}
	return refs, nil
}

// contactList returns the shop's contacts, read again when a thread names
// one not known yet or after a while.
func (p *Connector) contactList(ctx context.Context, threads map[int64]thread) (map[int64]contact, error) {
	p.mu.Lock()
	fresh := p.contacts != nil && p.now().Sub(p.read) < time.Hour
	for _, t := range threads {
		if _, ok := p.contacts[t.Contact.id()]; !ok && t.Contact.id() != 0 {
			fresh = false
		}
	}
	cs := p.contacts
	p.mu.Unlock()
	if fresh {
		return cs, nil
	}
	raw, err := p.api.get(ctx, "/contacts", url.Values{"display": {"full"}})
	if err != nil {
		return nil, err
	}
	type psContact struct {
		ID              text     `json:"id"`
		Name            langText `json:"name"`
		CustomerService text     `json:"customer_service"`
	}
	list, _, err := decodeList[psContact](raw, "contacts")
	if err != nil {
		return nil, &channel.Error{Kind: channel.Transient, Message: "réponse de PrestaShop illisible (contacts)", Err: err}
	}
	cs = map[int64]contact{}
	for _, c := range list {
		cs[c.ID.id()] = contact{name: c.Name, customerService: c.CustomerService.bool()}
	}
	p.mu.Lock()
	p.contacts, p.read = cs, p.now()
	p.mu.Unlock()
	return cs, nil
}

// incoming maps a message; a private one (a note between employees in the
// back office, never seen by the customer) becomes an internal note of
// the ticket. ok is always true (kept for messages one day skipped).
func (p *Connector) incoming(m message, threads map[int64]thread, refs map[int64]string, contacts map[int64]contact) (desk.Incoming, bool) {
	tid := m.Thread.id()
	t := threads[tid]
	subject := contacts[t.Contact.id()].name.in(t.Lang.String())
	in := desk.Incoming{
		OrderRef:         refs[t.Order.id()],
		SourceID:         sourceID(m.ID.id()),
		ThreadKind:       desk.ThreadCustomer,
		ThreadExternalID: strconv.FormatInt(tid, 10),
		ThreadSubject:    subject,
		Reason:           subject,
		Customer:         desk.CustomerInput{Email: t.Email.String()},
		At:               parseDate(m.DateAdd.String(), p.loc),
	}
	if id := t.Customer.id(); id > 0 {
		in.Customer.ExternalID = strconv.FormatInt(id, 10)
	}
	body := string(m.Message)
	if looksHTML(body) {
		in.BodyHTML = body
	} else {
		in.Body = html.UnescapeString(body)
	}
	if f := m.FileName.String(); f != "" {
		// The webservice does not serve the shop's upload folder.
		in.Body += fmt.Sprintf("\n\n[pièce jointe dans la boutique : %s]", f)
	}
	switch {
	case m.Private.bool():
		in.Internal = true
	case m.Employee.id() != 0:
		in.FromSeller = true
	default:
		in.AuthorKind = desk.AuthorCustomer
	}
	if _, ok := threads[tid]; !ok {
		p.log.Warn("prestashop: fil introuvable, message sans commande", "message", m.ID, "thread", tid)
	}
	return in, true
}

// state is a thread's channel-side state.
func (p *Connector) state(t thread, refs map[int64]string, contacts map[int64]contact) desk.ThreadState {
	st := t.Status.String()
	subject := contacts[t.Contact.id()].name.in(t.Lang.String())
	ts := desk.ThreadState{
		OrderRef:    refs[t.Order.id()],
		Kind:        desk.ThreadCustomer,
		ExternalID:  t.ID.String(),
		Subject:     subject,
		Reason:      subject,
		Status:      st,
		StatusLabel: statusLabels[st],
		UpdatedAt:   parseDate(t.DateUpd.String(), p.loc),
	}
	if ts.StatusLabel == "" {
		ts.StatusLabel = st
	}
	if st == "closed" {
		ts.TicketStatus = desk.StatusClosed
	}
	return ts
}

// sourceID is a message's SourceID: "cm" and its id_customer_message.
func sourceID(id int64) string { return "cm" + strconv.FormatInt(id, 10) }

func looksHTML(s string) bool {
	for _, tag := range []string{"<br", "<p", "<div", "<a ", "<b>", "<strong", "<span", "<ul", "<table"} {
		if strings.Contains(strings.ToLower(s), tag) {
			return true
		}
	}
	return false
}

func clip(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
