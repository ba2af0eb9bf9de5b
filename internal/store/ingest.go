package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"guichet/internal/desk"
)

// The batch methods below serve desk.Ingest: one statement for a batch's
// lookups and inserts, instead of one per message, which was most of an
// ingest's time (a statement costs some 15 µs on SQLite, a round trip on
// PostgreSQL).

// rowsSQL is the VALUES list of n rows of width parameters, in the
// dialect's placeholders ("?" on SQLite, where "$n" is looked up by name at
// a cost that grows with the count).
func (t *tx) rowsSQL(n, width int) string {
	return t.typedRowsSQL(n, make([]string, width))
}

// typedRowsSQL is rowsSQL with, on PostgreSQL, a cast on each column whose
// type is given (parameters have no type in a VALUES list there).
func (t *tx) typedRowsSQL(n int, types []string) string {
	postgres := t.s.dialect.name() == "postgres"
	var b strings.Builder
	p := 0
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c, typ := range types {
			if c > 0 {
				b.WriteString(", ")
			}
			p++
			switch {
			case !postgres:
				b.WriteByte('?')
			case typ == "":
				b.WriteString("$" + strconv.Itoa(p))
			default:
				b.WriteString("$" + strconv.Itoa(p) + "::" + typ)
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// listSQL is a parenthesized list of n placeholders.
func (t *tx) listSQL(n int) string {
	r := t.rowsSQL(1, n)
	return r[1 : len(r)-1]
}

// chunks calls fn on successive slices of at most size items.
func chunks[T any](items []T, size int, fn func([]T) error) error {
	for len(items) > 0 {
		n := min(len(items), size)
		if err := fn(items[:n]); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}

const batchRows = 256

func (t *tx) TicketsByOrders(ctx context.Context, channelID int64, refs []string) ([]desk.Ticket, error) {
	ts, err := queryByKeys(ctx, t, channelID, refs, func(in, channel string) string {
		return `SELECT ` + ticketColumns + ` FROM tickets t WHERE t.order_ref IN (` + in + `) AND t.channel_id = ` + channel +
			` ORDER BY t.order_ref` + t.forUpdate()
	}, func(r scanner) (desk.Ticket, error) { return scanTicket(r) })
	for i := range ts {
		t.remember(&ts[i])
	}
	return ts, err
}

// queryByKeys runs the query that query makes of a list of placeholders
// and of the channel's placeholder over keys, 500 at a time, and scans its
// rows with scan. The statement is not kept prepared: the count varies.
func queryByKeys[T any](ctx context.Context, t *tx, channelID int64, keys []string, query func(in, channel string) string, scan func(scanner) (T, error)) ([]T, error) {
	var out []T
	err := chunks(keys, 500, func(keys []string) error {
		args := make([]any, 0, len(keys)+1)
		for _, k := range keys {
			args = append(args, k)
		}
		args = append(args, channelID)
		rows, err := t.queryOnce(ctx, query(t.listSQL(len(keys)), t.param(len(keys)+1)), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// param is the placeholder of the i-th argument (from 1).
func (t *tx) param(i int) string {
	if t.s.dialect.name() == "postgres" {
		return "$" + strconv.Itoa(i)
	}
	return "?"
}

func (t *tx) ExistingSources(ctx context.Context, channelID int64, sourceIDs []string) (map[string]bool, error) {
	found, err := queryByKeys(ctx, t, channelID, sourceIDs, func(in, channel string) string {
		return `SELECT source_id FROM messages WHERE source_id IN (` + in + `) AND channel_id = ` + channel
	}, func(r scanner) (s string, err error) { return s, r.Scan(&s) })
	out := make(map[string]bool, len(found))
	for _, s := range found {
		out[s] = true
	}
	return out, err
}

func (t *tx) ThreadsOfTickets(ctx context.Context, ticketIDs []int64) ([]desk.Thread, error) {
	var out []desk.Thread
	err := chunks(ticketIDs, 1000, func(ids []int64) error {
		rows, err := t.queryOnce(ctx, `SELECT id, ticket_id, kind, external_id, subject, created_at, status, status_label FROM threads
			WHERE ticket_id IN (`+idList(ids)+`) ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			th, err := scanThread(rows)
			if err != nil {
				return err
			}
			out = append(out, th)
		}
		return rows.Err()
	})
	return out, err
}

// InsertMessages stores incoming messages of one channel in multi-row
// statements. A message whose source id the channel already delivered is
// skipped; the others get their ID.
func (t *tx) InsertMessages(ctx context.Context, msgs []*desk.Message, channelID int64) (int, error) {
	stored := 0
	err := chunks(msgs, batchRows, func(batch []*desk.Message) error {
		const width = 15
		args := make([]any, 0, width*len(batch))
		bySource := make(map[string]*desk.Message, len(batch))
		for _, m := range batch {
			if m.Seq > maxSeq {
				return desk.Errorf(desk.EConflict, "ticket %d : trop de messages", m.TicketID)
			}
			bySource[m.SourceID] = m
			args = append(args, m.TicketID, nullID(m.ThreadID), m.Seq, channelID, m.Direction, m.AuthorKind,
				m.AuthorName, m.Body, m.BodyHTML, nullString(m.SourceID), m.Delivery, ms(m.CreatedAt), boolInt(m.Altered), boolInt(m.Internal), m.AutoKind)
		}
		rows, err := t.queryOnce(ctx, `INSERT INTO messages (ticket_id, thread_id, seq, channel_id, direction, author_kind,
				author_name, body, body_html, source_id, delivery, created_at, altered, internal, auto_kind)
			VALUES `+t.rowsSQL(len(batch), width)+`
			ON CONFLICT (channel_id, source_id) DO NOTHING
			RETURNING id, source_id`, args...)
		if err != nil {
			return fmt.Errorf("insert messages: %w", t.s.dialect.mapError(err))
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var source string
			if err := rows.Scan(&id, &source); err != nil {
				return err
			}
			if m := bySource[source]; m != nil {
				m.ID = id
				stored++
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range batch {
			if m.ID != 0 {
				t.indexDoc(docID(m.TicketID, m.Seq), m.Body, true)
			}
		}
		return nil
	})
	return stored, err
}

// InsertEvents stores events in multi-row statements (their IDs are not set).
func (t *tx) InsertEvents(ctx context.Context, es []desk.Event) error {
	return chunks(es, batchRows, func(es []desk.Event) error {
		const width = 8
		args := make([]any, 0, width*len(es))
		for _, e := range es {
			args = append(args, e.TicketID, ms(e.At), nullID(e.AgentID), e.ActorName, e.Kind, e.Old, e.New, nullID(e.MessageID))
		}
		q := `INSERT INTO events (ticket_id, at, agent_id, actor_name, kind, old, new, message_id) VALUES ` + t.rowsSQL(len(es), width)
		var err error
		if len(es) == batchRows {
			_, err = t.exec(ctx, q, args...)
		} else {
			_, err = t.execOnce(ctx, q, args...)
		}
		if err != nil {
			return fmt.Errorf("insert events: %w", t.s.dialect.mapError(err))
		}
		return nil
	})
}

// CustomersByExternal returns the channel's customers of these external ids.
func (t *tx) CustomersByExternal(ctx context.Context, channelID int64, externalIDs []string) ([]desk.Customer, error) {
	return queryByKeys(ctx, t, channelID, externalIDs, func(in, channel string) string {
		return `SELECT ` + customerColumns + ` FROM customers WHERE external_id IN (` + in + `) AND channel_id = ` + channel
	}, scanCustomer)
}

// InsertCustomers stores customers and sets their IDs; one whose (channel,
// external id) exists already gets that customer's ID, as InsertCustomer.
// External ids must be distinct; customers without one are stored one by one
// (nothing else tells the returned rows apart).
func (t *tx) InsertCustomers(ctx context.Context, cs []*desk.Customer) error {
	var keyed []*desk.Customer
	for _, c := range cs {
		if c.ExternalID == "" || c.ChannelID == 0 {
			if err := t.InsertCustomer(ctx, c); err != nil {
				return err
			}
			continue
		}
		keyed = append(keyed, c)
	}
	return chunks(keyed, batchRows, func(cs []*desk.Customer) error {
		const width = 10
		args := make([]any, 0, width*len(cs))
		byKey := make(map[string]*desk.Customer, len(cs))
		for _, c := range cs {
			byKey[c.ExternalID] = c
			first, last, registered := newCustomerFields(c)
			args = append(args, c.ChannelID, c.ExternalID, c.Name, c.Email, c.Phone, c.Note, ms(c.CreatedAt), first, last, registered)
		}
		rows, err := t.queryOnce(ctx, `INSERT INTO customers (channel_id, external_id, name, email, phone, note, created_at, first_name, last_name, registered_at)
			VALUES `+t.rowsSQL(len(cs), width)+`
			ON CONFLICT (channel_id, external_id) DO UPDATE SET external_id = excluded.external_id
			RETURNING id, external_id`, args...)
		if err != nil {
			return fmt.Errorf("insert customers: %w", t.s.dialect.mapError(err))
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var ext string
			if err := rows.Scan(&id, &ext); err != nil {
				return err
			}
			if c := byKey[ext]; c != nil {
				c.ID = id
			}
		}
		return rows.Err()
	})
}

// InsertTickets stores tickets as InsertTicket does, and reports for each
// whether it was created: a (channel, order) pair that has a ticket already
// stores nothing. Tickets without an order are stored one by one.
func (t *tx) InsertTickets(ctx context.Context, ts []*desk.Ticket) ([]bool, error) {
	created := make([]bool, len(ts))
	type key struct {
		channel int64
		order   string
	}
	at := map[key]int{}
	var keyed []*desk.Ticket
	for i, tk := range ts {
		if tk.OrderRef == "" {
			ok, err := t.InsertTicket(ctx, tk)
			if err != nil {
				return nil, err
			}
			created[i] = ok
			continue
		}
		at[key{tk.ChannelID, tk.OrderRef}] = i
		keyed = append(keyed, tk)
	}
	err := chunks(keyed, 200, func(batch []*desk.Ticket) error {
		args := make([]any, 0, ticketInsertWidth*len(batch))
		for _, tk := range batch {
			if tk.MessageCount > maxSeq {
				return desk.Errorf(desk.EConflict, "ticket : trop de messages")
			}
			args = appendTicketInsert(args, tk)
		}
		rows, err := t.queryOnce(ctx, `INSERT INTO tickets (`+ticketInsertColumns+`)
			VALUES `+t.rowsSQL(len(batch), ticketInsertWidth)+`
			ON CONFLICT (channel_id, order_ref) DO NOTHING
			RETURNING id, channel_id, order_ref`, args...)
		if err != nil {
			return fmt.Errorf("insert tickets: %w", t.s.dialect.mapError(err))
		}
		defer rows.Close()
		for rows.Next() {
			var k key
			var id int64
			if err := rows.Scan(&id, &k.channel, &k.order); err != nil {
				return err
			}
			i, ok := at[k]
			if !ok {
				continue
			}
			tk := ts[i]
			tk.ID, tk.Number, created[i] = id, desk.TicketNumber(id), true
			t.remember(tk)
			t.indexDoc(docID(id, 0), "", true) // IndexTicket, next, has nothing to replace
		}
		return rows.Err()
	})
	return created, err
}

// InsertThreads stores threads and sets their IDs; a thread the ticket has
// already (same kind and conversation) gets that thread's ID.
func (t *tx) InsertThreads(ctx context.Context, ths []*desk.Thread) error {
	type key struct {
		ticket   int64
		kind     desk.ThreadKind
		external string
	}
	err := chunks(ths, batchRows, func(batch []*desk.Thread) error {
		const width = 5
		args := make([]any, 0, width*len(batch))
		at := make(map[key]*desk.Thread, len(batch))
		for _, th := range batch {
			at[key{th.TicketID, th.Kind, th.ExternalID}] = th
			args = append(args, th.TicketID, th.Kind, th.ExternalID, th.Subject, ms(th.CreatedAt))
		}
		rows, err := t.queryOnce(ctx, `INSERT INTO threads (ticket_id, kind, external_id, subject, created_at)
			VALUES `+t.rowsSQL(len(batch), width)+`
			ON CONFLICT (ticket_id, kind, external_id) DO NOTHING
			RETURNING id, ticket_id, kind, external_id`, args...)
		if err != nil {
			return fmt.Errorf("insert threads: %w", t.s.dialect.mapError(err))
		}
		defer rows.Close()
		for rows.Next() {
			var k key
			var id int64
			if err := rows.Scan(&id, &k.ticket, &k.kind, &k.external); err != nil {
				return err
			}
			if th := at[k]; th != nil {
				th.ID = id
			}
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	for _, th := range ths { // there already, or twice in the list: InsertThread finds it
		if th.ID == 0 {
			if err := t.InsertThread(ctx, th); err != nil {
				return err
			}
		}
	}
	return nil
}
