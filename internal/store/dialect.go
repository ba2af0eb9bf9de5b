package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

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
	// searchDocs returns the ids of entries matching words below the id
	// `below`, highest first.
	searchDocs(ctx context.Context, t *tx, words []string, below int64, limit int) ([]int64, error)
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
	t.docs = append(t.docs, searchDoc{doc, text, !fresh})
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
			continue
		}
		at[d.id] = len(docs)
		docs = append(docs, d)
	}
	t.docs = nil
	docs = slices.DeleteFunc(docs, func(d searchDoc) bool { return d.text == "" && !d.replace }) // nothing to index, nothing to replace
	if err := t.s.dialect.writeDocs(ctx, t, docs); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

type sqlite struct{}

func (sqlite) name() string { return "sqlite" }

func (sqlite) writeDocs(ctx context.Context, t *tx, docs []searchDoc) error {
	// The FTS5 table is contentless: it keeps no copy of the text, only the
	// index; its tokenizer folds case and accents. Entries that may exist are
	// deleted first, in one statement, then all are inserted by the hundred
	// ("?": SQLite looks "$n" up by name, n² for many).
	var old []string
	for _, d := range docs {
		if d.replace {
			old = append(old, strconv.FormatInt(d.id, 10)) // our own integers: safe to inline
		}
	}
	if len(old) > 0 {
		if _, err := t.ExecContext(ctx, `DELETE FROM search_fts WHERE rowid IN (`+strings.Join(old, ",")+`)`); err != nil {
			return err
		}
	}
	const full = 256
	for len(docs) > 0 {
		n := min(len(docs), full)
		q := `INSERT INTO search_fts(rowid, body) VALUES (?, ?)` + strings.Repeat(`, (?, ?)`, n-1)
		args := make([]any, 0, 2*n)
		for _, d := range docs[:n] {
			args = append(args, d.id, d.text)
		}
		var err error
		if n == 1 || n == full {
			_, err = t.exec(ctx, q, args...)
		} else { // not kept prepared: a statement per size would pile up
			_, err = t.ExecContext(ctx, q, args...)
		}
		if err != nil {
			return err
		}
		docs = docs[n:]
	}
	return nil
}

func (sqlite) searchDocs(ctx context.Context, t *tx, words []string, below int64, limit int) ([]int64, error) {
	if err := t.writeDocs(ctx); err != nil {
		return nil, err
	}
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = `"` + w + `"*`
	}
	return queryIDs(ctx, t, `SELECT rowid FROM search_fts WHERE search_fts MATCH $1 AND rowid < $2 ORDER BY rowid DESC LIMIT $3`,
		strings.Join(terms, " AND "), below, limit)
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
	return err
}

func (postgres) retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

func (postgres) name() string { return "postgres" }

func (postgres) writeDocs(ctx context.Context, t *tx, docs []searchDoc) error {
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

func (postgres) searchDocs(ctx context.Context, t *tx, words []string, below int64, limit int) ([]int64, error) {
	if err := t.writeDocs(ctx); err != nil {
		return nil, err
	}
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = w + ":*"
	}
	return queryIDs(ctx, t, `SELECT doc_id FROM search_docs WHERE tsv @@ to_tsquery('simple', $1) AND doc_id < $2 ORDER BY doc_id DESC LIMIT $3`,
		strings.Join(terms, " & "), below, limit)
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

func queryIDs(ctx context.Context, t *tx, q string, args ...any) ([]int64, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
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
