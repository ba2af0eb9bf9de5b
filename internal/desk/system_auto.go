package desk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"guichet/internal/deadline"
)

// answerable is a customer's message just stored, that an automatic
// message may answer once the batch is committed.
type answerable struct {
	ticket  Ticket
	channel Channel
	msg     Message
}

// collectAnswerable keeps, for after the commit, a customer's message that
// a machine did not write.
func (b *ingestBatch) collectAnswerable(ch Channel, p *pending) {
	in := p.in
	if in.FromSeller || in.Internal || in.AuthorKind != AuthorCustomer || in.AutoKind != AutoNone {
		return
	}
	b.answers = append(b.answers, answerable{ticket: *p.ticket, channel: ch, msg: p.msg})
}

// answerIncoming sends the acknowledgement of a ticket's first message, or
// the out-of-hours notice of a message that came while the channel's
// calendar is closed (one per closed stretch: its key is the next opening).
// When both apply, the notice goes alone: it acknowledges and says when
// we answer. Nothing answers a machine (an auto-reply, a bounce), an
// operator, an agent, or order-less mail from a sender we do not know
// (spam: an email channel's ticket without an order whose customer has no
// other ticket); PrestaShop's contact form and the marketplaces' customers
// are known.
func (d *Desk) answerIncoming(ctx context.Context, list []answerable) error {
	if len(list) == 0 {
		return nil
	}
	rules, err := d.readSystemRules(ctx)
	if err != nil || !anyEnabled(rules, SystemAck, SystemOutOfHours) {
		return err
	}
	var errs []error
	for _, a := range list {
		if err := d.answerOne(ctx, rules, a); err != nil {
			errs = append(errs, fmt.Errorf("ticket %d: %w", a.ticket.ID, err))
		}
	}
	return errors.Join(errs...)
}

func (d *Desk) answerOne(ctx context.Context, rules []SystemRule, a answerable) error {
	lang := channelLanguage(a.channel)
	ack, ackOn := ruleFor(rules, a.channel, SystemAck, lang)
	ooh, oohOn := ruleFor(rules, a.channel, SystemOutOfHours, lang)
	first := a.msg.Seq == 1
	if !oohOn && !(ackOn && first) {
		return nil
	}
	known, err := d.knownSender(ctx, a)
	if err != nil || !known {
		return err
	}
	cal, _, err := d.ChannelCalendar(ctx, a.channel)
	if err != nil {
		return err
	}
	customer := d.customerName(ctx, a.ticket.CustomerID)
	if oohOn && !cal.Open(a.msg.CreatedAt) {
		opening := cal.Due(a.msg.CreatedAt, deadline.Policy{Mode: deadline.OpeningHours})
		_, _, err := d.SendSystemMessage(ctx, SystemMessageInput{TicketID: a.ticket.ID, ThreadID: a.msg.ThreadID,
			Key:  "out-of-hours:" + strconv.FormatInt(opening.UnixMilli(), 10),
			Body: fillSystem(ooh.Body, a.ticket, a.channel, customer, opening, cal.Location(), 0)})
		if err == nil && first {
			// The notice stands for the acknowledgement: never both.
			_, err = d.markSystem(ctx, a.ticket.ID, "ack")
		}
		return err
	}
	if ackOn && first {
		_, _, err := d.SendSystemMessage(ctx, SystemMessageInput{TicketID: a.ticket.ID, ThreadID: a.msg.ThreadID, Key: "ack",
			Body: fillSystem(ack.Body, a.ticket, a.channel, customer, time.Time{}, cal.Location(), 0)})
		return err
	}
	return nil
}

// knownSender is false for order-less mail from a stranger (see answerIncoming).
func (d *Desk) knownSender(ctx context.Context, a answerable) (bool, error) {
	if a.ticket.OrderRef != "" || a.channel.Kind != ChannelEmail {
		return true, nil
	}
	if a.ticket.CustomerID == 0 {
		return false, nil
	}
	var other bool
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		other, err = tx.CustomerHasOtherTicket(ctx, a.ticket.CustomerID, a.ticket.ID)
		return err
	})
	return other, err
}

// markSystem records a key as sent without a message (the notice stood for it).
func (d *Desk) markSystem(ctx context.Context, ticketID int64, key string) (bool, error) {
	var fresh bool
	err := d.store.Write(ctx, func(tx Tx) error {
		var err error
		fresh, err = tx.InsertSystemMessage(ctx, ticketID, key, 0, d.Now())
		return err
	})
	return fresh, err
}

func (d *Desk) customerName(ctx context.Context, id int64) string {
	if id == 0 {
		return ""
	}
	var name string
	_ = d.store.Read(ctx, func(tx Tx) error {
		c, err := tx.CustomerByID(ctx, id)
		name = c.Name
		return err
	})
	return name
}

func (d *Desk) readSystemRules(ctx context.Context) ([]SystemRule, error) {
	var rs []SystemRule
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		rs, err = tx.SystemRules(ctx)
		return err
	})
	return rs, err
}

