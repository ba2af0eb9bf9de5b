package desk_test

import (
	"errors"
	"testing"
	"time"

	"guichet/internal/desk"
)

// lease claims the channel for a sync run, as the sync worker does.
func (f *fixture) lease(t testing.TB, ch desk.Channel, owner string) {
	t.Helper()
	now := f.clock.Now()
	if _, ok, err := f.s.ClaimChannel(ctx, ch.ID, owner, now, now.Add(5*time.Minute)); err != nil || !ok {
		t.Fatalf("claim %s: %v %v", ch.Name, ok, err)
	}
}

func (f *fixture) syncState(t testing.TB, ch desk.Channel) desk.SyncState {
	t.Helper()
	st, err := f.d.SyncState(ctx, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestIngestSyncStoresTheCursorWithTheMessages(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.lease(t, f.kaufland, "p1")
		b := desk.SyncBatch{ChannelID: f.kaufland.ID, Cursor: "c-1", Lease: "p1",
			Messages: []desk.Incoming{incoming(f.kaufland, "K-1", "m-1", "Bonjour"), incoming(f.kaufland, "K-2", "m-2", "Salut")}}
		res, err := f.d.IngestSync(ctx, b)
		if err != nil || res.Stored != 2 || res.Opened != 2 {
			t.Fatalf("first window: %+v, %v", res, err)
		}
		st := f.syncState(t, f.kaufland)
		if st.Cursor != "c-1" || st.LastFetched != 2 || st.Fetched != 2 || !st.Running {
			t.Errorf("state %+v; want cursor c-1, 2 fetched, running", st)
		}
		// The same window again (a crash before the next cursor): stored once.
		b.Cursor = "c-2"
		res, err = f.d.IngestSync(ctx, b)
		if err != nil || res.Stored != 0 || res.Duplicates != 2 {
			t.Fatalf("same window again: %+v, %v", res, err)
		}
		if st := f.syncState(t, f.kaufland); st.Cursor != "c-2" || st.Fetched != 2 {
			t.Errorf("state %+v; want cursor c-2, still 2 fetched", st)
		}
	})
}

func TestIngestSyncWithALostLeaseStoresNothing(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.lease(t, f.kaufland, "p1")
		f.clock.Add(6 * time.Minute) // p1's lease ran out…
		f.lease(t, f.kaufland, "p2") // …and p2 took the channel
		_, err := f.d.IngestSync(ctx, desk.SyncBatch{ChannelID: f.kaufland.ID, Cursor: "late", Lease: "p1",
			Messages: []desk.Incoming{incoming(f.kaufland, "K-1", "m-1", "Bonjour")}})
		if !errors.Is(err, desk.ErrLeaseLost) {
			t.Fatalf("err = %v; want ErrLeaseLost", err)
		}
		page, err := f.d.FindTickets(ctx, f.admin, desk.TicketFilter{})
		if err != nil || len(page.Tickets) != 0 {
			t.Fatalf("tickets after a lost lease: %+v, %v", page.Tickets, err)
		}
		if st := f.syncState(t, f.kaufland); st.Cursor != "" {
			t.Errorf("cursor %q written by a lost lease", st.Cursor)
		}
	})
}

