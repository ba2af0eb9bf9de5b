package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/desk"
)

// The admin sets a calendar (hours, holidays, a closure) and an automatic
// message; bad input comes back by its field and saves nothing; a wrong
// stored policy is shown on the channels page.
func TestAdminCalendarsAndAutomaticMessages(t *testing.T) {
	e := newEnv(t)
	c := e.client().signIn("admin@example.fr")
	if res, body := c.get("/admin/calendars"); res.StatusCode != http.StatusOK || !strings.Contains(body, "France") || !strings.Contains(body, "Allemagne") {
		t.Fatalf("calendars page: %d", res.StatusCode)
	}
	form := url.Values{"csrf": {c.csrf}, "name": {"Entrepôt"}, "time_zone": {"Europe/Paris"}, "country": {"de-BY"},
		"hours_1": {"08:00-12:00, 13:00-17:00"}, "hours_2": {"08:00-17:00"}, "closures": {"2026-12-24 2026-12-26 fermeture de Noël\n2026-08-14 pont"}}
	for field, bad := range map[string]url.Values{
		"time_zone": {"time_zone": {"Lune/Mer"}},
		"hours_1":   {"hours_1": {"8h-12h"}},
		"closures":  {"closures": {"24/12 fermeture"}},
	} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		for k, v := range bad {
			f[k] = v
		}
		res, body := c.postForm("/admin/calendars/new", f)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="field-error"`) {
			t.Errorf("bad %s: %d", field, res.StatusCode)
		}
	}
	if cs, _ := e.d.Calendars(ctx); len(cs) != 2 {
		t.Fatalf("refused calendars were saved: %d", len(cs))
	}
	if res, _ := c.postForm("/admin/calendars/new", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	cs, _ := e.d.Calendars(ctx)
	got := cs[len(cs)-1]
	if got.Name != "Entrepôt" || got.Country != "de-BY" || got.Hours[1] != "08:00-12:00, 13:00-17:00" || len(got.Closures) != 2 ||
		got.Closures[1].From != "2026-08-14" || got.Closures[1].To != "2026-08-14" || got.Closures[0].Label != "fermeture de Noël" {
		t.Errorf("saved %+v", got)
	}

	if res, body := c.get("/admin/automatic"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Accusé de réception") {
		t.Fatalf("automatic page: %d", res.StatusCode)
	}
	res, body := c.postForm("/admin/automatic", url.Values{"csrf": {c.csrf}, "channel_id": {itoa(e.fnac.ID)}, "kind": {"reminder"}, "language": {"fr"}, "days": {"zéro"}, "body": {"x"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "nombre de jours") {
		t.Errorf("bad days: %d", res.StatusCode)
	}
	res, _ = c.postForm("/admin/automatic", url.Values{"csrf": {c.csrf}, "channel_id": {itoa(e.fnac.ID)}, "kind": {"reminder"}, "language": {"fr"},
		"days": {"4"}, "body": {"Avez-vous pu vérifier ?"}, "enabled": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save rule: %d", res.StatusCode)
	}
	rules, _ := e.d.SystemRules(ctx, e.admin)
	found := false
	for _, r := range rules {
		found = found || r.ChannelID == e.fnac.ID && r.Kind == desk.SystemReminder && r.Enabled && r.Days == 4
	}
	if !found {
		t.Errorf("rule not saved: %+v", rules)
	}

	ch := e.fnac
	ch.DeadlinePolicy = "vite"
	if err := e.s.Write(ctx, func(tx desk.Tx) error { return tx.UpdateChannel(ctx, &ch) }); err != nil {
		t.Fatal(err)
	}
	if _, body := c.get("/admin/channels"); !strings.Contains(body, "Compté sur les valeurs par défaut : délai du canal invalide") {
		t.Error("the channels page hides the wrong policy")
	}
	if _, body := c.get("/admin/channels/" + itoa(e.fnac.ID)); !strings.Contains(body, `id="deadline-problem"`) {
		t.Error("the channel page hides the wrong policy")
	}
}
