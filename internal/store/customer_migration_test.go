package store_test

import (
	"path/filepath"
	"slices"
	"testing"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// unmigrated opens an empty store of each engine, without migrating it.
func unmigrated(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := store.Open(ctx, filepath.Join(t.TempDir(), "guichet.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		s, err := store.Open(ctx, storetest.PostgresSchemaURL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s)
	})
}

// Migration 0012 turns the customers of before (one row per channel and
// external id, the real email on the ticket) into people with identities,
// losing none of them, and the ingest path keeps finding them.
func TestCustomersMigrationKeepsEveryCustomer(t *testing.T) {
	unmigrated(t, func(t *testing.T, s *store.Store) {
		if _, err := s.MigrateBefore(ctx, "0012"); err != nil {
			t.Fatal(err)
		}
		db := s.DB()
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		exec(`INSERT INTO channels (id, kind, name, deadline_policy, created_at) VALUES (1, 'kaufland', 'Kaufland', '48h', 1), (2, 'prestashop', 'Boutique', '48h', 1)`)
		exec(`INSERT INTO customers (id, channel_id, external_id, name, email, phone, note, created_at) VALUES
			(1, 1, 'K-77', 'Jean Dupont', 'relay-77@kaufland.example', '+33 6 11 22 33 44', 'client fidèle', 1000),
			(2, 2, '15', 'Marie-Claire de La Tour', 'mc@example.fr', '', '', 2000),
			(3, NULL, NULL, 'Anonyme', '', '', '', 3000)`)
		exec(`INSERT INTO tickets (id, channel_id, order_ref, customer_id, status, priority, deadline_at, opened_at, last_activity_at, real_email)
			VALUES (1, 1, 'A1', 1, 'waiting_admin', 'P1', 0, 1000, 1000, 'jean.dupont@example.fr')`)
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil || n != 3 {
			t.Fatalf("customers after migration = %d, %v; want 3", n, err)
		}
		d := desk.New(desk.Config{Store: s})
		if _, err := d.EnsureAdmin(ctx, "admin@example.fr"); err != nil {
			t.Fatal(err)
		}
		agents, _ := d.Agents(ctx)
		admin := desk.ActorOf(agents[0])
		f, err := d.CustomerFile(ctx, admin, 1)
		if err != nil {
			t.Fatal(err)
		}
		p := f.Person
		if p.FirstName != "Jean" || p.LastName != "Dupont" || p.Note != "client fidèle" || p.RealEmail != "jean.dupont@example.fr" || p.RegisteredAt.UnixMilli() != 1000 {
			t.Fatalf("person = %+v", p)
		}
		var got []string
		for _, i := range f.Identities {
			got = append(got, string(i.Kind)+":"+i.Value)
		}
		slices.Sort(got)
		want := []string{"buyer:K-77", "email:jean.dupont@example.fr", "phone:+33 6 11 22 33 44", "relay:relay-77@kaufland.example"}
		if !slices.Equal(got, want) {
			t.Fatalf("identities = %v; want %v", got, want)
		}
		if len(f.Tickets) != 1 || f.Tickets[0].ID != 1 {
			t.Fatalf("tickets = %+v", f.Tickets)
		}
		shop, err := d.CustomerFile(ctx, admin, 2)
		if err != nil {
			t.Fatal(err)
		}
		if shop.Person.FirstName != "Marie-Claire" || shop.Person.LastName != "de La Tour" || shop.Person.RealEmail != "mc@example.fr" {
			t.Fatalf("shop person = %+v", shop.Person)
		}
		// the ingest path finds the migrated customer by its channel's id
		var found []desk.Customer
		err = s.Read(ctx, func(tx desk.Tx) error {
			var err error
			found, err = tx.CustomersByExternal(ctx, 1, []string{"K-77"})
			return err
		})
		if err != nil || len(found) != 1 || found[0].ID != 1 {
			t.Fatalf("by external = %+v, %v", found, err)
		}
	})
}
