package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

var listParams = []string{"status", "priority", "channel", "assignee", "overdue", "due_soon", "deadline_from", "deadline_to",
	"opened_from", "opened_to", "reason", "q", "sort", "after", "limit"}

func (h *handler) listTickets(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	f, err := ParseFilter(r.URL.Query(), actor)
	if err != nil {
		return err
	}
	page, err := h.desk.FindTickets(r.Context(), actor, f)
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, page)
	return nil
}

// ParseFilter reads an inbox filter from query parameters; the pages use it too.
// status: waiting_admin, waiting_customer, closed, or "open" (both waiting),
// comma-separated or repeated. assignee: an agent id, "me" or "none".
// Dates: YYYY-MM-DD or RFC 3339.
func ParseFilter(q url.Values, actor desk.Actor) (desk.TicketFilter, error) {
	var f desk.TicketFilter
	for name := range q {
		if !slices.Contains(listParams, name) {
			return f, desk.Invalid(name, "paramètre inconnu : %q", name)
		}
	}
	for _, v := range q["status"] {
		for _, s := range strings.Split(v, ",") {
			switch s = strings.TrimSpace(s); s {
			case "":
			case "open":
				f.Statuses = append(f.Statuses, desk.StatusWaitingAdmin, desk.StatusWaitingCustomer)
			default:
				if !desk.Status(s).Valid() {
					return f, desk.Invalid("status", "statut inconnu : %q", s)
				}
				f.Statuses = append(f.Statuses, desk.Status(s))
			}
		}
	}
	f.Priority = desk.Priority(q.Get("priority"))
	var err error
	if f.ChannelID, err = optionalID(q, "channel"); err != nil {
		return f, err
	}
	switch a := q.Get("assignee"); a {
	case "":
	case "me":
		if f.AssigneeID = actor.AgentID; f.AssigneeID == 0 {
			return f, errNoMe
		}
	case "none":
		f.Unassigned = true
	default:
		if f.AssigneeID, err = optionalID(q, "assignee"); err != nil {
			return f, err
		}
	}
	switch q.Get("overdue") {
	case "", "0", "false":
	case "1", "true":
		f.Overdue = true
	default:
		return f, desk.Invalid("overdue", "1 ou 0 attendu")
	}
	switch q.Get("due_soon") {
	case "", "0", "false":
	case "1", "true":
		f.DueSoon = true
	default:
		return f, desk.Invalid("due_soon", "1 ou 0 attendu")
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"deadline_from", &f.DeadlineFrom}, {"deadline_to", &f.DeadlineTo}, {"opened_from", &f.OpenedFrom}, {"opened_to", &f.OpenedTo}} {
		if *p.dst, err = parseTime(q.Get(p.name), p.name); err != nil {
			return f, err
		}
	}
	f.Reason = q.Get("reason")
	f.Text = q.Get("q")
	f.Sort = desk.Sort(q.Get("sort"))
	f.After = q.Get("after")
	if l := q.Get("limit"); l != "" {
		if f.Limit, err = strconv.Atoi(l); err != nil || f.Limit < 1 || f.Limit > desk.MaxPageSize {
			return f, desk.Invalid("limit", "entre 1 et %d", desk.MaxPageSize)
		}
	}
	return f, nil
}

// errNoMe answers assignee=me from an integration, which is no agent.
var errNoMe = desk.Invalid("assignee", "« me » désigne l'agent qui appelle : un jeton d'intégration n'en est pas un")

func optionalID(q url.Values, name string) (int64, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, desk.Invalid(name, "identifiant invalide : %q", v)
	}
	return id, nil
}

func parseTime(v, name string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, paris); err == nil {
		return t, nil
	}
	return time.Time{}, desk.Invalid(name, "date AAAA-MM-JJ ou RFC 3339 attendue : %q", v)
}

var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

func (h *handler) openTicket(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	var in desk.OpenInput
	if err := request.DecodeJSON(w, r, &in, request.MaxJSON); err != nil {
		return err
	}
	t, created, err := h.desk.OpenTicket(r.Context(), actor, in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	request.WriteJSON(w, status, map[string]any{"ticket": t, "created": created})
	return nil
}

func (h *handler) lookupTicket(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	t, err := h.desk.LookupTicket(r.Context(), actor, r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (h *handler) nextTicket(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	exclude, err := optionalID(r.URL.Query(), "exclude")
	if err != nil {
		return err
	}
	t, err := h.desk.NextUnanswered(r.Context(), actor, exclude)
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (h *handler) getTicket(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := h.desk.Ticket(r.Context(), actor, id)
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, v)
	return nil
}
