package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/desk"
)

func TestInboxPagesByKeysetAndCounts(t *testing.T) {
	e := newEnv(t)
	var batch []desk.Incoming
	for i := range 60 {
		batch = append(batch, desk.Incoming{ChannelID: e.kaufland.ID, OrderRef: fmt.Sprintf("P-%03d", i), SourceID: fmt.Sprintf("s%d", i),
			AuthorKind: desk.AuthorCustomer, Body: "Bonjour", Customer: desk.CustomerInput{Name: "Client " + itoa(int64(i))}})
	}
	if _, err := e.d.Ingest(ctx, batch); err != nil {
		t.Fatal(err)
	}
	c := e.client().signIn("lea@example.fr")
	rowRe := regexp.MustCompile(`<tr data-id="(\d+)"`)
	seen := map[string]bool{}
	path := "/?status=open&assignee=me"
	for pages := 0; path != ""; pages++ {
		res, body := c.get(path)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		for _, m := range rowRe.FindAllStringSubmatch(body, -1) {
			if seen[m[1]] {
				t.Fatalf("ticket %s on two pages", m[1])
			}
			seen[m[1]] = true
		}
		path = ""
		if m := regexp.MustCompile(`<a href="([^"]+)" class="btn" rel="next">`).FindStringSubmatch(body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
			if !strings.Contains(path, "after=") || !strings.Contains(path, "assignee=me") {
				t.Errorf("next page link %q loses the filters", path)
			}
		}
		if pages > 3 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != 60 {
		t.Errorf("paged through %d tickets; want 60", len(seen))
	}
	_, body := c.get("/")
	if !strings.Contains(body, `<span>Attente Admin</span><b>60</b>`) {
		t.Errorf("counters do not show 60 tickets waiting")
	}
}

func TestAgentSwitchesToEnglish(t *testing.T) {
	e := newEnv(t)
	c := e.client().signIn("marc@example.fr")
	if _, body := c.get("/"); !strings.Contains(body, "Mes tickets") || !strings.Contains(body, `<html lang="fr">`) {
		t.Fatal("French is not the default")
	}
	res, body := c.postForm("/settings", url.Values{"csrf": {c.csrf}, "lang": {"en"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Settings saved.") {
		t.Fatalf("settings: %d", res.StatusCode)
	}
	_, body = c.get("/")
	for _, want := range []string{`<html lang="en">`, "My tickets", "Waiting for us", "Sign out"} {
		if !strings.Contains(body, want) {
			t.Errorf("English inbox lacks %q", want)
		}
	}
	// An ADV cannot promote themself through the settings form.
	c.postForm("/settings", url.Values{"csrf": {c.csrf}, "lang": {"en"}, "role": {"admin"}})
	if res, _ := c.get("/admin/agents"); res.StatusCode != http.StatusForbidden {
		t.Errorf("after settings, admin pages answer %d", res.StatusCode)
	}
	if res, body := c.postForm("/settings", url.Values{"csrf": {c.csrf}, "lang": {"en"}, "password": {"short"}, "password_confirm": {"short"}}); res.StatusCode != 400 || !strings.Contains(body, "10 caractères") {
		t.Errorf("short password: %d", res.StatusCode)
	}
}

func TestAdminCreatesAndDeactivatesAnAgent(t *testing.T) {
	e := newEnv(t)
	admin := e.client().signIn("admin@example.fr")
	res, _ := admin.postForm("/admin/agents/new", url.Values{"csrf": {admin.csrf}, "email": {"zoe@example.fr"}, "name": {"Zoé Garnier"},
		"role": {"adv"}, "lang": {"en"}, "active": {"1"}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	zoe := e.client().signIn("zoe@example.fr")
	if _, body := zoe.get("/"); !strings.Contains(body, "My tickets") {
		t.Error("the new agent's language is not English")
	}
	agents, _ := e.d.Agents(ctx)
	var id int64
	for _, a := range agents {
		if a.Email == "zoe@example.fr" {
			id = a.ID
		}
	}
	res, _ = admin.postForm("/admin/agents/"+itoa(id), url.Values{"csrf": {admin.csrf}, "email": {"zoe@example.fr"}, "name": {"Zoé Garnier"},
		"role": {"adv"}, "lang": {"en"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate: %d", res.StatusCode)
	}
	if res, _ := zoe.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a deactivated agent's session still works: %d", res.StatusCode)
	}
	// Default replies: create, then delete.
	res, _ = admin.postForm("/admin/templates/new", url.Values{"csrf": {admin.csrf}, "name": {"Retour"}, "body": {"Bonjour {nom_client}"},
		"lang": {"fr"}, "channel_ids": {itoa(e.fnac.ID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new template: %d", res.StatusCode)
	}
	ts, _ := e.d.Templates(ctx)
	var tpl desk.Template
	for _, x := range ts {
		if x.Name == "Retour" {
			tpl = x
		}
	}
	if len(tpl.ChannelIDs) != 1 || tpl.ChannelIDs[0] != e.fnac.ID {
		t.Errorf("template channels %v", tpl.ChannelIDs)
	}
	if res, _ := admin.postForm("/admin/templates/"+itoa(tpl.ID)+"/delete", url.Values{"csrf": {admin.csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("delete: %d", res.StatusCode)
	}
}

func TestAssetsAreHashedAndCachedForLong(t *testing.T) {
	e := newEnv(t)
	c := e.client().signIn("lea@example.fr")
	_, body := c.get("/")
	m := regexp.MustCompile(`href="(/assets/[0-9a-f]{12}/app\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no hashed stylesheet link")
	}
	res, css := c.get(m[1])
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || !strings.Contains(css, "--accent") {
		t.Errorf("asset: %d %v", res.StatusCode, res.Header)
	}
	res, _ = c.get("/assets/000000000000/app.css")
	if res.StatusCode != 200 || strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("an old hash: %d %q; want the current file, not cached", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if res, _ := c.get("/assets/000000000000/nothing.js"); res.StatusCode != 404 {
		t.Errorf("unknown asset: %d", res.StatusCode)
	}
}

func TestNextWithNothingWaiting(t *testing.T) {
	e := newEnv(t)
	c := e.client().signIn("lea@example.fr")
	res, body := c.get("/next")
	if res.StatusCode != 200 || !strings.Contains(body, "Tous les tickets qui vous attendent ont une réponse") {
		t.Errorf("/next with nothing waiting: %d", res.StatusCode)
	}
	tk := e.customerMessage(e.shop, "S-1", "Éloïse", "Bonjour") // nobody's: next takes it
	if res, _ := c.get("/next"); res.Header.Get("Location") != "/tickets/"+tk.Number {
		t.Errorf("/next: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := c.get("/next?from=" + tk.Number); res.StatusCode != 200 {
		t.Errorf("/next skipping the only ticket: %d", res.StatusCode)
	}
}

// Without script, the guard comes back as a page that keeps the text and
// asks to confirm; the confirmed post sends.
func TestGuardWithoutScriptAsksOnThePage(t *testing.T) {
	e := newEnv(t)
	tk := e.customerMessage(e.kaufland, "KA-77", "Jean Dupont", "Bonjour")
	c := e.client().signIn("lea@example.fr")
	const text = "Vous le trouverez aussi sur la Fnac."
	res, body := c.multipart("/tickets/"+tk.Number+"/replies", map[string]string{"body": text, "status": "closed"}, false)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, `id="guard-server"`) || !strings.Contains(body, "« fnac » : le nom d&#39;une autre marketplace (Fnac)") {
		t.Fatalf("unconfirmed reply: %d\n%s", res.StatusCode, body[strings.Index(body, "<main"):][:2000])
	}
	if !strings.Contains(body, text) || !strings.Contains(body, `id="reply-confirmed" value="1"`) || !strings.Contains(body, `value="closed" checked`) {
		t.Error("the page lost the text, the status or the confirmation field")
	}
	if n := len(e.view(tk.ID).Messages); n != 1 {
		t.Fatalf("stored before confirmation: %d messages", n)
	}
	res, _ = c.multipart("/tickets/"+tk.Number+"/replies", map[string]string{"body": text, "status": "closed", "confirmed": "1"}, false)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed: %d", res.StatusCode)
	}
	// The script's path: JSON in, JSON out, EConfirm with the findings.
	req, _ := http.NewRequest("POST", e.srv.URL+"/tickets/"+tk.Number+"/replies", strings.NewReader(url.Values{"body": {"Voir real.de"}, "status": {"closed"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", c.csrf)
	req.Header.Set("Accept", "application/json")
	e2 := e.customerMessage(e.fnac, "FN-77", "Sophie", "Bonjour")
	req.URL.Path = "/tickets/" + e2.Number + "/replies"
	res, body = c.do(req)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, `"code":"confirm"`) || !strings.Contains(body, `"channel":"Kaufland"`) {
		t.Errorf("JSON reply naming Kaufland on Fnac: %d %s", res.StatusCode, body)
	}
}

func TestInternalNoteShowsApart(t *testing.T) {
	e := newEnv(t)
	tk := e.customerMessage(e.kaufland, "KA-78", "Jean Dupont", "Bonjour")
	c := e.client().signIn("lea@example.fr")
	res, _ := c.postForm("/tickets/"+tk.Number+"/notes", url.Values{"csrf": {c.csrf}, "body": {"Appelé le transporteur <b>lundi</b>"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("note: %d", res.StatusCode)
	}
	_, body := c.get("/tickets/" + tk.Number)
	i := strings.Index(body, `id="panel-notes"`)
	if i < 0 || !strings.Contains(body[i:], `class="msg author-agent out note"`) || !strings.Contains(body[i:], "Note interne") ||
		!strings.Contains(body[i:], "Appelé le transporteur &lt;b&gt;lundi&lt;/b&gt;") {
		t.Errorf("note panel:\n%s", body[i:min(len(body), i+1500)])
	}
	if !strings.Contains(body, "Léa Martin a ajouté une note interne") {
		t.Error("history lacks the note")
	}
}
