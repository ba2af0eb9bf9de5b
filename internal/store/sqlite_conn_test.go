package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

func openTestSQLite(t *testing.T) *sql.DB {
	t.Helper()
	db, err := openSQLite("file:"+filepath.Join(t.TempDir(), "t.db")+"?_pragma=journal_mode(WAL)", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	return db
}

// cached returns how many statements the pool's connection keeps prepared.
func cached(t *testing.T, db *sql.DB) int {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	n := -1
	conn.Raw(func(dc any) error {
		n = len(dc.(*cachingConn).stmts)
		return nil
	})
	return n
}

// The cache keeps at most stmtCacheSize statements, the most recent; a text
// marked as made for one call is not kept.
func TestStatementCacheIsBounded(t *testing.T) {
	ctx := context.Background()
	db := openTestSQLite(t)
	for i := range stmtCacheSize + 50 {
		var n int
		if err := db.QueryRowContext(ctx, fmt.Sprintf("SELECT %d", i)).Scan(&n); err != nil || n != i {
			t.Fatalf("SELECT %d: %d, %v", i, n, err)
		}
	}
	if n := cached(t, db); n != stmtCacheSize {
		t.Errorf("%d statements kept; want %d", n, stmtCacheSize)
	}
	if _, err := db.ExecContext(oneOff(ctx), "SELECT 'once'"); err != nil {
		t.Fatal(err)
	}
	conn, _ := db.Conn(ctx)
	conn.Raw(func(dc any) error {
		if _, ok := dc.(*cachingConn).stmts["SELECT 'once'"]; ok {
			t.Error("a one-off statement was kept")
		}
		if _, ok := dc.(*cachingConn).stmts["SELECT 0"]; ok {
			t.Error("the oldest statement was kept")
		}
		return nil
	})
	conn.Close()
}

// The same text run again while the rows of its first run are open (a query
// nested in another's loop) runs unprepared beside it; both read right.
func TestStatementCacheNestedQuery(t *testing.T) {
	ctx := context.Background()
	db := openTestSQLite(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (1), (2), (3)`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT v FROM n WHERE v >= ? ORDER BY v`
	outer, err := tx.QueryContext(ctx, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for outer.Next() {
		var v int
		outer.Scan(&v)
		inner, err := tx.QueryContext(ctx, q, v)
		if err != nil {
			t.Fatal(err)
		}
		for inner.Next() {
			var w int
			inner.Scan(&w)
			sum += w
		}
		if err := inner.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	outer.Close()
	if want := (1 + 2 + 3) + (2 + 3) + 3; sum != want {
		t.Errorf("sum %d; want %d", sum, want)
	}
	// The cached statement is free again, with fresh bindings.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (`+q+`)`, 2).Scan(&n); err != nil || n != 2 {
		t.Errorf("count: %d, %v", n, err)
	}
}

// A statement that failed is dropped and prepared again next time.
func TestStatementCacheAfterAnError(t *testing.T) {
	ctx := context.Background()
	db := openTestSQLite(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE u (v INTEGER UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	const q = `INSERT INTO u VALUES (?)`
	if _, err := db.ExecContext(ctx, q, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, q, 1); err == nil {
		t.Fatal("duplicate accepted")
	}
	if _, err := db.ExecContext(ctx, q, 2); err != nil {
		t.Fatalf("after a failure: %v", err)
	}
	var n int
	db.QueryRowContext(ctx, `SELECT count(*) FROM u`).Scan(&n)
	if n != 2 {
		t.Errorf("%d rows; want 2", n)
	}
}
