package live_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
	"guichet/internal/web/live"
)

// Two guichet processes on one PostgreSQL: a change committed by one shows
// on the pages open on the other (a sync on one process, an agent on the
// other), and each process publishes its own changes once.
func TestLinkedHubsRelayChangesBetweenProcesses(t *testing.T) {
	a := storetest.Postgres(t)
	b := openSameDatabase(t, a)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.DiscardHandler)
	ha, hb := live.New(), live.New()
	ha.Link(ctx, a, log)
	hb.Link(ctx, b, log)
	subA, subB := ha.Subscribe(), hb.Subscribe()

	// The listeners start asynchronously: publish until the first arrives.
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	ha.Notify(desk.Change{TicketID: 7, Kind: desk.EventMessageIn})
	for got := false; !got; {
		select {
		case e := <-subB.Events:
			got = e.TicketID == 7 && e.Type == "change" && e.Kind == string(desk.EventMessageIn)
		case <-tick.C:
			ha.Notify(desk.Change{TicketID: 7, Kind: desk.EventMessageIn})
		case <-deadline:
			t.Fatal("the other process never heard of the change")
		}
	}
	for len(subA.Events) > 0 { // a's own, published locally
		<-subA.Events
	}
	for len(subB.Events) > 0 {
		<-subB.Events
	}

	hb.Publish(live.Event{Type: "typing", TicketID: 9, AgentID: 3, AgentName: "Léa"})
	select {
	case e := <-subA.Events:
		if e.Type != "typing" || e.TicketID != 9 || e.AgentName != "Léa" {
			t.Fatalf("a got %+v; want b's typing event", e)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("typing never crossed")
	}
	if e := <-subB.Events; e.Type != "typing" {
		t.Fatalf("b's own subscriber got %+v", e)
	}
	// No echo: b does not get its own event back from the database.
	time.Sleep(200 * time.Millisecond)
	if n := len(subB.Events); n != 0 {
		t.Errorf("b got %d more events: its own, echoed back", n)
	}
}

// openSameDatabase opens a second pool on s's schema, as a second process would.
func openSameDatabase(t *testing.T, s *store.Store) *store.Store {
	t.Helper()
	var path string
	if err := s.DB().QueryRow(`SELECT current_schema()`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	u := storetest.PostgresURL()
	sep := "?"
	for _, c := range u {
		if c == '?' {
			sep = "&"
		}
	}
	o, err := store.Open(context.Background(), u+sep+"search_path="+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}
