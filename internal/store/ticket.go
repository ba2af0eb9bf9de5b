package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"guichet/internal/desk"
)

func (t *tx) TicketByID(ctx context.Context, id int64) (desk.Ticket, error) {
	tk, err := scanTicket(t.queryRow(ctx, `SELECT `+ticketColumns+` FROM tickets t WHERE t.id = $1`+t.forUpdate(), id))
	if err == nil {
		t.remember(&tk)
	}
	return tk, notFound(err, "ticket")
}

func (t *tx) TicketByOrder(ctx context.Context, channelID int64, orderRef string) (desk.Ticket, error) {
	tk, err := scanTicket(t.queryRow(ctx, `SELECT `+ticketColumns+` FROM tickets t WHERE t.channel_id = $1 AND t.order_ref = $2`+t.forUpdate(), channelID, orderRef))
	if err == nil {
		t.remember(&tk)
	}
	return tk, notFound(err, "ticket")
}

func (t *tx) TicketsByReference(ctx context.Context, ref string, limit int) ([]desk.Ticket, error) {
	id, ok := desk.ParseTicketNumber(ref)
	if !ok {
		id = -1
	}
	rows, err := t.query(ctx, `SELECT `+ticketColumns+` FROM tickets t
		WHERE t.id IN (SELECT o.id FROM tickets o WHERE upper(o.order_ref) = upper($1)
			UNION SELECT CAST($2 AS BIGINT)
			UNION SELECT th.ticket_id FROM threads th WHERE th.external_id = $1 AND th.external_id <> '')
		ORDER BY t.id DESC LIMIT $3`, strings.TrimSpace(ref), id, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Ticket
	for rows.Next() {
		tk, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, tk)
	}
	return out, rows.Err()
}

func (t *tx) InsertTicket(ctx context.Context, tk *desk.Ticket) (bool, error) {
	id, inserted, err := t.insertID(ctx, ticketInsertSQL, appendTicketInsert(make([]any, 0, ticketInsertWidth), tk)...)
	if err != nil {
		return false, fmt.Errorf("insert ticket: %w", t.s.dialect.mapError(err))
	}
	if !inserted {
		return false, nil
	}
	tk.ID = id
	tk.Number = desk.TicketNumber(tk.ID)
	t.remember(tk)
	t.indexDoc(docID(tk.ID, 0), "", true) // IndexTicket, next, has nothing to replace
	return true, nil
}

