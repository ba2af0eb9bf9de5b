package store

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"reflect"

	msqlite "modernc.org/sqlite"
)

// SQLite's parse and plan are a large part of a small statement's cost, so
// each connection keeps the statements it ran prepared, the most recent
// stmtCacheSize of them. Kept per connection, by the connection, preparing
// never needs a connection of its own: a transaction uses only its own.
// (database/sql's Stmt needs one from the pool to prepare, which deadlocked
// the pool when every connection was held by a transaction waiting to
// prepare.) PostgreSQL's driver does the same by itself (pgx's statement
// cache, 512 a connection).
const stmtCacheSize = 256

// openSQLite opens a pool of connections to the SQLite file named by dsn
// (modernc's DSN); setup, when given, runs on each new connection.
func openSQLite(dsn string, setup func(ctx context.Context, c driver.ExecerContext) error) (*sql.DB, error) {
	base, err := msqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(&sqliteConnector{Connector: base, setup: setup}), nil
}

type sqliteConnector struct {
	driver.Connector
	setup func(ctx context.Context, c driver.ExecerContext) error
}

// baseConn is what modernc's connection implements and we use.
type baseConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

func (c *sqliteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	bc, ok := conn.(baseConn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("sqlite: unexpected connection type %T", conn)
	}
	cc := &cachingConn{baseConn: bc, stmts: map[string]*list.Element{}, lru: list.New()}
	if c.setup != nil {
		if err := c.setup(ctx, bc); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return cc, nil
}

// cachingConn is a connection with its prepared statements. database/sql
// uses a connection from one goroutine at a time: no lock is needed.
type cachingConn struct {
	baseConn
	stmts map[string]*list.Element // of *cachedStmt, most recent at the front of lru
	lru   *list.List
}

type cachedStmt struct {
	query string
	stmt  interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	}
	busy bool // rows of it are open
}

// oneOff marks a context whose statement is not to be kept (its text is made
// for one call: a list of ids, a batch of rows of some count).
type oneOffKey struct{}

func oneOff(ctx context.Context) context.Context { return context.WithValue(ctx, oneOffKey{}, true) }

func isOneOff(ctx context.Context) bool { b, _ := ctx.Value(oneOffKey{}).(bool); return b }

// statement returns the prepared statement of query, preparing it if needed,
// or nil when it is busy (a query of the same text whose rows are still
// open): the caller then runs query unprepared.
func (c *cachingConn) statement(ctx context.Context, query string) (*cachedStmt, error) {
	if e, ok := c.stmts[query]; ok {
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		c.lru.MoveToFront(e)
		return cs, nil
	}
	st, err := c.baseConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	ps, ok := st.(interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	})
	if !ok {
		st.Close()
		return nil, fmt.Errorf("sqlite: unexpected statement type %T", st)
	}
	cs := &cachedStmt{query: query, stmt: ps}
	c.stmts[query] = c.lru.PushFront(cs)
	for e := c.lru.Back(); c.lru.Len() > stmtCacheSize && e != nil; {
		prev := e.Prev()
		if old := e.Value.(*cachedStmt); !old.busy && old != cs {
			c.forget(old)
		}
		e = prev
	}
	return cs, nil
}

// forget drops a statement from the cache and finalizes it.
func (c *cachingConn) forget(cs *cachedStmt) {
	if e, ok := c.stmts[cs.query]; ok && e.Value == cs {
		delete(c.stmts, cs.query)
		c.lru.Remove(e)
	}
	cs.stmt.Close()
}

// done is called after a statement ran: one that failed is dropped, in case
// the failure left it unusable (SQLite resets it either way; this is cheap
// insurance, failures being rare).
func (c *cachingConn) done(cs *cachedStmt, err error) {
	cs.busy = false
	if err != nil {
		c.forget(cs)
	}
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if isOneOff(ctx) {
		return c.baseConn.ExecContext(ctx, query, args)
	}
	cs, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.baseConn.ExecContext(ctx, query, args)
	}
	cs.busy = true
	res, err := cs.stmt.ExecContext(ctx, args)
	c.done(cs, err)
	return res, err
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if isOneOff(ctx) {
		return c.baseConn.QueryContext(ctx, query, args)
	}
	cs, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.baseConn.QueryContext(ctx, query, args)
	}
	cs.busy = true
	rows, err := cs.stmt.QueryContext(ctx, args)
	if err != nil {
		c.done(cs, err)
		return nil, err
	}
	return &cachedRows{Rows: rows, conn: c, stmt: cs}, nil
}

func (c *cachingConn) Close() error {
	for e := c.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).stmt.Close()
	}
	c.stmts, c.lru = nil, list.New()
	return c.baseConn.Close()
}

// cachedRows frees its statement for the next call when closed.
type cachedRows struct {
	driver.Rows
	conn   *cachingConn
	stmt   *cachedStmt
	closed bool
}

func (r *cachedRows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.Rows.Close()
	r.conn.done(r.stmt, err)
	return err
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if ct, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return ct.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if ct, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return ct.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}
