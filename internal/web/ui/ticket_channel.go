package ui

import (
	"context"
	"strconv"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// ticketDeps is what the ticket page asks of the channels: their
// connectors (integrations, actions) and the outbox (deliveries). Either
// may be nil; the page then does without.
type ticketDeps struct {
	cs  *channel.Connectors
	out DeliveryControl
}

// decorate adds to a ticket's page what comes from its channel: the
// integrations fragment, the deliveries' detail and their buttons.
func (deps ticketDeps) decorate(ctx context.Context, v *views, tr translator, d *ticketData, tv desk.TicketView, s session) {
	if deps.cs != nil {
		if _, ok := deps.cs.Registry().Kind(tv.Channel.Kind); ok {
			d.IntegrationsURL = "/tickets/" + strconv.FormatInt(tv.Ticket.ID, 10) + "/integrations"
			d.Scripts = append(d.Scripts, "actions.js")
		}
	}
	unknown := map[int64]desk.OutboxEntry{}
	if deps.out != nil && hasUnsent(tv.Messages) {
		es, err := deps.out.Deliveries(ctx, s.actor(), desk.DeliveryFilter{States: []desk.DeliveryState{desk.OutboxUnknown, desk.OutboxFailed}, ChannelID: tv.Channel.ID, TicketID: tv.Ticket.ID})
		if err != nil { // the page does without the detail
			v.log.Warn("deliveries of a ticket", "ticket", tv.Ticket.ID, "err", err)
		}
		for _, e := range es {
			if e.TicketID == tv.Ticket.ID {
				unknown[e.MessageID] = e
			}
		}
	}
	for i := range d.Tabs {
		for j := range d.Tabs[i].Messages {
			m := &d.Tabs[i].Messages[j]
			if m.Delivery == "" {
				continue
			}
			m.DeliveryState, m.CSRF = m.Delivery, s.CSRF
			if deps.out != nil {
				m.DeliveryBase = "/tickets/" + strconv.FormatInt(tv.Ticket.ID, 10) + "/messages/" + strconv.FormatInt(m.ID, 10)
			}
			if e, ok := unknown[m.ID]; ok {
				m.DeliveryState = string(e.State)
				if m.DeliveryError == "" {
					m.DeliveryError = e.LastError
				}
			}
			m.DeliveryLabel = tr.T("delivery." + m.DeliveryState)
		}
	}
}

func hasUnsent(ms []desk.Message) bool {
	for _, m := range ms {
		if m.Delivery == desk.DeliveryQueued || m.Delivery == desk.DeliveryFailed {
			return true
		}
	}
	return false
}

// actionHistory says an action event: « Léa Martin — Action Kaufland :
// Rembourser une partie du montant (12,50 €) — accepté ».
func actionHistory(tr translator, e desk.Event, channelName string) string {
	who := e.ActorName
	if who == "" {
		who = tr.T("history.system")
	}
	outcome, failed := desk.ActionOutcome(e)
	if failed {
		return tr.T("history.action_failed", who, channelName, e.Old, outcome)
	}
	return tr.T("history.action", who, channelName, e.Old, outcome)
}
