package ui

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// ticketIntegrations is the fragment the ticket page fetches after it
// loads: the order from the channel (« Backoffice »), its parcels (« Suivi
// colis ») and the channel's actions. A channel that does not answer in
// time gets a French message, never a blocked page.
type ticketIntegrations struct {
	cs    *channel.Connectors
	bo    *channel.Backoffice
	views *views
	log   *slog.Logger
}

// integrationsTimeout bounds the channel's answer: the agent is waiting.
var integrationsTimeout = 6 * time.Second

func (h *ticketIntegrations) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil || h.cs == nil {
		return desk.NotFound("ticket")
	}
	ctx, cancel := context.WithTimeout(r.Context(), integrationsTimeout)
	defer cancel()
	var orders channel.TicketOrders
	var actions []channel.Action
	var ordersErr, actionsErr error
	var wg sync.WaitGroup
	wg.Go(func() { orders, ordersErr = h.orders(ctx, s.actor(), id) })
	wg.Go(func() { actions, actionsErr = h.cs.Actions(ctx, s.actor(), id) })
	wg.Wait()
	if ordersErr != nil {
		return ordersErr
	}
	if desk.IsNotFound(orders.OrderErr) && desk.IsNotFound(actionsErr) && !orders.Found() && !orders.Channel.Backoffice.Set() {
		return orders.OrderErr
	}
	if actionsErr != nil && !errors.Is(actionsErr, channel.ErrNotSupported) {
		h.log.Info("channel actions", "ticket", id, "err", actionsErr)
	}
	d := integrationsOf(translator(s.lang()), orders, actions)
	h.views.render(w, r, http.StatusOK, s.lang(), "ticket_integrations", d)
	return nil
}

// orders reads the ticket's order on its channel and in the back office
// (without a back-office lookup: the channel's order alone).
func (h *ticketIntegrations) orders(ctx context.Context, actor desk.Actor, id int64) (channel.TicketOrders, error) {
	if h.bo != nil {
		return h.bo.Orders(ctx, actor, id)
	}
	o, err := h.cs.Order(ctx, actor, id)
	return channel.TicketOrders{Order: o, OrderErr: err, BackofficeErr: channel.ErrNotSupported}, nil
}
