package sync_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// outboxEnv is a channel with one ticket, fetched, and its fake.
func outboxEnv(t *testing.T, s *store.Store) (*env, *fakeChannel, desk.Channel) {
	e := newEnv(t, s, &clock{t: monday}, "Kaufland")
	ch := e.channels[0]
	fake := newFake(10)
	fake.add(customerMessages("K", 3, 3)...)
	e.fakes[ch.ID] = fake
	if _, err := e.runner("setup").Once(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	return e, fake, ch
}

func (e *env) delivery(t testing.TB, id int64) desk.OutboxEntry {
	t.Helper()
	list, err := e.d.Deliveries(ctx, e.admin, desk.DeliveryFilter{States: []desk.DeliveryState{
		desk.OutboxQueued, desk.OutboxSending, desk.OutboxUnknown, desk.OutboxSent, desk.OutboxFailed}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list {
		if d.MessageID == id {
			return d
		}
	}
	t.Fatalf("no delivery for message %d", id)
	return desk.OutboxEntry{}
}

func (e *env) message(t testing.TB, id int64) desk.Message {
	t.Helper()
	d := e.delivery(t, id)
	v, err := e.d.Ticket(ctx, e.admin, d.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range v.Messages {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("message %d not on its ticket", id)
	return desk.Message{}
}

func TestReplyIsDeliveredAndItsEchoDropped(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e, fake, ch := outboxEnv(t, s)
		fake.echo = true
		m := e.replyTo(t, ch, "K-0", "Votre colis part demain.")
		rep, err := e.runner("p1").Once(ctx, ch.ID)
		if err != nil || rep.Channels[0].Delivered != 1 {
			t.Fatalf("%+v, %v", rep, err)
		}
		got := e.message(t, m.ID)
		if got.Delivery != desk.DeliverySent || got.SourceID != "out-"+itoa(m.ID)+"-1" {
			t.Errorf("delivered reply %+v", got)
		}
		rep, err = e.runner("p1").Once(ctx, ch.ID) // fetches the echo
		if err != nil || rep.Channels[0].Stored != 0 || rep.Channels[0].Duplicates == 0 {
			t.Fatalf("echo pass: %+v, %v", rep, err)
		}
		if n := e.countMessages(t, ch, "out"); n != 1 {
			t.Errorf("%d outgoing messages; the echo must not be a second one", n)
		}
		if rc, _, _ := fake.counts(); rc[m.ID] != 1 {
			t.Errorf("sent %d times", rc[m.ID])
		}
	})
}

func TestTransientFailuresBackOffThenSucceed(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e, fake, ch := outboxEnv(t, s)
		m := e.replyTo(t, ch, "K-1", "Réponse")
		r := e.runner("p1")
		fails := []error{
			&channel.Error{Kind: channel.Transient, Status: 503, Message: "indisponible"},
			&channel.Error{Kind: channel.RateLimited, Status: 429, RetryAfter: 3 * time.Minute},
			&channel.Error{Kind: channel.Transient, Status: 500, Message: "erreur interne"},
		}
		fake.fault = func(op string) error {
			if op != "send" || len(fails) == 0 {
				return nil
			}
			err := fails[0]
			fails = fails[1:]
			return err
		}
		// Jitter is fixed at its middle: waits are exactly 1 min, then
		// the 429's 3 min, then 4 min (third attempt).
		for i, wait := range []time.Duration{time.Minute, 3 * time.Minute, 4 * time.Minute} {
			start := e.clock.Now()
			if _, err := r.DeliverDue(ctx, 0); err != nil {
				t.Fatal(err)
			}
			d := e.delivery(t, m.ID)
			if d.State != desk.OutboxQueued || d.Attempts != i+1 || !d.NextAt.Equal(start.Add(wait)) {
				t.Fatalf("after failure %d: %+v; want queued, next in %v (got %v)", i+1, d, wait, d.NextAt.Sub(start))
			}
			if msg := e.message(t, m.ID); msg.Delivery != desk.DeliveryQueued || msg.DeliveryError == "" {
				t.Errorf("the agents see %q %q", msg.Delivery, msg.DeliveryError)
			}
			e.clock.Add(wait - time.Second)
			r.DeliverDue(ctx, 0)
			if e.delivery(t, m.ID).Attempts != i+1 {
				t.Fatalf("retried before its time")
			}
			e.clock.Add(time.Second)
		}
		if _, err := r.DeliverDue(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if d := e.delivery(t, m.ID); d.State != desk.OutboxSent {
			t.Fatalf("after the failures: %+v", d)
		}
		if rc, _, _ := fake.counts(); rc[m.ID] != 1 {
			t.Errorf("received %d times", rc[m.ID])
		}
	})
}

func TestRefusedReplyFailsVisibly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e, fake, ch := outboxEnv(t, s)
		m := e.replyTo(t, ch, "K-1", "Réponse")
		fake.fault = func(op string) error {
			if op == "send" {
				return &channel.Error{Kind: channel.Refused, Status: 400, Message: "texte trop long"}
			}
			return nil
		}
		rep, err := e.runner("p1").Once(ctx, ch.ID)
		if err != nil || rep.Channels[0].Failed != 1 {
			t.Fatalf("%+v, %v", rep, err)
		}
		msg := e.message(t, m.ID)
		if msg.Delivery != desk.DeliveryFailed || !strings.Contains(msg.DeliveryError, "texte trop long") {
			t.Errorf("refused reply shows %q %q", msg.Delivery, msg.DeliveryError)
		}
		// An agent fixes it on the channel's side and retries.
		fake.fault = nil
		if err := e.d.RetryDelivery(ctx, e.agent, m.ID); err != nil {
			t.Fatal(err)
		}
		e.runner("p1").DeliverDue(ctx, 0)
		if d := e.delivery(t, m.ID); d.State != desk.OutboxSent {
			t.Errorf("after retry: %+v", d)
		}
	})
}

