package desk

import (
	"context"
	"time"
)

// EventDelivery records a change of a reply's delivery the agents must
// know about: failed, uncertain, retried, confirmed by hand. Old and New
// are outbox states; MessageID is the reply.
const EventDelivery EventKind = "delivery"

// UncertainDelivery is what agents read on a reply whose outcome the
// channel cannot tell.
const UncertainDelivery = "Envoi incertain : vérifiez sur le canal avant de renvoyer"

// queueDelivery puts a reply in the outbox, in its own transaction.
func queueDelivery(ctx context.Context, tx Tx, m *Message, channelID int64, now time.Time) error {
	return tx.InsertDelivery(ctx, &OutboxEntry{MessageID: m.ID, TicketID: m.TicketID, ChannelID: channelID,
		State: OutboxQueued, NextAt: now, CreatedAt: now, UpdatedAt: now})
}

// Outgoing is what the outbox worker needs to send a reply.
type Outgoing struct {
	Entry    OutboxEntry
	Message  Message // with its attachments
	Ticket   Ticket
	Thread   Thread
	Customer Customer // zero when the ticket has none
	// OpeningAhead: the thread has no conversation on the channel yet and
	// an earlier reply of it, not settled, is to open one; this one waits
	// for it rather than open a second conversation.
	OpeningAhead bool
	// Email (mail_outbox.go): the ticket's token, and the Message-IDs of
	// the customer's last message on the thread (InReplyTo) and of the
	// thread's earlier ones, newest first.
	Token      string
	InReplyTo  string
	References []string
}

// OutgoingReply reads a queued reply and what its channel needs to know.
func (d *Desk) OutgoingReply(ctx context.Context, messageID int64) (Outgoing, error) {
	var o Outgoing
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		if o.Entry, err = tx.Delivery(ctx, messageID); err != nil {
			return err
		}
		if o.Message, err = tx.MessageByID(ctx, messageID); err != nil {
			return err
		}
		if o.Ticket, err = tx.TicketByID(ctx, o.Message.TicketID); err != nil {
			return err
		}
		threads, err := tx.Threads(ctx, o.Ticket.ID)
		if err != nil {
			return err
		}
		for _, th := range threads {
			if th.ID == o.Message.ThreadID {
				o.Thread = th
			}
		}
		if o.Ticket.CustomerID != 0 {
			if o.Customer, err = tx.CustomerByID(ctx, o.Ticket.CustomerID); err != nil && !IsNotFound(err) {
				return err
			}
		}
		if o.Thread.ID != 0 && o.Thread.ExternalID == "" {
			if o.OpeningAhead, err = tx.OpeningAhead(ctx, o.Thread.ID, messageID); err != nil {
				return err
			}
		}
		return mailThreading(ctx, tx, &o)
	})
	if err == nil {
		o.Token, err = d.ThreadToken(ctx, o.Ticket.ID) // its own transaction, after the read
	}
	return o, err
}

// MarkSending records that the reply is about to be handed to its
// channel, before the call: a process that dies during the call leaves it
// 'sending', and the next one looks it up rather than send it blindly.
// The worker's lease must still hold it (ErrLeaseLost otherwise, e.g. the
// channel's echo marked it sent meanwhile); until is the lease's new end.
func (d *Desk) MarkSending(ctx context.Context, messageID int64, lease string, until time.Time) error {
	return d.store.Write(ctx, func(tx Tx) error {
		ok, err := tx.MarkSending(ctx, messageID, lease, d.Now(), until)
		if err == nil && !ok {
			err = ErrLeaseLost
		}
		return err
	})
}

// DeliverySucceeded records that the channel has the reply, under its id
// sourceID (its echo in a later fetch is then a duplicate).
func (d *Desk) DeliverySucceeded(ctx context.Context, messageID int64, sourceID string, at time.Time) error {
	var ticketID int64
	err := d.store.Write(ctx, func(tx Tx) error {
		e, err := tx.Delivery(ctx, messageID)
		if err != nil {
			return err
		}
		ticketID = e.TicketID
		if e.State == OutboxSent {
			return nil // its echo came first
		}
		if sourceID != "" && e.SourceID != sourceID {
			// The echo was stored already as a back-office message (its text
			// differed): the id is taken; the reply is sent all the same.
			taken, err := tx.ExistingSources(ctx, e.ChannelID, []string{sourceID})
			if err != nil {
				return err
			}
			if taken[sourceID] {
				sourceID = ""
			}
		}
		e.State, e.NextAt, e.LastError, e.UpdatedAt = OutboxSent, time.Time{}, "", d.Now()
		if err := tx.UpdateDelivery(ctx, &e); err != nil {
			return err
		}
		return tx.SetMessageDelivery(ctx, messageID, DeliverySent, "", sourceID)
	})
	if err == nil {
		d.notify(Change{TicketID: ticketID, Kind: EventDelivery})
	}
	return err
}

// deliveryTx is what recording a delivery's outcome asks of storage.
type deliveryTx interface {
	Delivery(ctx context.Context, messageID int64) (OutboxEntry, error)
	UpdateDelivery(ctx context.Context, e *OutboxEntry) error
	SetMessageDelivery(ctx context.Context, messageID int64, d Delivery, deliveryError, sourceID string) error
}

