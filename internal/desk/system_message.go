package desk

import (
	"context"
	"errors"
	"time"
)

// SystemTx records the automatic messages sent: one per ticket and key.
type SystemTx interface {
	// InsertSystemMessage records that key was sent on the ticket as
	// messageID; false when the ticket had it already.
	InsertSystemMessage(ctx context.Context, ticketID int64, key string, messageID int64, at time.Time) (bool, error)
}

// SystemAuthor is how an automatic message is signed in a thread.
const SystemAuthor = "Système"

// SystemMessageInput is a message the desk writes and sends by itself (an
// acknowledgement, an out-of-hours notice, a reminder).
type SystemMessageInput struct {
	TicketID   int64
	ThreadID   int64      // 0: the latest thread of ThreadKind
	ThreadKind ThreadKind // when ThreadID is 0; default: the customer thread
	// Key makes it once: a ticket gets one message per key ("ack",
	// "reminder", "form-ack"), whatever runs and restarts.
	Key  string
	Body string
}

var errSystemSent = errors.New("system message already sent")

// SendSystemMessage queues an automatic message for delivery through the
// ticket's channel, like a reply but signed « Système »: it changes neither
// the ticket's status nor its deadline, and is never an agent's answer. A
// key the ticket already had sends nothing: sent == false.
func (d *Desk) SendSystemMessage(ctx context.Context, in SystemMessageInput) (m Message, sent bool, err error) {
	body, err := checkBody("body", in.Body, maxBody)
	switch {
	case err != nil:
		return Message{}, false, err
	case body == "":
		return Message{}, false, Invalid("body", "message vide")
	case in.Key == "" || len(in.Key) > 100:
		return Message{}, false, Invalid("key", "clé de 1 à 100 caractères")
	case in.ThreadKind != "" && !in.ThreadKind.Valid():
		return Message{}, false, Invalid("thread", "fil de discussion inconnu")
	}
	if in.ThreadKind == "" {
		in.ThreadKind = ThreadCustomer
	}
	now := d.Now()
	var events []Event
	err = d.store.Write(ctx, func(tx Tx) error {
		events = nil
		rc, err := d.replyContext(ctx, tx, ReplyInput{TicketID: in.TicketID, ThreadID: in.ThreadID, ThreadKind: in.ThreadKind, Confirmed: true}, body)
		if err != nil {
			return err
		}
		t, th := rc.ticket, rc.thread
		if th.ID == 0 {
			th = Thread{TicketID: t.ID, Kind: in.ThreadKind, CreatedAt: now}
			if err := tx.InsertThread(ctx, &th); err != nil {
				return err
			}
		}
		t.MessageCount++
		m = Message{TicketID: t.ID, ThreadID: th.ID, Seq: t.MessageCount, Direction: Out,
			AuthorKind: AuthorSystem, AuthorName: SystemAuthor, Body: body, Delivery: DeliveryQueued, CreatedAt: now}
		if _, err := tx.InsertMessage(ctx, &m, t.ChannelID); err != nil {
			return err
		}
		fresh, err := tx.InsertSystemMessage(ctx, t.ID, in.Key, m.ID, now)
		if err != nil {
			return err
		}
		if !fresh {
			return errSystemSent // rolls the message back
		}
		if err := queueDelivery(ctx, tx, &m, t.ChannelID, now); err != nil {
			return err
		}
		events = append(events, Event{TicketID: t.ID, At: now, ActorName: SystemAuthor, Kind: EventMessageOut, MessageID: m.ID, New: string(th.Kind)})
		t.LastActivityAt = now
		return saveTicket(ctx, tx, &t, events, false)
	})
	if errors.Is(err, errSystemSent) {
		return Message{}, false, nil
	}
	if err != nil {
		return Message{}, false, err
	}
	d.notifyEvents(Actor{Name: SystemAuthor}, events)
	return m, true, nil
}