// questionAndReply fetches a customer's question on Kaufland order K-1,
// under the lease "p1" and cursor "1", and answers it with body: the reply
// is queued, its echo not fetched yet.
func questionAndReply(t *testing.T, f *fixture, body string) (ticketID int64, reply desk.Message) {
	t.Helper()
	f.lease(t, f.kaufland, "p1")
	res, err := f.d.IngestSync(ctx, desk.SyncBatch{ChannelID: f.kaufland.ID, Lease: "p1", Cursor: "1",
		Messages: []desk.Incoming{incoming(f.kaufland, "K-1", "m-1", "Où est mon colis ?")}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.d.Reply(ctx, f.marc, desk.ReplyInput{TicketID: res.Tickets[0], Body: body, Status: desk.StatusWaitingCustomer})
	if err != nil {
		t.Fatal(err)
	}
	return res.Tickets[0], m
}

func TestEchoOfOurReplyIsMatchedNotStoredTwice(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		id, m := questionAndReply(t, f, "Bonjour,\nil part demain.")
		if m.Delivery != desk.DeliveryQueued {
			t.Fatalf("reply delivery %q; want queued", m.Delivery)
		}
		echo := desk.Incoming{OrderRef: "K-1", SourceID: "k-echo-1", FromSeller: true, Body: "Bonjour,\r\nil  part demain."}
		res, err := f.d.IngestSync(ctx, desk.SyncBatch{ChannelID: f.kaufland.ID, Lease: "p1", Cursor: "2", Messages: []desk.Incoming{echo}})
		if err != nil || res.Stored != 0 || res.Echoes != 1 {
			t.Fatalf("echo: %+v, %v", res, err)
		}
		v := f.view(t, id)
		if len(v.Messages) != 2 {
			t.Fatalf("%d messages; want the question and the reply", len(v.Messages))
		}
		got := v.Messages[1]
		if got.ID != m.ID || got.SourceID != "k-echo-1" || got.Delivery != desk.DeliverySent {
			t.Errorf("reply after its echo: %+v; want sent under the channel's id", got)
		}
		if v.Ticket.Status != desk.StatusWaitingCustomer {
			t.Errorf("status %s; our own echo must not reopen the ticket", v.Ticket.Status)
		}
		// The worker, late, records its own success: nothing changes.
		if err := f.d.DeliverySucceeded(ctx, m.ID, "k-echo-1", f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		// Fetched again: a plain duplicate.
		res, err = f.d.IngestSync(ctx, desk.SyncBatch{ChannelID: f.kaufland.ID, Lease: "p1", Cursor: "3", Messages: []desk.Incoming{echo}})
		if err != nil || res.Duplicates != 1 || res.Echoes != 0 {
			t.Fatalf("echo again: %+v, %v", res, err)
		}
	})
}

// The echo of a reply with a file the connector could not fetch carries the
// connector's note on it: the reply is matched on its text all the same,
// not stored a second time (the kill test against Mirakl met it). A message
// that is not an echo keeps the note after its text.
func TestEchoWithTheConnectorsNotesIsMatched(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		id, m := questionAndReply(t, f, "Voici le bon de retour.")
		note := "[Pièce jointe non récupérée, à voir dans le back-office : bon.txt]"
		res, err := f.d.IngestSync(ctx, desk.SyncBatch{ChannelID: f.kaufland.ID, Lease: "p1", Cursor: "2", Messages: []desk.Incoming{
			{OrderRef: "K-1", SourceID: "k-echo-1", FromSeller: true, Body: "Voici le bon de retour.", Notes: note},
			{OrderRef: "K-1", SourceID: "bo-1", FromSeller: true, Body: "Écrit dans le back-office.", Notes: note},
			{OrderRef: "K-1", SourceID: "m-2", Notes: note}, // nothing but a file that did not come
		}})
		if err != nil || res.Stored != 2 || res.Echoes != 1 {
			t.Fatalf("echo with a note: %+v, %v; want it matched, the two others stored", res, err)
		}
		v := f.view(t, id)
		if len(v.Messages) != 4 {
			t.Fatalf("%d messages; want the question, the reply, the back-office message and the customer's", len(v.Messages))
		}
		if got := v.Messages[1]; got.ID != m.ID || got.SourceID != "k-echo-1" || got.Body != "Voici le bon de retour." {
			t.Errorf("reply after its echo: %+v", got)
		}
		if got := v.Messages[2].Body; got != "Écrit dans le back-office.\n\n"+note {
			t.Errorf("back-office message %q; want its text, then the note", got)
		}
		if got := v.Messages[3].Body; got != note {
			t.Errorf("customer's message %q; want the note", got)
		}
	})
}

func TestBackOfficeMessageIsStoredOutgoing(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.lease(t, f.kaufland, "p1")
		res, err := f.d.IngestSync(ctx, desk.SyncBatch{ChannelID: f.kaufland.ID, Lease: "p1", Messages: []desk.Incoming{
			incoming(f.kaufland, "K-1", "m-1", "Question"),
			{OrderRef: "K-1", SourceID: "bo-1", FromSeller: true, Body: "Réponse écrite dans le back-office"},
		}})
		if err != nil || res.Stored != 2 {
			t.Fatalf("%+v, %v", res, err)
		}
		v := f.view(t, res.Tickets[0])
		bo := v.Messages[1]
		if bo.Direction != desk.Out || bo.AuthorKind != desk.AuthorAgent || bo.AuthorAgentID != 0 ||
			bo.AuthorName != "Back-office Kaufland" || bo.Delivery != desk.DeliveryNone {
			t.Errorf("back-office message %+v", bo)
		}
		counts, err := f.d.OutboxCounts(ctx)
		if err != nil || counts[desk.OutboxQueued] != 0 {
			t.Errorf("outbox %v, %v; a back-office message is not ours to send", counts, err)
		}
	})
}

