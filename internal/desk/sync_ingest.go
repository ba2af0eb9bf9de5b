package desk

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// ErrLeaseLost: the sync run no longer holds its channel (its lease ran
// out and another process took it); what it fetched is not stored, the
// other run fetches it again from the stored cursor.
var ErrLeaseLost = &Error{Code: EConflict, Message: "la synchronisation de ce canal a été reprise par un autre processus"}

// syncBatchTx is what IngestSync and the matching of echoes ask of an
// ingest batch's transaction, beside what the batch itself does.
type syncBatchTx interface {
	deliveryTx
	SaveSyncCursor(ctx context.Context, channelID int64, lease, cursor string, stored int, now time.Time) (bool, error)
	SetThreadState(ctx context.Context, threadID int64, subject, status, statusLabel string) error
	EchoCandidates(ctx context.Context, ticketID int64) ([]EchoCandidate, error)
	TicketByOrder(ctx context.Context, channelID int64, orderRef string) (Ticket, error)
	TicketByThread(ctx context.Context, channelID int64, kind ThreadKind, externalID string) (Ticket, error)
	ThreadByKind(ctx context.Context, ticketID int64, kind ThreadKind, externalID string) (Thread, error)
	InsertThread(ctx context.Context, th *Thread) error
	UpdateTicket(ctx context.Context, t *Ticket) error
	InsertEvent(ctx context.Context, e *Event) error
	openedThreadTx
}

// IngestSync stores what one fetch of a channel brought: its messages as
// Ingest does, the channel's thread states, and the cursor that follows
// them, all in one transaction, and only while b.Lease still holds the
// channel (ErrLeaseLost otherwise, and nothing is stored). A crash between
// two fetches therefore never skips a message nor stores one twice.
func (d *Desk) IngestSync(ctx context.Context, b SyncBatch) (IngestResult, error) {
	if b.ChannelID <= 0 {
		return IngestResult{}, Invalid("channel_id", "canal obligatoire")
	}
	msgs := make([]Incoming, len(b.Messages))
	for i, m := range b.Messages {
		m.ChannelID = b.ChannelID
		msgs[i] = m
	}
	states := slices.Clone(b.Threads)
	slices.SortStableFunc(states, func(x, y ThreadState) int { return cmp.Compare(x.OrderRef, y.OrderRef) })
	return d.ingest(ctx, msgs, func(ctx context.Context, ib *ingestBatch) error {
		ch, err := ib.channel(ctx, b.ChannelID)
		if err != nil {
			return err
		}
		for _, st := range states {
			if err := ib.applyThreadState(ctx, ch, st); err != nil {
				return err
			}
		}
		held, err := ib.stx.SaveSyncCursor(ctx, b.ChannelID, b.Lease, b.Cursor, ib.stored, d.Now())
		if err != nil {
			return err
		}
		if !held {
			return ErrLeaseLost
		}
		return nil
	})
}

