package ui

import (
	"context"
	"slices"
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
	bo  *channel.Backoffice
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
	deps.emailThread(d, tv)
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

// emailThread decides whether the ticket offers its Email thread: seed
// 001 offers it only for orders that exist in the back office, and it
// needs an address (the ticket's real email, or the back-office order's
// customer's). The page never waits for the shop: it goes by what the
// last lookup found (channel.Backoffice.Remembered); when there was none
// yet, the tab is rendered hidden and the integrations fragment, which
// looks the order up, shows it (actions.js). A thread that already has
// messages stays.
func (deps ticketDeps) emailThread(d *ticketData, tv desk.TicketView) {
	i := slices.IndexFunc(d.Tabs, func(t threadTab) bool { return t.ThreadKind == string(desk.ThreadEmail) })
	if i < 0 || len(d.Tabs[i].Messages) > 0 || d.ReplyTab == d.Tabs[i].Key {
		return
	}
	offer, known := deps.emailOffer(tv)
	switch {
	case offer:
	case !known:
		d.Tabs[i].Hidden = true
	default:
		d.Tabs = slices.Delete(d.Tabs, i, i+1)
	}
}

// emailOffer says whether the Email thread is offered, and whether that
// is known yet (false: the fragment will tell).
func (deps ticketDeps) emailOffer(tv desk.TicketView) (offer, known bool) {
	ch, ref := tv.Channel, tv.Ticket.OrderRef
	if deps.bo == nil || ref == "" || (ch.Kind != desk.ChannelPrestaShop && !ch.Backoffice.Set()) {
		return false, true
	}
	if _, ok := deps.cs.Registry().Kind(ch.Kind); !ok {
		return false, true
	}
	o, found, known := deps.bo.Remembered(ch, ref)
	if !known {
		return false, false
	}
	return found && (tv.Ticket.RealEmail != "" || o.Email != ""), true
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
