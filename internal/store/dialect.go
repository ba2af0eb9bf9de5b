package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"guichet/internal/desk"
	"guichet/internal/fold"
)

// dialect is what differs between SQLite and PostgreSQL: full-text search and
// the shape of constraint errors. Everything else is shared SQL.
type dialect interface {
	name() string
	// writeDocs (re)writes search entries; their ids are unique.
	writeDocs(ctx context.Context, t *tx, docs []searchDoc) error
	// searchDocs reads up to limit entries of the index below the id
	// `below`, highest first, and returns those where every word starts a
	// word, the last id it read and whether the index may hold more below.
	searchDocs(ctx context.Context, t *tx, words []string, below int64, limit int) (docs []int64, last int64, more bool, err error)
	mapError(err error) error
	// retryable reports whether the transaction failed only because of
	// concurrent ones, and may be run again.
	retryable(err error) bool
	// compact folds the counters' delta rows, where there are any.
	compact(ctx context.Context, db *sql.DB) error
}

// A search entry's id packs the ticket and the message: ticket<<20 | seq,
// seq 0 being the ticket's own fields. Entries sorted by id are therefore
// sorted by ticket, newest first, and a page of tickets is a range of ids.
const docShift = 20

func docID(ticketID int64, seq int) int64 { return ticketID<<docShift | int64(seq) }
func docTicket(doc int64) int64           { return doc >> docShift }

// maxSeq bounds the messages of one ticket (about a million).
const maxSeq = 1<<docShift - 1

// searchDoc is a search entry to write: its id and text, and whether an
// entry of that id may exist already (to be replaced).
type searchDoc struct {
	id      int64
	text    string
	replace bool
	words   []string // the text folded, when already done (bulk loads)
	head    bool     // a ticket's own fields, read at commit (see IndexTicket)
}

// indexDoc (re)writes the search entry doc with text when the transaction
// commits, or before it searches; fresh says that the entry is new: its row
// was inserted in this transaction.
//
// SQLite's FTS5 writes the entries it holds to disk, as a new segment to
// merge later, before every statement that needs a statement journal (here,
// an INSERT with RETURNING or a trigger on a table with foreign keys) and
// before it replaces or deletes an entry. Written as they came, each message
// cost a segment of its own and its merges: most of an ingest's time.
func (t *tx) indexDoc(doc int64, text string, fresh bool) {
	t.docs = append(t.docs, searchDoc{id: doc, text: text, replace: !fresh})
}

