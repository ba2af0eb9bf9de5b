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
	"strings"
	"sync"

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
	// PostgreSQL); the pool keeps a second connection free for preparing.
	writer chan struct{}

	mu    sync.Mutex
	stmts map[*sql.DB]map[string]*sql.Stmt
}

// Open opens the database named by dsn: a postgres:// URL, or a SQLite file
// path (created if missing). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{stmts: map[*sql.DB]map[string]*sql.Stmt{}}
	var err error
	if IsPostgres(dsn) {
		s.dialect = postgres{}
		if s.wdb, err = sql.Open("pgx", dsn); err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.wdb.SetMaxOpenConns(32)
		s.wdb.SetMaxIdleConns(32)
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
		if s.wdb, err = sql.Open("sqlite", "file:"+dsn+"?"+pragmas+"&_pragma=cache_size(-262144)&_pragma=wal_autocheckpoint(0)&_txlock=immediate"); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// One writer at a time (see writer): SQLite serializes writes anyway,
		// and queuing them here avoids SQLITE_BUSY.
		s.writer = make(chan struct{}, 1)
		s.wdb.SetMaxOpenConns(2)
		s.wdb.SetMaxIdleConns(2)
		if s.rdb, err = sql.Open("sqlite", "file:"+dsn+"?"+pragmas+"&_pragma=cache_size(-65536)&_pragma=query_only(1)"); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		s.rdb.SetMaxOpenConns(8)
		s.rdb.SetMaxIdleConns(8)
		if s.search, err = openSearchIndex(ctx, s, searchPath(dsn), pragmas); err != nil {
			s.Close()
			return nil, err
		}
		if s.checkpoints, err = startCheckpointer(dsn, pragmas); err != nil {
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

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.search != nil {
		errs = append(errs, s.search.close())
	}
	if s.checkpoints != nil {
		errs = append(errs, s.checkpoints.close())
	}
	s.mu.Lock()
	for _, m := range s.stmts {
		for _, st := range m {
			st.Close()
		}
	}
	s.stmts = map[*sql.DB]map[string]*sql.Stmt{}
	s.mu.Unlock()
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
			_, err := dt.(*tx).ExecContext(ctx, `DELETE FROM search_queue WHERE id <= $1`, done)
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
	t := &tx{Tx: sqlTx, s: s, db: db, write: !readOnly}
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

// stmt returns a statement prepared once per pool and reused: SQLite's parse
// and plan cost is a large part of a small write.
func (s *Store) stmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.stmts[db]
	if m == nil {
		m = map[string]*sql.Stmt{}
		s.stmts[db] = m
	}
	if st, ok := m[query]; ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	m[query] = st
	return st, nil
}

// tx is one transaction; it implements desk.Tx.
type tx struct {
	*sql.Tx
	s     *Store
	db    *sql.DB
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

func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := t.s.stmt(ctx, t.db, query)
	if err != nil {
		return nil, t.s.dialect.mapError(err)
	}
	res, err := t.StmtContext(ctx, st).ExecContext(ctx, args...)
	return res, t.s.dialect.mapError(err)
}

func (t *tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := t.s.stmt(ctx, t.db, query)
	if err != nil {
		return nil, t.s.dialect.mapError(err)
	}
	return t.StmtContext(ctx, st).QueryContext(ctx, args...)
}

func (t *tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := t.s.stmt(ctx, t.db, query)
	if err != nil {
		return t.QueryRowContext(ctx, query, args...) // reports the same error on Scan
	}
	return t.StmtContext(ctx, st).QueryRowContext(ctx, args...)
}

// notFound turns sql.ErrNoRows into desk's not-found error.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return desk.NotFound(what)
	}
	return err
}
