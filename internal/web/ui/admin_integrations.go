package ui

import (
	"net/http"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// adminIntegrations lists, creates and revokes integration tokens: the
// tokens of systems (the shop's order-page button) that call the API as
// the system, not as an agent.
type adminIntegrations struct {
	desk  *desk.Desk
	views *views
}

type integrationsData struct {
	page
	Tokens     []tokenRow
	RevokeBase string
	Name       string            // the create form's value
	Created    string            // a token just made: shown this once
	Errors     map[string]string // the create form's errors
}

func (h *adminIntegrations) list(w http.ResponseWriter, r *http.Request, s session) error {
	notice := ""
	if r.URL.Query().Get("ok") == "revoked" {
		notice = translator(s.lang()).T("tokens.revoked")
	}
	return h.render(w, r, s, http.StatusOK, integrationsData{}, notice)
}

func (h *adminIntegrations) render(w http.ResponseWriter, r *http.Request, s session, status int, d integrationsData, notice string) error {
	ts, err := h.desk.APITokens(r.Context(), s.actor(), desk.TokenFilter{Integrations: true})
	if err != nil {
		return err
	}
	d.page = adminPage(r, h.desk, h.views, s, translator(s.lang()).T("admin.integrations"), "integrations")
	d.Notice, d.Tokens, d.RevokeBase = notice, tokenRows(ts), "/admin/integrations"
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	h.views.render(w, r, status, s.lang(), "admin_integrations", d)
	return nil
}

func (h *adminIntegrations) create(w http.ResponseWriter, r *http.Request, s session) error {
	name := r.PostFormValue("name")
	token, err := h.desk.CreateIntegrationToken(r.Context(), s.actor(), name)
	if desk.ErrorCode(err) == desk.EInvalid {
		return h.render(w, r, s, http.StatusBadRequest, integrationsData{Name: name, Errors: map[string]string{"name": desk.ErrorMessage(err)}}, "")
	}
	if err != nil {
		return err
	}
	// Rendered, not redirected: the token is shown once and never again.
	w.Header().Set("Cache-Control", "no-store")
	return h.render(w, r, s, http.StatusCreated, integrationsData{Created: token}, "")
}

func (h *adminIntegrations) revoke(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := h.desk.RevokeAPIToken(r.Context(), s.actor(), id); err != nil {
		return err
	}
	redirect(w, r, "/admin/integrations?ok=revoked")
	return nil
}
