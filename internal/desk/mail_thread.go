package desk

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// MailTx is what email threading asks of storage. DeskSecret returns the
// secret stored under name, storing fresh first if there is none (the
// first process to ask wins; every process then signs alike).
// TicketOfSources returns the ticket of the latest message, of any
// channel, whose source id is one of ids (ENotFound when none), locked.
type MailTx interface {
	DeskSecret(ctx context.Context, name string, fresh []byte) ([]byte, error)
	TicketOfSources(ctx context.Context, ids []string) (Ticket, error)
}

// mailBatchTx is what threadMail reads in an ingest batch's transaction.
type mailBatchTx interface {
	MailTx
	TicketByID(ctx context.Context, id int64) (Ticket, error)
}

// keyCache holds the key that signs tokens, read once.
type keyCache struct {
	mu  sync.Mutex
	key []byte
}

const threadKeyName = "mail_thread_key"

// threadKeyOf returns the key tokens are signed with, created at first use.
// It is read in its own transaction: never call it from inside one.
func (d *Desk) threadKeyOf(ctx context.Context) ([]byte, error) {
	d.threadKey.mu.Lock()
	defer d.threadKey.mu.Unlock()
	if d.threadKey.key != nil {
		return d.threadKey.key, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	var key []byte
	err := d.store.Write(ctx, func(tx Tx) error {
		var err error
		key, err = tx.DeskSecret(ctx, threadKeyName, fresh)
		return err
	})
	if err != nil {
		return nil, err
	}
	d.threadKey.key = key
	return key, nil
}

// ThreadToken is the token our emails about a ticket carry (in the Reply-To
// address and the Message-ID): « t<ticket id>.<16 hex> », signed so that it
// cannot be made up to write into another ticket.
func (d *Desk) ThreadToken(ctx context.Context, ticketID int64) (string, error) {
	key, err := d.threadKeyOf(ctx)
	if err != nil {
		return "", err
	}
	return tokenFor(key, ticketID), nil
}

func tokenFor(key []byte, ticketID int64) string {
	id := strconv.FormatInt(ticketID, 10)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("guichet-ticket:" + id))
	return "t" + id + "." + hex.EncodeToString(mac.Sum(nil))[:16]
}

var tokenRe = regexp.MustCompile(`^t(\d{1,12})\.([0-9a-f]{16})$`)

