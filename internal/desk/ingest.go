package desk

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"guichet/internal/htmlsafe"
)

// Incoming is a message a connector fetched from a channel.
type Incoming struct {
	ChannelID        int64
	OrderRef         string // "" for a question without an order
	SourceID         string // the channel's own id of the message: fetching twice stores it once
	ThreadKind       ThreadKind
	ThreadExternalID string // the channel's conversation id
	ThreadSubject    string
	AuthorKind       AuthorKind // customer, operator or system
	AuthorName       string
	Customer         CustomerInput
	Body             string // plain text
	BodyHTML         string // raw HTML from the source; sanitized here
	Reason           string // the marketplace's topic
	Subject          string
	At               time.Time
	Files            []IncomingFile
}

// IncomingFile is an attachment of an incoming message.
type IncomingFile struct {
	Name        string
	ContentType string
	Data        []byte
}

// IngestResult says what a batch did. Rejected messages are reported, not
// fatal: one malformed message must not hold back the others.
type IngestResult struct {
	Stored     int         `json:"stored"`
	Duplicates int         `json:"duplicates"`
	Opened     int         `json:"opened"`  // tickets created
	Tickets    []int64     `json:"tickets"` // the tickets that got a message, each once
	Rejected   []Rejection `json:"rejected,omitempty"`
}

// Rejection is an incoming message that was refused, and why.
type Rejection struct {
	Index    int    `json:"index"`
	SourceID string `json:"source_id"`
	Error    string `json:"error"`
}

// Ingest stores a batch of incoming messages in one transaction: a message
// already stored (same channel and source id) is skipped; a message on an order
// without a ticket opens one, assigned to the channel's responsible ADV; a
// message from a customer or an operator puts the ticket back to waiting_admin
// with a new deadline. Either the whole batch is stored or nothing is.
func (d *Desk) Ingest(ctx context.Context, batch []Incoming) (IngestResult, error) {
	var res IngestResult
	valid := make([]preparedIncoming, 0, len(batch))
	for i, in := range batch {
		p, err := d.prepareIncoming(ctx, in)
		if err != nil {
			if ErrorCode(err) == EInternal {
				return res, err
			}
			res.Rejected = append(res.Rejected, Rejection{Index: i, SourceID: in.SourceID, Error: err.Error()})
			continue
		}
		valid = append(valid, p)
	}
	// Take tickets in one global order, so that concurrent batches (several
	// processes on PostgreSQL) queue on their locks instead of deadlocking.
	// Stable: a ticket's messages keep their order.
	slices.SortStableFunc(valid, func(a, b preparedIncoming) int {
		return cmp.Or(cmp.Compare(a.ChannelID, b.ChannelID), cmp.Compare(a.OrderRef, b.OrderRef),
			cmp.Compare(a.ThreadExternalID, b.ThreadExternalID))
	})
	var changes []Change
	err := d.store.Write(ctx, func(tx Tx) error {
		res.Stored, res.Duplicates, res.Opened, res.Tickets, changes = 0, 0, 0, nil, changes[:0]
		touched := map[int64]bool{}
		b := ingestBatch{d: d, tx: tx, channels: map[int64]Channel{}, tickets: map[orderKey]*Ticket{}, threads: map[threadKey]Thread{}}
		for i := range valid {
			stored, opened, err := b.add(ctx, &valid[i])
			if err != nil {
				return err
			}
			if opened {
				res.Opened++
				changes = append(changes, Change{TicketID: valid[i].ticketID, Kind: EventCreated})
			}
			if stored {
				if id := valid[i].ticketID; !touched[id] {
					touched[id] = true
					res.Tickets = append(res.Tickets, id)
				}
				res.Stored++
				changes = append(changes, Change{TicketID: valid[i].ticketID, Kind: EventMessageIn})
			} else {
				res.Duplicates++
			}
		}
		return b.flush(ctx)
	})
	if err != nil {
		return IngestResult{}, err
	}
	d.notify(changes...)
	return res, nil
}

type preparedIncoming struct {
	Incoming
	cust     CustomerInput
	files    []Attachment
	ticketID int64
}

