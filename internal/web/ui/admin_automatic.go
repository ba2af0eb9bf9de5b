package ui

import (
	"net/http"
	"strconv"
	"strings"

	"guichet/internal/desk"
)

// adminAutomatic manages the automatic messages: per channel (or every
// channel) and language, the text, the conditions and the switch.
type adminAutomatic struct {
	desk  *desk.Desk
	views *views
}

type automaticData struct {
	page
	Rules     []desk.SystemRule
	Channels  []desk.Channel
	Names     map[int64]string
	Kinds     []desk.SystemKind
	Languages []string
	Form      desk.SystemRule
	Errors    map[string]string
}

func (h *adminAutomatic) list(w http.ResponseWriter, r *http.Request, s session) error {
	q := r.URL.Query()
	form := desk.SystemRule{Kind: desk.SystemKind(q.Get("kind")), Language: q.Get("lang")}
	form.ChannelID, _ = strconv.ParseInt(q.Get("channel"), 10, 64)
	if !form.Kind.Valid() {
		form.Kind = desk.SystemAck
	}
	if form.Language == "" {
		form.Language = "fr"
	}
	rules, err := h.desk.SystemRules(r.Context(), s.actor())
	if err != nil {
		return err
	}
	for _, x := range rules {
		if x.ChannelID == form.ChannelID && x.Kind == form.Kind && x.Language == form.Language {
			form = x
		}
	}
	return h.render(w, r, s, http.StatusOK, rules, form, map[string]string{})
}

func (h *adminAutomatic) render(w http.ResponseWriter, r *http.Request, s session, status int, rules []desk.SystemRule, form desk.SystemRule, errs map[string]string) error {
	chs, err := h.desk.Channels(r.Context())
	if err != nil {
		return err
	}
	names := map[int64]string{0: translator(s.lang()).T("auto.every_channel")}
	for _, c := range chs {
		names[c.ID] = c.Name
	}
	d := automaticData{page: adminPage(r, h.desk, h.views, s, translator(s.lang()).T("admin.automatic"), "automatic"),
		Rules: rules, Channels: chs, Names: names, Kinds: desk.SystemKinds, Languages: desk.Languages, Form: form, Errors: errs}
	d.Notice = noticeOf(r, s)
	h.views.render(w, r, status, s.lang(), "admin_automatic", d)
	return nil
}

func (h *adminAutomatic) save(w http.ResponseWriter, r *http.Request, s session) error {
	rule := desk.SystemRule{Kind: desk.SystemKind(r.PostFormValue("kind")), Language: r.PostFormValue("language"),
		Body: r.PostFormValue("body"), Enabled: r.PostFormValue("enabled") == "1"}
	errs := map[string]string{}
	var err error
	if rule.ChannelID, err = strconv.ParseInt(r.PostFormValue("channel_id"), 10, 64); err != nil {
		errs["channel_id"] = translator(s.lang()).T("auto.bad_channel")
	}
	if v := strings.TrimSpace(r.PostFormValue("days")); v != "" {
		if rule.Days, err = strconv.Atoi(v); err != nil {
			errs["days"] = translator(s.lang()).T("auto.bad_days")
		}
	}
	if len(errs) == 0 {
		if _, err := h.desk.SaveSystemRule(r.Context(), s.actor(), rule); err != nil {
			if desk.ErrorCode(err) != desk.EInvalid {
				return err
			}
			errs[desk.ErrorField(err)] = desk.ErrorMessage(err)
		}
	}
	if len(errs) > 0 {
		rules, err := h.desk.SystemRules(r.Context(), s.actor())
		if err != nil {
			return err
		}
		return h.render(w, r, s, http.StatusBadRequest, rules, rule, errs)
	}
	redirect(w, r, "/admin/automatic?ok=saved&channel="+strconv.FormatInt(rule.ChannelID, 10)+"&kind="+string(rule.Kind)+"&lang="+rule.Language)
	return nil
}
