package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"guichet/internal/desk"
)

// TestSearchIndexTwoProcesses: two stores on one database (serve and a
// command beside it) both run an indexer. One that read what to index
// before the other wrote it must not write the same entries again.
func TestSearchIndexTwoProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "guichet.db")
	var stores [2]*Store
	for i := range stores {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		stores[i] = s
	}
	d := desk.New(desk.Config{Store: stores[0]})
	d.EnsureAdmin(ctx, "admin@example.fr")
	agents, _ := d.Agents(ctx)
	ch, err := d.SaveChannel(ctx, desk.ActorOf(agents[0]), desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := stores[0].SyncSearch(ctx); err != nil {
		t.Fatal(err)
	}
	// The first's indexer is held from before the message, so that it does
	// not index it first (it is woken right after the commit).
	x := stores[0].search
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, err := d.Ingest(ctx, []desk.Incoming{{ChannelID: ch.ID, OrderRef: "K-1", SourceID: "1", Body: "colis abîmé"}}); err != nil {
		t.Fatal(err)
	}

	// The first reads what to index, the second indexes it meanwhile.
	from, err := x.marks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := stores[1].SyncSearch(ctx); err != nil {
		t.Fatal(err)
	}
	docs := []searchDoc{{id: docID(1, 1), text: "colis abîmé"}}
	err = x.write(ctx, docs, from, map[string]int64{"messages": from["messages"] + 1})
	if !errors.Is(err, errIndexMoved) {
		t.Fatalf("writing from stale marks: %v; want errIndexMoved", err)
	}
	var entries int
	if err := x.wdb.QueryRowContext(ctx, `SELECT count(*) FROM search_fts WHERE rowid = ?`, docID(1, 1)).Scan(&entries); err != nil {
		t.Fatal(err)
	}
	if entries != 1 {
		t.Errorf("the message has %d entries; want 1", entries)
	}
}
