package desk

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"guichet/internal/htmlsafe"
)

// Incoming is a message a connector fetched from a channel.
type Incoming struct {
	ChannelID        int64          `json:"channel_id"`
	OrderRef         string         `json:"order_ref,omitempty"` // "" for a question without an order
	SourceID         string         `json:"source_id"`           // the channel's own id of the message: fetching twice stores it once
	ThreadKind       ThreadKind     `json:"thread_kind,omitempty"`
	ThreadExternalID string         `json:"thread_external_id,omitempty"` // the channel's conversation id
	ThreadSubject    string         `json:"thread_subject,omitempty"`
	AuthorKind       AuthorKind     `json:"author_kind,omitempty"` // customer, operator or system
	AuthorName       string         `json:"author_name,omitempty"`
	Customer         CustomerInput  `json:"customer,omitzero"`
	Body             string         `json:"body,omitempty"`      // plain text
	BodyHTML         string         `json:"body_html,omitempty"` // raw HTML from the source; sanitized here
	Reason           string         `json:"reason,omitempty"`    // the marketplace's topic
	Subject          string         `json:"subject,omitempty"`
	At               time.Time      `json:"at,omitzero"`
	Files            []IncomingFile `json:"files,omitempty"`
	// Notes are the connector's words on the message, not its author's (a
	// file it could not fetch): stored after the text, and left out when an
	// echo of our reply is matched to the reply by its text.
	Notes string `json:"notes,omitempty"`
	// FromSeller: written on our side, either a reply of ours the channel
	// echoes back (matched to the sent message, not stored twice) or a
	// message written in the marketplace's back office. Stored outgoing.
	FromSeller bool `json:"from_seller,omitempty"`
	// Internal: a seller's private note kept by the channel (PrestaShop's
	// private customer messages), stored as an internal note of the ticket
	// its conversation belongs to: no thread, agents only, no change of
	// status. Deduplicated by SourceID like any message.
	Internal bool `json:"internal,omitempty"`
	// AutoKind: a machine wrote it (an auto-reply, a bounce). It is stored on
	// the ticket it belongs to but never opens one.
	AutoKind AutoKind `json:"auto_kind,omitempty"`
	// Email threading (see mail_thread.go), tried in this order: Token, a
	// token of ours read from the address the customer wrote to or from
	// the Message-ID of ours they answer; References, the Message-IDs the
	// message answers (In-Reply-To first); then TicketRef, a ticket number
	// read in the subject, and OrderRef.
	Token      string   `json:"token,omitempty"`
	References []string `json:"references,omitempty"`
	TicketRef  string   `json:"ticket_ref,omitempty"`
	// OnlyExisting: the message goes on the ticket it threads to and never
	// opens one (an email channel that does not take unknown senders, an
	// auto-reply); without one it is parked.
	OnlyExisting bool `json:"only_existing,omitempty"`
	// Unreadable says why the connector could not read the message (broken
	// MIME); it is parked with Raw, its source bytes, kept for an admin.
	Unreadable string `json:"unreadable,omitempty"`
	Raw        []byte `json:"-"`

	altered bool // cleaned already: a parked message retried
}

// IncomingFile is an attachment of an incoming message.
type IncomingFile struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type,omitempty"`
	Data        []byte `json:"data,omitempty"`
}

// IngestResult says what a batch did. A message that cannot be stored is
// parked with its reason (see ParkedMessage) rather than failing the batch:
// one malformed message must not hold back the others, nor make a channel's
// sync fetch the same window for ever.
type IngestResult struct {
	Stored     int       `json:"stored"`
	Duplicates int       `json:"duplicates"`
	Opened     int       `json:"opened"`            // tickets created
	Tickets    []int64   `json:"tickets"`           // the tickets that got a message, each once
	Altered    int       `json:"altered,omitempty"` // stored messages whose text was cleaned
	Echoes     int       `json:"echoes,omitempty"`  // replies of ours the channel echoed: matched, not stored again
	Parked     []Parking `json:"parked,omitempty"`
	// AutomaticError: what the automatic answers (acknowledgement,
	// out-of-hours notice) could not send; the messages are stored.
	AutomaticError string `json:"automatic_error,omitempty"`
}

