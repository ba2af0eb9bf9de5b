package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"guichet/internal/store"
)

// PostgresShared opens n stores, each with its own pool, on one fresh
// schema: as many guichet processes sharing a database. It skips (or fails
// with GUICHET_REQUIRE_POSTGRES=1) as Postgres does.
func PostgresShared(t testing.TB, n int) []*store.Store {
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
		t.Skipf("PostgreSQL unreachable at %s: %v", base, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	var out []*store.Store
	t.Cleanup(func() {
		for _, s := range out {
			s.Close()
		}
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	for range n {
		s, err := store.Open(ctx, base+sep+"search_path="+schema)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
		migrate(t, s)
	}
	return out
}

// PostgresSchemaURL creates a fresh schema, migrated, and returns the URL
// that opens it, for processes the test starts; it is dropped after the
// test.
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
		t.Skipf("PostgreSQL unreachable at %s: %v", base, err)
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
