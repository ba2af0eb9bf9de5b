package ui

import (
	"net/http"
	"strconv"

	"guichet/internal/desk"
)

// nextTicket opens the ticket the agent should take next (« Suivant »):
// waiting for us, theirs then nobody's, soonest deadline first, never the one
// they come from. With reply=1 it opens on the reply box (« Répondre au
// prochain message non lu »).
type nextTicket struct {
	desk  *desk.Desk
	views *views
}

func (h *nextTicket) serve(w http.ResponseWriter, r *http.Request, s session) error {
	from, _ := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
	t, err := h.desk.NextUnanswered(r.Context(), s.actor(), max(from, 0))
	if desk.IsNotFound(err) {
		tr := translator(s.lang())
		p := errorPage{page: h.views.base(s, tr.T("next.none_title"), "error"), Status: http.StatusOK, Message: tr.T("next.none")}
		h.views.render(w, r, http.StatusOK, s.lang(), "error", p)
		return nil
	}
	if err != nil {
		return err
	}
	to := "/tickets/" + t.Number
	if r.URL.Query().Get("reply") == "1" { // « répondre au prochain message non lu »: the reply box at once
		to += "#reply"
	}
	redirect(w, r, to)
	return nil
}
