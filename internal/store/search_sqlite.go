package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"guichet/internal/fold"
)

// searchIndex is SQLite's full-text index, kept in a database file of its
// own beside the main one (guichet.search.db) and fed after the fact:
//
//   - writing it inside each use case's transaction cost most of an ingest
//     (FTS5 merges its segments as it grows: 180 µs a message at ten million);
//   - in its own file, it has its own write lock: the indexer runs on the
//     second core while the main database takes the next batch.
//
// What is to index is found in the main database: messages above the last id
// indexed (ids only grow, and SQLite's single writer commits them in order),
// and tickets queued in search_queue when their own fields change. Both marks
// are kept in the index's file, written in the same transaction as the
// entries, so that a crash re-indexes nothing twice and loses nothing. The
// file holds nothing that cannot be rebuilt: deleted, it is rebuilt at start.
// A search first brings the index up to date (a few thousand entries at most
// are written inline), so that what was just stored can be found.
//
// No connection is ever waited for while holding mu: the index's writer (wdb)
// and the indexer's reader of the main file (src) are used under mu only, one
// connection each, and a search brings the index up to date reading the main
// file through its own transaction. Searches read the index through their
// transaction too: the main database's readers attach the file (see
// attachSearch).
type searchIndex struct {
	main *Store
	wdb  *sql.DB // one connection: the index's writer, under mu
	src  *sql.DB // one connection: the indexer's reader of the main file, under mu

	mu sync.Mutex // one indexing run at a time
	// pause is held by the background indexer around each of its runs
	// (taken before mu, never while holding it); the checkpointer takes it
	// to truncate the log with no indexer reading it. Searches do not.
	pause   sync.Mutex
	started sync.Once
	running bool // set by start: close waits for the goroutine
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

// searchVersion changes when the index's layout or text changes: an index of
// another version is dropped and rebuilt.
const searchVersion = 1

var searchSchema = `
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5 (
	body,
	content = '',
	contentless_delete = 1,
	detail = none,
	tokenize = 'unicode61 remove_diacritics 2'
);
-- Every word ever indexed, so that search can turn a word into the terms it
-- starts: FTS5 reads the lists of a prefix query ("w"*) in full before the
-- first row, but an OR of exact terms lazily, newest first.
CREATE TABLE IF NOT EXISTS search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
-- messages: the last message id indexed; queue: the last search_queue id
-- done; tickets: the last ticket whose fields a fresh index has taken (-1
-- once all are); version: searchVersion.
CREATE TABLE IF NOT EXISTS search_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO search_state (name, value) VALUES ('messages', 0), ('queue', 0), ('tickets', 0), ('version', ` + strconv.Itoa(searchVersion) + `);
`

// searchPath names the index file of the main database at path.
func searchPath(path string) string {
	return strings.TrimSuffix(path, ".db") + ".search.db"
}

func openSearchIndex(ctx context.Context, main *Store, dsn, pragmas string) (*searchIndex, error) {
	x := &searchIndex{main: main, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	path := searchPath(dsn)
	var err error
	if x.wdb, err = openSQLite("file:"+path+"?"+pragmas+"&_pragma=cache_size(-131072)&_txlock=immediate", nil); err != nil {
		return nil, err
	}
	x.wdb.SetMaxOpenConns(1)
	if x.src, err = openSQLite("file:"+dsn+"?"+pragmas+"&_pragma=cache_size(-16384)&_pragma=query_only(1)", nil); err != nil {
		x.wdb.Close()
		return nil, err
	}
	x.src.SetMaxOpenConns(1)
	if err := x.prepare(ctx); err != nil {
		x.close()
		return nil, fmt.Errorf("search index %s: %w", path, err)
	}
	return x, nil
}

// attachSearch makes the index's file at path the schema "search" of each
// new reader of the main database.
func attachSearch(path string) func(ctx context.Context, c driver.ExecerContext) error {
	return func(ctx context.Context, c driver.ExecerContext) error {
		_, err := c.ExecContext(ctx, `ATTACH DATABASE ? AS search`, []driver.NamedValue{{Ordinal: 1, Value: "file:" + path}})
		if err == nil {
			_, err = c.ExecContext(ctx, `PRAGMA search.cache_size = -65536`, nil)
		}
		if err == nil {
			_, err = c.ExecContext(ctx, `PRAGMA search.mmap_size = 2147418112`, nil)
		}
		if err != nil {
			return fmt.Errorf("attach search index: %w", err)
		}
		return nil
	}
}

// prepare creates the index's tables, or drops an index of another version.
func (x *searchIndex) prepare(ctx context.Context) error {
	if _, err := x.wdb.ExecContext(ctx, searchSchema); err != nil {
		return err
	}
	var v int
	if err := x.wdb.QueryRowContext(ctx, `SELECT value FROM search_state WHERE name = 'version'`).Scan(&v); err != nil {
		return err
	}
	if v == searchVersion {
		return nil
	}
	_, err := x.wdb.ExecContext(ctx, `DROP TABLE search_fts; DROP TABLE search_terms; DROP TABLE search_state;`)
	if err == nil {
		_, err = x.wdb.ExecContext(ctx, searchSchema)
	}
	return err
}

// start runs the indexer until close: woken after each write, and every few
// seconds in case a wake-up came while it was busy.
func (x *searchIndex) start() {
	x.started.Do(func() {
		x.running = true
		go x.run()
	})
}

func (x *searchIndex) run() {
	defer close(x.done)
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-x.stop; cancel() }()
	for {
		select {
		case <-x.stop:
			return
		case <-x.wake:
		case <-tick.C:
		}
		x.pause.Lock()
		err := x.catchUp(ctx, x.src, 0)
		x.pause.Unlock()
		if err != nil && ctx.Err() == nil {
			x.main.log("search index", err)
			select { // retry later, not in a tight loop
			case <-time.After(5 * time.Second):
			case <-x.stop:
				return
			}
		}
	}
}

// poke wakes the indexer without waiting.
func (x *searchIndex) poke() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

func (x *searchIndex) close() error {
	if x.stop != nil {
		select {
		case <-x.stop:
		default:
			close(x.stop)
		}
	}
	x.started.Do(func() {}) // no start after close
	if x.running {
		<-x.done
	}
	var errs []error
	if x.src != nil {
		errs = append(errs, x.src.Close())
	}
	if x.wdb != nil {
		errs = append(errs, x.wdb.Close())
	}
	return errors.Join(errs...)
}

// indexChunk is how many messages one indexing transaction takes.
const indexChunk = 4000

// catchUp indexes what the main database holds and the index lacks, read
// through src (the indexer's own connection, or a search's transaction), in
// transactions of indexChunk messages, until nothing is left or, when limit
// is not 0, about limit messages are done.
// The lock is taken a transaction at a time, so that a search during a
// rebuild (ten million messages take minutes) waits for one chunk, not all.
func (x *searchIndex) catchUp(ctx context.Context, src querier, limit int) error {
	done := 0
	for {
		x.mu.Lock()
		n, err := x.indexSome(ctx, src)
		x.mu.Unlock()
		if err != nil || n == 0 {
			return err
		}
		done += n
		if limit > 0 && done >= limit {
			return nil
		}
	}
}

// indexSome indexes up to indexChunk messages and queued tickets in one
// transaction of the index, and returns how many entries it wrote.
func (x *searchIndex) indexSome(ctx context.Context, src querier) (int, error) {
	marks, err := x.marks(ctx)
	if err != nil {
		return 0, err
	}
	var docs []searchDoc
	// Messages, by id.
	rows, err := src.QueryContext(ctx, `SELECT id, ticket_id, seq, body FROM messages WHERE id > ? ORDER BY id LIMIT ?`, marks["messages"], indexChunk)
	if err != nil {
		return 0, err
	}
	newMessages := marks["messages"]
	for rows.Next() {
		var id, ticket int64
		var seq int
		var body string
		if err := rows.Scan(&id, &ticket, &seq, &body); err != nil {
			rows.Close()
			return 0, err
		}
		docs = append(docs, searchDoc{id: docID(ticket, seq), text: body, replace: false})
		newMessages = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	// Tickets' own fields: those queued, and all of them for a fresh index.
	var tickets []int64
	newQueue, newTickets := marks["queue"], marks["tickets"]
	if newTickets >= 0 {
		ids, err := queryInts(ctx, src, `SELECT id FROM tickets WHERE id > ? ORDER BY id LIMIT ?`, newTickets, indexChunk)
		if err != nil {
			return 0, err
		}
		tickets = append(tickets, ids...)
		newTickets = -1
		if len(ids) == indexChunk {
			newTickets = ids[len(ids)-1]
		}
	}
	queued, err := queryPairs(ctx, src, `SELECT id, ticket_id FROM search_queue WHERE id > ? ORDER BY id LIMIT ?`, newQueue, indexChunk)
	if err != nil {
		return 0, err
	}
	for _, q := range queued {
		newQueue = q[0]
		tickets = append(tickets, q[1])
	}
	slices.Sort(tickets)
	tickets = slices.Compact(tickets)
	heads, err := ticketTexts(oneOff(ctx), src.QueryContext, tickets)
	if err != nil {
		return 0, err
	}
	for _, id := range tickets {
		docs = append(docs, searchDoc{id: docID(id, 0), text: heads[id], replace: true})
	}
	if len(docs) == 0 && newTickets == marks["tickets"] {
		return 0, nil
	}
	err = x.write(ctx, docs, marks, map[string]int64{"messages": newMessages, "queue": newQueue, "tickets": newTickets})
	if errors.Is(err, errIndexMoved) {
		return 1, nil // another process indexed these meanwhile: read again
	}
	return len(docs), err
}

// errIndexMoved says that the index's marks are no longer those its entries
// were read from: another process (a second guichet on the same file) wrote
// them meanwhile.
var errIndexMoved = errors.New("search index: written by another process meanwhile")

// queueDone is the last search_queue row the index has taken.
func (x *searchIndex) queueDone(ctx context.Context) (int64, error) {
	var v int64
	err := x.main.rdb.QueryRowContext(ctx, `SELECT value FROM search.search_state WHERE name = 'queue'`).Scan(&v)
	return v, err
}

func (x *searchIndex) marks(ctx context.Context) (map[string]int64, error) {
	rows, err := x.wdb.QueryContext(ctx, `SELECT name, value FROM search_state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var name string
		var v int64
		if err := rows.Scan(&name, &v); err != nil {
			return nil, err
		}
		m[name] = v
	}
	return m, rows.Err()
}

// write stores entries and the marks they reach, in one transaction. When
// from is given, the index must still be at those marks (the transaction
// holds the file's write lock from its start, so that the check holds until
// commit); otherwise nothing is written and the error is errIndexMoved.
func (x *searchIndex) write(ctx context.Context, docs []searchDoc, from, marks map[string]int64) error {
	tx, err := x.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for name, v := range from {
		var now int64
		if err := tx.QueryRowContext(ctx, `SELECT value FROM search_state WHERE name = ?`, name).Scan(&now); err != nil {
			return err
		}
		if now != v {
			return errIndexMoved
		}
	}
	var old []int64
	for _, d := range docs {
		if d.replace {
			old = append(old, d.id)
		}
	}
	if len(old) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_fts WHERE rowid IN (`+idList(old)+`)`); err != nil {
			return err
		}
	}
	rows := make([]any, 0, 2*len(docs))
	terms := map[string]bool{}
	for _, d := range docs {
		words := d.words
		if words == nil {
			words = fold.Words(d.text)
		}
		if len(words) == 0 {
			continue
		}
		for _, w := range words {
			terms[w] = true
		}
		rows = append(rows, d.id, strings.Join(words, " "))
	}
	if err := insertValues(ctx, tx, `INSERT INTO search_fts (rowid, body) VALUES `, 2, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, w := range slices.Sorted(maps.Keys(terms)) {
		rows = append(rows, w)
	}
	if err := insertValues(ctx, tx, `INSERT OR IGNORE INTO search_terms (term) VALUES `, 1, rows); err != nil {
		return err
	}
	for name, v := range marks {
		if _, err := tx.ExecContext(ctx, `UPDATE search_state SET value = ? WHERE name = ?`, v, name); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// insertValues runs a multi-row INSERT of values, width a row, by the
// hundred.
func insertValues(ctx context.Context, tx *sql.Tx, insert string, width int, values []any) error {
	const full = 256
	row := "(" + strings.Repeat("?, ", width-1) + "?)"
	for len(values) > 0 {
		n := min(len(values)/width, full)
		if _, err := tx.ExecContext(ctx, insert+strings.Repeat(row+", ", n-1)+row, values[:n*width]...); err != nil {
			return err
		}
		values = values[n*width:]
	}
	return nil
}

// querier is a pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ticketTexts reads the searchable text of tickets' own fields, with a
// query function that does not keep its statement (the ids are inlined).
func ticketTexts(ctx context.Context, query func(ctx context.Context, q string, args ...any) (*sql.Rows, error), ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	err := chunks(ids, 1000, func(ids []int64) error {
		rows, err := query(ctx, `SELECT t.id, t.order_ref, t.real_email, t.problem, t.subject, c.name, c.email
			FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id WHERE t.id IN (`+idList(ids)+`)`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var orderRef, custName, custEmail sql.NullString
			var realEmail, problem, subject string
			if err := rows.Scan(&id, &orderRef, &realEmail, &problem, &subject, &custName, &custEmail); err != nil {
				return err
			}
			out[id] = ticketDocText(id, orderRef.String, custName.String, custEmail.String, realEmail, problem, subject)
		}
		return rows.Err()
	})
	return out, err
}

func queryInts(ctx context.Context, db querier, q string, args ...any) ([]int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

func queryPairs(ctx context.Context, db querier, q string, args ...any) ([][2]int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SyncSearch brings the search index up to date with what is committed: the
// index is otherwise fed within a moment of each write (SQLite), or in the
// same transaction (PostgreSQL).
func (s *Store) SyncSearch(ctx context.Context) error {
	if s.search == nil {
		return nil
	}
	return s.search.catchUp(ctx, s.search.src, 0)
}
