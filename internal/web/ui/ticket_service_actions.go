package ui

import (
	"net/http"
	"strconv"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// ticketService runs the ticket page's thread actions: « Marquer comme
// traité » / « Rouvrir », and forwarding to an agent or outside.
type ticketService struct {
	desk  *desk.Desk
	views *views
	deps  ticketDeps
}

func (h *ticketService) handled(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("ticket")
	}
	t, err := h.desk.CloseTicket(r.Context(), s.actor(), id)
	if err != nil {
		return err
	}
	redirect(w, r, "/tickets/"+t.Number+"?ok=handled")
	return nil
}

func (h *ticketService) reopen(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("ticket")
	}
	t, err := h.desk.ReopenTicket(r.Context(), s.actor(), id)
	if err != nil {
		return err
	}
	redirect(w, r, "/tickets/"+t.Number+"?ok=reopened")
	return nil
}

// forward hands the ticket to the agent chosen, or (« quelqu'un d'autre »,
// agent 0) emails it to the address given.
func (h *ticketService) forward(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("ticket")
	}
	f := forwardForm{Email: r.PostFormValue("email"), Comment: r.PostFormValue("comment"), Assign: r.PostFormValue("assign") == "1"}
	f.AgentID, _ = strconv.ParseInt(r.PostFormValue("agent_id"), 10, 64)
	in := desk.ForwardInput{TicketID: id, AgentID: f.AgentID, Comment: f.Comment, Assign: f.Assign}
	if f.AgentID == 0 {
		in.Email = f.Email
	}
	err = h.desk.ForwardTicket(r.Context(), s.actor(), in)
	if code := desk.ErrorCode(err); code == desk.EInvalid || code == desk.EConflict {
		d, lerr := loadTicket(r.Context(), h.desk, h.views, h.deps, s, id)
		if lerr != nil {
			return lerr
		}
		f.Error = desk.ErrorMessage(err)
		d.Service.Forward = f
		h.views.render(w, r, http.StatusBadRequest, s.lang(), "ticket", d)
		return nil
	}
	if err != nil {
		return err
	}
	ok := "forwarded"
	if f.AgentID == 0 {
		ok = "emailed"
	}
	redirect(w, r, "/tickets/"+strconv.FormatInt(id, 10)+"?ok="+ok+"#service")
	return nil
}
