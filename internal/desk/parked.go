package desk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
)

// parkingTx keeps the messages Ingest could not store. ParkMessages
// stores them, each updating the row of its (channel, source key) if there
// is one: last seen, times seen, reason and content. UnparkSources drops
// the rows of messages stored at last.
type parkingTx interface {
	ParkMessages(ctx context.Context, ps []ParkedMessage) error
	UnparkSources(ctx context.Context, channelID int64, sourceKeys []string) error
}

// ParkedTx is parkingTx and the admins' list of parked messages.
type ParkedTx interface {
	parkingTx
	ParkedMessages(ctx context.Context, limit int) ([]ParkedMessage, error)
	ParkedMessage(ctx context.Context, id int64) (ParkedMessage, error)
	CountParked(ctx context.Context) (int, error)
	DeleteParked(ctx context.Context, id int64) error
}

// ParkedMessage is an incoming message that could not be stored (a file over
// the limit, a missing source id...), kept aside with its reason so that the
// rest of its batch is stored and an admin sees it. The same message parked
// again (same channel and source id) updates its row: TimesSeen counts the
// fetches. It leaves the list when it is stored at last, or is deleted.
type ParkedMessage struct {
	ID        int64          `json:"id"`
	ChannelID int64          `json:"channel_id"`
	SourceKey string         `json:"-"` // the source id, or a digest when it has no usable one
	SourceID  string         `json:"source_id"`
	OrderRef  string         `json:"order_ref,omitempty"`
	Code      string         `json:"code"` // EInvalid, ETooLarge
	Field     string         `json:"field,omitempty"`
	Reason    string         `json:"reason"`
	Content   ParkedIncoming `json:"content"`
	FirstSeen time.Time      `json:"first_seen"`
	LastSeen  time.Time      `json:"last_seen"`
	TimesSeen int            `json:"times_seen"`
}

// ParkedIncoming is what is kept of a parked message: all of it but the
// files' bytes, texts cut to the limits.
type ParkedIncoming struct {
	Incoming
	Files   []ParkedFile `json:"files,omitempty"`   // in place of Incoming's, without the bytes
	Altered bool         `json:"altered,omitempty"` // its text was cleaned
	Clipped bool         `json:"clipped,omitempty"` // some text was cut to be kept
	// RawKey names, in the file store, the source bytes of a message its
	// connector could not read (Incoming.Raw), kept for an admin.
	RawKey string `json:"raw_key,omitempty"`
}

// ParkedFile describes a file of a parked message.
type ParkedFile struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// Retryable says whether the message can be ingested again from what was
// kept: not when its files' bytes or some of its text are gone.
func (p ParkedMessage) Retryable() bool {
	return len(p.Content.Files) == 0 && !p.Content.Clipped
}

// parkedEntry is a message of a batch on its way to the parked list.
type parkedEntry struct {
	index   int
	in      Incoming // cleaned
	altered bool
	err     error
	rawKey  string // see ParkedIncoming.RawKey
}

