package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet/internal/desk"
)

// adminRules is « Règles du service »: the priority rules and the lead time
// of the warnings before a deadline passes.
type adminRules struct {
	desk  *desk.Desk
	views *views
}

type rulesData struct {
	page
	Rules       desk.ServiceRules
	LeadMinutes string
	Errors      map[string]string
}

func (h *adminRules) show(w http.ResponseWriter, r *http.Request, s session) error {
	rules, err := h.desk.ServiceRules(r.Context())
	if err != nil {
		return err
	}
	return h.render(w, r, s, http.StatusOK, rules, strconv.Itoa(int(rules.WarningLead/time.Minute)), nil)
}

func (h *adminRules) render(w http.ResponseWriter, r *http.Request, s session, status int, rules desk.ServiceRules, lead string, errs map[string]string) error {
	d := rulesData{page: adminPage(r, h.desk, h.views, s, translator(s.lang()).T("admin.rules"), "rules"), Rules: rules, LeadMinutes: lead, Errors: errs}
	d.Notice = noticeOf(r, s)
	h.views.render(w, r, status, s.lang(), "admin_rules", d)
	return nil
}

func (h *adminRules) save(w http.ResponseWriter, r *http.Request, s session) error {
	rules := desk.ServiceRules{ReplyToP2: r.PostFormValue("reply_to_p2") == "1", CustomerToP1: r.PostFormValue("customer_to_p1") == "1"}
	lead := strings.TrimSpace(r.PostFormValue("warning_lead"))
	n, err := strconv.Atoi(lead)
	if err != nil {
		return h.render(w, r, s, http.StatusBadRequest, rules, lead, map[string]string{"warning_lead": translator(s.lang()).T("rules.lead_invalid")})
	}
	rules.WarningLead = time.Duration(n) * time.Minute
	if _, err := h.desk.SetServiceRules(r.Context(), s.actor(), rules); err != nil {
		if desk.ErrorCode(err) != desk.EInvalid {
			return err
		}
		return h.render(w, r, s, http.StatusBadRequest, rules, lead, map[string]string{desk.ErrorField(err): desk.ErrorMessage(err)})
	}
	redirect(w, r, "/admin/rules?ok=saved")
	return nil
}
