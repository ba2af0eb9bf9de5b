package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"guichet/internal/deadline"
	"guichet/internal/desk"
	"guichet/internal/fold"
)

// BulkSpec describes a generated data set, for benchmarks: Tickets tickets of
// Messages messages each, opened over the two years before Until on 8
// channels handled by 10 agents, about 15% waiting for an ADV, 10% for the
// customer and 75% closed. The same spec always gives the same data.
type BulkSpec struct {
	Tickets  int       // tickets in the whole set
	First    int       // the first ticket to write: a set loaded in part is finished by a second call
	Messages int       // messages per ticket; default 10
	Seed     uint64    // default 1
	Until    time.Time // default 2026-11-01 UTC
	Batch    int       // tickets per transaction; default 2000
}

func (sp *BulkSpec) defaults() error {
	if sp.Messages == 0 {
		sp.Messages = 10
	}
	if sp.Seed == 0 {
		sp.Seed = 1
	}
	if sp.Until.IsZero() {
		sp.Until = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	}
	if sp.Batch <= 0 {
		sp.Batch = 2000
	}
	switch {
	case sp.Tickets <= 0 || sp.First < 0 || sp.First > sp.Tickets:
		return fmt.Errorf("bulk load: tickets %d from %d: out of range", sp.Tickets, sp.First)
	case sp.Messages < 2 || sp.Messages > maxSeq:
		return fmt.Errorf("bulk load: %d messages per ticket: 2 to %d", sp.Messages, maxSeq)
	}
	return nil
}

// bulkSpan is how far back the first ticket was opened.
const bulkSpan = 2 * 365 * 24 * time.Hour

