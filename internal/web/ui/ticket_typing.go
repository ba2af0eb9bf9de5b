package ui

import (
	"net/http"

	"guichet/internal/desk"
	"guichet/internal/web/live"
	"guichet/internal/web/request"
)

// typingPing tells the other agents on a ticket that this one is writing a
// reply (the page posts it every few seconds while the reply box changes).
type typingPing struct {
	hub *live.Hub
}

func (h *typingPing) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("ticket")
	}
	if h.hub != nil {
		h.hub.Publish(live.Event{Type: "typing", TicketID: id, AgentID: s.Agent.ID, AgentName: s.Agent.Name})
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
