// Package store keeps guichet's data in SQLite (embedded, the default) or
// PostgreSQL, behind desk's Store and Tx interfaces. The SQL is the same for
// both wherever the dialects agree; dialect.go holds the rest.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"guichet/internal/desk"
)

// Store is an open database. It implements desk.Store.
type Store struct {
	dialect dialect
	wdb     *sql.DB // writes: one connection on SQLite, the pool on PostgreSQL
	rdb     *sql.DB // reads: a pool of connections (the same as wdb on PostgreSQL)

	search      *searchIndex  // SQLite's full-text index, in a file of its own (nil on PostgreSQL)
	checkpoints *checkpointer // SQLite's log copied to the file beside the writer (nil on PostgreSQL)

	// writer admits one write transaction at a time on SQLite (nil on
	// PostgreSQL).
	writer chan struct{}

	channelMu   sync.Mutex // the broadcast channel's name (see Broadcast)
	channelName string
}

// The pools' sizes. A transaction holds one connection from start to end
// and never asks for a second (see sqlite_conn.go): more requests than
// connections queue, they never deadlock.
const (
	readers     = 8  // SQLite's readers (WAL: they never wait for the writer)
	connections = 32 // PostgreSQL's connections, readers and writers
)

// Open opens the database named by dsn: a postgres:// URL, or a SQLite file
// path (created if missing). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{}
	var err error
	if IsPostgres(dsn) {
		s.dialect = postgres{}
		if s.wdb, err = sql.Open("pgx", dsn); err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.wdb.SetMaxOpenConns(connections)
		s.wdb.SetMaxIdleConns(connections)
		s.rdb = s.wdb
	} else {
		s.dialect = sqlite{}
		if dir := filepath.Dir(dsn); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data folder: %w", err)
			}
		}
		// mmap_size: SQLite maps at most 2 GB. The writer's page cache is the
		// larger: an ingest touches pages of every ticket index and of the
		// search index all over the file.
		const pragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
			"&_pragma=synchronous(NORMAL)&_pragma=mmap_size(2147418112)&_pragma=temp_store(MEMORY)"
		if s.wdb, err = openSQLite("file:"+dsn+"?"+pragmas+"&_pragma=cache_size(-262144)&_pragma=wal_autocheckpoint(0)&_txlock=immediate", nil); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// One writer at a time (see writer): SQLite serializes writes anyway,
		// and queuing them here avoids SQLITE_BUSY.
		s.writer = make(chan struct{}, 1)
		s.wdb.SetMaxOpenConns(1)
		s.wdb.SetMaxIdleConns(1)
		// Readers see the search index's file as the schema "search", so that
		// a search runs on its transaction's own connection.
		if s.rdb, err = openSQLite("file:"+dsn+"?"+pragmas+"&_pragma=cache_size(-65536)&_pragma=query_only(1)", attachSearch(searchPath(dsn))); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		s.rdb.SetMaxOpenConns(readers)
		s.rdb.SetMaxIdleConns(readers)
		if s.search, err = openSearchIndex(ctx, s, dsn, pragmas); err != nil {
			s.Close()
			return nil, err
		}
		if s.checkpoints, err = startCheckpointer(dsn, pragmas, s.wdb, s.search); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.wdb.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return s, nil
}

func (s *Store) log(what string, err error) { slog.Warn(what, "err", err) }

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Dialect is "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect.name() }

// ConcurrentWrites is how many write transactions a long job (a CSV
// import) may run side by side: one on SQLite, which has one writer; on
// PostgreSQL one per CPU up to four, leaving the pool to the desk.
func (s *Store) ConcurrentWrites() int {
	if s.dialect.name() != "postgres" {
		return 1
	}
	return min(runtime.NumCPU(), 4, connections/2)
}

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.search != nil {
		errs = append(errs, s.search.close())
	}
	if s.checkpoints != nil {
		errs = append(errs, s.checkpoints.close())
	}
	if s.rdb != nil && s.rdb != s.wdb {
		errs = append(errs, s.rdb.Close())
	}
	if s.wdb != nil {
		errs = append(errs, s.wdb.Close())
	}
	return errors.Join(errs...)
}

