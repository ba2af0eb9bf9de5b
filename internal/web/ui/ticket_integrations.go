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
	var order channel.Order
	var actions []channel.Action
	var orderErr, actionsErr error
	var wg sync.WaitGroup
	wg.Go(func() { order, orderErr = h.cs.Order(ctx, s.actor(), id) })
	wg.Go(func() { actions, actionsErr = h.cs.Actions(ctx, s.actor(), id) })
	wg.Wait()
	if desk.IsNotFound(orderErr) && desk.IsNotFound(actionsErr) {
		return orderErr
	}
	if actionsErr != nil && !errors.Is(actionsErr, channel.ErrNotSupported) {
		h.log.Info("channel actions", "ticket", id, "err", actionsErr)
	}
	d := integrationsOf(translator(s.lang()), order, orderErr, actions)
	h.views.render(w, r, http.StatusOK, s.lang(), "ticket_integrations", d)
	return nil
}
