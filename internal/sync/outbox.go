package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	gosync "sync"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Retries of a reply the channel could not take for now.
const (
	sendBackoffMin = time.Minute
	sendBackoffMax = 4 * time.Hour
	// noEmailSender is why a reply on a ticket's Email thread fails: no
	// email channel sends it yet.
	noEmailSender = "envoi par email impossible : aucun canal email n'est configuré pour l'envoyer"
	// noConnectorWait is how long a reply whose channel has no connector
	// waits before it is looked at again.
	noConnectorWait = 10 * time.Minute
	// openingWait is how long a reply waits for an earlier one of its
	// thread that opens the conversation on the channel.
	openingWait = 5 * time.Second
)

type outcome int

const (
	outcomeDelivered outcome = iota
	outcomeRetrying
	outcomeFailed
	outcomeUnknown
	outcomeSkipped // no connector, or another process took it
)

var outcomeNames = [...]string{"delivered", "retrying", "failed", "unknown", "skipped"}

// DeliverDue sends the replies due now, of one channel or of all (0), at
// most Senders at once, until none is due.
func (r *Runner) DeliverDue(ctx context.Context, channelID int64) (Report, error) {
	chs, err := r.channels(ctx)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	var mu gosync.Mutex
	for ctx.Err() == nil {
		now := r.now()
		var es []desk.OutboxEntry
		err := r.claim(ctx, func(ctx context.Context) (err error) {
			es, err = r.c.Leases.ClaimDeliveries(ctx, r.c.Owner, channelID, now, now.Add(r.c.Lease), 4*r.c.Senders)
			return err
		})
		if err != nil || len(es) == 0 {
			return rep, err
		}
		sem := make(chan struct{}, r.c.Senders)
		var wg gosync.WaitGroup
		for _, e := range es {
			ch, ok := r.channel(chs, e.ChannelID)
			if !ok {
				if chs, err = r.channels(ctx); err != nil {
					return rep, err
				}
				ch, _ = r.channel(chs, e.ChannelID)
			}
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				out, msg := r.deliver(ctx, ch, e)
				r.metrics.deliveries.WithLabelValues(outcomeNames[out]).Inc()
				mu.Lock()
				defer mu.Unlock()
				cr := rep.of(ch)
				switch out {
				case outcomeDelivered:
					cr.Delivered++
				case outcomeRetrying:
					cr.Retrying++
				case outcomeFailed:
					cr.Failed++
				case outcomeUnknown:
					cr.Unknown++
				}
				if msg != "" {
					cr.Errors = append(cr.Errors, fmt.Sprintf("message %d : %s", e.MessageID, msg))
				}
			})
		}
		wg.Wait()
	}
	return rep, nil
}