// recordSent marks a reply sent under the channel's id, inside tx.
func (d *Desk) recordSent(ctx context.Context, tx deliveryTx, messageID int64, sourceID string, hasRow bool) error {
	if hasRow {
		e, err := tx.Delivery(ctx, messageID)
		if err != nil {
			return err
		}
		e.State, e.NextAt, e.LastError, e.UpdatedAt = OutboxSent, time.Time{}, "", d.Now()
		if err := tx.UpdateDelivery(ctx, &e); err != nil {
			return err
		}
	}
	return tx.SetMessageDelivery(ctx, messageID, DeliverySent, "", sourceID)
}

// DeliveryFailed records a failed attempt: permanent (the channel refused
// it, or the attempts are spent) makes the reply failed with the reason,
// for the agents to see; otherwise it is queued again for next.
func (d *Desk) DeliveryFailed(ctx context.Context, messageID int64, reason string, permanent bool, next time.Time) error {
	reason = clip(reason, maxLine)
	if permanent {
		return d.settleDelivery(ctx, messageID, OutboxFailed, reason, reason)
	}
	var ticketID int64
	err := d.store.Write(ctx, func(tx Tx) error {
		e, err := tx.Delivery(ctx, messageID)
		if err != nil {
			return err
		}
		ticketID = e.TicketID
		if e.State != OutboxSending && e.State != OutboxQueued {
			return nil // settled meanwhile (its echo, an agent)
		}
		e.State, e.NextAt, e.LastError, e.UpdatedAt = OutboxQueued, next, reason, d.Now()
		if err := tx.UpdateDelivery(ctx, &e); err != nil {
			return err
		}
		return tx.SetMessageDelivery(ctx, messageID, DeliveryQueued, "Nouvel essai prévu : "+reason, "")
	})
	if err == nil {
		d.notify(Change{TicketID: ticketID, Kind: EventDelivery})
	}
	return err
}

// DeliveryUnknown records that the reply may or may not have reached the
// channel, which cannot tell: an agent checks there, then confirms it
// (MarkDelivered) or sends it again (RetryDelivery).
func (d *Desk) DeliveryUnknown(ctx context.Context, messageID int64, reason string) error {
	shown := UncertainDelivery
	if reason != "" {
		shown += " (" + clip(reason, maxLine) + ")"
	}
	return d.settleDelivery(ctx, messageID, OutboxUnknown, reason, shown)
}

// settleDelivery ends a delivery the worker holds as failed or unknown,
// with an event on the ticket.
func (d *Desk) settleDelivery(ctx context.Context, messageID int64, state DeliveryState, reason, shown string) error {
	var ev Event
	err := d.store.Write(ctx, func(tx Tx) error {
		ev = Event{}
		e, err := tx.Delivery(ctx, messageID)
		if err != nil {
			return err
		}
		if e.State != OutboxSending && e.State != OutboxQueued {
			return nil
		}
		now := d.Now()
		ev = Event{TicketID: e.TicketID, At: now, ActorName: System.Name, Kind: EventDelivery, Old: string(e.State), New: string(state), MessageID: messageID}
		e.State, e.NextAt, e.LastError, e.UpdatedAt = state, time.Time{}, clip(reason, maxLine), now
		if err := tx.UpdateDelivery(ctx, &e); err != nil {
			return err
		}
		if err := tx.SetMessageDelivery(ctx, messageID, DeliveryFailed, shown, ""); err != nil {
			return err
		}
		return tx.InsertEvent(ctx, &ev)
	})
	if err == nil && ev.TicketID != 0 {
		d.notify(Change{TicketID: ev.TicketID, Kind: EventDelivery})
	}
	return err
}

// DeliveryOpenedThread records the conversation a sent reply opened on the
// channel, so that the channel's next messages in it go to the same
// thread. A thread that has an id already keeps it; when the ticket has
// that conversation as another thread already (fetched first), our thread
// joins it.
func (d *Desk) DeliveryOpenedThread(ctx context.Context, messageID int64, externalID string) error {
	if externalID == "" {
		return nil
	}
	return d.store.Write(ctx, func(tx Tx) error {
		_, err := nameOpenedThread(ctx, tx, messageID, externalID, "")
		return err
	})
}

// openedThreadTx is what naming an opened thread asks of storage.
type openedThreadTx interface {
	MessageByID(ctx context.Context, id int64) (Message, error)
	Threads(ctx context.Context, ticketID int64) ([]Thread, error)
	SetThreadExternalID(ctx context.Context, threadID int64, externalID string) error
	MergeThread(ctx context.Context, from, into int64) error
}

// nameOpenedThread gives the reply's thread, if it has no id yet, the
// channel's conversation id; or, when another thread of the ticket holds
// that conversation already, merges ours into it. merged is the thread
// ours was merged into (0 otherwise). A kind other than "" limits it to
// a thread of ours of that kind.
func nameOpenedThread(ctx context.Context, tx openedThreadTx, messageID int64, externalID string, kind ThreadKind) (merged int64, err error) {
	m, err := tx.MessageByID(ctx, messageID)
	if err != nil || m.ThreadID == 0 {
		return 0, err
	}
	threads, err := tx.Threads(ctx, m.TicketID)
	if err != nil {
		return 0, err
	}
	var own Thread
	for _, th := range threads {
		if th.ID == m.ThreadID {
			own = th
		}
	}
	if own.ID == 0 || own.ExternalID != "" || kind != "" && own.Kind != kind {
		return 0, nil
	}
	for _, th := range threads {
		if th.Kind == own.Kind && th.ExternalID == externalID {
			return th.ID, tx.MergeThread(ctx, own.ID, th.ID)
		}
	}
	return 0, tx.SetThreadExternalID(ctx, own.ID, externalID)
}
