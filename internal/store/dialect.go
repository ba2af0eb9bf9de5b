package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	// indexDoc (re)writes the search entry docID with text.
	indexDoc(ctx context.Context, t *tx, docID int64, text string) error
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

type sqlite struct{}

func (sqlite) name() string { return "sqlite" }

func (sqlite) indexDoc(ctx context.Context, t *tx, doc int64, text string) error {
	// The FTS5 table is contentless: it keeps no copy of the text, only the
	// index; its tokenizer folds case and accents.
	_, err := t.exec(ctx, `INSERT OR REPLACE INTO search_fts(rowid, body) VALUES ($1, $2)`, doc, text)
	return err
}

func (sqlite) searchDocs(ctx context.Context, t *tx, words []string, below int64, limit int) ([]int64, error) {
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

func (postgres) indexDoc(ctx context.Context, t *tx, doc int64, text string) error {
	// Folded in Go, so that no extension (unaccent) is needed on the server.
	_, err := t.exec(ctx, `INSERT INTO search_docs(doc_id, tsv) VALUES ($1, to_tsvector('simple', $2))
		ON CONFLICT (doc_id) DO UPDATE SET tsv = excluded.tsv`, doc, strings.Join(fold.Words(text), " "))
	return err
}

func (postgres) searchDocs(ctx context.Context, t *tx, words []string, below int64, limit int) ([]int64, error) {
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
