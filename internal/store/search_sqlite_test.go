package store_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"guichet/internal/desk"
	"guichet/internal/store"
)

// TestSQLiteSearchFile checks the life of SQLite's search index, a file of
// its own fed after the fact: lost, it is rebuilt from the main database at
// start; an index of another layout is rebuilt too; the queue of tickets to
// reindex is pruned once taken, never before.
func TestSQLiteSearchFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "guichet.db")
	open := func() (*store.Store, *desk.Desk, desk.Actor) {
		t.Helper()
		s, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		d := desk.New(desk.Config{Store: s})
		d.EnsureAdmin(ctx, "admin@example.fr")
		agents, _ := d.Agents(ctx)
		return s, d, desk.ActorOf(agents[0])
	}
	find := func(d *desk.Desk, admin desk.Actor, q string) []string {
		t.Helper()
		page, err := d.FindTickets(ctx, admin, desk.TicketFilter{Text: q, Limit: desk.MaxPageSize})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var orders []string
		for _, r := range page.Tickets {
			orders = append(orders, r.OrderRef)
		}
		slices.Sort(orders)
		return orders
	}

	s, d, admin := open()
	ch, err := d.SaveChannel(ctx, admin, desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	var batch []desk.Incoming
	for i := range 30 {
		body := "Bonjour, où est mon colis ?"
		if i%10 == 0 {
			body = "La facture porte une erreur de TVA."
		}
		batch = append(batch, desk.Incoming{ChannelID: ch.ID, OrderRef: fmt.Sprintf("K-%03d", i), SourceID: fmt.Sprint(i), Body: body,
			Customer: desk.CustomerInput{Name: fmt.Sprintf("Client %d", i)}})
	}
	if _, err := d.Ingest(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		tk, _ := d.LookupTicket(ctx, admin, fmt.Sprintf("K-%03d", i))
		problem := fmt.Sprintf("Litige numéro %d", i)
		if _, err := d.UpdateTicket(ctx, admin, tk.ID, desk.TicketPatch{Problem: &problem}); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"K-000", "K-010", "K-020"}
	if got := find(d, admin, "TVA"); !slices.Equal(got, want) {
		t.Fatalf("tva = %v; want %v", got, want)
	}
	if got := find(d, admin, "litige"); !slices.Equal(got, []string{"K-000", "K-001", "K-002"}) {
		t.Fatalf("litige = %v", got)
	}

	// The queue keeps what the index has not taken; Compact drops the rest.
	queued := func() int {
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM search_queue`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if queued() == 0 {
		t.Fatal("no ticket queued for the index")
	}
	if err := s.SyncSearch(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO search_queue (ticket_id) VALUES (1)`); err != nil { // not taken yet
		t.Fatal(err)
	}
	if err := s.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if n := queued(); n != 1 {
		t.Errorf("after Compact, %d rows queued; want the 1 not taken", n)
	}
	s.Close()

	// Lost: rebuilt at start from the main database.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(dir, "guichet.search.db") + suffix)
	}
	s, d, admin = open()
	if got := find(d, admin, "tva"); !slices.Equal(got, want) {
		t.Errorf("after the index file was lost, tva = %v; want %v", got, want)
	}
	if got := find(d, admin, "litige"); !slices.Equal(got, []string{"K-000", "K-001", "K-002"}) {
		t.Errorf("after the index file was lost, litige = %v", got)
	}
	s.Close()

	// Of another version: dropped and rebuilt, not read.
	idx, err := sql.Open("sqlite", filepath.Join(dir, "guichet.search.db"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = idx.ExecContext(ctx, `UPDATE search_state SET value = 0 WHERE name = 'version'; DELETE FROM search_fts; INSERT INTO search_fts (rowid, body) VALUES (1048576, 'fantome')`)
	idx.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, d, admin = open()
	defer s.Close()
	if got := find(d, admin, "fantome"); got != nil {
		t.Errorf("an index of another version was read: fantome = %v", got)
	}
	if got := find(d, admin, "tva"); !slices.Equal(got, want) {
		t.Errorf("after a version change, tva = %v; want %v", got, want)
	}
}
