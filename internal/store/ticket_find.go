package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"guichet/internal/desk"
	"guichet/internal/fold"
)

// FindTickets pages the inbox by keyset: one range scan per status on the
// index that matches the sort, merged here (at most 3 × limit rows). Nothing
// counts the matches and nothing sorts the table.
func (t *tx) FindTickets(ctx context.Context, f desk.TicketFilter) (desk.TicketPage, error) {
	if len(fold.Words(f.Text)) > 0 {
		return t.searchTickets(ctx, f)
	}
	sk := sortKeyOf(f.Sort)
	cur, err := decodeCursor(f.After, sk.prefix)
	if err != nil {
		return desk.TicketPage{}, err
	}
	// One query, with one scan a status: on PostgreSQL a query is a round trip.
	var q query
	var parts []string
	for i, st := range statusesOf(f) {
		q.conds = nil
		q.add("t.status = " + q.arg(st))
		filterClause(&q, f)
		if cur != nil {
			// (key, id) strictly after the cursor in the sort's direction.
			q.add(fmt.Sprintf("(t.%s, t.id) %s (%s, %s)", sk.column, sk.after(), q.arg(cur.key), q.arg(cur.id)))
		}
		// The page size is a parameter: one statement for every size.
		parts = append(parts, fmt.Sprintf(`SELECT * FROM (SELECT `+ticketColumns+`, coalesce(c.name, '') AS customer_name
			FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id
			WHERE %s ORDER BY t.%s %s, t.id %s LIMIT %s) s%d`, q.where(), sk.column, sk.dir(), sk.dir(), q.arg(f.Limit+1), i))
	}
	var rows []desk.TicketRow
	if len(parts) > 0 {
		if rows, err = t.ticketRows(ctx, strings.Join(parts, "\nUNION ALL "), q.args...); err != nil {
			return desk.TicketPage{}, err
		}
	}
	slices.SortFunc(rows, func(a, b desk.TicketRow) int { return sk.compare(&a.Ticket, &b.Ticket) })
	page := desk.TicketPage{Tickets: rows}
	if len(rows) > f.Limit {
		last := &rows[f.Limit-1].Ticket
		page.Tickets = rows[:f.Limit]
		page.Next = encodeCursor(sk.prefix, sk.key(last), last.ID)
	}
	if page.Tickets == nil {
		page.Tickets = []desk.TicketRow{}
	}
	return page, nil
}

