package ui

import (
	"net/http"

	"guichet/internal/desk"
)

// adminAgents lists, creates and edits agents: role, language, password,
// and deactivation (an agent is never deleted: their history stays theirs).
type adminAgents struct {
	desk  *desk.Desk
	views *views
}

type agentsData struct {
	page
	Agents []desk.Agent
}

type agentData struct {
	page
	Form   desk.AgentInput
	New    bool
	Self   bool // the admin's own account: changing its password asks for the current one
	Errors map[string]string
}

func (h *adminAgents) list(w http.ResponseWriter, r *http.Request, s session) error {
	agents, err := h.desk.Agents(r.Context())
	if err != nil {
		return err
	}
	d := agentsData{page: adminPage(r, h.desk, h.views, s, translator(s.lang()).T("admin.agents"), "agents"), Agents: agents}
	d.Notice = noticeOf(r, s)
	h.views.render(w, r, http.StatusOK, s.lang(), "admin_agents", d)
	return nil
}

func (h *adminAgents) edit(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil {
		return err
	}
	form := desk.AgentInput{Role: desk.RoleADV, Lang: "fr", Active: true}
	if id != 0 {
		a, err := findAgent(r, h.desk, id)
		if err != nil {
			return err
		}
		form = desk.AgentInput{ID: a.ID, Email: a.Email, Name: a.Name, Role: a.Role, Lang: a.Lang, Active: a.Active}
	}
	h.render(w, r, s, http.StatusOK, form, map[string]string{})
	return nil
}

func (h *adminAgents) render(w http.ResponseWriter, r *http.Request, s session, status int, form desk.AgentInput, errs map[string]string) {
	tr := translator(s.lang())
	title := tr.T("admin.agent_new")
	if form.ID != 0 {
		title = form.Name
	}
	form.Password, form.CurrentPassword = "", "" // never sent back
	d := agentData{page: adminPage(r, h.desk, h.views, s, title, "agents"), Form: form, New: form.ID == 0, Self: form.ID == s.Agent.ID, Errors: errs}
	h.views.render(w, r, status, s.lang(), "admin_agent", d)
}

func (h *adminAgents) save(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil {
		return err
	}
	in := desk.AgentInput{ID: id, Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
		Role: desk.Role(r.PostFormValue("role")), Lang: r.PostFormValue("lang"),
		Active: r.PostFormValue("active") == "1", Password: r.PostFormValue("password"),
		CurrentPassword: r.PostFormValue("current_password"), KeepSession: s.Hash}
	_, err = h.desk.SaveAgent(r.Context(), s.actor(), in)
	switch desk.ErrorCode(err) {
	case "":
		redirect(w, r, "/admin/agents?ok=saved")
	case desk.EInvalid:
		h.render(w, r, s, http.StatusBadRequest, in, map[string]string{desk.ErrorField(err): desk.ErrorMessage(err)})
	case desk.ETooMany: // the current password's limit, or too many hashes waiting
		field := "password"
		if in.ID == s.Agent.ID {
			field = "current_password"
		}
		h.render(w, r, s, http.StatusTooManyRequests, in, map[string]string{field: desk.ErrorMessage(err)})
	default:
		return err
	}
	return nil
}

func findAgent(r *http.Request, dk *desk.Desk, id int64) (desk.Agent, error) {
	agents, err := dk.Agents(r.Context())
	if err != nil {
		return desk.Agent{}, err
	}
	for _, a := range agents {
		if a.ID == id {
			return a, nil
		}
	}
	return desk.Agent{}, desk.NotFound("agent")
}