// key identifies the message among its channel's: its source id when it is
// one we could store, a digest of it (or of the message, without one)
// otherwise, so that the same message parked twice is one row.
func (e parkedEntry) key() string {
	id := strings.TrimSpace(e.in.SourceID)
	if id != "" && len(id) <= 200 && !strings.ContainsAny(id, "\r\n") {
		return id
	}
	h := sha256.New()
	if id != "" {
		h.Write([]byte(id))
	} else {
		c := e.content()
		c.At = time.Time{} // a fetch may stamp it anew
		json.NewEncoder(h).Encode(c)
		for _, f := range e.in.Files {
			h.Write(f.Data)
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// maxParkedLine bounds each one-line text kept of a parked message.
const maxParkedLine = 1000

func (e parkedEntry) content() ParkedIncoming {
	c := ParkedIncoming{Incoming: e.in, Altered: e.altered, RawKey: e.rawKey}
	c.Incoming.Files = nil
	for i, f := range e.in.Files {
		c.Files = append(c.Files, ParkedFile{Name: fileName(f, i), ContentType: NormalizeContentType(f.ContentType), Size: int64(len(f.Data))})
	}
	cut := func(s *string, max int) {
		if len(*s) > max {
			*s = strings.ToValidUTF8((*s)[:max], "")
			c.Clipped = true
		}
	}
	cut(&c.Body, maxIncomingBody)
	cut(&c.BodyHTML, maxIncomingHTML)
	for _, s := range []*string{&c.OrderRef, &c.SourceID, &c.ThreadExternalID, &c.ThreadSubject, &c.AuthorName,
		&c.Customer.ExternalID, &c.Customer.Name, &c.Customer.Email, &c.Customer.Phone, &c.Reason, &c.Subject} {
		cut(s, maxParkedLine)
	}
	return c
}

func (e parkedEntry) row(now time.Time) ParkedMessage {
	c := e.content()
	return ParkedMessage{ChannelID: e.in.ChannelID, SourceKey: e.key(), SourceID: clip(oneLine(c.SourceID), 200),
		OrderRef: clip(oneLine(c.OrderRef), 200), Code: ErrorCode(e.err), Field: ErrorField(e.err), Reason: ErrorMessage(e.err),
		Content: c, FirstSeen: now, LastSeen: now, TimesSeen: 1}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// maxParkedShown bounds the admin's list (newest first); the count is exact.
const maxParkedShown = 200

// ParkedMessages lists the parked messages, latest seen first, and how many
// there are. Admins only.
func (d *Desk) ParkedMessages(ctx context.Context, actor Actor) ([]ParkedMessage, int, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, 0, err
	}
	var ps []ParkedMessage
	var n int
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		if ps, err = tx.ParkedMessages(ctx, maxParkedShown); err != nil {
			return err
		}
		n, err = tx.CountParked(ctx)
		return err
	})
	return ps, n, err
}

// CountParked says how many messages are parked, for the admin menu.
func (d *Desk) CountParked(ctx context.Context, actor Actor) (int, error) {
	if err := requireAdmin(actor); err != nil {
		return 0, err
	}
	var n int
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		n, err = tx.CountParked(ctx)
		return err
	})
	return n, err
}

// DeleteParked drops a parked message: an admin saw it and dealt with it.
func (d *Desk) DeleteParked(ctx context.Context, actor Actor, id int64) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return d.store.Write(ctx, func(tx Tx) error {
		if _, err := tx.ParkedMessage(ctx, id); err != nil {
			return err
		}
		return tx.DeleteParked(ctx, id)
	})
}

// RetryParked ingests a parked message again from what was kept (after a
// fix, or a limit raised). Stored, it leaves the list; refused again, its
// row says why, and so does the EConflict error returned.
func (d *Desk) RetryParked(ctx context.Context, actor Actor, id int64) (IngestResult, error) {
	if err := requireAdmin(actor); err != nil {
		return IngestResult{}, err
	}
	var p ParkedMessage
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		p, err = tx.ParkedMessage(ctx, id)
		return err
	})
	if err != nil {
		return IngestResult{}, err
	}
	if !p.Retryable() {
		return IngestResult{}, Errorf(EConflict, "ce message ne peut pas être réimporté : ses fichiers ou une partie de son texte n'ont pas été conservés")
	}
	in := p.Content.Incoming
	in.altered = p.Content.Altered
	res, err := d.Ingest(ctx, []Incoming{in})
	if err != nil {
		return res, err
	}
	if len(res.Parked) > 0 {
		return res, Errorf(EConflict, "toujours refusé : %s", res.Parked[0].Error)
	}
	if res.Duplicates > 0 { // stored meanwhile, by a later fetch: nothing left to do
		err = d.store.Write(ctx, func(tx Tx) error { return tx.DeleteParked(ctx, id) })
	}
	return res, err
}
