package ui

import (
	"context"
	"net/http"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// runTicketAction runs one of the channel's actions from « Choisir une
// action » (a fetch from ticket.js, the parameters as form fields) and
// answers the channel's words in JSON; the history gets the event.
type runTicketAction struct {
	cs *channel.Connectors
}

// actionTimeout bounds an action: the channel may be slow, the agent waits.
const actionTimeout = 30 * time.Second

type actionAnswer struct {
	Message string         `json:"message"`
	Order   *channel.Order `json:"order,omitempty"`
}

func (h *runTicketAction) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil || h.cs == nil {
		return desk.NotFound("ticket")
	}
	r.ParseMultipartForm(1 << 20)
	params := map[string]string{}
	for k := range r.PostForm {
		if k != "csrf" {
			params[k] = r.PostForm.Get(k)
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), actionTimeout)
	defer cancel()
	res, err := h.cs.RunAction(ctx, s.actor(), id, r.PathValue("action"), params)
	if err != nil && desk.ErrorCode(err) == desk.EInternal {
		// The channel's refusal or failure, in its words: the agent acts on it.
		request.WriteJSON(w, http.StatusBadGateway, request.ErrorBody{Error: request.ErrorDetail{Code: "channel", Message: channel.Explain(err)}})
		return nil
	}
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, actionAnswer{Message: res.Message, Order: res.Order})
	return nil
}