// Compact folds the ticket counters' delta rows (PostgreSQL) and drops the
// search queue's rows the index has taken (SQLite); serve runs it every
// minute. Counts and search are right whether or not it has run.
func (s *Store) Compact(ctx context.Context) error {
	if s.search != nil {
		done, err := s.search.queueDone(ctx)
		if err != nil {
			return err
		}
		err = s.Write(ctx, func(dt desk.Tx) error {
			_, err := dt.(*tx).exec(ctx, `DELETE FROM search_queue WHERE id <= $1`, done)
			return err
		})
		if err != nil {
			return fmt.Errorf("search queue: %w", err)
		}
	}
	return s.dialect.compact(ctx, s.wdb)
}

// Ping checks that the database answers (for /healthz).
func (s *Store) Ping(ctx context.Context) error { return s.rdb.PingContext(ctx) }

// DB returns the write pool, for tools that need plain SQL (bench, tests).
func (s *Store) DB() *sql.DB { return s.wdb }

// Read runs fn in a read-only transaction.
func (s *Store) Read(ctx context.Context, fn func(desk.Tx) error) error {
	return s.run(ctx, s.rdb, true, fn)
}

// Write runs fn in a transaction that is committed when fn returns nil and
// rolled back otherwise: a failed use case leaves nothing behind.
func (s *Store) Write(ctx context.Context, fn func(desk.Tx) error) error {
	if s.writer != nil {
		select {
		case s.writer <- struct{}{}:
			defer func() { <-s.writer }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for attempt := 1; ; attempt++ {
		err := s.run(ctx, s.wdb, false, fn)
		if attempt == maxAttempts || !s.dialect.retryable(err) {
			return err
		}
	}
}

// maxAttempts bounds the re-runs of a write transaction that PostgreSQL
// aborted to break a deadlock (two processes locking the same tickets or
// counters in opposite orders): fn must not keep state between runs.
const maxAttempts = 4

func (s *Store) run(ctx context.Context, db *sql.DB, readOnly bool, fn func(desk.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: readOnly}
	if s.dialect.name() == "sqlite" {
		opts = nil // the read pool is query_only; the write pool begins IMMEDIATE
	}
	sqlTx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &tx{Tx: sqlTx, s: s, write: !readOnly}
	if err := fn(t); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := t.writeDocs(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if !readOnly && s.search != nil {
		s.search.poke()
	}
	return nil
}

// tx is one transaction; it implements desk.Tx.
var _ desk.Tx = (*tx)(nil)

type tx struct {
	*sql.Tx
	s     *Store
	write bool
	docs  []searchDoc     // search entries written at commit: see indexDoc
	seen  map[int64][]any // tickets' columns as read or written: see remember
}

// forUpdate locks the rows a write transaction reads before changing them, so
// that concurrent writers on PostgreSQL queue instead of clashing. SQLite has
// one writer at a time and no such clause.
func (t *tx) forUpdate() string {
	if t.write && t.s.dialect.name() == "postgres" {
		return " FOR UPDATE OF t"
	}
	return ""
}

// exec, query and queryRow run a statement of fixed text: the driver keeps
// it prepared on the transaction's connection (pgx's statement cache, ours
// on SQLite). A text made for one call goes through queryOnce instead.
func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := t.ExecContext(ctx, query, args...)
	return res, t.s.dialect.mapError(err)
}

func (t *tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(ctx, query, args...)
}

func (t *tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.QueryRowContext(ctx, query, args...)
}

// queryOnce runs a query whose text was made for this call (a list of ids
// inlined, a count of placeholders): it is not kept prepared, where it would
// only push out the statements that are used again.
func (t *tx) queryOnce(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if t.s.dialect.name() == "postgres" {
		return t.QueryContext(ctx, query, append([]any{pgx.QueryExecModeExec}, args...)...)
	}
	return t.QueryContext(oneOff(ctx), query, args...)
}

// execOnce is queryOnce for a statement that returns no rows.
func (t *tx) execOnce(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	var err error
	if t.s.dialect.name() == "postgres" {
		res, err = t.ExecContext(ctx, query, append([]any{pgx.QueryExecModeExec}, args...)...)
	} else {
		res, err = t.ExecContext(oneOff(ctx), query, args...)
	}
	return res, t.s.dialect.mapError(err)
}

// notFound turns sql.ErrNoRows into desk's not-found error.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return desk.NotFound(what)
	}
	return err
}
