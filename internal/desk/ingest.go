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
		b := newIngestBatch(d, tx) // anew at each run: fn may run again after a deadlock
		if err := b.run(ctx, valid); err != nil {
			return err
		}
		res.Stored, res.Duplicates, res.Opened, res.Tickets = b.stored, b.duplicates, b.opened, b.touched
		changes = b.changes
		return nil
	})
	if err != nil {
		return IngestResult{}, err
	}
	d.notify(changes...)
	return res, nil
}

type preparedIncoming struct {
	Incoming
	cust  CustomerInput
	files []Attachment
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
