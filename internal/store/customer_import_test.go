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
	var got []string
	err := s.Read(ctx, func(tx desk.Tx) error {
		ids, err := tx.CustomerIdentities(ctx, []int64{customerID})
		for _, i := range ids {
			got = append(got, fmt.Sprintf("%s:%s@%d", i.Kind, i.Value, i.ChannelID))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

// storedIdentities counts a customer's rows in customer_identities: its
// earlier addresses and phones only.
func storedIdentities(t *testing.T, s *store.Store, customerID int64) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM customer_identities WHERE customer_id = $1`, customerID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func customerID(t *testing.T, s *store.Store, channelID int64, externalID string) int64 {
	t.Helper()
	var id int64
	if err := s.DB().QueryRowContext(ctx, `SELECT id FROM customers WHERE channel_id = $1 AND external_id = $2`, channelID, externalID).Scan(&id); err != nil {
		t.Fatalf("customer %d/%s: %v", channelID, externalID, err)
	}
	return id
}

// A customer's identities are its row's (the buyer id, the address,
// relayed or not, the phone, the real one) and the addresses it had before:
// the same whether the row came from an import or any other write, none
// stored for an import that changes nothing, and a failed import leaves
// nothing behind.
func TestCustomerIdentities(t *testing.T) {
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
			return tx.InsertCustomer(ctx, &desk.Customer{ChannelID: 3, ExternalID: "K-1", Name: "Kim", Email: "relay-1@kaufland.example", Phone: "+49 1", CreatedAt: at})
		})
		if err != nil || written != len(batch) {
			t.Fatalf("upsert = %d, %v", written, err)
		}
		if got, want := identitiesOf(t, s, customerID(t, s, 1, "8")), []string{"buyer:8@1", "email:client8@example.com@1", "email:vraie@example.fr@0"}; !slices.Equal(got, want) {
			t.Fatalf("imported identities = %v; want %v", got, want)
		}
		if got, want := identitiesOf(t, s, customerID(t, s, 3, "K-1")), []string{"buyer:K-1@3", "phone:+49 1@3", "relay:relay-1@kaufland.example@3"}; !slices.Equal(got, want) {
			t.Fatalf("identities of a marketplace customer = %v; want %v", got, want)
		}
		// the same customers written by a plain insert have the same identities
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
				t.Fatalf("customer %s: imported %v, inserted %v", c.ExternalID, imported, plain)
			}
		}
		// importing the same lines again stores nothing
		if err := s.Write(ctx, func(tx desk.Tx) error { _, err := tx.UpsertShopCustomers(ctx, batch); return err }); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM customer_identities`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("identities stored after imports that changed no address = %d, %v", n, err)
		}
		// an import bringing a customer up to date keeps its earlier address, found by the search
		one := customerID(t, s, 1, "1")
		moved := shop(1, "1", "nouvelle@example.com", "nouvelle@example.com")
		if err := s.Write(ctx, func(tx desk.Tx) error { _, err := tx.UpsertShopCustomers(ctx, []desk.Customer{moved}); return err }); err != nil {
			t.Fatal(err)
		}
		if got, want := identitiesOf(t, s, one), []string{"buyer:1@1", "email:client1@example.com@1", "email:nouvelle@example.com@1"}; !slices.Equal(got, want) {
			t.Fatalf("identities after an update = %v; want %v", got, want)
		}
		if n := storedIdentities(t, s, one); n != 1 {
			t.Fatalf("stored identities after an update = %d; want the earlier address alone", n)
		}
		// and again, and back: each address is kept once
		for _, email := range []string{"autre@example.com", "nouvelle@example.com", "autre@example.com"} {
			moved.Email, moved.RealEmail = email, email
			if err := s.Write(ctx, func(tx desk.Tx) error { _, err := tx.UpsertShopCustomers(ctx, []desk.Customer{moved}); return err }); err != nil {
				t.Fatalf("moving to %s: %v", email, err)
			}
		}
		if got, want := identitiesOf(t, s, one), []string{"buyer:1@1", "email:autre@example.com@1", "email:client1@example.com@1", "email:nouvelle@example.com@1"}; !slices.Equal(got, want) {
			t.Fatalf("identities after moves = %v; want %v", got, want)
		}
		d := desk.New(desk.Config{Store: s})
		if _, err := d.EnsureAdmin(ctx, "admin@example.fr"); err != nil {
			t.Fatal(err)
		}
		agents, _ := d.Agents(ctx)
		page, err := d.Customers(ctx, desk.ActorOf(agents[0]), desk.CustomerFilter{Query: "CLIENT1@example.com"})
		// the shop's record that moved, and Boutique 2's that still has it
		if err != nil || len(page.Customers) != 2 || page.Customers[0].ID != one || page.Customers[1].Email != "Client1@Example.COM" {
			t.Fatalf("search by the earlier address = %+v, %v", page, err)
		}
		// a failed import leaves nothing behind
		err = s.Write(ctx, func(tx desk.Tx) error {
			_, err := tx.UpsertShopCustomers(ctx, []desk.Customer{shop(1, "5000", "a@example.com", "a@example.com"), shop(99, "1", "b@example.com", "b@example.com")})
			return err
		})
		if err == nil {
			t.Fatal("an upsert into a channel that does not exist succeeded")
		}
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE external_id = '5000'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("customers of the failed import = %d, %v", n, err)
		}
	})
}