// prepareIncoming validates one message and stores its files.
func (d *Desk) prepareIncoming(ctx context.Context, in Incoming) (preparedIncoming, error) {
	p := preparedIncoming{Incoming: in}
	var err error
	if in.ChannelID <= 0 {
		return p, Invalid("channel_id", "canal obligatoire")
	}
	if p.SourceID, err = checkLine("source_id", in.SourceID, 200, true); err != nil {
		return p, err
	}
	if p.OrderRef, err = checkLine("order_ref", in.OrderRef, maxOrderRef, false); err != nil {
		return p, err
	}
	if p.ThreadKind == "" {
		p.ThreadKind = ThreadCustomer
	}
	if !p.ThreadKind.Valid() {
		return p, Invalid("thread_kind", "fil inconnu : %q", in.ThreadKind)
	}
	if p.ThreadExternalID, err = checkLine("thread_external_id", in.ThreadExternalID, 200, false); err != nil {
		return p, err
	}
	if p.AuthorKind == "" {
		p.AuthorKind = AuthorCustomer
	}
	if !p.AuthorKind.Valid() || p.AuthorKind == AuthorAgent {
		return p, Invalid("author_kind", "auteur inconnu : %q", in.AuthorKind)
	}
	if p.cust, err = checkCustomer(in.Customer); err != nil {
		return p, err
	}
	if !utf8.ValidString(in.Body) || !utf8.ValidString(in.BodyHTML) {
		return p, Invalid("body", "texte illisible (encodage)")
	}
	if in.BodyHTML != "" {
		p.BodyHTML = htmlsafe.Sanitize(in.BodyHTML)
		if strings.TrimSpace(in.Body) == "" {
			p.Body = htmlsafe.Text(in.BodyHTML)
		}
	}
	p.Body = strings.TrimSpace(strings.ReplaceAll(p.Body, "\r\n", "\n"))
	if p.Body == "" && len(in.Files) == 0 {
		return p, Invalid("body", "message vide")
	}
	if len(p.Body) > 4*maxBody || len(p.BodyHTML) > 16*maxBody {
		return p, Invalid("body", "message trop long")
	}
	p.AuthorName = clip(strings.TrimSpace(in.AuthorName), maxNameChars)
	p.Subject = clip(strings.TrimSpace(in.Subject), maxLine)
	p.ThreadSubject = clip(strings.TrimSpace(in.ThreadSubject), maxLine)
	p.Reason = clip(strings.TrimSpace(in.Reason), maxLine)
	if p.At.IsZero() {
		p.At = d.Now()
	}
	p.At = p.At.Truncate(time.Millisecond)
	for i, f := range in.Files {
		name := clip(strings.TrimSpace(f.Name), 200)
		if name == "" {
			name = fmt.Sprintf("piece-jointe-%d", i+1)
		}
		if d.blobs == nil {
			return p, Invalid("files", "pièces jointes non prises en charge")
		}
		key, size, err := d.blobs.Put(ctx, bytes.NewReader(f.Data))
		if err != nil {
			return p, fmt.Errorf("store incoming file: %w", err)
		}
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		p.files = append(p.files, Attachment{Name: name, ContentType: ct, Size: size, BlobKey: key})
	}
	return p, nil
}

// clip cuts s to max runes: text from channels is kept even when too long.
func clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max])
}

type orderKey struct {
	channelID int64
	orderRef  string
}

type threadKey struct {
	ticketID   int64
	kind       ThreadKind
	externalID string
}

