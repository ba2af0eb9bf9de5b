package api

import (
	"context"
	"net/http"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

func (h *handler) updateTicket(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return err
	}
	var b patchBody
	if err := request.DecodeJSON(w, r, &b, request.MaxJSON); err != nil {
		return err
	}
	p, err := b.patch()
	if err != nil {
		return err
	}
	t, err := h.desk.UpdateTicket(r.Context(), actor, id, p)
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (h *handler) closeTicket(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	return h.changeStatus(w, r, actor, h.desk.CloseTicket)
}

func (h *handler) reopenTicket(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	return h.changeStatus(w, r, actor, h.desk.ReopenTicket)
}

func (h *handler) changeStatus(w http.ResponseWriter, r *http.Request, actor desk.Actor,
	change func(ctx context.Context, a desk.Actor, id int64) (desk.Ticket, error)) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return err
	}
	t, err := change(r.Context(), actor, id)
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, t)
	return nil
}

// patchBody is desk.TicketPatch with the deadline as text, so that a bad date
// is reported on its field.
type patchBody struct {
	Status       *desk.Status   `json:"status"`
	Priority     *desk.Priority `json:"priority"`
	AssigneeID   *int64         `json:"assignee_id"`
	Deadline     *string        `json:"deadline"`
	Problem      *string        `json:"customer_problem"`
	RealEmail    *string        `json:"real_email"`
	DeliveryDate *string        `json:"delivery_date"`
}

func (b patchBody) patch() (desk.TicketPatch, error) {
	p := desk.TicketPatch{Status: b.Status, Priority: b.Priority, AssigneeID: b.AssigneeID,
		Problem: b.Problem, RealEmail: b.RealEmail, DeliveryDate: b.DeliveryDate}
	if b.Deadline != nil {
		t, err := parseTime(*b.Deadline, "deadline")
		if err != nil {
			return p, err
		}
		if t.IsZero() {
			return p, desk.Invalid("deadline", "date obligatoire")
		}
		p.Deadline = &t
	}
	return p, nil
}