func TestThreadStatesAreApplied(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.lease(t, f.kaufland, "p1")
		in := incoming(f.kaufland, "K-9", "m-1", "Article cassé")
		in.ThreadExternalID, in.ThreadSubject = "T-100", "Article endommagé"
		op := desk.Incoming{OrderRef: "K-9", SourceID: "op-1", AuthorKind: desk.AuthorOperator, AuthorName: "Kaufland", Body: "Merci de répondre", ThreadExternalID: "OP-1"}
		res, err := f.d.IngestSync(ctx, desk.SyncBatch{ChannelID: f.kaufland.ID, Lease: "p1", Messages: []desk.Incoming{in, op},
			Threads: []desk.ThreadState{{OrderRef: "K-9", ExternalID: "T-100", Status: "opened", StatusLabel: "Ouvert", Reason: "Produit défectueux"}}})
		if err != nil {
			t.Fatal(err)
		}
		id := res.Tickets[0]
		v := f.view(t, id)
		if len(v.Threads) != 2 {
			t.Fatalf("threads %+v; want the customer's and the operator's", v.Threads)
		}
		for _, th := range v.Threads {
			switch th.Kind {
			case desk.ThreadCustomer:
				if th.ExternalID != "T-100" || th.Subject != "Article endommagé" || th.Status != "opened" || th.StatusLabel != "Ouvert" {
					t.Errorf("customer thread %+v", th)
				}
			case desk.ThreadOperator:
				if th.ExternalID != "OP-1" {
					t.Errorf("operator thread %+v", th)
				}
			default:
				t.Errorf("unexpected thread %+v", th)
			}
		}
		if v.Ticket.Reason != "Produit défectueux" {
			t.Errorf("reason %q", v.Ticket.Reason)
		}
		// The marketplace closes the conversation, with no message.
		_, err = f.d.IngestSync(ctx, desk.SyncBatch{ChannelID: f.kaufland.ID, Lease: "p1",
			Threads: []desk.ThreadState{{OrderRef: "K-9", ExternalID: "T-100", Status: "both_closed", StatusLabel: "Fermé",
				Reason: "autre", TicketStatus: desk.StatusClosed}}})
		if err != nil {
			t.Fatal(err)
		}
		v = f.view(t, id)
		if v.Ticket.Status != desk.StatusClosed || v.Ticket.Reason != "Produit défectueux" {
			t.Errorf("ticket %+v; want closed, reason kept", v.Ticket)
		}
		last := v.Events[len(v.Events)-2] // then the deadline stops
		if stop := v.Events[len(v.Events)-1]; stop.Kind != desk.EventDeadline || stop.New != "" || stop.ActorName != "Kaufland" {
			t.Errorf("last event %+v; want the deadline stopped by the channel", stop)
		}
		if last.Kind != desk.EventStatus || last.New != string(desk.StatusClosed) || last.ActorName != "Kaufland" {
			t.Errorf("last event %+v; want closed by the channel", last)
		}
		for _, th := range v.Threads {
			if th.Kind == desk.ThreadCustomer && th.Status != "both_closed" {
				t.Errorf("thread status %q", th.Status)
			}
		}
	})
}