// ingestBatch caches what a batch reads often and writes each ticket once.
type ingestBatch struct {
	d        *Desk
	tx       Tx
	channels map[int64]Channel
	tickets  map[orderKey]*Ticket
	threads  map[threadKey]Thread
	dirty    []*Ticket
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

func (b *ingestBatch) add(ctx context.Context, in *preparedIncoming) (stored, opened bool, err error) {
	exists, err := b.tx.MessageExists(ctx, in.ChannelID, in.SourceID)
	if err != nil || exists {
		return false, false, err
	}
	ch, err := b.channel(ctx, in.ChannelID)
	if err != nil {
		return false, false, err
	}
	t, opened, err := b.ticket(ctx, ch, in)
	if err != nil {
		return false, false, err
	}
	in.ticketID = t.ID
	th, err := b.thread(ctx, t, in)
	if err != nil {
		return false, false, err
	}
	m := Message{
		TicketID: t.ID, ThreadID: th.ID, Seq: t.MessageCount + 1, Direction: In,
		AuthorKind: in.AuthorKind, AuthorName: in.AuthorName,
		Body: in.Body, BodyHTML: in.BodyHTML, SourceID: in.SourceID, CreatedAt: in.At,
	}
	inserted, err := b.tx.InsertMessage(ctx, &m, ch.ID)
	if err != nil || !inserted { // not inserted: another process stored it just now
		return false, opened, err
	}
	t.MessageCount++
	for _, f := range in.files {
		f.MessageID = m.ID
		if err := b.tx.InsertAttachment(ctx, &f); err != nil {
			return false, false, err
		}
	}
	actor := Event{TicketID: t.ID, At: in.At, ActorName: or(in.AuthorName, ch.Name)}
	ev := actor
	ev.Kind, ev.MessageID, ev.New = EventMessageIn, m.ID, string(th.Kind)
	if err := b.tx.InsertEvent(ctx, &ev); err != nil {
		return false, false, err
	}
	if in.AuthorKind != AuthorSystem && t.Status != StatusWaitingAdmin {
		ev := actor
		ev.Kind, ev.Old, ev.New = EventStatus, string(t.Status), string(StatusWaitingAdmin)
		if err := b.tx.InsertEvent(ctx, &ev); err != nil {
			return false, false, err
		}
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
	return true, opened, nil
}

// ticket returns the order's ticket, opening it when there is none. Tickets
// without an order are opened per message's thread (an unknown email sender).
func (b *ingestBatch) ticket(ctx context.Context, ch Channel, in *preparedIncoming) (*Ticket, bool, error) {
	key := orderKey{ch.ID, in.OrderRef}
	if in.OrderRef != "" {
		if t, ok := b.tickets[key]; ok {
			return t, false, nil
		}
		t, err := b.tx.TicketByOrder(ctx, ch.ID, in.OrderRef)
		if err == nil {
			b.keep(key, &t)
			return &t, false, nil
		}
		if !IsNotFound(err) {
			return nil, false, err
		}
	} else if in.ThreadExternalID != "" {
		// No order (an unknown email sender): the conversation is the ticket.
		key.orderRef = "\x00" + string(in.ThreadKind) + "\x00" + in.ThreadExternalID
		if t, ok := b.tickets[key]; ok {
			return t, false, nil
		}
		t, err := b.tx.TicketByThread(ctx, ch.ID, in.ThreadKind, in.ThreadExternalID)
		if err == nil {
			b.keep(key, &t)
			return &t, false, nil
		}
		if !IsNotFound(err) {
			return nil, false, err
		}
	}
	t := Ticket{
		ChannelID: ch.ID, OrderRef: in.OrderRef, Status: StatusWaitingAdmin, Priority: P1,
		AssigneeID: ch.ResponsibleID, Deadline: b.d.deadlineFor(ch, in.At),
		OpenedAt: in.At, LastActivityAt: in.At, Reason: in.Reason, Subject: or(in.Subject, in.ThreadSubject),
	}
	var err error
	if t.CustomerID, err = upsertCustomer(ctx, b.tx, ch.ID, in.cust, in.At); err != nil {
		return nil, false, err
	}
	created, err := b.tx.InsertTicket(ctx, &t)
	if err != nil {
		return nil, false, err
	}
	if !created {
		if t, err = b.tx.TicketByOrder(ctx, ch.ID, in.OrderRef); err != nil {
			return nil, false, err
		}
		b.keep(key, &t)
		return &t, false, nil
	}
	if err := b.tx.IndexTicket(ctx, t.ID); err != nil {
		return nil, false, err
	}
	ev := Event{TicketID: t.ID, At: in.At, ActorName: ch.Name, Kind: EventCreated, New: ch.Name}
	if err := b.tx.InsertEvent(ctx, &ev); err != nil {
		return nil, false, err
	}
	b.keep(key, &t)
	return &t, true, nil
}

func (b *ingestBatch) keep(key orderKey, t *Ticket) {
	b.tickets[key] = t
	b.dirty = append(b.dirty, t)
}

func (b *ingestBatch) thread(ctx context.Context, t *Ticket, in *preparedIncoming) (Thread, error) {
	key := threadKey{t.ID, in.ThreadKind, in.ThreadExternalID}
	if th, ok := b.threads[key]; ok {
		return th, nil
	}
	th, err := b.tx.ThreadByKind(ctx, t.ID, in.ThreadKind, in.ThreadExternalID)
	if IsNotFound(err) {
		th = Thread{TicketID: t.ID, Kind: in.ThreadKind, ExternalID: in.ThreadExternalID, Subject: in.ThreadSubject, CreatedAt: in.At}
		err = b.tx.InsertThread(ctx, &th)
	}
	if err != nil {
		return Thread{}, err
	}
	b.threads[key] = th
	return th, nil
}

// flush writes every ticket the batch touched, once.
func (b *ingestBatch) flush(ctx context.Context) error {
	for _, t := range b.dirty {
		if err := b.tx.UpdateTicket(ctx, t); err != nil {
			return err
		}
	}
	return nil
}
