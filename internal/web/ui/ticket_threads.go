package ui

import (
	"context"

	"guichet/internal/desk"
)

// startable is which threads the reply zone offers before the ticket has
// them: those the channel's connector can open (a Mirakl order: the
// customer's and the operator's; Kaufland: the customer's). A channel
// without a connector, or one that does not say, gets the customer
// thread, as before connectors could tell.
func (deps ticketDeps) startable(ctx context.Context, tv desk.TicketView) []desk.ThreadKind {
	if deps.cs != nil {
		if kinds, ok := deps.cs.StartsThreads(ctx, tv.Channel, tv.Ticket.OrderRef != ""); ok {
			return kinds
		}
	}
	return []desk.ThreadKind{desk.ThreadCustomer}
}
