package ui

import (
	"net/http"
	"strconv"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// addNote stores an internal note (agents only, never sent).
type addNote struct {
	desk  *desk.Desk
	views *views
	deps  ticketDeps
}

func (h *addNote) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("ticket")
	}
	body := r.PostFormValue("body")
	_, err = h.desk.AddNote(r.Context(), s.actor(), id, body)
	if err == nil {
		redirect(w, r, "/tickets/"+strconv.FormatInt(id, 10)+"?ok=note")
		return nil
	}
	if desk.ErrorCode(err) != desk.EInvalid {
		return err
	}
	d, lerr := loadTicket(r.Context(), h.desk, h.views, h.deps, s, id)
	if lerr != nil {
		return lerr
	}
	d.Note = noteForm{Body: body, Error: desk.ErrorMessage(err)}
	d.ReplyTab = "notes"
	h.views.render(w, r, http.StatusBadRequest, s.lang(), "ticket", d)
	return nil
}