// applyThreadState records the channel's view of one of its conversations on
// the ticket of its order (or of the conversation): a state for a ticket
// guichet does not have changes nothing, it comes with the first message.
func (b *ingestBatch) applyThreadState(ctx context.Context, ch Channel, st ThreadState) error {
	if st.Kind == "" {
		st.Kind = ThreadCustomer
	}
	if !st.Kind.Valid() {
		return nil
	}
	var t Ticket
	var err error
	if st.OrderRef != "" {
		t, err = b.stx.TicketByOrder(ctx, ch.ID, st.OrderRef)
	} else {
		t, err = b.stx.TicketByThread(ctx, ch.ID, st.Kind, st.ExternalID)
	}
	if IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	th, err := b.stx.ThreadByKind(ctx, t.ID, st.Kind, st.ExternalID)
	if IsNotFound(err) {
		th = Thread{TicketID: t.ID, Kind: st.Kind, ExternalID: st.ExternalID, Subject: clip(strings.TrimSpace(st.Subject), maxLine), CreatedAt: b.d.Now()}
		err = b.stx.InsertThread(ctx, &th)
	}
	if err != nil {
		return err
	}
	if err := b.stx.SetThreadState(ctx, th.ID, clip(strings.TrimSpace(st.Subject), maxLine),
		clip(strings.TrimSpace(st.Status), maxLine), clip(strings.TrimSpace(st.StatusLabel), maxLine)); err != nil {
		return err
	}
	var events []Event
	changed := false
	if reason := clip(strings.TrimSpace(st.Reason), maxLine); t.Reason == "" && reason != "" {
		t.Reason, changed = reason, true
	}
	if st.TicketStatus == StatusClosed && t.Status.Open() {
		now := b.d.Now()
		events = append(events, Event{TicketID: t.ID, At: now, ActorName: ch.Name, Kind: EventStatus, Old: string(t.Status), New: string(StatusClosed)})
		events = append(events, setStatus(&t, StatusClosed, System, ch.Name, now)...)
		changed = true
	}
	if !changed {
		return nil
	}
	if err := b.stx.UpdateTicket(ctx, &t); err != nil {
		return err
	}
	for i := range events {
		if err := b.stx.InsertEvent(ctx, &events[i]); err != nil {
			return err
		}
		b.changes = append(b.changes, Change{TicketID: t.ID, Kind: events[i].Kind})
	}
	return nil
}

// matchEcho finds the reply of ours a fetched seller message is the echo
// of: the same text, on the same ticket, not yet known by the channel's id.
// The reply takes the channel's id and counts as sent (the channel has it),
// and the echo is not stored a second time.
func (b *ingestBatch) matchEcho(ctx context.Context, p *pending) (bool, error) {
	if b.echoCandidates == nil {
		b.echoCandidates = map[int64][]EchoCandidate{}
	}
	cs, ok := b.echoCandidates[p.ticket.ID]
	if !ok {
		var err error
		if cs, err = b.stx.EchoCandidates(ctx, p.ticket.ID); err != nil {
			return false, err
		}
		b.echoCandidates[p.ticket.ID] = cs
	}
	text := sameText(p.in.authored) // the connector's notes (a file it could not fetch) are not ours
	best := -1
	for i, c := range cs {
		if sameText(c.Body) != text {
			continue
		}
		if best < 0 || echoRank(c.State) < echoRank(cs[best].State) {
			best = i
		}
	}
	if best < 0 || echoRank(cs[best].State) > 3 {
		return false, nil
	}
	c := cs[best]
	b.echoCandidates[p.ticket.ID] = slices.Delete(cs, best, best+1)
	if err := b.d.recordSent(ctx, b.stx, c.MessageID, p.in.SourceID, c.State != ""); err != nil {
		return false, err
	}
	if p.in.ThreadExternalID != "" {
		// The reply opened this conversation (its thread of ours has no id
		// yet) and the echo came before the outbox could say so: one
		// thread, the channel's.
		merged, err := nameOpenedThread(ctx, b.stx, c.MessageID, p.in.ThreadExternalID, p.thread.Kind)
		if err != nil {
			return false, err
		}
		if merged != 0 {
			delete(b.threadOf, threadKey{p.ticket.ID, p.thread.Kind, ""}) // gone
		}
	}
	b.echoes++
	b.changes = append(b.changes, Change{TicketID: p.ticket.ID, Kind: EventDelivery})
	return true, nil
}

// echoRank orders the replies an echo may be: those whose outcome we wait
// for first; a failed one is not matched.
func echoRank(s DeliveryState) int {
	switch s {
	case OutboxSending, OutboxUnknown:
		return 0
	case OutboxQueued:
		return 1
	case OutboxSent, "":
		return 2
	}
	return 9
}

// sameText is a message's text as compared with its echo: channels rewrap
// lines and turn LF into CRLF.
func sameText(s string) string { return strings.Join(strings.Fields(s), " ") }
