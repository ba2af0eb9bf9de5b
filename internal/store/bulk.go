package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"guichet/internal/desk"
	"guichet/internal/fold"
)

// Bulk loading writes rows with ids chosen by the caller, many thousands per
// transaction, bypassing desk: for benchmark data sets (see internal/bench).

// BulkMaxMessages bounds the messages of one ticket in a bulk load.
const BulkMaxMessages = maxSeq

// BulkIDs are the next free id of each table a bulk load writes.
type BulkIDs struct{ Customer, Ticket, Thread, Message, Event int64 }

// BulkNextIDs returns, for each table, the id after the largest there.
func (s *Store) BulkNextIDs(ctx context.Context) (BulkIDs, error) {
	var ids BulkIDs
	for _, x := range []struct {
		table string
		next  *int64
	}{{"customers", &ids.Customer}, {"tickets", &ids.Ticket}, {"threads", &ids.Thread},
		{"messages", &ids.Message}, {"events", &ids.Event}} {
		if err := s.wdb.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM `+x.table).Scan(x.next); err != nil {
			return ids, fmt.Errorf("bulk load: %s ids: %w", x.table, err)
		}
	}
	return ids, nil
}

// BulkWrite writes chunks, one transaction each, as they come; progress, if
// not nil, hears each chunk's Last once it is committed. Ids are the
// caller's (see BulkNextIDs): nothing else may write while it runs. On
// PostgreSQL the rows go in with COPY. The per-status counters are kept by
// the tickets table's triggers, as for any insert; they are checked at the end.
func (s *Store) BulkWrite(ctx context.Context, chunks <-chan *BulkRows, progress func(done int)) error {
	write := s.bulkSQLite
	if s.dialect.name() == "postgres" {
		write = s.bulkPostgres
	}
	if err := write(ctx, chunks, progress); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	if err := s.bulkFinish(ctx); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	return s.checkTicketCounts(ctx)
}

// identity sequences, counters and planner statistics.
func (s *Store) bulkFinish(ctx context.Context) error {
	if s.dialect.name() != "postgres" {
		return nil
	}
	for _, table := range bulkTables {
		if table.columns[0] != "id" {
			continue // no sequence of its own
		}
		if _, err := s.wdb.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+table.name+`', 'id'), max(id)) FROM `+table.name+` HAVING max(id) IS NOT NULL`); err != nil {
			return fmt.Errorf("%s sequence: %w", table.name, err)
		}
	}
	if err := s.Compact(ctx); err != nil { // a million counter deltas, one per ticket
		return err
	}
	// What autovacuum would do later: statistics for the planner and the
	// visibility map for index-only scans.
	_, err := s.wdb.ExecContext(ctx, `VACUUM (ANALYZE) customers, tickets, ticket_counts, threads, messages, events, search_docs, ticket_facts, perf_hours, perf_days`)
	return err
}

