package ui

import (
	"net/http"
	"strconv"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// ticketPage shows one ticket. As a fragment (GET /tickets/{id}/live) it
// renders the parts live updates refresh: status, parameters, history, threads.
// Remote images in customer HTML are blocked, but for the message the
// agent asked to see them on (?images=ID), whose page alone lets them load.
type ticketPage struct {
	desk     *desk.Desk
	views    *views
	deps     ticketDeps
	fragment bool
}

func (h *ticketPage) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("ticket")
	}
	// ?images=ID: the agent asked to see that message's remote images.
	show, _ := strconv.ParseInt(r.URL.Query().Get("images"), 10, 64)
	d, err := loadTicketShowing(r.Context(), h.desk, h.views, h.deps, s, id, max(show, 0))
	if err != nil {
		return err
	}
	if d.ImagesShown && !h.fragment {
		w.Header().Set("Content-Security-Policy", remoteImagesPolicy)
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
	case "existing":
		d.Notice = translator(s.lang()).T("ticket.existing")
	case "retried":
		d.Notice = translator(s.lang()).T("parked.retried")
	case "delivery_retry":
		d.Notice = translator(s.lang()).T("notice.delivery_retried")
	case "delivery_delivered":
		d.Notice = translator(s.lang()).T("notice.delivery_marked")
	case "handled", "reopened", "forwarded", "emailed": // thread actions (ticket_service_actions.go)
		d.Notice = serviceNotice(translator(s.lang()), r.URL.Query().Get("ok"))
	}
	h.views.render(w, r, http.StatusOK, s.lang(), "ticket", d)
	return nil
}
