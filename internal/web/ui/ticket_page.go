package ui

import (
	"net/http"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// ticketPage shows one ticket. As a fragment (GET /tickets/{id}/live) it
// renders the parts live updates refresh: status, parameters, history, threads.
type ticketPage struct {
	desk     *desk.Desk
	views    *views
	fragment bool
}

func (h *ticketPage) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("ticket")
	}
	d, err := loadTicket(r.Context(), h.desk, h.views, s, id)
	if err != nil {
		return err
	}
	if h.fragment {
		h.views.render(w, r, http.StatusOK, s.lang(), "ticket_live", d)
		return nil
	}
	switch r.URL.Query().Get("ok") {
	case "saved":
		d.Notice = translator(s.lang()).T("ticket.saved")
	case "sent":
		d.Notice = translator(s.lang()).T("reply.sent")
	case "note":
		d.Notice = translator(s.lang()).T("note.added")
	case "retried":
		d.Notice = translator(s.lang()).T("parked.retried")
	}
	h.views.render(w, r, http.StatusOK, s.lang(), "ticket", d)
	return nil
}
