package desk_test

import (
	"testing"

	"guichet/internal/desk"
)

// A reply to the operator on an order without an operator thread opens
// one on the channel. When the channel's echo of it is fetched before the
// outbox records the conversation (a process killed in between), ours and
// the fetched one become one thread, named by the channel; so they do when
// the outbox records it after the fetch. The next reply goes there.
func TestReplyOpeningAThreadIsOneThread(t *testing.T) {
	for _, echoFirst := range []bool{true, false} {
		name := "outbox first"
		if echoFirst {
			name = "echo first"
		}
		t.Run(name, func(t *testing.T) {
			each(t, func(t *testing.T, f *fixture) {
				f.lease(t, f.fnac, "p1")
				res, err := f.d.IngestSync(ctx, desk.SyncBatch{ChannelID: f.fnac.ID, Lease: "p1", Cursor: "1",
					Messages: []desk.Incoming{incoming(f.fnac, "F-1", "c-1", "Bonjour, où est mon colis ?")}})
				if err != nil {
					t.Fatal(err)
				}
				id := res.Tickets[0]
				m, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: id, ThreadKind: desk.ThreadOperator, Body: "Pouvez-vous ouvrir une enquête ?", Status: desk.StatusWaitingAdmin})
				if err != nil {
					t.Fatal(err)
				}
				echo := desk.Incoming{OrderRef: "F-1", SourceID: "op-msg-1", ThreadKind: desk.ThreadOperator, ThreadExternalID: "op-thread-1",
					FromSeller: true, Body: "Pouvez-vous ouvrir une enquête ?"}
				if !echoFirst {
					if err := f.d.DeliveryOpenedThread(ctx, m.ID, "op-thread-1"); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := f.d.IngestSync(ctx, desk.SyncBatch{ChannelID: f.fnac.ID, Lease: "p1", Cursor: "2", Messages: []desk.Incoming{echo}}); err != nil {
					t.Fatal(err)
				}
				if echoFirst { // the outbox, late
					if err := f.d.DeliveryOpenedThread(ctx, m.ID, "op-thread-1"); err != nil {
						t.Fatal(err)
					}
				}
				v := f.view(t, id)
				var ops []desk.Thread
				for _, th := range v.Threads {
					if th.Kind == desk.ThreadOperator {
						ops = append(ops, th)
					}
				}
				if len(ops) != 1 || ops[0].ExternalID != "op-thread-1" || len(v.Messages) != 2 || v.Messages[1].ThreadID != ops[0].ID {
					t.Fatalf("echo first %v: operator threads %+v, messages %+v; want one, the channel's, holding the reply", echoFirst, ops, v.Messages)
				}
				next, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: id, ThreadKind: desk.ThreadOperator, Body: "Merci.", Status: desk.StatusWaitingAdmin})
				if err != nil || next.ThreadID != ops[0].ID {
					t.Errorf("next reply in thread %d (%v); want %d", next.ThreadID, err, ops[0].ID)
				}
			})
		})
	}
}
