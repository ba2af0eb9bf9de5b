package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/desk"
)

func TestPerformancePageRefusesBadPeriods(t *testing.T) {
	e := newEnv(t)
	c := e.client().signIn("lea@example.fr")
	for _, q := range []string{"from=2026-13-01", "from=2026-11-10&to=2026-11-01", "from=2020-01-01&to=2026-01-01", "to=hier"} {
		res, body := c.get("/performance?" + q)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="perf-error"`) || strings.Contains(body, `<svg class="chart"`) {
			t.Errorf("%s: %d, error shown %v", q, res.StatusCode, strings.Contains(body, `id="perf-error"`))
		}
		if res, _ := c.get("/performance.csv?" + q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("CSV %s: %d", q, res.StatusCode)
		}
	}
	res, body := c.get("/performance")
	if res.StatusCode != http.StatusOK || strings.Count(body, `<svg class="chart"`) != 4 {
		t.Errorf("default period: %d, %d charts", res.StatusCode, strings.Count(body, `<svg class="chart"`))
	}
	res, body = c.get("/performance.csv")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="performance-`) || !strings.HasPrefix(body, "\ufeffPortée;") {
		t.Errorf("CSV: %d %q %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), body[:min(len(body), 40)])
	}
}

func TestAdminSetsTheServiceRules(t *testing.T) {
	e := newEnv(t)
	lea := e.client().signIn("lea@example.fr")
	if res, _ := lea.postForm("/admin/rules", url.Values{"csrf": {lea.csrf}, "reply_to_p2": {"1"}, "warning_lead": {"60"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an ADV changes the rules: %d", res.StatusCode)
	}
	admin := e.client().signIn("admin@example.fr")
	res, body := admin.get("/admin/rules")
	if res.StatusCode != 200 || !strings.Contains(body, `value="120"`) || strings.Contains(body, `name="reply_to_p2" value="1" checked`) {
		t.Fatalf("rules page: %d", res.StatusCode)
	}
	for _, lead := range []string{"deux heures", "-5", "20000"} {
		res, body := admin.postForm("/admin/rules", url.Values{"csrf": {admin.csrf}, "reply_to_p2": {"1"}, "warning_lead": {lead}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="warning_lead-error"`) {
			t.Errorf("lead %q: %d", lead, res.StatusCode)
		}
	}
	if r, _ := e.d.ServiceRules(ctx); r != desk.DefaultServiceRules {
		t.Fatalf("refused input was saved: %+v", r)
	}
	res, _ = admin.postForm("/admin/rules", url.Values{"csrf": {admin.csrf}, "reply_to_p2": {"1"}, "customer_to_p1": {"1"}, "warning_lead": {"45"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	want := desk.ServiceRules{ReplyToP2: true, CustomerToP1: true, WarningLead: 45 * time.Minute}
	if r, _ := e.d.ServiceRules(ctx); r != want {
		t.Errorf("rules = %+v; want %+v", r, want)
	}
	_, body = admin.get("/admin/rules")
	if !strings.Contains(body, `name="customer_to_p1" value="1" checked`) || !strings.Contains(body, `value="45"`) {
		t.Errorf("saved rules not shown")
	}
}