// writeDocs writes the entries indexDoc kept: per id, the last text; an entry
// first written in this transaction replaces nothing.
func (t *tx) writeDocs(ctx context.Context) error {
	if len(t.docs) == 0 {
		return nil
	}
	docs := make([]searchDoc, 0, len(t.docs))
	at := make(map[int64]int, len(t.docs))
	for _, d := range t.docs {
		if i, ok := at[d.id]; ok {
			docs[i].text = d.text
			docs[i].head = docs[i].head || d.head
			continue
		}
		at[d.id] = len(docs)
		docs = append(docs, d)
	}
	t.docs = nil
	if err := t.s.dialect.writeDocs(ctx, t, docs); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

type sqlite struct{}

func (sqlite) name() string { return "sqlite" }

// writeDocs queues the tickets whose own fields changed; the indexer reads
// them, and new messages, from the main database (see searchIndex).
func (sqlite) writeDocs(ctx context.Context, t *tx, docs []searchDoc) error {
	var ids []any
	for _, d := range docs {
		if d.id&maxSeq == 0 {
			ids = append(ids, docTicket(d.id))
		}
	}
	return insertValues(ctx, t.Tx, `INSERT INTO search_queue (ticket_id) VALUES `, 1, ids)
}

// maxTerms is how many terms a word may start and still be searched as
// their list (FTS5 seeks each in every segment: some 50 µs a term at ten
// million messages); a word that starts more (one letter, the "402" of
// every Amazon order) is checked on the text of the entries the other words
// find.
const maxTerms = 1024

// searchDocs turns each word into the terms it starts (search_terms) and
// asks FTS5 for their OR: FTS5 reads the lists of a prefix query in full
// before the first row (0.1 s for a common word at 50 000 tickets, seconds at
// a million), but an OR of terms lazily, newest first, so that a page stops
// early. Words starting too many terms are checked on the entries' text;
// when every word does, the prefix query runs.
func (sqlite) searchDocs(ctx context.Context, t *tx, words []string, below int64, limit int) ([]int64, int64, bool, error) {
	// What was just stored can be found: the index takes it first (a few
	// thousand entries at most; past that, the indexer is busy with it).
	// It reads the main file through this transaction, and this
	// transaction reads the index (attached as "search") only after.
	if err := t.s.search.catchUp(ctx, t.Tx, 2*indexChunk); err != nil {
		return nil, 0, false, err
	}
	var clauses, broad []string
	for _, w := range words {
		terms, err := queryStrings(ctx, t.Tx, `SELECT term FROM search.search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?`,
			w, w+"\xff", maxTerms+1) // no UTF-8 byte is 0xff: the range is the words starting with w
		if err != nil {
			return nil, 0, false, err
		}
		switch {
		case len(terms) == 0:
			return nil, 0, false, nil // no entry has the word
		case len(terms) > maxTerms:
			broad = append(broad, w)
		case allPlain(terms):
			for i, term := range terms {
				terms[i] = `"` + term + `"`
			}
			clauses = append(clauses, "("+strings.Join(terms, " OR ")+")")
		default: // let the tokenizer read it as it read the text
			clauses = append(clauses, `"`+w+`"*`)
		}
	}
	if len(clauses) == 0 {
		// Every word is broad: the prefix query, whose lists FTS5 merges in
		// full whatever the limit, so asked once for all a page may read.
		for _, w := range broad {
			clauses = append(clauses, `"`+w+`"*`)
		}
		broad = nil
		limit = max(limit, searchMaxChunk)
	}
	docs, err := queryInts(ctx, t.Tx, `SELECT rowid FROM search.search_fts WHERE search_fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?`,
		strings.Join(clauses, " AND "), below, limit)
	if err != nil || len(docs) == 0 {
		return nil, 0, false, err
	}
	last, more := docs[len(docs)-1], len(docs) == limit
	if len(broad) == 0 {
		return docs, last, more, nil
	}
	docs, err = t.keepMatching(ctx, docs, broad)
	return docs, last, more, err
}

// keepMatching keeps the entries whose text has, for every word, a word it
// starts: what the index would have answered for them.
func (t *tx) keepMatching(ctx context.Context, docs []int64, words []string) ([]int64, error) {
	texts, err := t.docTexts(ctx, docs)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(docs, func(d int64) bool {
		have := fold.Words(texts[d])
		for _, w := range words {
			if !slices.ContainsFunc(have, func(h string) bool { return strings.HasPrefix(h, w) }) {
				return true
			}
		}
		return false
	}), nil
}

// allPlain reports whether terms are only ASCII letters and digits, what
// FTS5's tokenizer surely reads as one token each; others are left to it.
func allPlain(terms []string) bool {
	for _, term := range terms {
		for i := 0; i < len(term); i++ {
			if c := term[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
				return false
			}
		}
	}
	return true
}

func (sqlite) mapError(err error) error {
	var se *msqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &desk.Error{Code: desk.EConflict, Message: "existe déjà"}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &desk.Error{Code: desk.EConflict, Message: "référence inconnue ou encore utilisée"}
		}
	}
	return err
}

func (sqlite) retryable(err error) bool { return false } // one writer: no deadlocks

// SQLite's counters are updated in place (one writer): nothing to fold.
func (sqlite) compact(context.Context, *sql.DB) error { return nil }

type postgres struct{}

func (postgres) compact(ctx context.Context, db *sql.DB) error {
	// Rows appended meanwhile are not in the DELETE's snapshot: they stay.
	_, err := db.ExecContext(ctx, `WITH gone AS (DELETE FROM ticket_counts RETURNING status, assignee_id, channel_id, n)
		INSERT INTO ticket_counts (status, assignee_id, channel_id, n)
		SELECT status, assignee_id, channel_id, sum(n) FROM gone GROUP BY status, assignee_id, channel_id HAVING sum(n) <> 0`)
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `WITH gone AS (DELETE FROM message_counts RETURNING author_kind, n)
		INSERT INTO message_counts (author_kind, n) SELECT author_kind, sum(n) FROM gone GROUP BY author_kind HAVING sum(n) <> 0`)
	return err
}