// checkTicketCounts compares the per-status counters with the tickets.
func (s *Store) checkTicketCounts(ctx context.Context) error {
	type key struct {
		status            string
		assignee, channel int64
	}
	read := func(q string) (map[key]int64, error) {
		rows, err := s.wdb.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		m := map[key]int64{}
		for rows.Next() {
			var k key
			var n int64
			if err := rows.Scan(&k.status, &k.assignee, &k.channel, &n); err != nil {
				return nil, err
			}
			m[k] = n
		}
		return m, rows.Err()
	}
	want, err := read(`SELECT status, coalesce(assignee_id, 0), channel_id, count(*) FROM tickets GROUP BY status, coalesce(assignee_id, 0), channel_id`)
	if err != nil {
		return fmt.Errorf("count tickets: %w", err)
	}
	got, err := read(`SELECT status, assignee_id, channel_id, sum(n) FROM ticket_counts
		GROUP BY status, assignee_id, channel_id HAVING sum(n) <> 0`)
	if err != nil {
		return fmt.Errorf("read ticket counts: %w", err)
	}
	for k, n := range want {
		if got[k] != n {
			return fmt.Errorf("ticket counts: %v is %d, tickets say %d", k, got[k], n)
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok {
			return fmt.Errorf("ticket counts: %v is %d, tickets say 0", k, n)
		}
	}
	return nil
}

// The tables a load writes, in the order foreign keys need, and their columns.
var (
	customersTable = bulkTable{"customers", []string{"id", "channel_id", "external_id", "name", "email", "phone", "note", "created_at"}}
	ticketsTable   = bulkTable{"tickets", ticketAllColumns}
	threadsTable   = bulkTable{"threads", []string{"id", "ticket_id", "kind", "external_id", "subject", "created_at"}}
	messagesTable  = bulkTable{"messages", []string{"id", "ticket_id", "thread_id", "seq", "channel_id", "direction", "author_kind",
		"author_agent_id", "author_name", "body", "body_html", "internal", "source_id", "template_id", "template_name",
		"delivery", "delivery_error", "created_at"}}
	eventsTable = bulkTable{"events", []string{"id", "ticket_id", "at", "agent_id", "actor_name", "kind", "old", "new", "message_id"}}
	factsTable  = bulkTable{"ticket_facts", []string{"ticket_id", "channel_id", "opened_at", "first_response_at", "responder_id", "response_ms", "in_time"}}
	bulkTables  = []bulkTable{customersTable, ticketsTable, threadsTable, messagesTable, eventsTable, factsTable}
)

type bulkTable struct {
	name    string
	columns []string
}

const (
	tCustomers = iota
	tTickets
	tThreads
	tMessages
	tEvents
	tFacts
)

// BulkRows is the rows of one transaction of a bulk load: per table, the
// values of its rows one after the other, as stored; and the search entries.
// Every row carries its id.
type BulkRows struct {
	Last int // what progress hears once the rows are committed
	rows [6][]any
	docs []bulkDoc
}

type bulkDoc struct {
	id    int64
	words []string // folded
}

// NewBulkRows makes room for about that many tickets, messages and events.
func NewBulkRows(last, tickets, messages, events int) *BulkRows {
	c := &BulkRows{Last: last, docs: make([]bulkDoc, 0, tickets+messages)}
	c.rows[tCustomers] = make([]any, 0, tickets*len(customersTable.columns))
	c.rows[tTickets] = make([]any, 0, tickets*len(ticketsTable.columns))
	c.rows[tMessages] = make([]any, 0, messages*len(messagesTable.columns))
	c.rows[tEvents] = make([]any, 0, events*len(eventsTable.columns))
	return c
}

func (c *BulkRows) add(table int, values ...any) { c.rows[table] = append(c.rows[table], values...) }

func (c *BulkRows) AddCustomer(cu *desk.Customer) {
	c.add(tCustomers, cu.ID, cu.ChannelID, cu.ExternalID, cu.Name, cu.Email, cu.Phone, cu.Note, ms(cu.CreatedAt))
}

func (c *BulkRows) AddTicket(t *desk.Ticket) {
	c.rows[tTickets] = appendTicketRow(c.rows[tTickets], t)
}

func (c *BulkRows) AddThread(th *desk.Thread) {
	c.add(tThreads, th.ID, th.TicketID, string(th.Kind), th.ExternalID, th.Subject, ms(th.CreatedAt))
}

func (c *BulkRows) AddMessage(m *desk.Message, channelID int64) {
	c.add(tMessages, m.ID, m.TicketID, nullID(m.ThreadID), m.Seq, channelID, string(m.Direction), string(m.AuthorKind),
		nullID(m.AuthorAgentID), m.AuthorName, m.Body, m.BodyHTML, boolInt(m.Internal), nullString(m.SourceID), nullID(m.TemplateID), m.TemplateName,
		string(m.Delivery), m.DeliveryError, ms(m.CreatedAt))
}

func (c *BulkRows) AddEvent(e *desk.Event) {
	c.add(tEvents, e.ID, e.TicketID, ms(e.At), nullID(e.AgentID), e.ActorName, string(e.Kind), e.Old, e.New, nullID(e.MessageID))
}

// AddFact adds a ticket's facts (see desk.TicketFact), after its ticket.
func (c *BulkRows) AddFact(f *desk.TicketFact) {
	var inTime any
	if !f.FirstResponseAt.IsZero() {
		inTime = boolInt(f.InTime)
	}
	c.add(tFacts, f.TicketID, f.ChannelID, ms(f.OpenedAt), nullMS(f.FirstResponseAt), nullID(f.ResponderID), f.Response.Milliseconds(), inTime)
}

// AddDoc adds the search entry of a ticket's message seq (0: the ticket's
// own fields, see IndexTicket). A ticket's entries come in order of seq.
func (c *BulkRows) AddDoc(ticketID int64, seq int, text string) {
	c.docs = append(c.docs, bulkDoc{docID(ticketID, seq), fold.Words(text)})
}

// transaction per chunk, holding the store's writer slot throughout.
func (s *Store) bulkSQLite(ctx context.Context, chunks <-chan *BulkRows, progress func(int)) error {
	select {
	case s.writer <- struct{}{}:
		defer func() { <-s.writer }()
	case <-ctx.Done():
		return ctx.Err()
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// The tickets' indexes take random inserts: keep them in memory.
	var cacheSize int64
	if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cacheSize); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -1048576`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = `+strconv.FormatInt(cacheSize, 10))
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	// Statements prepared on the connection run inside the transaction
	// begun on it by hand: database/sql would prepare them again for a Tx.
	insert := func(table string, columns []string, values []any) error {
		const maxVars = 30000 // SQLite allows 32766 per statement
		per := maxVars / len(columns)
		for len(values) > 0 {
			n := min(per, len(values)/len(columns))
			q := multiInsert(table, columns, n)
			st, ok := stmts[q]
			if !ok {
				var err error
				if st, err = conn.PrepareContext(ctx, q); err != nil {
					return err
				}
				stmts[q] = st
			}
			if _, err := st.ExecContext(ctx, values[:n*len(columns)]...); err != nil {
				return fmt.Errorf("insert %s: %w", table, err)
			}
			values = values[n*len(columns):]
		}
		return nil
	}
	// The search index is written here, chunk by chunk, in place of the
	// indexer, which is kept out meanwhile (after it took what was there).
	if err := s.search.catchUp(ctx, s.search.src, 0); err != nil {
		return err
	}
	s.search.mu.Lock()
	defer s.search.mu.Unlock()
	for c := range chunks {
		if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
			return err
		}
		err := func() error {
			for i, table := range bulkTables {
				if err := insert(table.name, table.columns, c.rows[i]); err != nil {
					return err
				}
			}
			return nil
		}()
		end := `COMMIT`
		if err != nil {
			end = `ROLLBACK`
		}
		if _, err2 := conn.ExecContext(context.WithoutCancel(ctx), end); err == nil {
			err = err2
		}
		if err != nil {
			return err
		}
		var lastMessage int64
		if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM messages`).Scan(&lastMessage); err != nil {
			return err
		}
		docs := make([]searchDoc, len(c.docs))
		for i, d := range c.docs {
			docs[i] = searchDoc{id: d.id, words: d.words}
		}
		if err := s.search.write(ctx, docs, nil, map[string]int64{"messages": lastMessage, "tickets": -1}); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		if progress != nil {
			progress(c.Last)
		}
	}
	return ctx.Err()
}

// multiInsert is an INSERT of n rows. Its placeholders are plain "?":
// SQLite looks "$n" up by name, which costs n² for thousands of them.
func multiInsert(table string, columns []string, n int) string {
	row := "(" + strings.Repeat("?, ", len(columns)-1) + "?)"
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES ", table, strings.Join(columns, ", ")) +
		strings.Repeat(row+", ", n-1) + row
}

// bulkPostgres writes chunks with COPY, one transaction per chunk. Search
// entries are built here as to_tsvector('simple', …) builds them from the
// folded words (see postgres.indexDoc), positions included.
func (s *Store) bulkPostgres(ctx context.Context, chunks <-chan *BulkRows, progress func(int)) error {
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		for c := range chunks {
			err := pgx.BeginFunc(ctx, pc, func(tx pgx.Tx) error {
				for i, table := range bulkTables {
					n, values := len(table.columns), c.rows[i]
					_, err := tx.CopyFrom(ctx, pgx.Identifier{table.name}, table.columns, pgx.CopyFromSlice(len(values)/n, func(r int) ([]any, error) {
						return values[r*n : (r+1)*n], nil
					}))
					if err != nil {
						return fmt.Errorf("copy %s: %w", table.name, err)
					}
				}
				_, err := tx.CopyFrom(ctx, pgx.Identifier{"search_docs"}, []string{"doc_id", "tsv"}, pgx.CopyFromSlice(len(c.docs), func(r int) ([]any, error) {
					return []any{c.docs[r].id, tsvectorOf(c.docs[r].words)}, nil
				}))
				if err != nil {
					return fmt.Errorf("copy search_docs: %w", err)
				}
				return nil
			})
			if err != nil {
				return err
			}
			if progress != nil {
				progress(c.Last)
			}
		}
		return ctx.Err()
	})
}

// tsvectorOf is to_tsvector('simple', …) of folded words joined by spaces:
// each word a lexeme, with its positions from 1.
func tsvectorOf(words []string) pgtype.TSVector {
	const maxPos, maxPositions = 1<<14 - 1, 255
	positions := map[string][]pgtype.TSVectorPosition{}
	for i, w := range words {
		p := positions[w]
		pos := uint16(min(i+1, maxPos))
		if len(p) < maxPositions && (len(p) == 0 || p[len(p)-1].Position != pos) {
			positions[w] = append(p, pgtype.TSVectorPosition{Position: pos})
		}
	}
	v := pgtype.TSVector{Valid: true, Lexemes: make([]pgtype.TSVectorLexeme, 0, len(positions))}
	for w, p := range positions {
		v.Lexemes = append(v.Lexemes, pgtype.TSVectorLexeme{Word: w, Positions: p})
	}
	slices.SortFunc(v.Lexemes, func(a, b pgtype.TSVectorLexeme) int { return strings.Compare(a.Word, b.Word) })
	return v
}