// statusesOf is the statuses to scan: those asked, or all; only waiting_admin
// tickets can be overdue.
func statusesOf(f desk.TicketFilter) []desk.Status {
	sts := f.Statuses
	if len(sts) == 0 {
		sts = desk.Statuses
	}
	if f.Overdue || f.DueSoon {
		if !slices.Contains(sts, desk.StatusWaitingAdmin) {
			return nil
		}
		return []desk.Status{desk.StatusWaitingAdmin}
	}
	seen := map[desk.Status]bool{}
	var out []desk.Status
	for _, s := range sts {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// filterClause adds the filter's conditions other than status and text.
func filterClause(q *query, f desk.TicketFilter) {
	if f.Priority != "" {
		q.add("t.priority = " + q.arg(f.Priority))
	}
	if f.ChannelID != 0 {
		q.add("t.channel_id = " + q.arg(f.ChannelID))
	}
	if f.AssigneeID != 0 {
		q.add("t.assignee_id = " + q.arg(f.AssigneeID))
	} else if f.Unassigned {
		q.add("t.assignee_id IS NULL")
	}
	if f.Overdue {
		q.add("t.deadline_at < " + q.arg(ms(f.Now)))
	}
	if !f.DeadlineFrom.IsZero() {
		q.add("t.deadline_at >= " + q.arg(ms(f.DeadlineFrom)))
		q.add("t.deadline_at < " + q.arg(int64(noDeadline)))
	}
	if f.DueSoon {
		q.add("t.deadline_at >= " + q.arg(ms(f.Now)))
		q.add("t.deadline_at < " + q.arg(ms(f.Now.Add(desk.DueSoonWindow))))
	}
	if !f.DeadlineTo.IsZero() {
		q.add("t.deadline_at < " + q.arg(ms(f.DeadlineTo)))
	}
	if !f.OpenedFrom.IsZero() {
		q.add("t.opened_at >= " + q.arg(ms(f.OpenedFrom)))
	}
	if !f.OpenedTo.IsZero() {
		q.add("t.opened_at < " + q.arg(ms(f.OpenedTo)))
	}
	if f.Reason != "" {
		q.add("t.reason = " + q.arg(f.Reason))
	}
}

func (t *tx) ticketRows(ctx context.Context, sql string, args ...any) ([]desk.TicketRow, error) {
	rows, err := t.query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("find tickets: %w", err)
	}
	defer rows.Close()
	var out []desk.TicketRow
	for rows.Next() {
		var r desk.TicketRow
		if r.Ticket, err = scanTicket(rows, &r.CustomerName); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Search reads the index in chunks of entries, newest ticket first, and keeps
// the tickets that pass the other filters, until the page is full. The first
// chunk is small: a page of 50 tickets most often needs a hundred entries,
// and on PostgreSQL each entry read costs. Chunks then grow, for filters that
// reject most tickets, up to about 20 000 entries a page.
const (
	searchFirstChunk = 128
	searchMaxChunk   = 4096
	searchMaxChunks  = 7 // then the page ends early, with a cursor to go on
	searchMaxWords   = 8
)

func (t *tx) searchTickets(ctx context.Context, f desk.TicketFilter) (desk.TicketPage, error) {
	words := fold.Words(f.Text)
	if len(words) > searchMaxWords {
		words = words[:searchMaxWords]
	}
	below := int64(math.MaxInt64)
	if f.After != "" {
		cur, err := decodeCursor(f.After, "s")
		if err != nil {
			return desk.TicketPage{}, err
		}
		below = cur.id
	}
	page := desk.TicketPage{Tickets: []desk.TicketRow{}}
	seen := map[int64]bool{}
	if f.After == "" { // exact ticket number or order reference first
		exact, err := t.TicketsByReference(ctx, f.Text, 5)
		if err != nil {
			return page, err
		}
		ids := make([]int64, len(exact))
		for i, e := range exact {
			ids[i] = e.ID
		}
		rows, err := t.ticketsIn(ctx, ids, f, len(ids))
		if err != nil {
			return page, err
		}
		for _, id := range ids {
			if r, ok := rows[id]; ok {
				page.Tickets = append(page.Tickets, r)
				seen[id] = true
			}
		}
	}
	judged := maps.Clone(seen) // tickets with a matching entry, in the page or filtered out
	for i, chunk := 0, searchFirstChunk; i < searchMaxChunks; i, chunk = i+1, min(4*chunk, searchMaxChunk) {
		docs, last, more, err := t.s.dialect.searchDocs(ctx, t, words, below, chunk)
		if err != nil {
			return page, err
		}
		var ids []int64
		for _, d := range docs {
			if id := docTicket(d); !judged[id] {
				judged[id] = true
				ids = append(ids, id)
			}
		}
		rows, err := t.ticketsIn(ctx, ids, f, f.Limit+1-len(page.Tickets))
		if err != nil {
			return page, err
		}
		for _, id := range ids {
			r, ok := rows[id]
			if !ok {
				continue
			}
			if len(page.Tickets) == f.Limit {
				page.Next = encodeCursor("s", 0, docID(page.Tickets[len(page.Tickets)-1].ID, 0))
				return page, nil
			}
			page.Tickets = append(page.Tickets, r)
		}
		if !more {
			return page, nil // the index has no more entries
		}
		// Go on below the last entry read; below its ticket when that one
		// was judged already, whatever other entries it has.
		below = last
		if judged[docTicket(last)] {
			below = docID(docTicket(last), 0)
		}
	}
	page.Next = encodeCursor("s", 0, below)
	return page, nil
}

// docTexts returns the text of search entries, as they were indexed.
func (t *tx) docTexts(ctx context.Context, docs []int64) (map[int64]string, error) {
	want := map[int64]bool{}
	var ids []int64
	for _, d := range docs {
		if id := docTicket(d); len(ids) == 0 || ids[len(ids)-1] != id {
			ids = append(ids, id)
		}
		want[d] = true
	}
	out := map[int64]string{}
	if len(docs) == 0 {
		return out, nil
	}
	rows, err := t.queryOnce(ctx, `SELECT ticket_id, seq, body FROM messages WHERE ticket_id IN (`+idList(ids)+`)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var seq int
		var body string
		if err := rows.Scan(&id, &seq, &body); err != nil {
			return nil, err
		}
		if want[docID(id, seq)] {
			out[docID(id, seq)] = body
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	heads, err := ticketTexts(ctx, t.queryOnce, ids)
	for id, text := range heads {
		if want[docID(id, 0)] {
			out[docID(id, 0)] = text
		}
	}
	return out, err
}

// ticketsIn loads the first n of ids, in their order, that pass the filter
// (text aside). The filter is checked on the ids alone first: on a large
// database each whole row (and its customer) is a random read, and a page
// needs few of them.
func (t *tx) ticketsIn(ctx context.Context, ids []int64, f desk.TicketFilter, n int) (map[int64]desk.TicketRow, error) {
	out := map[int64]desk.TicketRow{}
	if len(ids) == 0 || n <= 0 {
		return out, nil
	}
	var q query
	if sts := statusesOf(f); len(sts) < len(desk.Statuses) || f.Overdue || f.DueSoon {
		ph := make([]string, len(sts))
		for i, s := range sts {
			ph[i] = q.arg(s)
		}
		if len(ph) == 0 {
			return out, nil
		}
		q.add("t.status IN (" + strings.Join(ph, ",") + ")")
	}
	filterClause(&q, f)
	if len(q.conds) > 0 {
		// The ids drive (CROSS JOIN keeps SQLite to that order): with "id IN
		// (…) AND status = …" SQLite's planner, knowing nothing of how many
		// tickets have a status, scans them all by the status index.
		values := make([]string, len(ids))
		for i, id := range ids {
			values[i] = "(" + strconv.FormatInt(id, 10) + ")"
		}
		// Not prepared: the id list differs every time.
		rows, err := t.queryOnce(ctx, `WITH c (id) AS (VALUES `+strings.Join(values, ",")+`)
			SELECT t.id FROM c CROSS JOIN tickets t WHERE t.id = c.id AND `+q.where(), q.args...)
		if err != nil {
			return nil, fmt.Errorf("search tickets: %w", err)
		}
		pass := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			pass[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return !pass[id] })
	}
	ids = ids[:min(n, len(ids))]
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := t.queryOnce(ctx, `SELECT `+ticketColumns+`, coalesce(c.name, '') FROM tickets t
		LEFT JOIN customers c ON c.id = t.customer_id WHERE t.id IN (`+idList(ids)+`)`)
	if err != nil {
		return nil, fmt.Errorf("search tickets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r desk.TicketRow
		if r.Ticket, err = scanTicket(rows, &r.CustomerName); err != nil {
			return nil, err
		}
		out[r.ID] = r
	}
	return out, rows.Err()
}

// idList is ids for an IN (...): our own integers, safe to inline.
func idList(ids []int64) string {
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(list, ",")
}

// query builds a WHERE clause with numbered placeholders.
type query struct {
	conds []string
	args  []any
}

func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *query) add(cond string) { q.conds = append(q.conds, cond) }

func (q *query) where() string {
	if len(q.conds) == 0 {
		return "1 = 1"
	}
	return strings.Join(q.conds, " AND ")
}

// sortKey describes one inbox order and its index column.
type sortKey struct {
	prefix string
	column string
	desc   bool
	key    func(*desk.Ticket) int64
}

func sortKeyOf(s desk.Sort) sortKey {
	switch s {
	case desk.SortActivity:
		return sortKey{"a", "last_activity_at", true, func(t *desk.Ticket) int64 { return ms(t.LastActivityAt) }}
	case desk.SortOpened:
		return sortKey{"o", "opened_at", true, func(t *desk.Ticket) int64 { return ms(t.OpenedAt) }}
	}
	return sortKey{"d", "deadline_at", false, func(t *desk.Ticket) int64 { return deadlineMS(t.Deadline) }}
}

func (k sortKey) dir() string {
	if k.desc {
		return "DESC"
	}
	return "ASC"
}

func (k sortKey) after() string {
	if k.desc {
		return "<"
	}
	return ">"
}

func (k sortKey) compare(a, b *desk.Ticket) int {
	c := cmpInt(k.key(a), k.key(b))
	if c == 0 {
		c = cmpInt(a.ID, b.ID)
	}
	if k.desc {
		return -c
	}
	return c
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

type cursor struct {
	key, id int64
}

// A cursor is "<sort>:<key>:<id>", base64url: opaque to clients.
func encodeCursor(prefix string, key, id int64) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s:%d:%d", prefix, key, id))
}

func decodeCursor(s, prefix string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := desk.Invalid("after", "curseur invalide (il vient d'une autre recherche ou d'un autre tri)")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	parts := strings.Split(string(b), ":")
	if len(parts) != 3 || parts[0] != prefix {
		return nil, bad
	}
	key, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return nil, bad
	}
	return &cursor{key: key, id: id}, nil
}
