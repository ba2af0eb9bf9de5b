package ui

import (
	"net/http"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// settingsPage lets an agent choose their language, change their password
// (giving the current one) and see or revoke their API tokens.
type settingsPage struct {
	desk  *desk.Desk
	views *views
}

type settingsData struct {
	page
	Lang          string
	Errors        map[string]string
	Tokens        []tokenRow
	RevokeBase    string // where the token table's revoke buttons post
	NotifyByEmail bool   // « recevoir mes notifications par email » (see notifications.go)
}

// tokenRow is an API token as the pages list it.
type tokenRow struct {
	ID                      int64
	Name, Created, LastUsed string
}

func tokenRows(ts []desk.APIToken) []tokenRow {
	rows := make([]tokenRow, len(ts))
	for i, t := range ts {
		rows[i] = tokenRow{ID: t.ID, Name: t.Name, Created: showTime(t.CreatedAt), LastUsed: showTime(t.LastUsedAt)}
	}
	return rows
}

func (h *settingsPage) serve(w http.ResponseWriter, r *http.Request, s session) error {
	notice := ""
	switch r.URL.Query().Get("ok") {
	case "revoked":
		notice = translator(s.lang()).T("tokens.revoked")
	case "notify_saved":
		notice = translator(s.lang()).T("notify.saved")
	}
	return h.render(w, r, s, http.StatusOK, s.Agent.Lang, map[string]string{}, notice)
}

func (h *settingsPage) render(w http.ResponseWriter, r *http.Request, s session, status int, lang string, errs map[string]string, notice string) error {
	ts, err := h.desk.APITokens(r.Context(), s.actor(), desk.TokenFilter{AgentID: s.Agent.ID})
	if err != nil {
		return err
	}
	d := settingsData{page: h.views.base(s, translator(s.lang()).T("settings.title"), "settings"), Lang: lang, Errors: errs,
		Tokens: tokenRows(ts), RevokeBase: "/settings/tokens"}
	d.Notice = notice
	if d.NotifyByEmail, err = h.desk.NotifyByEmail(r.Context(), s.actor()); err != nil {
		return err
	}
	h.views.render(w, r, status, s.lang(), "settings", d)
	return nil
}

func (h *settingsPage) save(w http.ResponseWriter, r *http.Request, s session) error {
	a := s.Agent
	lang, password := r.PostFormValue("lang"), r.PostFormValue("password")
	tr := translator(s.lang())
	if password != r.PostFormValue("password_confirm") {
		return h.render(w, r, s, http.StatusBadRequest, lang, map[string]string{"password": tr.T("settings.password_mismatch")}, "")
	}
	// desk lets an agent change their own language and password only: the
	// other fields are sent as they are. A new password ends the agent's
	// other sessions; this one stays.
	saved, err := h.desk.SaveAgent(r.Context(), s.actor(), desk.AgentInput{ID: a.ID, Email: a.Email, Name: a.Name,
		Role: a.Role, Lang: lang, Active: a.Active, Password: password,
		CurrentPassword: r.PostFormValue("current_password"), KeepSession: s.Hash})
	switch desk.ErrorCode(err) {
	case "":
	case desk.EInvalid:
		return h.render(w, r, s, http.StatusBadRequest, lang, map[string]string{desk.ErrorField(err): desk.ErrorMessage(err)}, "")
	case desk.ETooMany:
		return h.render(w, r, s, request.Status(err), lang, map[string]string{"current_password": desk.ErrorMessage(err)}, "")
	default:
		return err
	}
	s.Agent = saved
	return h.render(w, r, s, http.StatusOK, saved.Lang, map[string]string{}, translator(s.lang()).T("settings.saved"))
}

// revokeToken deletes one of the agent's own API tokens.
func (h *settingsPage) revokeToken(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := h.desk.RevokeAPIToken(r.Context(), s.actor(), id); err != nil {
		return err
	}
	redirect(w, r, "/settings?ok=revoked")
	return nil
}