func (postgres) retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

func (postgres) name() string { return "postgres" }

func (postgres) writeDocs(ctx context.Context, t *tx, docs []searchDoc) error {
	var heads []int64
	for _, d := range docs {
		if d.head {
			heads = append(heads, docTicket(d.id))
		}
	}
	if len(heads) > 0 {
		texts, err := ticketTexts(ctx, t.queryOnce, heads)
		if err != nil {
			return err
		}
		for i := range docs {
			if docs[i].head {
				docs[i].text = texts[docTicket(docs[i].id)]
			}
		}
	}
	docs = slices.DeleteFunc(docs, func(d searchDoc) bool { return d.text == "" && !d.replace }) // nothing to index, nothing to replace
	// Folded in Go, so that no extension (unaccent) is needed on the server.
	ids := make([]int64, len(docs))
	texts := make([]string, len(docs))
	for i, d := range docs {
		ids[i], texts[i] = d.id, strings.Join(fold.Words(d.text), " ")
	}
	_, err := t.exec(ctx, `INSERT INTO search_docs (doc_id, tsv)
		SELECT doc_id, to_tsvector('simple', body) FROM unnest($1::bigint[], $2::text[]) AS d (doc_id, body)
		ON CONFLICT (doc_id) DO UPDATE SET tsv = excluded.tsv`, ids, texts)
	return err
}

func (postgres) searchDocs(ctx context.Context, t *tx, words []string, below int64, limit int) ([]int64, int64, bool, error) {
	if err := t.writeDocs(ctx); err != nil {
		return nil, 0, false, err
	}
	// A short word starts many lexemes, which GIN merges in full (0.3 s for
	// the "402" of Amazon orders at a million tickets): with a longer word
	// beside it, it is checked on the text of the entries the others find.
	long := slices.ContainsFunc(words, func(w string) bool { return utf8.RuneCountInString(w) >= 4 })
	var terms, short []string
	for _, w := range words {
		if long && utf8.RuneCountInString(w) < 4 {
			short = append(short, w)
		} else {
			terms = append(terms, w+":*")
		}
	}
	// Planned for its words, every time (exec mode: an unnamed statement): a
	// prepared statement gets a generic plan after five runs, made without
	// knowing how common the words are, and that plan (walking the ids
	// backwards) reads the whole table for a rare word.
	rows, err := t.QueryContext(ctx, `SELECT doc_id FROM search_docs WHERE tsv @@ to_tsquery('simple', $1)
		AND doc_id < $2 ORDER BY doc_id DESC LIMIT $3`, pgx.QueryExecModeExec, strings.Join(terms, " & "), below, limit)
	if err != nil {
		return nil, 0, false, fmt.Errorf("search: %w", err)
	}
	docs, err := scanIDs(rows)
	if err != nil || len(docs) == 0 {
		return nil, 0, false, err
	}
	last, more := docs[len(docs)-1], len(docs) == limit
	if len(short) > 0 {
		docs, err = t.keepMatching(ctx, docs, short)
	}
	return docs, last, more, err
}

func (postgres) mapError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &desk.Error{Code: desk.EConflict, Message: "existe déjà"}
		case "23503":
			return &desk.Error{Code: desk.EConflict, Message: "référence inconnue ou encore utilisée"}
		}
	}
	return err
}

// insertID runs an INSERT and returns the id of the row it made, or
// inserted == false when its ON CONFLICT DO NOTHING made none. On SQLite it
// does without RETURNING: with RETURNING, or a trigger, an INSERT into a
// table with foreign keys opens a statement journal, a third of its cost.
func (t *tx) insertID(ctx context.Context, query string, args ...any) (id int64, inserted bool, err error) {
	if t.s.dialect.name() == "postgres" {
		err := t.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
		if err == sql.ErrNoRows {
			return 0, false, nil
		}
		return id, err == nil, t.s.dialect.mapError(err)
	}
	res, err := t.exec(ctx, query, args...)
	if err != nil {
		return 0, false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, false, err
	}
	id, err = res.LastInsertId() // the row's, not a trigger's: SQLite restores it after one
	return id, err == nil, err
}

func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func queryStrings(ctx context.Context, db querier, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
