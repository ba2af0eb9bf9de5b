package desk

import (
	"context"
	"strings"
)

// NewTicketInput is a ticket an agent opens by hand to contact a customer
// (seed 001): on an order of a channel, or without an order; the first
// message is the agent's, queued through the outbox like a reply.
type NewTicketInput struct {
	ChannelID  int64
	OrderRef   string // empty: a contact without an order
	CustomerID int64  // from a customer's page
	Body       string
	Status     Status // where the ticket stands after the message
	Confirmed  bool   // the agent saw the guard's findings
}

// NewTicket opens a ticket by hand, assigned to the agent who opens it,
// and sends its first message. When the order has a ticket already, that
// ticket is returned (existing true) and nothing is sent: the agent
// continues there.
func (d *Desk) NewTicket(ctx context.Context, actor Actor, in NewTicketInput) (t Ticket, existing bool, err error) {
	if actor.AgentID == 0 {
		return Ticket{}, false, Errorf(EForbidden, "réservé aux agents")
	}
	body, err := checkBody("body", in.Body, maxBody)
	if err != nil {
		return Ticket{}, false, err
	}
	if body == "" {
		return Ticket{}, false, Invalid("body", "écrivez le premier message au client")
	}
	if missing := UnfilledVariables(body); len(missing) > 0 {
		return Ticket{}, false, Invalid("body", "variable sans valeur : {%s}", strings.Join(missing, "}, {"))
	}
	if !in.Status.Valid() {
		return Ticket{}, false, Invalid("status", "choisissez le statut du ticket après ce message")
	}
	if in.OrderRef != "" {
		if t, err := d.ticketOfOrder(ctx, in.ChannelID, in.OrderRef); err == nil {
			return t, true, nil
		} else if !IsNotFound(err) {
			return Ticket{}, false, err
		}
	}
	// The guard first: a message it stops must not leave an empty ticket.
	if !in.Confirmed {
		if err := d.checkGuard(ctx, in.ChannelID, body); err != nil {
			return Ticket{}, false, err
		}
	}
	t, created, err := d.OpenTicket(ctx, actor, OpenInput{ChannelID: in.ChannelID, OrderRef: in.OrderRef, CustomerID: in.CustomerID})
	if err != nil {
		return Ticket{}, false, err
	}
	if !created { // opened by someone else a moment ago
		return t, true, nil
	}
	if _, err := d.Reply(ctx, actor, ReplyInput{TicketID: t.ID, Body: body, Status: in.Status, Confirmed: true}); err != nil {
		return t, false, err
	}
	return t, false, nil
}

func (d *Desk) ticketOfOrder(ctx context.Context, channelID int64, ref string) (Ticket, error) {
	var t Ticket
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		t, err = tx.TicketByOrder(ctx, channelID, ref)
		return err
	})
	return t, err
}

// checkGuard is Reply's check of the text against the channel, before the
// ticket exists.
func (d *Desk) checkGuard(ctx context.Context, channelID int64, body string) error {
	var channels []Channel
	if err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		channels, err = tx.Channels(ctx)
		return err
	}); err != nil {
		return err
	}
	for _, c := range channels {
		if c.ID == channelID {
			if hits := CheckReply(body, c, channels); len(hits) > 0 {
				return &Error{Code: EConfirm, Message: "le message demande une confirmation avant l'envoi", Details: hits}
			}
			return nil
		}
	}
	return Invalid("channel_id", "canal inconnu")
}