// A customer that Ingest opens has the same first and last names and
// registration as the insert triggers give a row that lacks them: the
// store now sets them itself so that SQLite's triggers do not rewrite the
// row after each insert.
func TestNewCustomerNamesAsTheTriggers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		if _, err := s.DB().ExecContext(ctx, `INSERT INTO channels (id, kind, name, deadline_policy, created_at)
			VALUES (1, 'kaufland', 'Kaufland', '48h', 1), (2, 'kaufland', 'Kaufland 2', '48h', 1)`); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		names := []string{"Jean Dupont", "  Jean   de La Fontaine  ", "Cher", "", " ", "Zoé  Ôtel", "Anne-Marie O'Neil"}
		var batch []*desk.Customer
		for i, n := range names {
			batch = append(batch, &desk.Customer{ChannelID: 1, ExternalID: fmt.Sprint("c", i), Name: n, CreatedAt: at})
		}
		single := &desk.Customer{ChannelID: 1, Name: " Solo  Client ", CreatedAt: at} // no external id: one by one
		err := s.Write(ctx, func(tx desk.Tx) error {
			if err := tx.InsertCustomers(ctx, batch); err != nil {
				return err
			}
			return tx.InsertCustomer(ctx, single)
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, n := range append(names, single.Name) {
			ext := fmt.Sprint("c", i)
			if i == len(names) {
				ext = "solo"
			}
			if _, err := s.DB().ExecContext(ctx, `INSERT INTO customers (channel_id, external_id, name, created_at) VALUES (2, $1, $2, $3)`, ext, n, at.UnixMilli()); err != nil {
				t.Fatal(err)
			}
		}
		read := func(q string, args ...any) string {
			var first, last string
			var registered int64
			if err := s.DB().QueryRowContext(ctx, `SELECT first_name, last_name, registered_at FROM customers WHERE `+q, args...).Scan(&first, &last, &registered); err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("%q %q %d", first, last, registered)
		}
		for i, c := range append(batch, single) {
			ext := fmt.Sprint("c", i)
			if c == single {
				ext = "solo"
			}
			got, want := read(`id = $1`, c.ID), read(`channel_id = 2 AND external_id = $1`, ext)
			if got != want || !strings.HasSuffix(want, fmt.Sprint(at.UnixMilli())) {
				t.Errorf("%q: stored %s; the triggers give %s", c.Name, got, want)
			}
		}
	})
}