func TestAttemptsRunOut(t *testing.T) {
	e, fake, ch := outboxEnv(t, storetest.SQLite(t))
	m := e.replyTo(t, ch, "K-1", "Réponse")
	fake.fault = func(op string) error {
		if op == "send" {
			return &channel.Error{Kind: channel.Transient, Status: 503}
		}
		return nil
	}
	r := e.runner("p1")
	total := time.Duration(0)
	for range 20 {
		start := e.clock.Now()
		r.DeliverDue(ctx, 0)
		d := e.delivery(t, m.ID)
		if d.State == desk.OutboxFailed {
			break
		}
		total += d.NextAt.Sub(start)
		e.clock.Add(d.NextAt.Sub(start))
	}
	d := e.delivery(t, m.ID)
	if d.State != desk.OutboxFailed || d.Attempts != 14 || !strings.Contains(d.LastError, "14 essais") {
		t.Fatalf("%+v", d)
	}
	if total < 20*time.Hour || total > 40*time.Hour {
		t.Errorf("gave up after %v of retries; want about a day", total)
	}
	if rc, _, _ := fake.counts(); rc[m.ID] != 0 {
		t.Errorf("received %d", rc[m.ID])
	}
}

// A process stops (dies) after handing a reply to the channel and before
// recording the answer: the next one looks it up rather than send again.
func TestSendingLeftBehindIsLookedUp(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e, fake, ch := outboxEnv(t, s)
		arrived := e.replyTo(t, ch, "K-0", "Arrivée")
		lost := e.replyTo(t, ch, "K-1", "Jamais partie")
		// The channel takes the first and hangs; the second never reaches it.
		stop, cancel := context.WithCancel(ctx)
		inSend := make(chan struct{}, 2)
		fake.fault = func(op string) error {
			if op != "send" {
				return nil
			}
			inSend <- struct{}{}
			return nil
		}
		fake.pause = func() time.Duration { return time.Hour }
		fake.crashAfter = func(r channel.Reply) bool { return r.MessageID == lost.ID }
		// The second reply's Send reports a failure after "receiving" it:
		// take it back out so that it truly never arrived.
		done := make(chan struct{})
		go func() { e.runner("dead").DeliverDue(stop, 0); close(done) }()
		<-inSend
		<-inSend
		cancel()
		<-done
		fake.mu.Lock()
		delete(fake.received, lost.ID)
		delete(fake.sent, lost.ID)
		fake.mu.Unlock()
		fake.pause, fake.crashAfter, fake.fault = nil, nil, nil
		for _, id := range []int64{arrived.ID, lost.ID} {
			if d := e.delivery(t, id); d.State != desk.OutboxSending {
				t.Fatalf("message %d left %s; want sending", id, d.State)
			}
		}
		// Before the lease ends nobody touches them.
		r := e.runner("next")
		r.DeliverDue(ctx, 0)
		if d := e.delivery(t, arrived.ID); d.State != desk.OutboxSending {
			t.Fatalf("taken before its lease ended: %+v", d)
		}
		e.clock.Add(10 * time.Minute)
		r.DeliverDue(ctx, 0)
		rc, _, _ := fake.counts()
		if d := e.delivery(t, arrived.ID); d.State != desk.OutboxSent || rc[arrived.ID] != 1 {
			t.Errorf("arrived one: %+v, received %d times; want found by lookup, sent once", d, rc[arrived.ID])
		}
		if d := e.delivery(t, lost.ID); d.State != desk.OutboxSent || rc[lost.ID] != 1 {
			t.Errorf("lost one: %+v, received %d times; want sent again, once", d, rc[lost.ID])
		}
	})
}