// ticketOfToken is the ticket a token names, when its signature holds.
func ticketOfToken(key []byte, token string) (int64, bool) {
	m := tokenRe.FindStringSubmatch(strings.ToLower(token))
	if m == nil || key == nil {
		return 0, false
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || id <= 0 {
		return 0, false
	}
	return id, hmac.Equal([]byte(tokenFor(key, id)), []byte(strings.ToLower(token)))
}

// threadMail finds the ticket of the messages that say which one they
// answer, in this order: a token of ours; their In-Reply-To/References
// matched to stored messages (ours keep their Message-ID as source id
// once sent); a ticket number in the subject, believed only from the
// ticket's own customer. A message on a ticket of another channel goes
// to that ticket's Email thread. A message that must not open a ticket
// (OnlyExisting: an auto-reply, an unknown sender where the mailbox does
// not take them) and finds none is parked, and left out of ps.
func (b *ingestBatch) threadMail(ctx context.Context, ch Channel, ps []*pending) ([]*pending, error) {
	// An email channel's conversation (a sender's address) is on one
	// ticket: an order-less message of a sender whom a message of the
	// batch gives an order goes to that order's ticket, unless the sender
	// has one already. (Marketplaces' conversations keep their own rules:
	// an echo may name a conversation our thread does not know yet.)
	orderOf := map[threadKey]string{}
	for _, p := range ps {
		if (ch.Kind == ChannelEmail || ch.Kind == ChannelAmazon) && p.in.OrderRef != "" && p.in.ThreadExternalID != "" {
			orderOf[threadKey{0, p.in.ThreadKind, p.in.ThreadExternalID}] = p.in.OrderRef
		}
	}
	kept := ps[:0]
	for _, p := range ps {
		in := p.in
		t, err := b.mailTicket(ctx, ch, in)
		if err != nil {
			return nil, err
		}
		if order, ok := orderOf[threadKey{0, in.ThreadKind, in.ThreadExternalID}]; ok && t == nil && in.OrderRef == "" {
			if t, err = b.existingTicket(ctx, ch, in); err != nil {
				return nil, err
			}
			if t == nil {
				in.OrderRef = order
			}
		}
		if t == nil && in.OnlyExisting {
			if t, err = b.existingTicket(ctx, ch, in); err != nil {
				return nil, err
			}
			if t == nil {
				b.lateParked = append(b.lateParked, parkedEntry{index: in.index, in: in.Incoming, altered: in.cleaned,
					err: Invalid("ticket", "%s", noTicketReason(in))})
				continue
			}
		}
		if t != nil {
			p.ticket = t
			if t.ChannelID != ch.ID {
				in.ThreadKind, in.ThreadExternalID = ThreadEmail, ""
			} else if _, ok := b.openTickets[ticketKey(ch, in)]; !ok {
				b.openTickets[ticketKey(ch, in)] = t // the sender's next messages of the batch, without threading
			}
		}
		kept = append(kept, p)
	}
	return kept, nil
}

func noTicketReason(in *preparedIncoming) string {
	switch in.AutoKind {
	case AutoBounce:
		return "message d'erreur de distribution qui ne se rattache à aucun ticket : mis de côté, aucun ticket ouvert"
	case AutoReply:
		return "réponse automatique qui ne se rattache à aucun ticket : mise de côté, aucun ticket ouvert"
	}
	return "expéditeur inconnu (la boîte ne crée pas de ticket pour les expéditeurs inconnus) : mis de côté"
}

// mailTicket is the ticket a message's threading names, or nil.
func (b *ingestBatch) mailTicket(ctx context.Context, ch Channel, in *preparedIncoming) (*Ticket, error) {
	if in.Token != "" && b.mailKey != nil {
		if id, ok := ticketOfToken(b.mailKey, in.Token); ok {
			t, err := b.ticketByID(ctx, id)
			if t != nil || err != nil {
				return t, err
			}
		}
	}
	if len(in.References) > 0 {
		refs := in.References
		if len(refs) > 100 {
			refs = refs[:100]
		}
		t, err := b.mtx.TicketOfSources(ctx, refs)
		switch {
		case err == nil:
			return b.shared(&t), nil
		case !IsNotFound(err):
			return nil, err
		}
	}
	if id, ok := ParseTicketNumber(in.TicketRef); ok && in.TicketRef != "" {
		t, err := b.ticketByID(ctx, id)
		if err != nil || t == nil {
			return nil, err
		}
		sender := strings.ToLower(in.cust.Email)
		if sender != "" && strings.EqualFold(t.RealEmail, sender) {
			return t, nil
		}
		if sender != "" && t.ChannelID == ch.ID {
			own, err := b.tx.TicketByThread(ctx, ch.ID, ThreadCustomer, sender)
			if err == nil && own.ID == t.ID {
				return t, nil
			}
			if err != nil && !IsNotFound(err) {
				return nil, err
			}
		}
	}
	return nil, nil
}

// existingTicket is the ticket the message would go to without threading
// (its order's, its conversation's), or nil: never opened.
func (b *ingestBatch) existingTicket(ctx context.Context, ch Channel, in *preparedIncoming) (*Ticket, error) {
	if t, ok := b.openTickets[ticketKey(ch, in)]; ok {
		return t, nil
	}
	var t Ticket
	var err error
	switch {
	case in.OrderRef != "":
		t, err = b.tx.TicketByOrder(ctx, ch.ID, in.OrderRef)
	case in.ThreadExternalID != "":
		t, err = b.tx.TicketByThread(ctx, ch.ID, in.ThreadKind, in.ThreadExternalID)
	default:
		return nil, nil
	}
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return b.shared(&t), nil
}

// ticketByID is the batch's copy of a ticket (nil when there is none).
func (b *ingestBatch) ticketByID(ctx context.Context, id int64) (*Ticket, error) {
	for _, t := range b.openTickets {
		if t.ID == id {
			return t, nil
		}
	}
	t, err := b.mtx.TicketByID(ctx, id)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return b.shared(&t), nil
}

// shared returns the batch's copy of t, keeping t as it when it has none:
// a ticket is written once, from one copy.
func (b *ingestBatch) shared(t *Ticket) *Ticket {
	for _, x := range b.openTickets {
		if x.ID == t.ID {
			return x
		}
	}
	key := orderKey{t.ChannelID, t.OrderRef}
	if t.OrderRef == "" {
		key.orderRef = "\x00#" + strconv.FormatInt(t.ID, 10)
	}
	b.keep(key, t)
	return t
}

// keepRaw writes to the file store the source bytes of the parked
// messages their connector could not read, for an admin to look at.
func (d *Desk) keepRaw(ctx context.Context, parked []parkedEntry) error {
	for i := range parked {
		e := &parked[i]
		if len(e.in.Raw) == 0 || d.blobs == nil {
			continue
		}
		key, _, err := d.blobs.Put(ctx, bytes.NewReader(e.in.Raw))
		if err != nil {
			return fmt.Errorf("keep the bytes of an unreadable message: %w", err)
		}
		e.rawKey = key
	}
	return nil
}

// ParkedRaw opens the source bytes kept of a parked message its connector
// could not read (an .eml). Admins only.
func (d *Desk) ParkedRaw(ctx context.Context, actor Actor, id int64) (io.ReadCloser, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	var p ParkedMessage
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		p, err = tx.ParkedMessage(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if p.Content.RawKey == "" || d.blobs == nil {
		return nil, NotFound("message source")
	}
	return d.blobs.Open(ctx, p.Content.RawKey)
}
