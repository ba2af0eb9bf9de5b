package desk

import (
	"context"
	"time"
)

// IngestTx is what an Ingest batch asks of storage: mostly one statement
// per batch rather than per message. TicketsByOrders returns the channel's
// tickets of these orders (locked for the transaction where the engine has
// row locks); ExistingSources, which source ids the channel already
// delivered; InsertMessages stores incoming messages of one channel,
// skipping delivered ones, sets their IDs and says how many it stored;
// InsertEvents stores events. UpdateTickets is UpdateTicket for many
// tickets; InsertTickets is InsertTicket, saying for each whether it was
// created; InsertThreads stores threads, or finds those that exist.
type IngestTx interface {
	TicketsByOrders(ctx context.Context, channelID int64, orderRefs []string) ([]Ticket, error)
	ExistingSources(ctx context.Context, channelID int64, sourceIDs []string) (map[string]bool, error)
	ThreadsOfTickets(ctx context.Context, ticketIDs []int64) ([]Thread, error)
	InsertMessages(ctx context.Context, ms []*Message, channelID int64) (stored int, err error)
	UpdateTickets(ctx context.Context, ts []*Ticket) error
	InsertTickets(ctx context.Context, ts []*Ticket) (created []bool, err error)
	InsertThreads(ctx context.Context, ths []*Thread) error
	InsertEvents(ctx context.Context, es []Event) error
	customerUpsertTx
	parkingTx
	perfReplyTx // the tickets' facts, the priority rules

	// One row at a time, for what a batch rarely meets.
	ChannelByID(ctx context.Context, id int64) (Channel, error)
	CalendarByID(ctx context.Context, id int64) (Calendar, error)
	TicketByOrder(ctx context.Context, channelID int64, orderRef string) (Ticket, error)
	TicketByThread(ctx context.Context, channelID int64, kind ThreadKind, externalID string) (Ticket, error)
	IndexTicket(ctx context.Context, id int64) error
	InsertAttachment(ctx context.Context, a *Attachment) error
}

type orderKey struct {
	channelID int64
	orderRef  string // or, without an order, see ticketKey
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
	tx            IngestTx
	channels      map[int64]Channel
	openTickets   map[orderKey]*Ticket // the batch's tickets, by order or conversation
	threadOf      map[threadKey]Thread
	threadsLoaded map[int64]bool // tickets whose threads are in threadOf
	dirty         []*Ticket      // every ticket the batch touched, to write once
	events        []Event
	answers       []answerable       // customers' messages an automatic message may answer
	calendars     map[int64]Calendar // read once a batch, for the deadlines

	stored, duplicates, opened, altered int
	echoes                              int
	echoCandidates                      map[int64][]EchoCandidate // by ticket, read once (see matchEcho)
	stx                                 syncBatchTx               // the same transaction, for IngestSync and echoes
	touched                             []int64                   // tickets that got a message, each once
	isTouched                           map[int64]bool
	changes                             []Change
	// Email threading (mail_thread.go): the key tokens are signed with,
	// the transaction's lookups, and the messages parked for having no
	// ticket to go to.
	mailKey    []byte
	mtx        mailBatchTx
	lateParked []parkedEntry
	facts      []TicketFact  // of the tickets a customer opened
	rules      *ServiceRules // read when first needed
}

func newIngestBatch(d *Desk, tx IngestTx) *ingestBatch {
	return &ingestBatch{d: d, tx: tx, channels: map[int64]Channel{}, openTickets: map[orderKey]*Ticket{},
		threadOf: map[threadKey]Thread{}, threadsLoaded: map[int64]bool{}, isTouched: map[int64]bool{}}
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
	echo   bool // a reply of ours the channel echoed: matched, not stored
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
	if fresh, err = b.threadMail(ctx, ch, fresh); err != nil {
		return err
	}
	if err := b.tickets(ctx, ch, fresh); err != nil {
		return err
	}
	if err := b.loadThreads(ctx, fresh); err != nil {
		return err
	}
	if err := b.threads(ctx, fresh); err != nil {
		return err
	}
	rows := make([]*Message, 0, len(fresh))
	next := map[*Ticket]int{}
	for _, p := range fresh {
		if p.in.FromSeller && !p.in.Internal {
			if p.echo, err = b.matchEcho(ctx, p); err != nil {
				return err
			}
			if p.echo {
				continue
			}
		}
		if next[p.ticket] == 0 {
			next[p.ticket] = p.ticket.MessageCount + 1
		}
		p.msg = Message{
			TicketID: p.ticket.ID, ThreadID: p.thread.ID, Seq: next[p.ticket], Direction: In,
			AuthorKind: p.in.AuthorKind, AuthorName: p.in.AuthorName,
			Body: p.in.Body, BodyHTML: p.in.BodyHTML, SourceID: p.in.SourceID, CreatedAt: p.in.At, Altered: p.in.cleaned,
			AutoKind: p.in.AutoKind,
		}
		if p.in.FromSeller {
			p.msg.Direction, p.msg.AuthorName = Out, or(p.in.AuthorName, "Back-office "+ch.Name)
		}
		if p.in.Internal {
			// A note has no thread; the conversation's thread is still
			// found or opened above, so that an order-less ticket is found
			// by it when its messages come.
			p.msg.Internal, p.msg.ThreadID = true, 0
		}
		next[p.ticket]++
		rows = append(rows, &p.msg)
	}
	if len(rows) > 0 {
		if _, err := b.tx.InsertMessages(ctx, rows, ch.ID); err != nil {
			return err
		}
	}
	var stored []string
	for _, p := range fresh {
		if p.echo {
			continue
		}
		if p.msg.ID == 0 { // another process stored it just now
			b.duplicates++
			continue
		}
		if err := b.apply(ctx, ch, p); err != nil {
			return err
		}
		stored = append(stored, p.in.SourceID)
	}
	// A message parked by an earlier fetch and stored now leaves the list.
	if len(stored) > 0 {
		return b.tx.UnparkSources(ctx, ch.ID, stored)
	}
	return nil
}