// deliver sends one claimed reply and records the outcome through desk. It
// records "sending" before the call; a reply found "sending" (its process
// died during the call) is looked up on the channel before any new send,
// and left to an agent when the channel cannot tell.
func (r *Runner) deliver(ctx context.Context, ch desk.Channel, e desk.OutboxEntry) (outcome, string) {
	d := r.c.Desk
	release := func(wait time.Duration) {
		if ctx.Err() != nil {
			wait = 0 // stopping: due again for whoever runs next
		}
		if err := r.c.Leases.ReleaseDelivery(context.WithoutCancel(ctx), e.MessageID, r.c.Owner, r.now().Add(wait)); err != nil {
			r.c.Log.Warn("outbox", "message", e.MessageID, "err", err)
		}
	}
	o, err := d.OutgoingReply(ctx, e.MessageID)
	if err == nil {
		e = o.Entry // fresher than the claim's copy
		e.LeaseOwner = r.c.Owner
	}
	var reply channel.Reply
	if err == nil {
		reply, err = r.reply(ctx, o)
	}
	if err != nil {
		release(sendBackoffMin)
		return outcomeRetrying, err.Error()
	}
	if e.State != desk.OutboxQueued && e.State != desk.OutboxSending {
		return outcomeSkipped, "" // settled since the claim (its echo, an agent)
	}
	var conn channel.Connector
	var ok bool
	if reply.ThreadKind == desk.ThreadEmail && !sendsEmail(ch.Kind) {
		// For the customer's own address: the marketplace's connector would
		// post it in the marketplace's conversation. An email channel sends it.
		if conn, ok, err = r.emailSender(ctx); err != nil {
			release(sendBackoffMin)
			return outcomeRetrying, err.Error()
		}
		if !ok && e.State == desk.OutboxQueued {
			return r.settle(ctx, outcomeFailed, func(c context.Context) error {
				return d.DeliveryFailed(c, e.MessageID, noEmailSender, true, time.Time{})
			})
		}
		if !ok {
			return r.settle(ctx, outcomeUnknown, func(c context.Context) error { return d.DeliveryUnknown(c, e.MessageID, noEmailSender) })
		}
	} else {
		if conn, ok, err = r.connector(ctx, ch); err != nil {
			release(sendBackoffMin)
			return outcomeRetrying, err.Error()
		}
		if !ok {
			release(noConnectorWait)
			return outcomeSkipped, ""
		}
	}
	if o.OpeningAhead && e.State == desk.OutboxQueued {
		// Sent now, it would open a second conversation beside the one the
		// earlier reply opens: after it, it goes into that one.
		release(openingWait)
		return outcomeRetrying, ""
	}
	lk, canLook := conn.(channel.Looker)
	if e.State == desk.OutboxSending || (e.Attempts > 0 && canLook) {
		// A send whose outcome was never recorded, or one that failed in a
		// way that may hide a success: the channel may have it.
		if !canLook {
			return r.settle(ctx, outcomeUnknown, func(c context.Context) error {
				return d.DeliveryUnknown(c, e.MessageID, "le canal ne permet pas de vérifier l'envoi")
			})
		}
		sent, found, err := lk.Lookup(ctx, reply)
		switch {
		case errors.Is(err, channel.ErrCannotTell):
			if e.State == desk.OutboxSending {
				return r.settle(ctx, outcomeUnknown, func(c context.Context) error { return d.DeliveryUnknown(c, e.MessageID, err.Error()) })
			}
			// queued again after a declared failure: the connector said retrying was safe
		case err != nil:
			// Not now: the lease runs out and the next claim looks again.
			return outcomeRetrying, "vérification impossible pour l'instant : " + err.Error()
		case found:
			return r.settle(ctx, outcomeDelivered, func(c context.Context) error {
				if err := r.openedThread(c, reply, sent); err != nil {
					return err
				}
				return d.DeliverySucceeded(c, e.MessageID, sent.SourceID, sent.At)
			})
		}
	}
	if err := d.MarkSending(ctx, e.MessageID, r.c.Owner, r.now().Add(r.c.Lease)); err != nil {
		if errors.Is(err, desk.ErrLeaseLost) {
			return outcomeSkipped, ""
		}
		return outcomeRetrying, err.Error()
	}
	sctx, cancel := context.WithTimeout(ctx, r.c.Lease/2)
	sent, err := conn.Send(sctx, reply)
	cancel()
	if err == nil {
		// The conversation first: a process that dies between the two
		// leaves the reply "sending", looked up (and found) by the next.
		return r.settle(ctx, outcomeDelivered, func(c context.Context) error {
			if err := r.openedThread(c, reply, sent); err != nil {
				return err
			}
			return d.DeliverySucceeded(c, e.MessageID, sent.SourceID, sent.At)
		})
	}
	// A conversation opened before the message failed is ours all the
	// same: recorded before the retry, which then writes into it.
	if err := r.openedThread(context.WithoutCancel(ctx), reply, sent); err != nil {
		r.c.Log.Warn("outbox : conversation ouverte par l'envoi", "message", reply.MessageID, "err", err)
	}
	if ctx.Err() != nil {
		// Stopping mid-send: it stays "sending"; whoever claims it after
		// the lease looks it up first.
		return outcomeRetrying, ""
	}
	attempts := e.Attempts + 1
	switch kind := channel.KindOf(err); {
	case kind == channel.Refused || kind == channel.Unauthorized:
		msg := describe(err)
		return r.settle(ctx, outcomeFailed, func(c context.Context) error { return d.DeliveryFailed(c, e.MessageID, msg, true, time.Time{}) })
	case attempts >= r.c.MaxAttempts:
		msg := fmt.Sprintf("abandonné après %d essais : %s", attempts, describe(err))
		return r.settle(ctx, outcomeFailed, func(c context.Context) error { return d.DeliveryFailed(c, e.MessageID, msg, true, time.Time{}) })
	default:
		wait := r.jitter(doubling(sendBackoffMin, sendBackoffMax, attempts))
		if ra, ok := channel.RetryAfterOf(err); ok {
			wait = ra
		}
		return r.settle(ctx, outcomeRetrying, func(c context.Context) error {
			return d.DeliveryFailed(c, e.MessageID, describe(err), false, r.now().Add(wait))
		})
	}
}