// Parking is a message of the batch that was parked, and why.
type Parking struct {
	Index    int    `json:"index"`
	SourceID string `json:"source_id"`
	Code     string `json:"code"` // EInvalid, ETooLarge
	Field    string `json:"field,omitempty"`
	Error    string `json:"error"`
}

// Ingest stores a batch of incoming messages: a message already stored (same
// channel and source id) is skipped; a message on an order without a ticket
// opens one, assigned to the channel's responsible ADV; a message from a
// customer or an operator puts the ticket back to waiting_admin with a new
// deadline. Text that is not storable as sent (NUL, invalid UTF-8) is
// cleaned, and the message marked Altered. A message that cannot be stored
// (a file over the limit or refused, anything invalid) is parked, in the
// same transaction as the rest. Only an internal error (the database, the
// file store failing) or an unknown channel fails the batch, and then
// nothing of it is stored.
func (d *Desk) Ingest(ctx context.Context, batch []Incoming) (IngestResult, error) {
	return d.ingest(ctx, batch, nil)
}

// ingest is Ingest; also, when it is not nil, within the same write
// transaction and after the messages (IngestSync's thread states and cursor).
func (d *Desk) ingest(ctx context.Context, batch []Incoming, also func(ctx context.Context, b *ingestBatch) error) (IngestResult, error) {
	var res IngestResult
	now := d.Now()
	var valid []preparedIncoming
	var parked []parkedEntry
	for i, in := range batch {
		if in.ChannelID <= 0 {
			return IngestResult{}, Invalid("channel_id", "canal obligatoire (message %d du lot)", i)
		}
		in, altered := cleanIncoming(in)
		if in.At.IsZero() {
			in.At = now
		}
		in.At = in.At.Truncate(time.Millisecond)
		p, err := d.prepareIncoming(in)
		p.index, p.cleaned = i, altered || in.altered
		if err != nil {
			parked = append(parked, parkedEntry{index: i, in: in, altered: p.cleaned, err: err})
			continue
		}
		valid = append(valid, p)
	}
	valid, parked, dups, err := d.dropDelivered(ctx, valid, parked)
	if err != nil {
		return IngestResult{}, err
	}
	// Files only now, for the messages that are new.
	kept := valid[:0]
	for _, p := range valid {
		if err := d.storeIncomingFiles(ctx, &p); err != nil {
			if ErrorCode(err) == EInternal {
				return IngestResult{}, err
			}
			parked = append(parked, parkedEntry{index: p.index, in: p.Incoming, altered: p.cleaned, err: err})
			continue
		}
		kept = append(kept, p)
	}
	valid = kept
	// Take tickets in one global order, so that concurrent batches (several
	// processes on PostgreSQL) queue on their locks instead of deadlocking.
	// Stable: a ticket's messages keep their order.
	slices.SortStableFunc(valid, func(a, b preparedIncoming) int {
		return cmp.Or(cmp.Compare(a.ChannelID, b.ChannelID), cmp.Compare(a.OrderRef, b.OrderRef),
			cmp.Compare(a.ThreadExternalID, b.ThreadExternalID))
	})
	if err := d.keepRaw(ctx, parked); err != nil {
		return IngestResult{}, err
	}
	rows := make([]ParkedMessage, len(parked))
	for i, e := range parked {
		rows[i] = e.row(now)
	}
	slices.SortFunc(rows, func(a, b ParkedMessage) int { // one lock order for concurrent batches, as tickets
		return cmp.Or(cmp.Compare(a.ChannelID, b.ChannelID), cmp.Compare(a.SourceKey, b.SourceKey))
	})
	var mailKey []byte
	if slices.ContainsFunc(valid, func(p preparedIncoming) bool { return p.Token != "" }) {
		if mailKey, err = d.threadKeyOf(ctx); err != nil {
			return IngestResult{}, err
		}
	}
	var changes []Change
	var answers []answerable
	var late []parkedEntry
	err = d.store.Write(ctx, func(tx Tx) error {
		b := newIngestBatch(d, tx) // anew at each run: fn may run again after a deadlock
		b.stx, b.mtx, b.mailKey = tx, tx, mailKey
		if err := b.run(ctx, valid); err != nil {
			return err
		}
		late = b.lateParked
		all := rows
		if len(late) > 0 {
			all = slices.Clone(rows)
			for _, e := range late {
				all = append(all, e.row(now))
			}
			slices.SortFunc(all, func(a, b ParkedMessage) int {
				return cmp.Or(cmp.Compare(a.ChannelID, b.ChannelID), cmp.Compare(a.SourceKey, b.SourceKey))
			})
		}
		if err := b.park(ctx, all); err != nil {
			return err
		}
		if also != nil {
			if err := also(ctx, b); err != nil {
				return err
			}
		}
		res.Stored, res.Duplicates, res.Opened, res.Tickets = b.stored, dups+b.duplicates, b.opened, b.touched
		res.Altered, res.Echoes = b.altered, b.echoes
		changes, answers = b.changes, b.answers
		return nil
	})
	if err != nil {
		return IngestResult{}, err
	}
	for _, e := range append(parked, late...) {
		res.Parked = append(res.Parked, Parking{Index: e.index, SourceID: e.in.SourceID,
			Code: ErrorCode(e.err), Field: ErrorField(e.err), Error: ErrorMessage(e.err)})
	}
	slices.SortFunc(res.Parked, func(a, b Parking) int { return cmp.Compare(a.Index, b.Index) })
	d.notify(changes...)
	// The messages are stored: an automatic answer that fails is reported,
	// not a failed batch (the sync would fetch the window again).
	res.AutomaticError = errorText(d.answerIncoming(ctx, answers))
	return res, nil
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

type preparedIncoming struct {
	Incoming
	index    int    // in the batch
	cleaned  bool   // text altered to be stored (see cleanIncoming)
	authored string // Body without the connector's Notes: what an echo is matched on
	cust     CustomerInput
	files    []Attachment
}

// dropDelivered reads, before any file is written, which of the batch's
// messages their channels delivered already, and drops them (and the
// second of two with the same source id): a sync fetches overlapping
// windows, and rewriting their files each time would be most of its work.
// The write transaction checks again, for what another process stored
// meanwhile. It reads only when the batch has files or messages to park.
func (d *Desk) dropDelivered(ctx context.Context, valid []preparedIncoming, parked []parkedEntry) ([]preparedIncoming, []parkedEntry, int, error) {
	type key struct {
		channel int64
		source  string
	}
	dups := 0
	seen := map[key]bool{}
	firstOnly := func(channel int64, source string) bool {
		if seen[key{channel, source}] {
			dups++
			return false
		}
		seen[key{channel, source}] = true
		return true
	}
	read := len(parked) > 0
	vs := valid[:0]
	for _, p := range valid {
		if firstOnly(p.ChannelID, p.SourceID) {
			vs = append(vs, p)
			read = read || len(p.Files) > 0
		}
	}
	ps := parked[:0]
	for _, e := range parked {
		if firstOnly(e.in.ChannelID, e.key()) {
			ps = append(ps, e)
		}
	}
	if !read {
		return vs, ps, dups, nil
	}
	sources := map[int64][]string{}
	for k := range seen {
		if k.source != "" {
			sources[k.channel] = append(sources[k.channel], k.source)
		}
	}
	delivered := map[key]bool{}
	err := d.store.Read(ctx, func(tx Tx) error {
		for ch, ids := range sources {
			found, err := tx.ExistingSources(ctx, ch, ids)
			if err != nil {
				return err
			}
			for s := range found {
				delivered[key{ch, s}] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, 0, err
	}
	valid, parked = vs[:0], ps[:0]
	for _, p := range vs {
		if delivered[key{p.ChannelID, p.SourceID}] {
			dups++
			continue
		}
		valid = append(valid, p)
	}
	for _, e := range ps {
		if delivered[key{e.in.ChannelID, e.in.SourceID}] { // stored before, whatever is wrong with it now
			dups++
			continue
		}
		parked = append(parked, e)
	}
	return valid, parked, dups, nil
}

// prepareIncoming validates one cleaned message; it writes nothing.
func (d *Desk) prepareIncoming(in Incoming) (preparedIncoming, error) {
	p := preparedIncoming{Incoming: in}
	var err error
	if p.SourceID, err = checkLine("source_id", in.SourceID, 200, true); err != nil {
		return p, err
	}
	if in.Unreadable != "" {
		return p, Invalid("source", "%s", clip(in.Unreadable, maxLine))
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
	if in.Internal {
		p.FromSeller = true // written on our side; never an echo of a reply (see ingestBatch)
	}
	if p.FromSeller {
		p.AuthorKind = AuthorAgent // one of us, in the marketplace's back office
	}
	if p.AuthorKind == AuthorOperator && in.ThreadKind == "" {
		p.ThreadKind = ThreadOperator
	}
	if !p.AuthorKind.Valid() || (p.AuthorKind == AuthorAgent && !p.FromSeller) {
		return p, Invalid("author_kind", "auteur inconnu : %q", in.AuthorKind)
	}
	if !p.AutoKind.Valid() {
		return p, Invalid("auto_kind", "type de message automatique inconnu : %q", in.AutoKind)
	}
	if p.cust, err = checkCustomer(in.Customer); err != nil {
		return p, err
	}
	if in.BodyHTML != "" {
		p.BodyHTML = htmlsafe.Sanitize(in.BodyHTML)
		if strings.TrimSpace(in.Body) == "" {
			p.Body = htmlsafe.Text(in.BodyHTML)
		}
	}
	p.Body = strings.TrimSpace(strings.ReplaceAll(p.Body, "\r\n", "\n"))
	p.authored = p.Body
	if notes := strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n")); notes != "" {
		p.Body = strings.TrimSpace(p.Body + "\n\n" + notes)
		p.Notes = "" // in the body now
	}
	if p.Body == "" && len(in.Files) == 0 {
		return p, Invalid("body", "message vide")
	}
	if len(p.Body) > maxIncomingBody || len(p.BodyHTML) > maxIncomingHTML {
		return p, Invalid("body", "message trop long (%d Kio au plus)", maxIncomingBody>>10)
	}
	p.AuthorName = clip(strings.TrimSpace(in.AuthorName), maxNameChars)
	p.Subject = clip(strings.TrimSpace(in.Subject), maxLine)
	p.ThreadSubject = clip(strings.TrimSpace(in.ThreadSubject), maxLine)
	p.Reason = clip(strings.TrimSpace(in.Reason), maxLine)
	for i, f := range in.Files {
		field := fmt.Sprintf("files[%d]", i)
		if d.blobs == nil {
			return p, Invalid(field, "pièces jointes non prises en charge")
		}
		if len(f.Data) > MaxFileSize {
			return p, tooLarge(field, fileName(f, i), int64(len(f.Data)))
		}
	}
	return p, nil
}

// Limits on what channels send: beyond them a message is parked.
const (
	maxIncomingBody = 4 * maxBody
	maxIncomingHTML = 16 * maxBody
)

func fileName(f IncomingFile, i int) string {
	if name := clip(strings.TrimSpace(f.Name), 200); name != "" {
		return name
	}
	return fmt.Sprintf("piece-jointe-%d", i+1)
}

// storeIncomingFiles keeps the bytes of a new message's files. A file the
// blob store refuses is the message's fault (it is parked); any other
// failure is internal (the batch fails, the sync tries again).
func (d *Desk) storeIncomingFiles(ctx context.Context, p *preparedIncoming) error {
	for i, f := range p.Files {
		field, name := fmt.Sprintf("files[%d]", i), fileName(f, i)
		r := &sizedReader{r: bytes.NewReader(f.Data)}
		key, size, err := d.blobs.Put(ctx, r)
		switch {
		case errors.Is(err, errOverLimit) || r.read > MaxFileSize:
			return tooLarge(field, name, int64(len(f.Data)))
		case refused(err):
			return Invalid(field, "fichier refusé par le stockage : %s", name)
		case err != nil:
			return fmt.Errorf("store incoming file: %w", err)
		}
		p.files = append(p.files, Attachment{Name: name, ContentType: NormalizeContentType(f.ContentType), Size: size, BlobKey: key})
	}
	return nil
}

// clip cuts s to max runes: text from channels is kept even when too long.
func clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max])
}