// park stores the batch's parked messages, on channels that exist.
func (b *ingestBatch) park(ctx context.Context, ps []ParkedMessage) error {
	for _, p := range ps {
		if _, err := b.channel(ctx, p.ChannelID); err != nil {
			return err
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return b.tx.ParkMessages(ctx, ps)
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
	actor := Event{TicketID: t.ID, At: in.At, ActorName: or(p.msg.AuthorName, ch.Name)}
	ev := actor
	ev.Kind, ev.MessageID, ev.New = EventMessageIn, p.msg.ID, string(p.thread.Kind)
	if in.FromSeller {
		ev.Kind = EventMessageOut
	}
	if in.Internal {
		ev.Kind, ev.New = EventNote, ""
		b.events = append(b.events, ev)
		t.LastActivityAt = maxTime(t.LastActivityAt, in.At)
		b.stored++
		b.touch(t.ID)
		b.changes = append(b.changes, Change{TicketID: t.ID, Kind: ev.Kind})
		return nil
	}
	b.events = append(b.events, ev)
	if in.AuthorKind != AuthorSystem && !in.FromSeller && in.AutoKind == "" && t.Status != StatusWaitingAdmin {
		ev := actor
		ev.Kind, ev.Old, ev.New = EventStatus, string(t.Status), string(StatusWaitingAdmin)
		b.events = append(b.events, ev)
		setStatus(t, StatusWaitingAdmin, System, actor.ActorName, in.At)
		own := ch
		if t.ChannelID != ch.ID { // an email on the Email thread of another channel's ticket
			var err error
			if own, err = b.channel(ctx, t.ChannelID); err != nil {
				return err
			}
		}
		dl, err := b.d.startDeadline(ctx, b, own, t, in.At)
		if err != nil {
			return err
		}
		b.events = append(b.events, dl)
	}
	if opensFacts(in) {
		if err := b.customerWrote(ctx, t, in.At); err != nil {
			return err
		}
	}
	if !in.At.Before(t.LastActivityAt) {
		t.LastActivityAt = in.At
		t.setPreview(in.Body)
	}
	if t.Reason == "" && in.Reason != "" {
		t.Reason = in.Reason
	}
	b.collectAnswerable(ch, p)
	b.stored++
	if in.cleaned {
		b.altered++
	}
	b.touch(t.ID)
	b.changes = append(b.changes, Change{TicketID: t.ID, Kind: ev.Kind})
	return nil
}

// CalendarByID reads a calendar once a batch: each new deadline needs its channel's.
func (b *ingestBatch) CalendarByID(ctx context.Context, id int64) (Calendar, error) {
	if c, ok := b.calendars[id]; ok {
		return c, nil
	}
	c, err := b.tx.CalendarByID(ctx, id)
	if err == nil {
		if b.calendars == nil {
			b.calendars = map[int64]Calendar{}
		}
		b.calendars[id] = c
	}
	return c, err
}

func (b *ingestBatch) touch(ticketID int64) {
	if !b.isTouched[ticketID] {
		b.isTouched[ticketID] = true
		b.touched = append(b.touched, ticketID)
	}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
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

// tickets finds each message's ticket, and opens those its order (or,
// without an order, its conversation) lacks: their customers, then the
// tickets, each in one statement for the batch.
func (b *ingestBatch) tickets(ctx context.Context, ch Channel, ps []*pending) error {
	var first []*pending // the first message of each ticket to open
	waiting := map[orderKey][]*pending{}
	for _, p := range ps {
		if p.ticket != nil { // threaded (mail_thread.go)
			continue
		}
		key := ticketKey(ch, p.in)
		if t, ok := b.openTickets[key]; ok {
			p.ticket = t
			continue
		}
		if _, ok := waiting[key]; !ok && p.in.OrderRef == "" && p.in.ThreadExternalID != "" {
			t, err := b.tx.TicketByThread(ctx, ch.ID, p.in.ThreadKind, p.in.ThreadExternalID)
			if err == nil {
				b.keep(key, &t)
				p.ticket = &t
				continue
			}
			if !IsNotFound(err) {
				return err
			}
		}
		if _, ok := waiting[key]; !ok {
			first = append(first, p)
		}
		waiting[key] = append(waiting[key], p)
	}
	if len(first) == 0 {
		return nil
	}
	customers := make([]CustomerInput, len(first))
	for i, p := range first {
		customers[i] = p.in.cust
	}
	ids, err := upsertCustomers(ctx, b.tx, ch.ID, customers, first[0].in.At)
	if err != nil {
		return err
	}
	ts := make([]*Ticket, len(first))
	for i, p := range first {
		in := p.in
		ts[i] = &Ticket{
			ChannelID: ch.ID, OrderRef: in.OrderRef, CustomerID: ids[i], Status: StatusWaitingAdmin, Priority: P1,
			AssigneeID: ch.ResponsibleID,
			OpenedAt:   in.At, LastActivityAt: in.At, Reason: in.Reason, Subject: or(in.Subject, in.ThreadSubject),
		}
	}
	deadlines := make([]Event, len(ts))
	for i, p := range first {
		if deadlines[i], err = b.d.startDeadline(ctx, b, ch, ts[i], p.in.At); err != nil {
			return err
		}
	}
	created, err := b.tx.InsertTickets(ctx, ts)
	if err != nil {
		return err
	}
	for i, p := range first {
		key, t := ticketKey(ch, p.in), ts[i]
		if !created[i] { // another process opened it just now
			found, err := b.tx.TicketByOrder(ctx, ch.ID, p.in.OrderRef)
			if err != nil {
				return err
			}
			t = &found
		} else {
			if err := b.tx.IndexTicket(ctx, t.ID); err != nil {
				return err
			}
			deadlines[i].TicketID = t.ID
			b.events = append(b.events, Event{TicketID: t.ID, At: p.in.At, ActorName: ch.Name, Kind: EventCreated, New: ch.Name},
				deadlines[i])
			b.threadsLoaded[t.ID] = true // a new ticket has no thread yet
			b.opened++
			b.changes = append(b.changes, Change{TicketID: t.ID, Kind: EventCreated})
			if opensFacts(p.in) {
				b.facts = append(b.facts, TicketFact{TicketID: t.ID, ChannelID: ch.ID, OpenedAt: p.in.At})
			}
		}
		b.keep(key, t)
		for _, q := range waiting[key] {
			q.ticket = t
		}
	}
	return nil
}

// ticketKey is the message's order or, without one, its conversation; a
// message with neither is a ticket of its own.
func ticketKey(ch Channel, in *preparedIncoming) orderKey {
	key := orderKey{ch.ID, in.OrderRef}
	switch {
	case in.OrderRef != "":
	case in.ThreadExternalID != "":
		key.orderRef = "\x00" + string(in.ThreadKind) + "\x00" + in.ThreadExternalID
	default:
		key.orderRef = "\x00\x00" + in.SourceID
	}
	return key
}

func (b *ingestBatch) keep(key orderKey, t *Ticket) {
	b.openTickets[key] = t
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
		b.threadOf[threadKey{th.TicketID, th.Kind, th.ExternalID}] = th
	}
	return err
}

// threads finds each message's thread, and opens in one statement those
// their tickets lack.
func (b *ingestBatch) threads(ctx context.Context, ps []*pending) error {
	var missing []*Thread
	opened := map[threadKey]*Thread{}
	for _, p := range ps {
		key := threadKey{p.ticket.ID, p.in.ThreadKind, p.in.ThreadExternalID}
		if _, ok := b.threadOf[key]; ok || opened[key] != nil {
			continue
		}
		th := &Thread{TicketID: p.ticket.ID, Kind: p.in.ThreadKind, ExternalID: p.in.ThreadExternalID, Subject: p.in.ThreadSubject, CreatedAt: p.in.At}
		opened[key] = th
		missing = append(missing, th)
	}
	if len(missing) > 0 {
		if err := b.tx.InsertThreads(ctx, missing); err != nil {
			return err
		}
		for key, th := range opened {
			b.threadOf[key] = *th
		}
	}
	for _, p := range ps {
		p.thread = b.threadOf[threadKey{p.ticket.ID, p.in.ThreadKind, p.in.ThreadExternalID}]
	}
	return nil
}

// flush writes the batch's events, then each ticket it touched, once.
func (b *ingestBatch) flush(ctx context.Context) error {
	if len(b.events) > 0 {
		if err := b.tx.InsertEvents(ctx, b.events); err != nil {
			return err
		}
	}
	if len(b.facts) > 0 {
		if err := b.tx.InsertTicketFacts(ctx, b.facts); err != nil {
			return err
		}
	}
	return b.tx.UpdateTickets(ctx, b.dirty)
}