// BulkLoad writes the tickets First to Tickets-1 of spec, with their
// customers, threads, messages, events and search entries, in transactions of
// spec.Batch tickets; progress, if not nil, hears the index reached after each.
// The agents and channels of the set are created when missing. Ids follow the
// largest in each table: nothing else may write while it runs. On PostgreSQL
// the rows go in with COPY. The per-status counters are kept by the tickets
// table's triggers, as for any insert; they are checked at the end.
func (s *Store) BulkLoad(ctx context.Context, spec BulkSpec, progress func(done int)) error {
	if err := spec.defaults(); err != nil {
		return err
	}
	team, err := s.bulkTeam(ctx)
	if err != nil {
		return err
	}
	g := &bulkGen{spec: spec, team: team, text: bulkCorpus(), calendar: deadline.France()}
	if err := s.bulkNextIDs(ctx, g); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan *bulkChunk, 2)
	go func() { // generate the next chunk while the database writes this one
		defer close(chunks)
		for first := spec.First; first < spec.Tickets; first += spec.Batch {
			c := g.chunk(first, min(first+spec.Batch, spec.Tickets))
			select {
			case chunks <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
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

// bulkTeam makes sure the set's agents and channels exist and returns them.
func (s *Store) bulkTeam(ctx context.Context) (bulkTeam, error) {
	var team bulkTeam
	err := s.Write(ctx, func(dt desk.Tx) error {
		now := time.Now().UTC().Truncate(time.Millisecond)
		for i, name := range bulkAgentNames {
			email := fmt.Sprintf("adv%02d@bench.guichet.example", i+1)
			a, _, err := dt.AgentByEmail(ctx, email)
			if desk.IsNotFound(err) {
				a = desk.Agent{Email: email, Name: name, Role: desk.RoleADV, Lang: "fr", Active: true, CreatedAt: now}
				if i == 0 {
					a.Role = desk.RoleAdmin
				}
				err = dt.InsertAgent(ctx, &a, "!") // no password: nobody signs in as them
			}
			if err != nil {
				return err
			}
			team.agents = append(team.agents, a)
		}
		existing, err := dt.Channels(ctx)
		if err != nil {
			return err
		}
		for k, bc := range bulkChannels {
			var c desk.Channel
			if i := slices.IndexFunc(existing, func(c desk.Channel) bool { return c.Name == bc.name }); i >= 0 {
				c = existing[i]
			} else {
				c = desk.Channel{Kind: bc.kind, Name: bc.name, ResponsibleID: team.agents[1+k%(len(team.agents)-1)].ID,
					DeadlinePolicy: bc.policy, OrderURL: bc.orderURL, GuardNames: bc.guard, ForbidContact: bc.kind != desk.ChannelPrestaShop && bc.kind != desk.ChannelEmail,
					Active: true, CreatedAt: now}
				if err := dt.InsertChannel(ctx, &c); err != nil {
					return err
				}
			}
			p, err := deadline.Parse(c.DeadlinePolicy)
			if err != nil {
				p = deadline.Default
			}
			team.channels = append(team.channels, bulkChannelOf{Channel: c, def: bc, policy: p})
		}
		return nil
	})
	return team, err
}

// bulkNextIDs starts each table's ids after the largest there.
func (s *Store) bulkNextIDs(ctx context.Context, g *bulkGen) error {
	for _, x := range []struct {
		table string
		next  *int64
	}{{"customers", &g.next.customer}, {"tickets", &g.next.ticket}, {"threads", &g.next.thread},
		{"messages", &g.next.message}, {"events", &g.next.event}} {
		if err := s.wdb.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM `+x.table).Scan(x.next); err != nil {
			return fmt.Errorf("bulk load: %s ids: %w", x.table, err)
		}
	}
	return nil
}

// bulkFinish brings the engine up to date after a load: PostgreSQL's
// identity sequences, counters and planner statistics.
func (s *Store) bulkFinish(ctx context.Context) error {
	if s.dialect.name() != "postgres" {
		return nil
	}
	for _, table := range bulkTables {
		if _, err := s.wdb.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+table.name+`', 'id'), max(id)) FROM `+table.name+` HAVING max(id) IS NOT NULL`); err != nil {
			return fmt.Errorf("%s sequence: %w", table.name, err)
		}
	}
	if err := s.Compact(ctx); err != nil { // a million counter deltas, one per ticket
		return err
	}
	// What autovacuum would do later: statistics for the planner and the
	// visibility map for index-only scans.
	_, err := s.wdb.ExecContext(ctx, `VACUUM (ANALYZE) customers, tickets, ticket_counts, threads, messages, events, search_docs`)
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
	ticketsTable   = bulkTable{"tickets", []string{"id", "channel_id", "order_ref", "customer_id", "status", "priority", "assignee_id",
		"deadline_at", "opened_at", "last_activity_at", "closed_at", "closed_by", "problem", "real_email", "delivery_date",
		"reason", "subject", "message_count", "preview"}}
	threadsTable  = bulkTable{"threads", []string{"id", "ticket_id", "kind", "external_id", "subject", "created_at"}}
	messagesTable = bulkTable{"messages", []string{"id", "ticket_id", "thread_id", "seq", "channel_id", "direction", "author_kind",
		"author_agent_id", "author_name", "body", "body_html", "internal", "source_id", "template_id", "template_name",
		"delivery", "delivery_error", "created_at"}}
	eventsTable = bulkTable{"events", []string{"id", "ticket_id", "at", "agent_id", "actor_name", "kind", "old", "new", "message_id"}}
	bulkTables  = []bulkTable{customersTable, ticketsTable, threadsTable, messagesTable, eventsTable}
)

type bulkTable struct {
	name    string
	columns []string
}

// bulkChunk is the rows of one transaction: per table, the values of its
// rows one after the other; and the search entries.
type bulkChunk struct {
	last int // the index after the chunk's last ticket
	rows [5][]any
	docs []bulkDoc
}

type bulkDoc struct {
	id    int64
	words []string // folded
}

func (c *bulkChunk) add(table int, values ...any) { c.rows[table] = append(c.rows[table], values...) }

const (
	tCustomers = iota
	tTickets
	tThreads
	tMessages
	tEvents
)

// bulkSQLite writes chunks with multi-row INSERTs of prepared statements, one
// transaction per chunk, holding the store's writer slot throughout.
func (s *Store) bulkSQLite(ctx context.Context, chunks <-chan *bulkChunk, progress func(int)) error {
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
			progress(c.last)
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
func (s *Store) bulkPostgres(ctx context.Context, chunks <-chan *bulkChunk, progress func(int)) error {
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
				progress(c.last)
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

// The generator.

type bulkTeam struct {
	agents   []desk.Agent // the first is an admin
	channels []bulkChannelOf
}

type bulkChannelOf struct {
	desk.Channel
	def    bulkChannel
	policy deadline.Policy
}

type bulkChannel struct {
	kind     desk.ChannelKind
	name     string
	weight   int // share of the tickets, in percent
	policy   string
	orderURL string
	guard    []string
	relay    string // the domain of the marketplace's relay addresses; "" for real ones
}

var bulkChannels = []bulkChannel{
	{desk.ChannelAmazon, "Amazon", 25, "24h", "https://sellercentral.amazon.fr/orders-v3/order/{order}", []string{"Amazon"}, "marketplace.amazon.fr"},
	{desk.ChannelCdiscount, "Cdiscount", 18, "48h business", "", []string{"Cdiscount", "C Discount"}, "clients.cdiscount.com"},
	{desk.ChannelPrestaShop, "Boutique", 15, "48h business", "https://boutique.example/admin/index.php?controller=AdminOrders&id_order={order}", nil, ""},
	{desk.ChannelMirakl, "Fnac", 12, "24h", "", []string{"Fnac", "Fnac Darty"}, "mp.fnac.com"},
	{desk.ChannelManoMano, "ManoMano", 10, "48h business", "", []string{"ManoMano", "Mano Mano"}, "relay.manomano.fr"},
	{desk.ChannelKaufland, "Kaufland", 8, "48h business", "", []string{"Kaufland", "real.de"}, "kaufland-marktplatz.de"},
	{desk.ChannelMirakl, "Darty", 7, "48h business", "", []string{"Darty"}, "mp.darty.com"},
	{desk.ChannelEmail, "Email", 5, "48h business", "", nil, ""},
}

var bulkAgentNames = []string{"Nadia Benali", "Léa Martin", "Marc Durand", "Sophie Lefèvre", "Julien Moreau",
	"Camille Roux", "Thomas Girard", "Inès Haddad", "Hugo Fontaine", "Chloé Mercier"}

// bulkGen makes the rows of tickets. Each ticket's content depends only on
// the spec and its index, so that a set loaded in several runs is the same.
type bulkGen struct {
	spec     BulkSpec
	team     bulkTeam
	text     *corpus
	calendar *deadline.Calendar
	next     struct{ customer, ticket, thread, message, event int64 }
}

func (g *bulkGen) chunk(first, last int) *bulkChunk {
	n := last - first
	m := g.spec.Messages
	c := &bulkChunk{last: last, docs: make([]bulkDoc, 0, n*(m+1))}
	c.rows[tCustomers] = make([]any, 0, n*len(customersTable.columns))
	c.rows[tTickets] = make([]any, 0, n*len(ticketsTable.columns))
	c.rows[tMessages] = make([]any, 0, n*m*len(messagesTable.columns))
	c.rows[tEvents] = make([]any, 0, n*2*m*len(eventsTable.columns))
	for i := first; i < last; i++ {
		g.ticket(c, i)
	}
	return c
}

func (g *bulkGen) pickChannel(r *rand.Rand) bulkChannelOf {
	n := r.IntN(100)
	for _, c := range g.team.channels {
		if n < c.def.weight {
			return c
		}
		n -= c.def.weight
	}
	return g.team.channels[0]
}

// ticket generates ticket i: its customer, threads, messages (customer and
// agent in turn; sometimes an operator or an internal note), the events desk
// would have recorded, and the search entries.
func (g *bulkGen) ticket(c *bulkChunk, i int) {
	r := rand.New(rand.NewPCG(g.spec.Seed, uint64(i)))
	tx := g.text
	ch := g.pickChannel(r)
	id := g.next.ticket
	g.next.ticket++

	step := bulkSpan / time.Duration(g.spec.Tickets)
	opened := g.spec.Until.Add(-bulkSpan + time.Duration(i)*step + time.Duration(r.Int64N(int64(step)+1))).Truncate(time.Millisecond)

	// The customer.
	first, last := tx.firstName(r), tx.lastName(r)
	name := first + " " + last
	cust := g.next.customer
	g.next.customer++
	email := personalEmail(r, first, last)
	if ch.def.relay != "" {
		email = randomLetters(r, 14) + "@" + ch.def.relay
	}
	phone := ""
	if r.IntN(2) == 0 {
		phone = fmt.Sprintf("0%d %02d %02d %02d %02d", 6+r.IntN(2), r.IntN(100), r.IntN(100), r.IntN(100), r.IntN(100))
	}
	c.add(tCustomers, cust, ch.ID, "c"+strconv.Itoa(i), name, email, phone, "", ms(opened))

	// The ticket's own fields.
	ref := orderRef(ch.def.kind, r, i, opened)
	if ch.def.kind == desk.ChannelEmail && r.IntN(50) == 0 {
		ref = "" // a question without an order
	}
	status := desk.StatusClosed
	switch u := r.IntN(100); {
	case u < 15:
		status = desk.StatusWaitingAdmin
	case u < 25:
		status = desk.StatusWaitingCustomer
	}
	priority := desk.P2
	if r.IntN(100) < 35 {
		priority = desk.P1
	}
	responsible := ch.ResponsibleID
	assignee := responsible
	switch u := r.IntN(100); {
	case u < 20:
		assignee = g.team.agents[1+r.IntN(len(g.team.agents)-1)].ID
	case u < 28:
		assignee = 0
	}
	var problem, realEmail, delivery, reason string
	if r.IntN(100) < 40 {
		problem = bulkProblems[r.IntN(len(bulkProblems))]
	}
	if ch.def.relay != "" && r.IntN(100) < 30 {
		realEmail = personalEmail(r, first, last)
	}
	if r.IntN(100) < 30 {
		delivery = opened.AddDate(0, 0, 2+r.IntN(5)).Format(time.DateOnly)
	}
	if ch.def.relay != "" && r.IntN(100) < 70 {
		reason = bulkReasons[r.IntN(len(bulkReasons))]
	}
	subject := reason
	if ref != "" {
		subject = "Commande " + ref
	}

	// Threads: the customer's conversation, and sometimes the operator's.
	threadRow := func(kind desk.ThreadKind, ext string) int64 {
		th := g.next.thread
		g.next.thread++
		c.add(tThreads, th, id, string(kind), ext, subject, ms(opened))
		return th
	}
	customerThread := threadRow(desk.ThreadCustomer, "conv-"+strconv.Itoa(i))
	var operatorThread int64
	operatorAt := 0 // the seq of the operator's message, if any
	if ch.def.relay != "" && r.IntN(100) < 8 {
		operatorAt = 3
	}
	noteAt := 0
	if r.IntN(100) < 4 {
		noteAt = 4
	}

	event := func(at time.Time, agent int64, actor string, kind desk.EventKind, old, new string, msg int64) {
		c.add(tEvents, g.next.event, id, ms(at), nullID(agent), actor, string(kind), old, new, nullID(msg))
		g.next.event++
	}
	event(opened, 0, ch.Name, desk.EventCreated, "", ch.Name, 0)
	if assignee != responsible {
		admin := g.team.agents[0]
		event(opened.Add(20*time.Minute), admin.ID, admin.Name, desk.EventAssignee, idText(responsible), idText(assignee), 0)
	}

	// Messages: customer and agent in turn; a ticket waiting for us ends with
	// the customer's follow-up.
	m := g.spec.Messages
	at := opened
	cur := desk.StatusWaitingAdmin
	var lastIn, activity, closedAt time.Time
	var closedBy int64
	var preview string
	for seq := 1; seq <= m; seq++ {
		in := seq%2 == 1 || (seq == m && status == desk.StatusWaitingAdmin)
		if seq > 1 {
			switch {
			case in && seq == m && m%2 == 0:
				at = at.Add(randDuration(r, time.Hour, 48*time.Hour)) // the customer again
			case in:
				at = at.Add(randDuration(r, 30*time.Minute, 96*time.Hour))
			default:
				at = at.Add(randDuration(r, 5*time.Minute, 26*time.Hour))
			}
		}
		mid := g.next.message
		g.next.message++
		var body string
		switch {
		case in && seq == operatorAt:
			if operatorThread == 0 {
				operatorThread = threadRow(desk.ThreadOperator, "op-"+strconv.Itoa(i))
			}
			author := "Service client " + ch.Name
			body = tx.operatorBody(r, ref)
			c.add(tMessages, mid, id, operatorThread, seq, ch.ID, "in", "operator", nil, author, body, "", 0,
				"m"+strconv.Itoa(i)+"-"+strconv.Itoa(seq), nil, "", "", "", ms(at))
			event(at, 0, author, desk.EventMessageIn, "", string(desk.ThreadOperator), mid)
			if cur != desk.StatusWaitingAdmin {
				event(at, 0, author, desk.EventStatus, string(cur), string(desk.StatusWaitingAdmin), 0)
				cur = desk.StatusWaitingAdmin
			}
			lastIn = at
		case in:
			body = tx.customerBody(r, ref, name)
			c.add(tMessages, mid, id, customerThread, seq, ch.ID, "in", "customer", nil, name, body, "", 0,
				"m"+strconv.Itoa(i)+"-"+strconv.Itoa(seq), nil, "", "", "", ms(at))
			event(at, 0, name, desk.EventMessageIn, "", string(desk.ThreadCustomer), mid)
			if cur != desk.StatusWaitingAdmin {
				event(at, 0, name, desk.EventStatus, string(cur), string(desk.StatusWaitingAdmin), 0)
				cur = desk.StatusWaitingAdmin
			}
			lastIn = at
		default:
			agent := g.agentOf(r, assignee)
			if seq == noteAt {
				body = tx.noteBody(r)
				c.add(tMessages, mid, id, nil, seq, ch.ID, "out", "agent", agent.ID, agent.Name, body, "", 1,
					nil, nil, "", "", "", ms(at))
				event(at, agent.ID, agent.Name, desk.EventNote, "", "", mid)
				c.docs = append(c.docs, g.doc(docID(id, seq), body))
				activity = at
				continue // a note changes neither the status nor the preview
			}
			next := desk.StatusWaitingCustomer
			if seq == m {
				next = status
			}
			template := ""
			if r.IntN(4) == 0 {
				template = bulkTemplates[r.IntN(len(bulkTemplates))]
			}
			body = tx.agentBody(r, name, agent.Name, ch.Name)
			c.add(tMessages, mid, id, customerThread, seq, ch.ID, "out", "agent", agent.ID, agent.Name, body, "", 0,
				nil, nil, template, "sent", "", ms(at))
			event(at, agent.ID, agent.Name, desk.EventMessageOut, "", string(desk.ThreadCustomer), mid)
			if next != cur {
				event(at, agent.ID, agent.Name, desk.EventStatus, string(cur), string(next), 0)
				if next == desk.StatusClosed {
					closedAt, closedBy = at, agent.ID
				}
				cur = next
			}
		}
		c.docs = append(c.docs, g.doc(docID(id, seq), body))
		activity = at
		preview = clipPreview(body)
	}
	due := g.calendar.Deadline(lastIn, ch.policy).Truncate(time.Millisecond)
	c.add(tTickets, id, ch.ID, nullString(ref), cust, string(cur), string(priority), nullID(assignee),
		ms(due), ms(opened), ms(activity), nullMS(closedAt), nullID(closedBy), problem, realEmail, delivery,
		reason, subject, m, preview)
	// The ticket's own entry, as IndexTicket writes it.
	own := strings.Join([]string{desk.TicketNumber(id), ref, name, email, realEmail, problem, subject}, " ")
	c.docs = append(c.docs, g.doc(docID(id, 0), own))
	slices.SortFunc(c.docs[len(c.docs)-m-1:], func(a, b bulkDoc) int { return cmpInt(a.id, b.id) })
}

// doc is a search entry: the folded words of text, as the index takes them.
func (g *bulkGen) doc(id int64, text string) bulkDoc {
	return bulkDoc{id, fold.Words(text)}
}

// agentOf is who answers: the assignee, or anyone when there is none.
func (g *bulkGen) agentOf(r *rand.Rand, assignee int64) desk.Agent {
	for _, a := range g.team.agents {
		if a.ID == assignee {
			return a
		}
	}
	return g.team.agents[1+r.IntN(len(g.team.agents)-1)]
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return desk.TicketNumber(id)
}

// clipPreview is desk's preview of a message: its start, spaces collapsed.
func clipPreview(body string) string {
	s := strings.Join(strings.Fields(body), " ")
	if r := []rune(s); len(r) > 160 {
		return string(r[:160])
	}
	return s
}

func randDuration(r *rand.Rand, lo, hi time.Duration) time.Duration {
	return (lo + time.Duration(r.Int64N(int64(hi-lo)))).Truncate(time.Millisecond)
}

// orderRef is ticket i's order reference in the channel's own format; i makes
// it unique.
func orderRef(kind desk.ChannelKind, r *rand.Rand, i int, opened time.Time) string {
	switch kind {
	case desk.ChannelAmazon:
		return fmt.Sprintf("40%d-%07d-%07d", 2+r.IntN(6), r.IntN(10_000_000), i)
	case desk.ChannelCdiscount:
		return opened.Format("060102") + fmt.Sprintf("%08d", i)
	case desk.ChannelPrestaShop, desk.ChannelEmail:
		// PrestaShop's nine capital letters: i scrambled, one to one.
		n := (int64(i)*2_654_435_761 + 12_345) % 5_429_503_678_976 // 26^9
		b := make([]byte, 9)
		for k := 8; k >= 0; k-- {
			b[k] = byte('A' + n%26)
			n /= 26
		}
		return string(b)
	case desk.ChannelKaufland:
		return strconv.Itoa(400_000_000 + i)
	case desk.ChannelManoMano:
		return fmt.Sprintf("M%09d", 200_000_000+i)
	}
	return fmt.Sprintf("%d-A", 30_000_000+i) // Mirakl
}

func personalEmail(r *rand.Rand, first, last string) string {
	domains := [...]string{"gmail.com", "orange.fr", "free.fr", "hotmail.fr", "laposte.net", "wanadoo.fr", "sfr.fr", "yahoo.fr", "outlook.fr"}
	local := strings.Join(fold.Words(first), "-") + "." + strings.Join(fold.Words(last), "")
	if r.IntN(2) == 0 {
		local += strconv.Itoa(r.IntN(100))
	}
	return local + "@" + domains[r.IntN(len(domains))]
}

// randomLetters is a relay address's local part. It starts with a letter:
// PostgreSQL's parser reads "3e4x" as a number and a word.
func randomLetters(r *rand.Rand, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	b[0] = alphabet[r.IntN(26)]
	for i := 1; i < n; i++ {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

var bulkProblems = []string{"Colis non reçu", "Article cassé à la livraison", "Demande de facture", "Erreur de taille",
	"Remboursement en attente", "Pièce manquante", "Retour refusé par le transporteur", "Produit non conforme",
	"Annulation de commande", "Changement d'adresse", "Retard de livraison", "Double prélèvement"}

var bulkReasons = []string{"Article non reçu", "Retour", "Produit défectueux", "Question avant achat", "Facture",
	"Annulation", "Remboursement", "Livraison", "Article non conforme", "Autre"}

var bulkTemplates = []string{"Suivi de colis", "Demande de photos", "Étiquette de retour", "Remboursement effectué",
	"Facture jointe", "Délai de livraison"}

// The text: words drawn from a Zipf-like vocabulary, so that a few words are
// in most messages and most words in a few.

// BulkVocabulary returns the words messages are made of, the most frequent
// first: a word's rank says how many messages contain it.
func BulkVocabulary() []string { return slices.Clone(bulkCorpus().words) }

// BulkLastNames returns the customers' last names, the most frequent first.
func BulkLastNames() []string { return slices.Clone(bulkCorpus().last) }

// BulkMessage returns a customer's message like those of a generated set.
func BulkMessage(r *rand.Rand, orderRef, customer string) string {
	return bulkCorpus().customerBody(r, orderRef, customer)
}

type corpus struct {
	words, first, last []string
	wordsZ, lastZ      zipf
}

var bulkCorpus = sync.OnceValue(func() *corpus {
	r := rand.New(rand.NewPCG(20261123, 1)) // fixed: the vocabulary is the same for every seed
	seen := map[string]bool{}
	var words []string
	for _, w := range strings.Fields(frenchWords) {
		if f := fold.String(w); !seen[f] {
			seen[f] = true
			words = append(words, w)
		}
	}
	for len(words) < 30_000 {
		if w := pseudoWord(r); !seen[fold.String(w)] {
			seen[fold.String(w)] = true
			words = append(words, w)
		}
	}
	last := strings.Fields(frenchLastNames)
	for _, w := range last {
		seen[fold.String(w)] = true
	}
	for len(last) < 3000 {
		if w := pseudoWord(r); len(w) > 4 && !seen[fold.String(w)] {
			seen[fold.String(w)] = true
			last = append(last, strings.ToUpper(w[:1])+w[1:])
		}
	}
	return &corpus{words: words, first: strings.Fields(frenchFirstNames), last: last,
		wordsZ: newZipf(len(words), 1.05, 2.7), lastZ: newZipf(len(last), 1, 30)}
})

func pseudoWord(r *rand.Rand) string {
	onsets := [...]string{"b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "tr", "pl", "gr", "br", "cr", "fl", "qu", "gu", "v", "l", "m"}
	vowels := [...]string{"a", "e", "i", "o", "u", "ou", "an", "on", "in", "é", "è", "ai", "au", "eu", "oi", "a", "e", "i", "o"}
	endings := [...]string{"", "", "", "s", "t", "r", "l", "x", "nt", "que", "ne", "re", "te", "sse", "ment", "tion", "age"}
	var b strings.Builder
	for range 2 + r.IntN(3) {
		b.WriteString(onsets[r.IntN(len(onsets))])
		b.WriteString(vowels[r.IntN(len(vowels))])
	}
	b.WriteString(endings[r.IntN(len(endings))])
	return b.String()
}

// zipf picks ranks 0..n-1 with weight 1/(rank+q)^s.
type zipf struct{ cdf []float64 }

func newZipf(n int, s, q float64) zipf {
	cdf := make([]float64, n)
	sum := 0.0
	for k := range cdf {
		sum += 1 / math.Pow(float64(k)+q, s)
		cdf[k] = sum
	}
	return zipf{cdf}
}

func (z zipf) pick(r *rand.Rand) int {
	return sort.SearchFloat64s(z.cdf, r.Float64()*z.cdf[len(z.cdf)-1])
}

func (c *corpus) firstName(r *rand.Rand) string { return c.first[r.IntN(len(c.first))] }
func (c *corpus) lastName(r *rand.Rand) string  { return c.last[c.lastZ.pick(r)] }

// sentence is 4 to 13 words, capitalized and closed.
func (c *corpus) sentence(b *strings.Builder, r *rand.Rand) {
	n := 4 + r.IntN(10)
	for k := range n {
		w := c.words[c.wordsZ.pick(r)]
		if k == 0 {
			first, size := utf8.DecodeRuneInString(w)
			b.WriteRune(unicode.ToUpper(first))
			b.WriteString(w[size:])
		} else {
			b.WriteByte(' ')
			b.WriteString(w)
		}
	}
	b.WriteString([...]string{". ", ". ", ". ", " ? ", " ! "}[r.IntN(5)])
}

func (c *corpus) customerBody(r *rand.Rand, ref, name string) string {
	var b strings.Builder
	b.WriteString([...]string{"Bonjour,\n", "Bonjour, ", "Madame, Monsieur,\n", "Bonsoir, ", ""}[r.IntN(5)])
	for range 1 + r.IntN(3) {
		c.sentence(&b, r)
	}
	if ref != "" && r.IntN(100) < 30 {
		fmt.Fprintf(&b, "Ma commande %s n'est toujours pas arrivée. ", ref)
	}
	if r.IntN(2) == 0 {
		b.WriteString("\nCordialement,\n" + name)
	}
	return strings.TrimSpace(b.String())
}

func (c *corpus) agentBody(r *rand.Rand, customer, agent, channel string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Bonjour %s,\n", customer)
	for range 1 + r.IntN(3) {
		c.sentence(&b, r)
	}
	first, _, _ := strings.Cut(agent, " ")
	fmt.Fprintf(&b, "\nCordialement,\n%s, service client (%s)", first, channel)
	return b.String()
}

func (c *corpus) operatorBody(r *rand.Rand, ref string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Bonjour, le client signale un incident sur la commande %s. ", ref)
	c.sentence(&b, r)
	b.WriteString("Merci de répondre sous 48 heures.")
	return b.String()
}

func (c *corpus) noteBody(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString("Note : ")
	c.sentence(&b, r)
	return strings.TrimSpace(b.String())
}

// frenchWords are real words, roughly the most frequent first.
const frenchWords = `de la le je et à les pas vous un une ma mon est en pour que des du il ne a au sur
avec ce qui votre mais plus par bien nous ai été toujours commande colis merci bonjour cordialement
livraison reçu produit article jours remboursement retour depuis date suivi numéro envoyé attente
lieu encore faire fait aucune réponse client service délai adresse transporteur facture carton
cassé abîmé défectueux manquant taille couleur échange annulation paiement délais problème
semaine hier aujourd'hui demain mois rapidement possible svp urgent merci beaucoup vraiment
toujours rien personne message mail téléphone appel relais point boîte lettres domicile
livreur chronopost colissimo dpd gls ups mondial poste suivre lien site vendeur vente achat
acheté commandé payé rembourser renvoyer retourner reprendre échanger recevoir reçois attends
attendre voudrais souhaite souhaiterais pouvez pourriez merci d'avance avance svp
étiquette bon retour emballage photo photos pièce pièces notice montage vis manque manquante
cuisine salle bain jardin meuble table chaise lampe canapé matelas lit armoire étagère
perceuse tondeuse aspirateur robot cafetière bouilloire grille-pain four micro-ondes
réfrigérateur lave-linge sèche-linge télévision écran ordinateur portable tablette casque
enceinte chargeur câble batterie imprimante cartouche encre papier stylo cahier jouet
peluche puzzle vélo trottinette casque gants chaussures pantalon chemise robe veste manteau
blanc noir rouge bleu vert gris beige marron rose jaune grand petit moyen large long court
neuf usagé rayé tordu fendu fissuré cassée abîmée mouillé sale odeur bruit panne marche
fonctionne allume charge chauffe refroidit coule fuit bloqué coincé ouvert fermé
garantie assurance litige réclamation plainte avis note étoile évaluation commentaire
compte identifiant mot passe connexion inscription profil coordonnées modifier changer
annuler confirmer valider vérifier contrôler consulter regarder voir savoir comprendre
expliquer préciser indiquer signaler informer prévenir contacter joindre rappeler
rembourse remboursé remboursée crédit avoir bon achat réduction code promo promotion
prix euros frais port gratuit supplémentaire total montant somme carte bancaire virement
prélèvement chèque paypal facturé débité compte bancaire banque iban relevé
monsieur madame mademoiselle famille enfant cadeau anniversaire noël fête mariage
matin soir midi lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars
avril mai juin juillet août septembre octobre novembre décembre heure heures minute
déjà jamais souvent parfois toujours aussi donc alors car puisque comme quand lorsque
pourquoi comment combien quel quelle quels quelles où qui quoi dont lequel laquelle
très trop peu assez beaucoup moins tant autant tellement plutôt vraiment absolument
malheureusement heureusement évidemment normalement finalement actuellement récemment
content contente satisfait satisfaite déçu déçue mécontent furieux inquiet pressé
entrepôt stock rupture disponible indisponible réassort précommande expédition expédié
préparation préparé emballé étiqueté scanné livré distribué déposé retourné perdu égaré
volé endommagé détérioré ouvert déchiré écrasé humide trempé vide incomplet partiel`

var frenchFirstNames = `Marie Jean Pierre Michel Philippe Nathalie Isabelle Sylvie Catherine Françoise Alain Nicolas
Christophe Patrick Christine Stéphane Sandrine Frédéric Laurent Éric Valérie David Céline Julien Sébastien Aurélie
Thomas Camille Léa Manon Chloé Emma Inès Jade Louise Lucas Hugo Léo Gabriel Raphaël Arthur Louis Jules Adam
Maël Théo Noah Paul Nathan Mathis Élodie Émilie Hélène Jérôme François Benoît Cédric Gaëlle Loïc Maëlle Noémie
Océane Zoé Anaïs Clémence Agnès Béatrice Josiane Gérard Bernard Daniel Dominique Yves André René Jacques
Claude Monique Nicole Martine Annie Brigitte Josette Simone Odette Yvette Mohamed Karim Sofiane Yasmine Leïla
Nadia Samir Rachid Fatima Aïcha Kevin Jordan Dylan Mélanie Jessica Laetitia Audrey Virginie Caroline Stéphanie
Amandine Pauline Margaux Justine Charlotte Lucie Romane Axel Enzo Mathéo Timéo Ethan Baptiste Antoine Maxime
Alexandre Guillaume Romain Vincent Olivier Thierry Pascal Bruno Didier Serge Gilles Hervé`

var frenchLastNames = `Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre
Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet
François Martinez Legrand Garnier Faure Rousseau Blanc Guerin Muller Henry Roussel Nicolas Perrin Morin
Mathieu Clement Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis
Lemaire Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Perez Marchand Dufour Blanchard
Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard Arnaud Rolland Caron Aubert
Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Philippe Leclercq Lacroix Fabre Dupuis Olivier
Rodriguez Da-Silva Hubert Louis Charles Guillot Rivière Le-Gall Guillaume Adam Rey Moulin Gonzalez Berger
Lecomte Menard Fleury Deschamps Carpentier Julien Benoit Paris Maillard Marchal Aubry Vasseur Le-Roux Renault
Jacquet Collet Prevost Poirier Charpentier Royer Huet Baron Dupuy Pons Paris Laine Carré Breton Rémy
Schneider Perrot Barre Marty Cousin Lebrun Haddad Benali Benaïssa Mansouri Ferreira Pereira Dos-Santos
Kervadec Le-Bihan Quéré Le-Goff Tanguy Hénaff Bouvier Besnard Leblanc Hamon Lejeune Hoarau Payet Grondin`