// Without a way to look a reply up, a send left behind waits for an agent.
func TestSendingLeftBehindWithoutLookupWaitsForAnAgent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e, fake, ch := outboxEnv(t, s)
		e.fakes[ch.ID] = blind{fake}
		m := e.replyTo(t, ch, "K-0", "Peut-être arrivée")
		stop, cancel := context.WithCancel(ctx)
		inSend := make(chan struct{}, 1)
		fake.fault = func(op string) error {
			if op == "send" {
				inSend <- struct{}{}
			}
			return nil
		}
		fake.pause = func() time.Duration { return time.Hour }
		done := make(chan struct{})
		go func() { e.runner("dead").DeliverDue(stop, 0); close(done) }()
		<-inSend
		cancel()
		<-done
		fake.pause, fake.fault = nil, nil
		e.clock.Add(10 * time.Minute)
		rep, err := e.runner("next").Once(ctx, ch.ID)
		if err != nil || rep.Channels[0].Unknown != 1 {
			t.Fatalf("%+v, %v", rep, err)
		}
		msg := e.message(t, m.ID)
		if msg.Delivery != desk.DeliveryFailed || !strings.HasPrefix(msg.DeliveryError, desk.UncertainDelivery) {
			t.Errorf("uncertain reply shows %q %q", msg.Delivery, msg.DeliveryError)
		}
		e.runner("next").DeliverDue(ctx, 0)
		if rc, _, _ := fake.counts(); rc[m.ID] != 1 {
			t.Errorf("received %d times; an uncertain reply is never sent again by itself", rc[m.ID])
		}
		// The agent checked on the channel: it arrived.
		if err := e.d.MarkDelivered(ctx, e.agent, m.ID); err != nil {
			t.Fatal(err)
		}
		if d := e.delivery(t, m.ID); d.State != desk.OutboxSent {
			t.Errorf("%+v", d)
		}
	})
}

func TestAttachmentsAreSent(t *testing.T) {
	e, fake, ch := outboxEnv(t, storetest.SQLite(t))
	var id int64
	e.s.DB().QueryRowContext(ctx, `SELECT id FROM tickets WHERE order_ref = 'K-0'`).Scan(&id)
	var got []channel.File
	e.fakes[ch.ID] = sendSpy{fake, func(r channel.Reply) { got = r.Files }}
	_, err := e.d.Reply(ctx, e.agent, desk.ReplyInput{TicketID: id, Body: "Voici la facture", Status: desk.StatusWaitingCustomer,
		Attachments: []desk.NewAttachment{{Name: "facture.pdf", ContentType: "application/pdf", Kind: "invoice", Data: strings.NewReader("%PDF-1.4 …")}}})
	if err != nil {
		t.Fatal(err)
	}
	e.runner("p1").DeliverDue(ctx, 0)
	if len(got) != 1 || got[0].Name != "facture.pdf" || string(got[0].Data) != "%PDF-1.4 …" {
		t.Errorf("files sent: %+v", got)
	}
}

type sendSpy struct {
	*fakeChannel
	spy func(channel.Reply)
}

func (s sendSpy) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	s.spy(r)
	return s.fakeChannel.Send(ctx, r)
}

// A reply that opens the conversation on the channel names our thread
// with its id: the channel's answers in it come to the same thread.
func TestSendThatOpensAConversationNamesTheThread(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e, fake, ch := outboxEnv(t, s)
		m := e.replyTo(t, ch, "K-0", "Première réponse")
		e.fakes[ch.ID] = opener{fake}
		e.runner("p1").DeliverDue(ctx, 0)
		fake.add(desk.Incoming{OrderRef: "K-0", SourceID: "answer", ThreadExternalID: "conv-K-0", Body: "Merci"})
		if _, err := e.runner("p1").Once(ctx, ch.ID); err != nil {
			t.Fatal(err)
		}
		v, err := e.d.Ticket(ctx, e.admin, e.delivery(t, m.ID).TicketID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Threads) != 1 || v.Threads[0].ExternalID != "conv-K-0" {
			t.Errorf("threads %+v; want one, named by the channel", v.Threads)
		}
	})
}

type opener struct{ *fakeChannel }

func (o opener) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	s, err := o.fakeChannel.Send(ctx, r)
	s.ThreadExternalID = "conv-" + r.OrderRef
	return s, err
}

// A reply on a ticket's Email thread is for the customer's real address:
// the marketplace's connector must never get it (it would reach the
// marketplace's conversation instead). Until an email channel sends it,
// it fails visibly, with why.
func TestEmailThreadReplyIsNotGivenToTheMarketplace(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e, fake, ch := outboxEnv(t, s)
		var id int64
		if err := e.s.DB().QueryRowContext(ctx, `SELECT id FROM tickets WHERE channel_id = $1 AND order_ref = 'K-0'`, ch.ID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		email := "jean.dupont@example.fr"
		if _, err := e.d.UpdateTicket(ctx, e.agent, id, desk.TicketPatch{RealEmail: &email}); err != nil {
			t.Fatal(err)
		}
		m, err := e.d.Reply(ctx, e.agent, desk.ReplyInput{TicketID: id, ThreadKind: desk.ThreadEmail, Body: "Votre facture est jointe.",
			Status: desk.StatusWaitingCustomer, Confirmed: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.runner("p1").Once(ctx, ch.ID); err != nil {
			t.Fatal(err)
		}
		if rc, _, _ := fake.counts(); rc[m.ID] != 0 {
			t.Fatalf("the marketplace got the Email thread's reply %d times", rc[m.ID])
		}
		got := e.delivery(t, m.ID)
		if got.State != desk.OutboxFailed || !strings.Contains(got.LastError, "email") {
			t.Errorf("Email thread reply %+v; want failed, saying email is not set up", got)
		}
	})
}
