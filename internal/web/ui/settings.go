package ui

import (
	"net/http"

	"guichet/internal/desk"
)

// settingsPage lets an agent choose their language and change their password.
type settingsPage struct {
	desk  *desk.Desk
	views *views
}

type settingsData struct {
	page
	Lang   string
	Errors map[string]string
}

func (h *settingsPage) serve(w http.ResponseWriter, r *http.Request, s session) error {
	h.render(w, r, s, http.StatusOK, s.Agent.Lang, map[string]string{}, "")
	return nil
}

func (h *settingsPage) render(w http.ResponseWriter, r *http.Request, s session, status int, lang string, errs map[string]string, notice string) {
	d := settingsData{page: h.views.base(s, translator(s.lang()).T("settings.title"), "settings"), Lang: lang, Errors: errs}
	d.Notice = notice
	h.views.render(w, r, status, s.lang(), "settings", d)
}

func (h *settingsPage) save(w http.ResponseWriter, r *http.Request, s session) error {
	a := s.Agent
	lang, password := r.PostFormValue("lang"), r.PostFormValue("password")
	tr := translator(s.lang())
	if password != r.PostFormValue("password_confirm") {
		h.render(w, r, s, http.StatusBadRequest, lang, map[string]string{"password": tr.T("settings.password_mismatch")}, "")
		return nil
	}
	// desk lets an agent change their own language and password only: the
	// other fields are sent as they are.
	saved, err := h.desk.SaveAgent(r.Context(), s.actor(), desk.AgentInput{ID: a.ID, Email: a.Email, Name: a.Name,
		Role: a.Role, Lang: lang, Active: a.Active, Password: password})
	if desk.ErrorCode(err) == desk.EInvalid {
		h.render(w, r, s, http.StatusBadRequest, lang, map[string]string{desk.ErrorField(err): desk.ErrorMessage(err)}, "")
		return nil
	}
	if err != nil {
		return err
	}
	s.Agent = saved
	h.render(w, r, s, http.StatusOK, saved.Lang, map[string]string{}, translator(s.lang()).T("settings.saved"))
	return nil
}
