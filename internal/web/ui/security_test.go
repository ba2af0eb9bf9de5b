package ui_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/desk"
)

func TestPagesWithoutSessionGoToSignIn(t *testing.T) {
	e := newEnv(t)
	tk := e.customerMessage(e.kaufland, "KA-1", "Jean Dupont", "Bonjour")
	c := e.client()
	for _, path := range []string{"/", "/tickets/" + tk.Number, "/admin/agents", "/settings", "/nothing-here"} {
		res, _ := c.get(path)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("GET %s without session: %d → %q; want 303 to /login", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	res, _ := c.get("/tickets/" + tk.Number)
	if loc := res.Header.Get("Location"); loc != "/login?next=%2Ftickets%2F"+tk.Number {
		t.Errorf("redirect keeps where the agent was going: %q", loc)
	}
	res, body := c.get("/api/v1/tickets")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"unauthorized"`) {
		t.Errorf("API without session: %d %s; want a JSON 401", res.StatusCode, body)
	}
	for _, path := range []string{"/events", "/tickets/" + tk.Number + "/live"} {
		if res, _ := c.get(path, "X-Requested-With", "fetch"); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET %s from a script without session: %d; want 401", path, res.StatusCode)
		}
	}
	if res, _ := c.postForm("/tickets/"+tk.Number, url.Values{"status": {"closed"}, "orig_status": {"waiting_admin"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("POST without session: %d; want a redirect to sign in", res.StatusCode)
	}
	if got := e.view(tk.ID).Ticket.Status; got != desk.StatusWaitingAdmin {
		t.Errorf("anonymous POST changed the status to %s", got)
	}
	// The sign-in page itself is reachable, and a good sign-in goes back to next.
	if res, body := c.get("/login"); res.StatusCode != 200 || !strings.Contains(body, `name="password"`) {
		t.Fatalf("login page: %d", res.StatusCode)
	}
	res, _ = c.postForm("/login", url.Values{"email": {"LEA@example.fr "}, "password": {password}, "next": {"/tickets/" + tk.Number}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tickets/"+tk.Number {
		t.Errorf("sign-in: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "guichet_session" {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" {
		t.Errorf("session cookie %+v; want HttpOnly, SameSite=Lax, Path=/", cookie)
	}
	res, _ = e.client().postForm("/login", url.Values{"email": {"lea@example.fr"}, "password": {password}, "next": {"//evil.example/x"}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("sign-in with an outside next went to %q; want /", loc)
	}
}

func TestSignOutNeedsPostAndCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.client().signIn("lea@example.fr")
	if res, _ := c.postForm("/logout", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("sign-out without CSRF: %d; want 403", res.StatusCode)
	}
	c.get("/logout") // a link or an image elsewhere must not sign anyone out
	if res, _ := c.get("/"); res.StatusCode != 200 {
		t.Errorf("GET /logout signed the agent out")
	}
	res, _ := c.postForm("/logout", url.Values{"csrf": {c.csrf}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", res.StatusCode)
	}
	if res, _ := c.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after sign-out the inbox answered %d; want a redirect to sign in", res.StatusCode)
	}
}

func TestAdminPagesAreForAdminsOnly(t *testing.T) {
	e := newEnv(t)
	adv := e.client().signIn("lea@example.fr")
	for _, path := range []string{"/admin/agents", "/admin/agents/new", "/admin/channels", "/admin/channels/" + itoa(e.shop.ID), "/admin/templates", "/admin/templates/new"} {
		if res, _ := adv.get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("ADV GET %s: %d; want 403", path, res.StatusCode)
		}
	}
	res, _ := adv.postForm("/admin/agents/new", url.Values{"csrf": {adv.csrf}, "email": {"x@example.fr"}, "name": {"Pirate"},
		"role": {"admin"}, "password": {"0123456789ab"}, "active": {"1"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("ADV creating an admin: %d; want 403", res.StatusCode)
	}
	if _, body := adv.get("/"); strings.Contains(body, `href="/admin/agents"`) {
		t.Errorf("the ADV's menu links to admin pages")
	}
	admin := e.client().signIn("admin@example.fr")
	for _, path := range []string{"/admin/agents", "/admin/agents/" + itoa(e.lea.AgentID), "/admin/channels", "/admin/channels/new", "/admin/templates", "/admin/templates/" + itoa(e.tplThanks.ID)} {
		if res, body := admin.get(path); res.StatusCode != http.StatusOK {
			t.Errorf("admin GET %s: %d %s", path, res.StatusCode, body)
		}
	}
}

func TestFormPostWithoutCSRFTokenIsRefused(t *testing.T) {
	e := newEnv(t)
	tk := e.customerMessage(e.kaufland, "KA-2", "Jean Dupont", "Bonjour")
	c := e.client().signIn("lea@example.fr")
	form := url.Values{"status": {"closed"}, "orig_status": {"waiting_admin"}}
	for _, tc := range []struct {
		name string
		csrf string
	}{{"no token", ""}, {"wrong token", "not-the-token"}} {
		f := cloneForm(form)
		if tc.csrf != "" {
			f.Set("csrf", tc.csrf)
		}
		if res, _ := c.postForm("/tickets/"+tk.Number, f); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d; want 403", tc.name, res.StatusCode)
		}
	}
	for _, path := range []string{"/tickets/" + tk.Number + "/notes", "/tickets/" + tk.Number + "/typing", "/settings", "/admin/templates/new"} {
		if res, _ := c.postForm(path, url.Values{"body": {"x"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s without token: %d; want 403", path, res.StatusCode)
		}
	}
	if got := e.view(tk.ID); got.Ticket.Status != desk.StatusWaitingAdmin || len(got.Events) != 3 {
		t.Fatalf("refused posts changed the ticket: %s, %d events", got.Ticket.Status, len(got.Events))
	}
	form.Set("csrf", c.csrf)
	if res, _ := c.postForm("/tickets/"+tk.Number, form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("with the token: %d; want 303", res.StatusCode)
	}
	if got := e.view(tk.ID).Ticket.Status; got != desk.StatusClosed {
		t.Errorf("status %s; want closed", got)
	}
}

func cloneForm(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func TestCustomerHTMLIsInertOnTheTicketPage(t *testing.T) {
	e := newEnv(t)
	ts := e.seed()
	// desk sanitizes at ingest; the page sanitizes again, in case a row
	// stored by an older version (or a bug) holds raw HTML.
	if _, err := e.s.DB().ExecContext(ctx, `UPDATE messages SET body_html = $1 WHERE ticket_id = $2`, hostileHTML, ts.html.ID); err != nil {
		t.Fatal(err)
	}
	c := e.client().signIn("lea@example.fr")
	res, body := c.get("/tickets/" + ts.html.Number)
	if res.StatusCode != 200 {
		t.Fatalf("ticket page: %d", res.StatusCode)
	}
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q; want script-src 'self' without unsafe-inline", csp)
	}
	i := strings.Index(body, `<div class="body html">`)
	if i < 0 {
		t.Fatal("the HTML message is not shown as HTML")
	}
	msg := body[i : i+strings.Index(body[i:], "</article>")]
	for _, bad := range []string{"<script", "onerror", "onclick", "javascript:", "<iframe", "alert("} {
		if strings.Contains(strings.ToLower(msg), bad) {
			t.Errorf("message HTML still holds %q:\n%s", bad, msg)
		}
	}
	if !strings.Contains(msg, "du carton abîmé") || !strings.Contains(msg, "Merci d&#39;avance") && !strings.Contains(msg, "Merci d'avance") {
		t.Errorf("the message's text is lost:\n%s", msg)
	}
	// Every <script> of the page is ours: external, or a JSON data block.
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(m, `src="/assets/`) && !strings.Contains(m, `type="application/json"`) {
			t.Errorf("inline script in the page: %s", m)
		}
	}
}

func TestLiveEventsNeedASessionAndStream(t *testing.T) {
	e := newEnv(t)
	tk := e.customerMessage(e.kaufland, "KA-3", "Jean Dupont", "Bonjour")
	c := e.client().signIn("lea@example.fr")
	req, _ := http.NewRequest("GET", e.srv.URL+"/events", nil)
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if _, err := e.d.AddNote(ctx, e.marc, tk.ID, "note"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	var got string
	for !strings.Contains(got, `"kind":"note"`) {
		n, err := res.Body.Read(buf)
		if err != nil {
			t.Fatalf("stream ended before the event: %v (%q)", err, got)
		}
		got += string(buf[:n])
	}
	var ev struct {
		Type     string `json:"type"`
		TicketID int64  `json:"ticket_id"`
	}
	line := got[strings.Index(got, "data: ")+6:]
	json.Unmarshal([]byte(line[:strings.Index(line, "\n")]), &ev)
	if ev.Type != "change" || ev.TicketID != tk.ID {
		t.Errorf("event %+v from %q", ev, got)
	}
	e.hub.Close() // shutdown: the stream must end
	for {
		if _, err := res.Body.Read(buf); err != nil {
			break
		}
	}
}
