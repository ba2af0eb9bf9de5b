package desk

import (
	"context"
	"time"
)

// TicketFact is what the service's figures read of a ticket a customer's
// message opened: when, and its first answer by an agent. First response
// time (FRT) runs from the message that opened the ticket to the first
// message an agent sent on it; system messages, notes and messages written
// in a marketplace's back office are no answer. A ticket is measured once:
// when a closed ticket is reopened by the customer, its FRT stays what it
// was (a second answer is not a first response, and the figure a
// marketplace grades is per ticket).
type TicketFact struct {
	TicketID        int64
	ChannelID       int64
	OpenedAt        time.Time
	FirstResponseAt time.Time // zero: not answered yet
	ResponderID     int64
	Response        time.Duration // counted the channel's way
	InTime          bool          // answered before the deadline then in force
}

// FactsTx keeps the tickets' facts.
type FactsTx interface {
	InsertTicketFacts(ctx context.Context, fs []TicketFact) error
	// RecordFirstResponse sets f's first response on its ticket's facts when
	// they have none yet; recorded is false otherwise (answered already, or
	// a ticket no customer opened).
	RecordFirstResponse(ctx context.Context, f TicketFact) (recorded bool, err error)
}

// perfReplyTx is what an agent's answer writes for the figures and rules,
// and the channel's calendar its first response is counted on.
type perfReplyTx interface {
	FactsTx
	ServiceRulesTx
	calendarReader
}

// agentAnswered records what an agent's message on t changes besides the
// message: the ticket's first response (a message to the marketplace's
// operators answers no customer), and the priority rule. Its events are
// appended to events.
func (d *Desk) agentAnswered(ctx context.Context, tx perfReplyTx, t *Ticket, ch Channel, thread ThreadKind, actor Actor, now time.Time, events *[]Event) error {
	if thread == ThreadOperator {
		return nil
	}
	f := TicketFact{TicketID: t.ID, FirstResponseAt: now, ResponderID: actor.AgentID,
		InTime: t.Deadline.IsZero() || !now.After(t.Deadline)}
	// Counted as the channel counts its deadline: its policy's mode on its
	// calendar (the defaults when they are wrong, as for the deadline).
	clock, err := d.clockOf(ctx, tx, ch)
	if err != nil {
		return err
	}
	f.Response = clock.calendar.Counted(t.OpenedAt, now, clock.policy.Mode).Truncate(time.Millisecond)
	if _, err := tx.RecordFirstResponse(ctx, f); err != nil {
		return err
	}
	if t.Priority != P1 {
		return nil
	}
	rules, err := serviceRules(ctx, tx)
	if err != nil || !rules.ReplyToP2 {
		return err
	}
	*events = append(*events, ruleEvent(t, P2, now))
	return nil
}

// customerWrote applies the priority rule to a customer's message on t.
func (b *ingestBatch) customerWrote(ctx context.Context, t *Ticket, at time.Time) error {
	if t.Priority != P2 {
		return nil
	}
	if b.rules == nil {
		r, err := serviceRules(ctx, b.tx)
		if err != nil {
			return err
		}
		b.rules = &r
	}
	if b.rules.CustomerToP1 {
		b.events = append(b.events, ruleEvent(t, P1, at))
	}
	return nil
}

// opensFacts says whether a ticket opened by this message is measured: a
// customer wrote it.
func opensFacts(in *preparedIncoming) bool {
	return in.AuthorKind == AuthorCustomer && !in.FromSeller && !in.Internal && in.AutoKind == AutoNone
}
