package ui

import (
	"context"
	"net/http"
	"strconv"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// deliveryOp is one of the outbox's actions on a reply.
type deliveryOp func(DeliveryControl, context.Context, desk.Actor, int64) error

// messageDelivery acts on a reply's delivery from its ticket: « Réessayer »
// or « Renvoyer » (op retry), « Marquer comme envoyé » (op delivered).
type messageDelivery struct {
	out DeliveryControl
}

func (h *messageDelivery) serve(w http.ResponseWriter, r *http.Request, s session) error {
	ticketID, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("ticket")
	}
	messageID, err := request.PathID(r, "mid")
	if err != nil || h.out == nil {
		return desk.NotFound("message")
	}
	ops := map[string]deliveryOp{"retry": DeliveryControl.RetryDelivery, "delivered": DeliveryControl.MarkDelivered}
	op, ok := ops[r.PathValue("op")]
	if !ok {
		return desk.NotFound("page")
	}
	if err := op(h.out, r.Context(), s.actor(), messageID); err != nil {
		return err
	}
	redirect(w, r, "/tickets/"+strconv.FormatInt(ticketID, 10)+"?ok=delivery_"+r.PathValue("op")+"#m-"+strconv.FormatInt(messageID, 10))
	return nil
}