// openedThread records the conversation a reply without one went to
// (Sent.ThreadExternalID) on the reply's thread.
func (r *Runner) openedThread(ctx context.Context, reply channel.Reply, sent channel.Sent) error {
	if reply.ThreadExternalID != "" || sent.ThreadExternalID == "" {
		return nil
	}
	return r.c.Desk.DeliveryOpenedThread(ctx, reply.MessageID, sent.ThreadExternalID)
}

// settle records an outcome through desk, even when ctx ends right after
// the call: a send that happened is better recorded than looked up later.
// A failure to record leaves the delivery leased or "sending": the next
// claim looks it up.
func (r *Runner) settle(ctx context.Context, o outcome, record func(context.Context) error) (outcome, string) {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := record(c); err != nil {
		return outcomeRetrying, "enregistrement du résultat : " + err.Error()
	}
	return o, ""
}

// reply builds what the connector sends, files read whole.
func (r *Runner) reply(ctx context.Context, o desk.Outgoing) (channel.Reply, error) {
	rep := channel.Reply{
		MessageID: o.Message.ID, TicketID: o.Ticket.ID, OrderRef: o.Ticket.OrderRef,
		ThreadKind: o.Thread.Kind, ThreadExternalID: o.Thread.ExternalID, Body: o.Message.Body, CreatedAt: o.Message.CreatedAt,
		CustomerExternalID: o.Customer.ExternalID, CustomerEmail: o.Customer.Email,
		Token: o.Token, TicketNumber: desk.TicketNumber(o.Ticket.ID), Subject: o.Ticket.Subject,
		InReplyTo: o.InReplyTo, References: o.References,
	}
	if rep.CustomerEmail == "" && strings.Contains(o.Thread.ExternalID, "@") {
		rep.CustomerEmail = o.Thread.ExternalID // an email channel's thread: the sender's address
	}
	if rep.ThreadKind == "" {
		rep.ThreadKind = desk.ThreadCustomer
	}
	if rep.ThreadKind == desk.ThreadEmail {
		rep.CustomerEmail = o.Ticket.RealEmail
	}
	for _, a := range o.Message.Attachments {
		_, rc, err := r.c.Desk.Attachment(ctx, desk.System, a.ID)
		if err != nil {
			return rep, err
		}
		data, err := io.ReadAll(io.LimitReader(rc, desk.MaxFileSize+1))
		rc.Close()
		if err != nil {
			return rep, fmt.Errorf("lecture de la pièce jointe %s : %w", a.Name, err)
		}
		rep.Files = append(rep.Files, channel.File{Name: a.Name, ContentType: a.ContentType, Data: data})
	}
	return rep, nil
}
