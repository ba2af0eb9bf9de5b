package desk

import (
	"context"
)

type orderKey struct {
	channelID int64
	orderRef  string // or, without an order, "\x00" + thread kind + "\x00" + conversation id
}

type threadKey struct {
	ticketID   int64
	kind       ThreadKind
	externalID string
}

// ingestBatch stores one Ingest batch: a channel's messages at a time, with
// one statement per step for the whole group (lock the orders' tickets, drop
// the messages already delivered, insert the messages, their events), and
// each ticket written once at the end.
type ingestBatch struct {
	d             *Desk
	tx            Tx
	channels      map[int64]Channel
	tickets       map[orderKey]*Ticket
	threads       map[threadKey]Thread
	threadsLoaded map[int64]bool // tickets whose threads are in threads
	dirty         []*Ticket      // every ticket the batch touched, to write once
	events        []Event

	stored, duplicates, opened int
	touched                    []int64 // tickets that got a message, each once
	isTouched                  map[int64]bool
	changes                    []Change
}

func newIngestBatch(d *Desk, tx Tx) *ingestBatch {
	return &ingestBatch{d: d, tx: tx, channels: map[int64]Channel{}, tickets: map[orderKey]*Ticket{},
		threads: map[threadKey]Thread{}, threadsLoaded: map[int64]bool{}, isTouched: map[int64]bool{}}
}

// run stores msgs, sorted by channel and order.
func (b *ingestBatch) run(ctx context.Context, msgs []preparedIncoming) error {
	for len(msgs) > 0 {
		n := 1
		for n < len(msgs) && msgs[n].ChannelID == msgs[0].ChannelID {
			n++
		}
		if err := b.channelGroup(ctx, msgs[:n]); err != nil {
			return err
		}
		msgs = msgs[n:]
	}
	return b.flush(ctx)
}

// pending is a message on its way into the store.
type pending struct {
	in     *preparedIncoming
	ticket *Ticket
	thread Thread
	msg    Message
}

func (b *ingestBatch) channelGroup(ctx context.Context, msgs []preparedIncoming) error {
	ch, err := b.channel(ctx, msgs[0].ChannelID)
	if err != nil {
		return err
	}
	// Lock the orders' tickets first (in order), so that the delivered
	// messages read next include those of any batch that held them before us.
	var refs []string
	for _, m := range msgs {
		if m.OrderRef != "" && (len(refs) == 0 || refs[len(refs)-1] != m.OrderRef) {
			refs = append(refs, m.OrderRef)
		}
	}
	if len(refs) > 0 {
		ts, err := b.tx.TicketsByOrders(ctx, ch.ID, refs)
		if err != nil {
			return err
		}
		for i := range ts {
			b.keep(orderKey{ch.ID, ts[i].OrderRef}, &ts[i])
		}
	}
	sources := make([]string, len(msgs))
	for i, m := range msgs {
		sources[i] = m.SourceID
	}
	seen, err := b.tx.ExistingSources(ctx, ch.ID, sources)
	if err != nil {
		return err
	}
	var fresh []*pending
	for i := range msgs {
		if seen[msgs[i].SourceID] {
			b.duplicates++
			continue
		}
		seen[msgs[i].SourceID] = true // twice in the batch: stored once
		fresh = append(fresh, &pending{in: &msgs[i]})
	}
	for _, p := range fresh {
		if p.ticket, err = b.ticket(ctx, ch, p.in); err != nil {
			return err
		}
	}
	if err := b.loadThreads(ctx, fresh); err != nil {
		return err
	}
	rows := make([]*Message, len(fresh))
	next := map[*Ticket]int{}
	for i, p := range fresh {
		if p.thread, err = b.thread(ctx, p.ticket, p.in); err != nil {
			return err
		}
		if next[p.ticket] == 0 {
			next[p.ticket] = p.ticket.MessageCount + 1
		}
		p.msg = Message{
			TicketID: p.ticket.ID, ThreadID: p.thread.ID, Seq: next[p.ticket], Direction: In,
			AuthorKind: p.in.AuthorKind, AuthorName: p.in.AuthorName,
			Body: p.in.Body, BodyHTML: p.in.BodyHTML, SourceID: p.in.SourceID, CreatedAt: p.in.At,
		}
		next[p.ticket]++
		rows[i] = &p.msg
	}
	if len(rows) > 0 {
		if _, err := b.tx.InsertMessages(ctx, rows, ch.ID); err != nil {
			return err
		}
	}
	for _, p := range fresh {
		if p.msg.ID == 0 { // another process stored it just now
			b.duplicates++
			continue
		}
		if err := b.apply(ctx, ch, p); err != nil {
			return err
		}
	}
	return nil
}

