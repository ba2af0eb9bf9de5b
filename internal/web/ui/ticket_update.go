package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet/internal/desk"
	"guichet/internal/fold"
	"guichet/internal/web/request"
)

// updateTicket saves the left column (parameters and basic information).
// Only the fields the agent changed go to desk, in one UpdateTicket: each
// change is a line of the history, and a refused value writes nothing.
type updateTicket struct {
	desk  *desk.Desk
	views *views
	deps  ticketDeps
}

func (h *updateTicket) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("ticket")
	}
	ctx := r.Context()
	agents, err := h.desk.Agents(ctx)
	if err != nil {
		return err
	}
	form := readParams(r)
	patch, errs := form.patch(agents, translator(s.lang()))
	if len(errs) == 0 {
		_, err = h.desk.UpdateTicket(ctx, s.actor(), id, patch)
		if err == nil {
			redirect(w, r, "/tickets/"+strconv.FormatInt(id, 10)+"?ok=saved")
			return nil
		}
		if desk.ErrorCode(err) != desk.EInvalid {
			return err
		}
		errs[paramField(desk.ErrorField(err))] = desk.ErrorMessage(err)
	}
	d, err := loadTicket(ctx, h.desk, h.views, h.deps, s, id)
	if err != nil {
		return err
	}
	d.Params = paramsForm{Values: form.Values, Orig: form.Orig, Errors: errs}
	h.views.render(w, r, http.StatusBadRequest, s.lang(), "ticket", d)
	return nil
}

func readParams(r *http.Request) paramsForm {
	read := func(prefix string) paramValues {
		id, _ := strconv.ParseInt(r.PostFormValue(prefix+"assignee_id"), 10, 64)
		return paramValues{
			Status: r.PostFormValue(prefix + "status"), Priority: r.PostFormValue(prefix + "priority"),
			AssigneeID: id, AssigneeName: strings.TrimSpace(r.PostFormValue(prefix + "assignee_name")),
			Deadline: r.PostFormValue(prefix + "deadline"), Problem: r.PostFormValue(prefix + "customer_problem"),
			RealEmail: r.PostFormValue(prefix + "real_email"), DeliveryDate: r.PostFormValue(prefix + "delivery_date"),
		}
	}
	return paramsForm{Values: read(""), Orig: read("orig_"), Errors: map[string]string{}}
}

// patch turns what changed into a desk.TicketPatch; values that cannot be
// read are reported by field.
func (f paramsForm) patch(agents []desk.Agent, tr translator) (desk.TicketPatch, map[string]string) {
	var p desk.TicketPatch
	errs := map[string]string{}
	v, o := f.Values, f.Orig
	if v.Status != o.Status {
		st := desk.Status(v.Status)
		p.Status = &st
	}
	if v.Priority != o.Priority {
		pr := desk.Priority(v.Priority)
		p.Priority = &pr
	}
	if v.AssigneeName != o.AssigneeName || v.AssigneeID != o.AssigneeID {
		id, err := resolveAgent(v.AssigneeName, v.AssigneeID, agents)
		if err != nil {
			errs["assignee"] = tr.T(err.Error())
		} else if id != o.AssigneeID {
			p.AssigneeID = &id
		}
	}
	if v.Deadline != o.Deadline {
		t, err := time.ParseInLocation(inputDateTime, v.Deadline, paris)
		if err != nil {
			errs["deadline"] = tr.T("error.datetime")
		} else {
			p.Deadline = &t
		}
	}
	if v.Problem != o.Problem {
		p.Problem = &v.Problem
	}
	if v.RealEmail != o.RealEmail {
		p.RealEmail = &v.RealEmail
	}
	if v.DeliveryDate != o.DeliveryDate {
		p.DeliveryDate = &v.DeliveryDate
	}
	return p, errs
}

type fieldError string

func (e fieldError) Error() string { return string(e) }

// resolveAgent finds the responsible the agent typed: the one picked in the
// list (id), else the only active agent whose name is, or starts with, the
// text (accents and case aside). An empty name means nobody.
func resolveAgent(name string, id int64, agents []desk.Agent) (int64, error) {
	if name == "" {
		return 0, nil
	}
	want := fold.String(name)
	for _, a := range agents {
		if a.ID == id && fold.String(a.Name) == want {
			return a.ID, nil
		}
	}
	var exact, prefix []int64
	for _, a := range agents {
		if !a.Active {
			continue
		}
		n := fold.String(a.Name)
		if n == want {
			exact = append(exact, a.ID)
		} else if strings.HasPrefix(n, want) || strings.Contains(n, " "+want) {
			prefix = append(prefix, a.ID)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) == 0 && len(prefix) == 1:
		return prefix[0], nil
	case len(exact)+len(prefix) > 1:
		return 0, fieldError("error.agent_ambiguous") // a label key
	}
	return 0, fieldError("error.agent_unknown")
}

// paramField maps desk's field names to the form's.
func paramField(f string) string {
	if f == "assignee_id" {
		return "assignee"
	}
	return f
}
