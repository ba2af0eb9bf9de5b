package desk

import (
	"context"
	"strings"
	"unicode/utf8"
)

// EventAction is an action run on the channel from the ticket (« Choisir
// une action »): Old is the action as the agent chose it (« Rembourser une
// partie du montant (12,50 €) »), New the channel's answer, prefixed with
// actionFailed when the channel refused or failed.
const EventAction EventKind = "action"

const actionFailed = "!"

// ActionOutcome reads an action event's answer and whether it failed.
func ActionOutcome(e Event) (outcome string, failed bool) {
	if s, ok := strings.CutPrefix(e.New, actionFailed); ok {
		return s, true
	}
	return e.New, false
}

// maxOutcome bounds the channel's answer kept in the history: it is the
// channel's text, so it is cut rather than refused.
const maxOutcome = 1000

// RecordAction writes in the ticket's history that an agent ran an action
// on the channel, and what the channel answered.
func (d *Desk) RecordAction(ctx context.Context, actor Actor, ticketID int64, label, outcome string, failed bool) error {
	label, err := checkLine("label", label, maxLine, true)
	if err != nil {
		return err
	}
	outcome = strings.ToValidUTF8(strings.ReplaceAll(strings.TrimSpace(outcome), "\x00", ""), "")
	if utf8.RuneCountInString(outcome) > maxOutcome {
		outcome = string([]rune(outcome)[:maxOutcome]) + "…"
	}
	if failed {
		outcome = actionFailed + outcome
	}
	e := Event{TicketID: ticketID, At: d.Now(), AgentID: actor.AgentID, ActorName: actor.Name, Kind: EventAction, Old: label, New: outcome}
	err = d.store.Write(ctx, func(tx Tx) error {
		if _, err := tx.TicketByID(ctx, ticketID); err != nil {
			return err
		}
		return tx.InsertEvent(ctx, &e)
	})
	if err != nil {
		return err
	}
	d.notifyEvents(actor, []Event{e})
	return nil
}

// TicketThreads is a ticket with its channel and threads: what a channel
// action needs to know about it.
type TicketThreads struct {
	Ticket  Ticket
	Channel Channel
	Threads []Thread
}

// TicketThreads returns a ticket, its channel and its threads.
func (d *Desk) TicketThreads(ctx context.Context, actor Actor, ticketID int64) (TicketThreads, error) {
	var v TicketThreads
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		if v.Ticket, err = tx.TicketByID(ctx, ticketID); err != nil {
			return err
		}
		if v.Channel, err = tx.ChannelByID(ctx, v.Ticket.ChannelID); err != nil {
			return err
		}
		v.Threads, err = tx.Threads(ctx, ticketID)
		return err
	})
	return v, err
}
