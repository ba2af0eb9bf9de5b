package desk_test

import (
	"testing"

	"guichet/internal/desk"
)

// The statistics come from counters kept in the same transactions as the
// tickets and messages (and folded on PostgreSQL): they agree with the
// rows, notes and the desk's automatic messages apart, before and after
// a compaction.
func TestServiceStatsAreKeptCounters(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		r, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-1", "a", "un"), incoming(f.kaufland, "K-1", "b", "deux"),
			incoming(f.fnac, "F-1", "c", "trois")})
		if err != nil {
			t.Fatal(err)
		}
		k1, f1 := r.Tickets[0], r.Tickets[1]
		if _, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: k1, Body: "Réponse", Status: desk.StatusWaitingCustomer}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.AddNote(ctx, f.lea, k1, "note"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.d.SendSystemMessage(ctx, desk.SystemMessageInput{TicketID: f1, Key: "ack", Body: "Bien reçu"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.CloseTicket(ctx, f.marc, f1); err != nil {
			t.Fatal(err)
		}
		want := desk.ServiceStats{Threads: 2, Pending: 1, CustomerMessages: 3, AgentMessages: 1, Unread: 0, Closed: 1}
		for _, when := range []string{"before compaction", "after compaction"} {
			o, err := f.d.ServiceOverview(ctx, f.lea)
			if err != nil || o.Stats != want {
				t.Fatalf("%s: %+v, %v; want %+v", when, o.Stats, err, want)
			}
			if err := f.s.Compact(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-2", "d", "quatre")}); err != nil {
			t.Fatal(err)
		}
		if o, _ := f.d.ServiceOverview(ctx, f.lea); o.Stats.CustomerMessages != 4 || o.Stats.Threads != 3 || o.Stats.Unread != 1 {
			t.Fatalf("after one more: %+v", o.Stats)
		}
	})
}