func TestOutboxUseCases(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		res, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-1", "m-1", "Question")})
		if err != nil {
			t.Fatal(err)
		}
		m, err := f.d.Reply(ctx, f.marc, desk.ReplyInput{TicketID: res.Tickets[0], Body: "Réponse", Status: desk.StatusWaitingCustomer})
		if err != nil {
			t.Fatal(err)
		}
		now := f.clock.Now()
		claimed, err := f.s.ClaimDeliveries(ctx, "w1", 0, now, now.Add(time.Minute), 10)
		if err != nil || len(claimed) != 1 || claimed[0].MessageID != m.ID {
			t.Fatalf("claimed %+v, %v", claimed, err)
		}
		if again, _ := f.s.ClaimDeliveries(ctx, "w2", 0, now, now.Add(time.Minute), 10); len(again) != 0 {
			t.Fatalf("claimed twice: %+v", again)
		}
		if err := f.d.MarkSending(ctx, m.ID, "w2", now.Add(time.Minute)); !errors.Is(err, desk.ErrLeaseLost) {
			t.Fatalf("MarkSending by another worker: %v", err)
		}
		if err := f.d.MarkSending(ctx, m.ID, "w1", now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := f.d.DeliveryUnknown(ctx, m.ID, ""); err != nil {
			t.Fatal(err)
		}
		v := f.view(t, res.Tickets[0])
		if got := v.Messages[1]; got.Delivery != desk.DeliveryFailed || got.DeliveryError != desk.UncertainDelivery {
			t.Errorf("uncertain reply shows %q %q", got.Delivery, got.DeliveryError)
		}
		list, err := f.d.Deliveries(ctx, f.admin, desk.DeliveryFilter{})
		if err != nil || len(list) != 1 || list[0].State != desk.OutboxUnknown || list[0].Attempts != 1 {
			t.Fatalf("deliveries %+v, %v", list, err)
		}
		if _, err := f.d.Deliveries(ctx, f.lea, desk.DeliveryFilter{}); desk.ErrorCode(err) != desk.EForbidden {
			t.Errorf("an ADV lists deliveries: %v", err)
		}
		if err := f.d.RetryDelivery(ctx, f.lea, m.ID); err != nil {
			t.Fatal(err)
		}
		list, _ = f.d.Deliveries(ctx, f.admin, desk.DeliveryFilter{States: []desk.DeliveryState{desk.OutboxQueued}})
		if len(list) != 1 || list[0].Attempts != 0 {
			t.Fatalf("after retry %+v", list)
		}
		if err := f.d.RetryDelivery(ctx, f.lea, m.ID); desk.ErrorCode(err) != desk.EConflict {
			t.Errorf("retrying a queued reply: %v", err)
		}
		claimed, _ = f.s.ClaimDeliveries(ctx, "w1", 0, now, now.Add(time.Minute), 10)
		if len(claimed) != 1 {
			t.Fatalf("retried reply not due: %+v", claimed)
		}
		f.d.MarkSending(ctx, m.ID, "w1", now.Add(time.Minute))
		if err := f.d.DeliveryFailed(ctx, m.ID, "trop long", true, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if err := f.d.MarkDelivered(ctx, f.lea, m.ID); err != nil {
			t.Fatal(err)
		}
		v = f.view(t, res.Tickets[0])
		if got := v.Messages[1]; got.Delivery != desk.DeliverySent {
			t.Errorf("marked delivered: %q", got.Delivery)
		}
		counts, _ := f.d.OutboxCounts(ctx)
		if counts[desk.OutboxQueued]+counts[desk.OutboxFailed]+counts[desk.OutboxUnknown]+counts[desk.OutboxSending] != 0 {
			t.Errorf("counts %v", counts)
		}
	})
}

func TestSyncSettings(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		if err := f.d.SetSyncEvery(ctx, f.admin, f.kaufland.ID, 10*time.Second); desk.ErrorCode(err) != desk.EInvalid {
			t.Errorf("every 10 s: %v", err)
		}
		if err := f.d.SetSyncEvery(ctx, f.lea, f.kaufland.ID, time.Minute); desk.ErrorCode(err) != desk.EForbidden {
			t.Errorf("by an ADV: %v", err)
		}
		if err := f.d.SetSyncEvery(ctx, f.admin, f.kaufland.ID, 5*time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := f.d.RequestSync(ctx, f.admin, f.kaufland.ID); err != nil {
			t.Fatal(err)
		}
		sts, err := f.d.SyncStates(ctx)
		if err != nil || len(sts) != 3 {
			t.Fatalf("%+v, %v", sts, err)
		}
		for _, st := range sts {
			switch st.ChannelID {
			case f.kaufland.ID:
				if st.Every != 5*time.Minute || !st.Requested || st.Running {
					t.Errorf("kaufland %+v", st)
				}
			default:
				if st.Every != desk.DefaultSyncEvery || st.Requested {
					t.Errorf("channel %d %+v", st.ChannelID, st)
				}
			}
		}
	})
}
