package ui

import (
	"net/http"
	"slices"
	"strconv"

	"guichet/internal/desk"
)

// adminTemplates manages the default replies: name, text with variables,
// the channels where each may be used, language.
type adminTemplates struct {
	desk  *desk.Desk
	views *views
}

type templatesData struct {
	page
	Templates []desk.Template
	Channels  map[int64]string
}

type templateData struct {
	page
	Form      desk.Template
	Channels  []desk.Channel
	Variables []string
	Errors    map[string]string
}

// Allowed tells the form which channel boxes are ticked.
func (d templateData) Allowed(id int64) bool { return slices.Contains(d.Form.ChannelIDs, id) }

func (h *adminTemplates) list(w http.ResponseWriter, r *http.Request, s session) error {
	ts, err := h.desk.Templates(r.Context())
	if err != nil {
		return err
	}
	names, err := channelNames(r.Context(), h.desk)
	if err != nil {
		return err
	}
	d := templatesData{page: adminPage(r, h.desk, h.views, s, translator(s.lang()).T("admin.templates"), "templates"), Templates: ts, Channels: names}
	d.Notice = noticeOf(r, s)
	h.views.render(w, r, http.StatusOK, s.lang(), "admin_templates", d)
	return nil
}

func (h *adminTemplates) edit(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil {
		return err
	}
	form := desk.Template{Lang: "fr"}
	if id != 0 {
		ts, err := h.desk.Templates(r.Context())
		if err != nil {
			return err
		}
		i := slices.IndexFunc(ts, func(t desk.Template) bool { return t.ID == id })
		if i < 0 {
			return desk.NotFound("réponse par défaut")
		}
		form = ts[i]
	}
	return h.render(w, r, s, http.StatusOK, form, map[string]string{})
}

func (h *adminTemplates) render(w http.ResponseWriter, r *http.Request, s session, status int, form desk.Template, errs map[string]string) error {
	channels, err := h.desk.Channels(r.Context())
	if err != nil {
		return err
	}
	title := translator(s.lang()).T("admin.template_new")
	if form.ID != 0 {
		title = form.Name
	}
	d := templateData{page: adminPage(r, h.desk, h.views, s, title, "templates"), Form: form, Channels: channels, Variables: desk.TemplateVariables, Errors: errs}
	h.views.render(w, r, status, s.lang(), "admin_template", d)
	return nil
}

func (h *adminTemplates) save(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil {
		return err
	}
	t := desk.Template{ID: id, Name: r.PostFormValue("name"), Body: r.PostFormValue("body"), Lang: r.PostFormValue("lang")}
	for _, v := range r.PostForm["channel_ids"] {
		if cid, err := strconv.ParseInt(v, 10, 64); err == nil {
			t.ChannelIDs = append(t.ChannelIDs, cid)
		}
	}
	if _, err := h.desk.SaveTemplate(r.Context(), s.actor(), t); err != nil {
		if desk.ErrorCode(err) != desk.EInvalid {
			return err
		}
		return h.render(w, r, s, http.StatusBadRequest, t, map[string]string{desk.ErrorField(err): desk.ErrorMessage(err)})
	}
	redirect(w, r, "/admin/templates?ok=saved")
	return nil
}

func (h *adminTemplates) remove(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil || id == 0 {
		return desk.NotFound("réponse par défaut")
	}
	if err := h.desk.DeleteTemplate(r.Context(), s.actor(), id); err != nil {
		return err
	}
	redirect(w, r, "/admin/templates?ok=deleted")
	return nil
}
