package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// identitiesOf lists a customer's identities as kind:value@channel.
func identitiesOf(t *testing.T, s *store.Store, customerID int64) []string {
	t.Helper()
	rows, err := s.DB().QueryContext(ctx, `SELECT kind, value, coalesce(channel_id, 0) FROM customer_identities WHERE customer_id = $1`, customerID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var kind, value string
		var channel int64
		if err := rows.Scan(&kind, &value, &channel); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s:%s@%d", kind, value, channel))
	}
	slices.Sort(got)
	return got
}

func customerID(t *testing.T, s *store.Store, channelID int64, externalID string) int64 {
	t.Helper()
	var id int64
	if err := s.DB().QueryRowContext(ctx, `SELECT id FROM customers WHERE channel_id = $1 AND external_id = $2`, channelID, externalID).Scan(&id); err != nil {
		t.Fatalf("customer %d/%s: %v", channelID, externalID, err)
	}
	return id
}

// The import writes its customers' identities itself, triggers paused:
// they are those the triggers give a row written any other way, an upsert
// adds a changed address, and the triggers run again for every other
// write, in the same transaction and after a failed import.
func TestUpsertShopCustomersWritesIdentities(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		if _, err := s.DB().ExecContext(ctx, `INSERT INTO channels (id, kind, name, deadline_policy, created_at)
			VALUES (1, 'prestashop', 'Boutique', '48h', 1), (2, 'prestashop', 'Boutique 2', '48h', 1), (3, 'kaufland', 'Kaufland', '48h', 1)`); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		shop := func(channel int64, ext, email, real string) desk.Customer {
			return desk.Customer{ChannelID: channel, ExternalID: ext, Name: "Ann Lee", Email: email, CreatedAt: at,
				Profile: desk.Profile{FirstName: "Ann", LastName: "Lee", RealEmail: real, Enabled: true}}
		}
		var batch []desk.Customer
		for i := range 1203 { // two full statements and a short one
			batch = append(batch, shop(1, fmt.Sprint(i+1), fmt.Sprintf("Client%d@Example.COM", i+1), fmt.Sprintf("Client%d@Example.COM", i+1)))
		}
		batch[7].RealEmail = "Vraie@Example.fr"
		var written int
		err := s.Write(ctx, func(tx desk.Tx) error {
			var err error
			if written, err = tx.UpsertShopCustomers(ctx, batch); err != nil {
				return err
			}
			// the triggers are back for the rest of the transaction
			return tx.InsertCustomer(ctx, &desk.Customer{ChannelID: 3, ExternalID: "K-1", Name: "Kim", Email: "relay-1@kaufland.example", Phone: "+49 1", CreatedAt: at})
		})
		if err != nil || written != len(batch) {
			t.Fatalf("upsert = %d, %v", written, err)
		}
		if got, want := identitiesOf(t, s, customerID(t, s, 1, "8")), []string{"buyer:8@1", "email:client8@example.com@1", "email:vraie@example.fr@0"}; !slices.Equal(got, want) {
			t.Fatalf("imported identities = %v; want %v", got, want)
		}
		if got, want := identitiesOf(t, s, customerID(t, s, 3, "K-1")), []string{"buyer:K-1@3", "phone:+49 1@3", "relay:relay-1@kaufland.example@3"}; !slices.Equal(got, want) {
			t.Fatalf("identities after the import, same transaction = %v; want %v", got, want)
		}
		// the same customers written by a plain insert (the triggers) get the same identities
		for _, c := range []desk.Customer{batch[0], batch[7], batch[1202]} {
			if _, err := s.DB().ExecContext(ctx, `INSERT INTO customers (channel_id, external_id, name, email, real_email, first_name, last_name, created_at)
				VALUES (2, $1, $2, $3, $4, $5, $6, $7)`, c.ExternalID, c.Name, c.Email, c.RealEmail, c.FirstName, c.LastName, at.UnixMilli()); err != nil {
				t.Fatal(err)
			}
			imported, plain := identitiesOf(t, s, customerID(t, s, 1, c.ExternalID)), identitiesOf(t, s, customerID(t, s, 2, c.ExternalID))
			for i := range plain { // the same but for the shop
				plain[i] = strings.Replace(plain[i], "@2", "@1", 1)
			}
			if !slices.Equal(imported, plain) {
				t.Fatalf("customer %s: imported %v, by the triggers %v", c.ExternalID, imported, plain)
			}
		}
		// an import bringing a customer up to date adds its new address
		moved := shop(1, "1", "nouvelle@example.com", "nouvelle@example.com")
		if err := s.Write(ctx, func(tx desk.Tx) error { _, err := tx.UpsertShopCustomers(ctx, []desk.Customer{moved}); return err }); err != nil {
			t.Fatal(err)
		}
		if got, want := identitiesOf(t, s, customerID(t, s, 1, "1")), []string{"buyer:1@1", "email:client1@example.com@1", "email:nouvelle@example.com@1"}; !slices.Equal(got, want) {
			t.Fatalf("identities after an update = %v; want %v", got, want)
		}
		// a failed import leaves nothing behind, and the triggers run after it
		err = s.Write(ctx, func(tx desk.Tx) error {
			_, err := tx.UpsertShopCustomers(ctx, []desk.Customer{shop(1, "5000", "a@example.com", "a@example.com"), shop(99, "1", "b@example.com", "b@example.com")})
			return err
		})
		if err == nil {
			t.Fatal("an upsert into a channel that does not exist succeeded")
		}
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE external_id = '5000'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("customers of the failed import = %d, %v", n, err)
		}
		if err := s.Write(ctx, func(tx desk.Tx) error {
			return tx.InsertCustomer(ctx, &desk.Customer{ChannelID: 3, ExternalID: "K-2", Name: "Kai", Email: "relay-2@kaufland.example", CreatedAt: at})
		}); err != nil {
			t.Fatal(err)
		}
		if got, want := identitiesOf(t, s, customerID(t, s, 3, "K-2")), []string{"buyer:K-2@3", "relay:relay-2@kaufland.example@3"}; !slices.Equal(got, want) {
			t.Fatalf("identities after a failed import = %v; want %v", got, want)
		}
		// even when a caller commits after the failure (SQLite lets it; PostgreSQL rolls back)
		s.Write(ctx, func(tx desk.Tx) error {
			tx.UpsertShopCustomers(ctx, []desk.Customer{shop(99, "1", "b@example.com", "b@example.com")})
			return nil
		})
		if err := s.Write(ctx, func(tx desk.Tx) error {
			return tx.InsertCustomer(ctx, &desk.Customer{ChannelID: 3, ExternalID: "K-3", Name: "Kim", Email: "relay-3@kaufland.example", CreatedAt: at})
		}); err != nil {
			t.Fatal(err)
		}
		if got, want := identitiesOf(t, s, customerID(t, s, 3, "K-3")), []string{"buyer:K-3@3", "relay:relay-3@kaufland.example@3"}; !slices.Equal(got, want) {
			t.Fatalf("identities after a failed import committed = %v; want %v", got, want)
		}
	})
}
