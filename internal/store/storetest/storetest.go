// Package storetest opens real databases for tests: a SQLite file in a
// temporary folder, and a PostgreSQL schema of its own on the server named by
// GUICHET_TEST_POSTGRES (default: the local server's "test" database).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guichet/internal/store"
)

// DefaultPostgres is tried when GUICHET_TEST_POSTGRES is not set.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Engine opens a migrated store for one test.
type Engine struct {
	Name string
	Open func(t testing.TB) *store.Store
}

// Engines returns SQLite and, when reachable, PostgreSQL. When
// GUICHET_REQUIRE_POSTGRES=1 (as in CI) an unreachable PostgreSQL fails the
// test instead of skipping it.
func Engines() []Engine {
	return []Engine{{"sqlite", SQLite}, {"postgres", Postgres}}
}

// ForEach runs fn as a subtest on each engine.
func ForEach(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e.Open(t)) })
	}
}

// SQLite opens a fresh SQLite database in a temporary folder.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "guichet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	migrate(t, s)
	return s
}

// PostgresURL is the server tests use.
func PostgresURL() string {
	if u := os.Getenv("GUICHET_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultPostgres
}

// Postgres opens a fresh schema on the test server, dropped after the test.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	return PostgresShared(t, 1)[0]
}

// PostgresShared opens n stores, each with its own pool, on one fresh
// schema: as many guichet processes sharing a database.
func PostgresShared(t testing.TB, n int) []*store.Store {
	t.Helper()
	url := PostgresSchemaURL(t)
	var out []*store.Store
	for range n {
		s, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() }) // before the schema is dropped
		migrate(t, s)
		out = append(out, s)
	}
	return out
}

// PostgresSchemaURL creates a fresh, empty schema on the test server and
// returns the URL that opens it, for stores or for processes the test
// starts (which migrate it); it is dropped after the test. Without a
// server it skips, or fails under GUICHET_REQUIRE_POSTGRES=1.
func PostgresSchemaURL(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	base := PostgresURL()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		if os.Getenv("GUICHET_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL required but unreachable at %s: %v", base, err)
		}
		t.Skipf("PostgreSQL unreachable at %s (set GUICHET_REQUIRE_POSTGRES=1 to fail): %v", base, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

func migrate(t testing.TB, s *store.Store) {
	t.Helper()
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
}