// UpdateTicket writes the ticket's changeable fields. On SQLite it writes
// only those that changed: SQLite rewrites the entry of every index on a
// column the SET names, changed or not (70 µs for all the tickets' indexes,
// 7 µs for the two or three columns an update usually changes).
func (t *tx) UpdateTicket(ctx context.Context, tk *desk.Ticket) error {
	if tk.MessageCount > maxSeq {
		return desk.Errorf(desk.EConflict, "ticket %d : trop de messages", tk.ID)
	}
	columns := ticketChangeable
	values := ticketValues(tk)
	if t.s.dialect.name() == "sqlite" {
		old, ok := t.seen[tk.ID]
		if !ok {
			old = make([]any, len(columns))
			dest := make([]any, len(columns))
			for i := range old {
				dest[i] = &old[i]
			}
			err := t.queryRow(ctx, `SELECT `+strings.Join(columns, ", ")+` FROM tickets WHERE id = $1`, tk.ID).Scan(dest...)
			if err != nil {
				return notFound(err, "ticket")
			}
		}
		t.remember(tk)
		var changed []string
		var set []any
		for i := range columns {
			if old[i] != values[i] {
				changed, set = append(changed, columns[i]), append(set, values[i])
			}
		}
		if len(changed) == 0 {
			return nil
		}
		columns, values = changed, set
	}
	assign := make([]string, len(columns))
	for i, c := range columns {
		assign[i] = c + " = $" + strconv.Itoa(i+2)
	}
	res, err := t.exec(ctx, `UPDATE tickets SET `+strings.Join(assign, ", ")+` WHERE id = $1`, append([]any{tk.ID}, values...)...)
	if err != nil {
		return fmt.Errorf("update ticket %d: %w", tk.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return desk.NotFound("ticket")
	}
	return nil
}

// UpdateTickets writes tickets' changeable fields as UpdateTicket does, with
// one UPDATE ... FROM (VALUES ...) for many tickets (both engines take it):
// on SQLite one per set of changed columns, on PostgreSQL one per chunk, in
// place of a statement, and on PostgreSQL a round trip, per ticket.
func (t *tx) UpdateTickets(ctx context.Context, tks []*desk.Ticket) error {
	sqlite := t.s.dialect.name() == "sqlite"
	all := make([]int, len(ticketChangeable))
	for i := range all {
		all[i] = i
	}
	type row struct {
		id     int64
		values []any
	}
	groups := map[string][]row{}
	var keys []string
	columnsOf := map[string][]int{}
	done := map[int64]bool{}
	for i := len(tks) - 1; i >= 0; i-- { // the last of a ticket's copies wins
		tk := tks[i]
		if done[tk.ID] {
			continue
		}
		done[tk.ID] = true
		if tk.MessageCount > maxSeq {
			return desk.Errorf(desk.EConflict, "ticket %d : trop de messages", tk.ID)
		}
		values := ticketValues(tk)
		columns := all
		if sqlite {
			old, ok := t.seen[tk.ID]
			if !ok { // not read in this transaction: UpdateTicket reads it
				if err := t.UpdateTicket(ctx, tk); err != nil {
					return err
				}
				continue
			}
			columns = nil
			for c := range values {
				if old[c] != values[c] {
					columns = append(columns, c)
				}
			}
			t.remember(tk)
			if len(columns) == 0 {
				continue
			}
		}
		key := fmt.Sprint(columns)
		if _, ok := columnsOf[key]; !ok {
			columnsOf[key] = columns
			keys = append(keys, key)
		}
		set := make([]any, len(columns))
		for k, c := range columns {
			set[k] = values[c]
		}
		groups[key] = append(groups[key], row{tk.ID, set})
	}
	for _, key := range keys {
		columns := columnsOf[key]
		assign := make([]string, len(columns))
		for k, c := range columns {
			assign[k] = ticketChangeable[c] + " = v.column" + strconv.Itoa(k+2)
		}
		casts := make([]string, 0, len(columns)+1)
		casts = append(casts, "bigint")
		for _, c := range columns {
			casts = append(casts, ticketChangeableTypes[c])
		}
		err := chunks(groups[key], 200, func(rows []row) error {
			args := make([]any, 0, len(rows)*(len(columns)+1))
			for _, r := range rows {
				args = append(args, r.id)
				args = append(args, r.values...)
			}
			res, err := t.execOnce(ctx, `UPDATE tickets SET `+strings.Join(assign, ", ")+
				` FROM (VALUES `+t.typedRowsSQL(len(rows), casts)+`) AS v WHERE tickets.id = v.column1`, args...)
			if err != nil {
				return fmt.Errorf("update tickets: %w", t.s.dialect.mapError(err))
			}
			if n, _ := res.RowsAffected(); n != int64(len(rows)) {
				return desk.NotFound("ticket")
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// remember keeps what a write transaction read or wrote of a ticket, so that
// UpdateTicket on SQLite can write only the changed columns without reading
// them again.
func (t *tx) remember(tk *desk.Ticket) {
	if t.write && t.s.dialect.name() == "sqlite" {
		if t.seen == nil {
			t.seen = map[int64][]any{}
		}
		t.seen[tk.ID] = ticketValues(tk)
	}
}

// IndexTicket (re)writes the search entry of the ticket's own fields:
// number, order, customer, emails, problem, subject. They are read at commit,
// for all the transaction's tickets at once (PostgreSQL), or by the indexer
// (SQLite).
func (t *tx) IndexTicket(ctx context.Context, id int64) error {
	t.docs = append(t.docs, searchDoc{id: docID(id, 0), head: true, replace: true})
	return nil
}

// ticketDocText is the text of a ticket's own search entry.
func ticketDocText(id int64, orderRef, custName, custEmail, realEmail, problem, subject string) string {
	return strings.Join([]string{desk.TicketNumber(id), orderRef, custName, custEmail, realEmail, problem, subject}, " ")
}

func (t *tx) TicketByThread(ctx context.Context, channelID int64, kind desk.ThreadKind, externalID string) (desk.Ticket, error) {
	// Threads first, by their conversation id (CROSS JOIN keeps SQLite to
	// that order: left to choose, it scanned every ticket of the channel).
	tk, err := scanTicket(t.queryRow(ctx, `SELECT `+ticketColumns+` FROM threads th CROSS JOIN tickets t
		WHERE t.id = th.ticket_id AND th.external_id = $1 AND th.external_id <> '' AND th.kind = $2 AND t.channel_id = $3
		ORDER BY t.id LIMIT 1`+t.forUpdate(), externalID, kind, channelID))
	return tk, notFound(err, "ticket")
}

func (t *tx) NextUnanswered(ctx context.Context, agentID, exclude int64) (desk.Ticket, error) {
	if agentID != 0 {
		tk, err := scanTicket(t.queryRow(ctx, `SELECT `+ticketColumns+` FROM tickets t
			WHERE t.assignee_id = $1 AND t.status = 'waiting_admin' AND t.id <> $2
			ORDER BY t.deadline_at, t.id LIMIT 1`, agentID, exclude))
		if err != sql.ErrNoRows {
			return tk, err
		}
	}
	tk, err := scanTicket(t.queryRow(ctx, `SELECT `+ticketColumns+` FROM tickets t
		WHERE t.assignee_id IS NULL AND t.status = 'waiting_admin' AND t.id <> $1
		ORDER BY t.deadline_at, t.id LIMIT 1`, exclude))
	return tk, notFound(err, "ticket en attente")
}

func (t *tx) CountTickets(ctx context.Context, f desk.CountFilter) (desk.Counts, error) {
	c := desk.Counts{ByStatus: map[desk.Status]int{}}
	rows, err := t.query(ctx, `SELECT status, sum(n) FROM ticket_counts
		WHERE ($1 = 0 OR assignee_id = $1) AND ($2 = 0 OR channel_id = $2) GROUP BY status`, f.AssigneeID, f.ChannelID)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var s desk.Status
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return c, err
		}
		c.ByStatus[s] = n
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	if c.Overdue, err = t.countDeadlines(ctx, f, 0, ms(f.Now)); err != nil {
		return c, err
	}
	c.DueSoon, err = t.countDeadlines(ctx, f, ms(f.Now), ms(f.Now.Add(desk.DueSoonWindow)))
	return c, err
}

// countDeadlines counts, up to OverdueCap+1, the tickets waiting for us due
// in [from, to): a range of the status (or assignee) deadline index.
func (t *tx) countDeadlines(ctx context.Context, f desk.CountFilter, from, to int64) (int, error) {
	q := `SELECT count(*) FROM (SELECT 1 FROM tickets WHERE status = 'waiting_admin' AND deadline_at >= $1 AND deadline_at < $2 LIMIT $3) x`
	args := []any{from, to, desk.OverdueCap + 1}
	if f.AssigneeID != 0 {
		q = `SELECT count(*) FROM (SELECT 1 FROM tickets WHERE assignee_id = $4 AND status = 'waiting_admin' AND deadline_at >= $1 AND deadline_at < $2 LIMIT $3) x`
		args = append(args, f.AssigneeID)
	}
	var n int
	err := t.queryRow(ctx, q, args...).Scan(&n)
	return n, err
}