// apply records what a stored message changes: its files, its events, and
// its ticket's status, deadline, activity and preview.
func (b *ingestBatch) apply(ctx context.Context, ch Channel, p *pending) error {
	t, in := p.ticket, p.in
	for _, f := range in.files {
		f.MessageID = p.msg.ID
		if err := b.tx.InsertAttachment(ctx, &f); err != nil {
			return err
		}
	}
	t.MessageCount = max(t.MessageCount, p.msg.Seq)
	actor := Event{TicketID: t.ID, At: in.At, ActorName: or(in.AuthorName, ch.Name)}
	ev := actor
	ev.Kind, ev.MessageID, ev.New = EventMessageIn, p.msg.ID, string(p.thread.Kind)
	b.events = append(b.events, ev)
	if in.AuthorKind != AuthorSystem && t.Status != StatusWaitingAdmin {
		ev := actor
		ev.Kind, ev.Old, ev.New = EventStatus, string(t.Status), string(StatusWaitingAdmin)
		b.events = append(b.events, ev)
		setStatus(t, StatusWaitingAdmin, System, in.At)
		t.Deadline = b.d.deadlineFor(ch, in.At)
	}
	if !in.At.Before(t.LastActivityAt) {
		t.LastActivityAt = in.At
		t.setPreview(in.Body)
	}
	if t.Reason == "" && in.Reason != "" {
		t.Reason = in.Reason
	}
	b.stored++
	if !b.isTouched[t.ID] {
		b.isTouched[t.ID] = true
		b.touched = append(b.touched, t.ID)
	}
	b.changes = append(b.changes, Change{TicketID: t.ID, Kind: EventMessageIn})
	return nil
}

func (b *ingestBatch) channel(ctx context.Context, id int64) (Channel, error) {
	if c, ok := b.channels[id]; ok {
		return c, nil
	}
	c, err := b.tx.ChannelByID(ctx, id)
	if IsNotFound(err) {
		return c, Invalid("channel_id", "canal inconnu : %d", id)
	}
	if err == nil {
		b.channels[id] = c
	}
	return c, err
}

// ticket returns the message's ticket, opening it when its order (or, without
// an order, its conversation) has none.
func (b *ingestBatch) ticket(ctx context.Context, ch Channel, in *preparedIncoming) (*Ticket, error) {
	key := orderKey{ch.ID, in.OrderRef}
	if in.OrderRef == "" && in.ThreadExternalID != "" {
		key.orderRef = "\x00" + string(in.ThreadKind) + "\x00" + in.ThreadExternalID
	}
	if t, ok := b.tickets[key]; ok {
		return t, nil
	}
	if in.OrderRef == "" && in.ThreadExternalID != "" {
		t, err := b.tx.TicketByThread(ctx, ch.ID, in.ThreadKind, in.ThreadExternalID)
		if err == nil {
			b.keep(key, &t)
			return &t, nil
		}
		if !IsNotFound(err) {
			return nil, err
		}
	}
	t := Ticket{
		ChannelID: ch.ID, OrderRef: in.OrderRef, Status: StatusWaitingAdmin, Priority: P1,
		AssigneeID: ch.ResponsibleID, Deadline: b.d.deadlineFor(ch, in.At),
		OpenedAt: in.At, LastActivityAt: in.At, Reason: in.Reason, Subject: or(in.Subject, in.ThreadSubject),
	}
	var err error
	if t.CustomerID, err = upsertCustomer(ctx, b.tx, ch.ID, in.cust, in.At); err != nil {
		return nil, err
	}
	created, err := b.tx.InsertTicket(ctx, &t)
	if err != nil {
		return nil, err
	}
	if !created { // another process opened it just now
		if t, err = b.tx.TicketByOrder(ctx, ch.ID, in.OrderRef); err != nil {
			return nil, err
		}
		b.keep(key, &t)
		return &t, nil
	}
	if err := b.tx.IndexTicket(ctx, t.ID); err != nil {
		return nil, err
	}
	b.events = append(b.events, Event{TicketID: t.ID, At: in.At, ActorName: ch.Name, Kind: EventCreated, New: ch.Name})
	b.threadsLoaded[t.ID] = true // a new ticket has no thread yet
	b.opened++
	b.changes = append(b.changes, Change{TicketID: t.ID, Kind: EventCreated})
	b.keep(key, &t)
	return &t, nil
}

func (b *ingestBatch) keep(key orderKey, t *Ticket) {
	b.tickets[key] = t
	b.dirty = append(b.dirty, t)
}

// loadThreads reads, in one query, the threads of the messages' tickets.
func (b *ingestBatch) loadThreads(ctx context.Context, ps []*pending) error {
	var ids []int64
	for _, p := range ps {
		if id := p.ticket.ID; !b.threadsLoaded[id] {
			b.threadsLoaded[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	ths, err := b.tx.ThreadsOfTickets(ctx, ids)
	for _, th := range ths {
		b.threads[threadKey{th.TicketID, th.Kind, th.ExternalID}] = th
	}
	return err
}

// thread returns the message's thread, opening it when its ticket has none.
func (b *ingestBatch) thread(ctx context.Context, t *Ticket, in *preparedIncoming) (Thread, error) {
	key := threadKey{t.ID, in.ThreadKind, in.ThreadExternalID}
	if th, ok := b.threads[key]; ok {
		return th, nil
	}
	th := Thread{TicketID: t.ID, Kind: in.ThreadKind, ExternalID: in.ThreadExternalID, Subject: in.ThreadSubject, CreatedAt: in.At}
	if err := b.tx.InsertThread(ctx, &th); err != nil {
		return Thread{}, err
	}
	b.threads[key] = th
	return th, nil
}

// flush writes the batch's events, then each ticket it touched, once.
func (b *ingestBatch) flush(ctx context.Context) error {
	if len(b.events) > 0 {
		if err := b.tx.InsertEvents(ctx, b.events); err != nil {
			return err
		}
	}
	return b.tx.UpdateTickets(ctx, b.dirty)
}
