package ui

import (
	"net/http"
	"net/url"
	"strings"

	"guichet/internal/desk"
)

// searchBox answers the search field of every page: a ticket number or an
// order reference opens that ticket at once; any other text lists the
// tickets that match, in the inbox.
type searchBox struct {
	desk *desk.Desk
}

func (h *searchBox) serve(w http.ResponseWriter, r *http.Request, s session) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		redirect(w, r, "/")
		return nil
	}
	t, err := h.desk.LookupTicket(r.Context(), s.actor(), q)
	switch code := desk.ErrorCode(err); {
	case err == nil:
		redirect(w, r, "/tickets/"+t.Number)
		return nil
	case code != desk.ENotFound && code != desk.EConflict: // several orders: list them
		return err
	}
	redirect(w, r, "/?"+url.Values{"q": {q}}.Encode())
	return nil
}