func anyEnabled(rules []SystemRule, kinds ...SystemKind) bool {
	for _, r := range rules {
		for _, k := range kinds {
			if r.Kind == k && r.Enabled {
				return true
			}
		}
	}
	return false
}

// AutomaticReport is what a pass of the periodic automatic messages did.
type AutomaticReport struct {
	Reminded int
	Closed   int
}

// waitingPage is how many waiting tickets a pass reads at a time.
const waitingPage = 200

// RunWaitingRules reminds the customers of tickets left waiting for them
// for the reminder's days, and closes those left for the closing's days
// (recorded in the history as done by the rule). Safe to run in several
// processes at once: a reminder's key is the ticket's waiting-since, so it
// is sent once per wait, and a close only happens to a ticket still
// waiting since the same instant.
func (d *Desk) RunWaitingRules(ctx context.Context) (AutomaticReport, error) {
	var rep AutomaticReport
	rules, err := d.readSystemRules(ctx)
	if err != nil || !anyEnabled(rules, SystemReminder, SystemAutoClosing) {
		return rep, err
	}
	minDays := 366
	for _, r := range rules {
		if r.Enabled && (r.Kind == SystemReminder || r.Kind == SystemAutoClosing) {
			minDays = min(minDays, r.Days)
		}
	}
	now := d.Now()
	channels := map[int64]Channel{}
	chs, err := d.Channels(ctx)
	if err != nil {
		return rep, err
	}
	for _, c := range chs {
		channels[c.ID] = c
	}
	var afterSince time.Time
	var afterID int64
	for {
		var page []Ticket
		err := d.store.Read(ctx, func(tx Tx) error {
			var err error
			page, err = tx.WaitingTickets(ctx, now.Add(-time.Duration(minDays)*24*time.Hour), afterSince, afterID, waitingPage)
			return err
		})
		if err != nil {
			return rep, err
		}
		for _, t := range page {
			if err := d.applyWaitingRules(ctx, rules, channels[t.ChannelID], t, now, &rep); err != nil {
				return rep, fmt.Errorf("ticket %d: %w", t.ID, err)
			}
		}
		if len(page) < waitingPage {
			return rep, nil
		}
		afterSince, afterID = page[len(page)-1].WaitingSince, page[len(page)-1].ID
	}
}

func (d *Desk) applyWaitingRules(ctx context.Context, rules []SystemRule, ch Channel, t Ticket, now time.Time, rep *AutomaticReport) error {
	lang := channelLanguage(ch)
	waited := now.Sub(t.WaitingSince)
	since := strconv.FormatInt(t.WaitingSince.UnixMilli(), 10)
	closing, closeOn := ruleFor(rules, ch, SystemAutoClosing, lang)
	if closeOn && waited >= days(closing.Days) {
		closed, err := d.autoClose(ctx, t, ch, closing, since)
		if closed {
			rep.Closed++
		}
		return err
	}
	remind, remindOn := ruleFor(rules, ch, SystemReminder, lang)
	if remindOn && waited >= days(remind.Days) {
		loc := d.calendar.Location()
		_, sent, err := d.SendSystemMessage(ctx, SystemMessageInput{TicketID: t.ID, Key: "reminder:" + since,
			Body: fillSystem(remind.Body, t, ch, d.customerName(ctx, t.CustomerID), time.Time{}, loc, remind.Days)})
		if sent {
			rep.Reminded++
		}
		return err
	}
	return nil
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// autoClose closes a ticket still waiting for the customer since the same
// instant, by the rule; its text, when it has one, is sent first, once.
func (d *Desk) autoClose(ctx context.Context, t Ticket, ch Channel, r SystemRule, since string) (bool, error) {
	if r.Body != "" {
		_, _, err := d.SendSystemMessage(ctx, SystemMessageInput{TicketID: t.ID, Key: "close:" + since,
			Body: fillSystem(r.Body, t, ch, d.customerName(ctx, t.CustomerID), time.Time{}, d.calendar.Location(), r.Days)})
		if err != nil {
			return false, err
		}
	}
	rule := clip(fmt.Sprintf("Règle : fermeture automatique après %d j d'attente du client", r.Days), maxLine)
	now := d.Now()
	var events []Event
	err := d.store.Write(ctx, func(tx Tx) error {
		events = nil
		cur, err := tx.TicketByID(ctx, t.ID)
		if err != nil {
			return err
		}
		if cur.Status != StatusWaitingCustomer || !cur.WaitingSince.Equal(t.WaitingSince) {
			return nil // answered, reopened, or closed by another process meanwhile
		}
		events = append(events, Event{TicketID: t.ID, At: now, ActorName: rule, Kind: EventStatus, Old: string(cur.Status), New: string(StatusClosed)})
		events = append(events, setStatus(&cur, StatusClosed, System, rule, now)...)
		cur.LastActivityAt = now
		return saveTicket(ctx, tx, &cur, events, false)
	})
	if err != nil {
		return false, err
	}
	d.notifyEvents(Actor{Name: rule}, events)
	return len(events) > 0, nil
}
