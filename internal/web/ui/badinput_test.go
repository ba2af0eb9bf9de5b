package ui_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/desk"
)

// orig is the hidden "as rendered" half of the parameters form.
func orig(t desk.Ticket, assignee string) url.Values {
	return url.Values{"orig_status": {string(t.Status)}, "orig_priority": {string(t.Priority)},
		"orig_assignee_id": {itoa(t.AssigneeID)}, "orig_assignee_name": {assignee},
		"orig_deadline": {t.Deadline.In(paris).Format("2006-01-02T15:04")}}
}

func TestBadInputReRendersWithTheErrorAndWritesNothing(t *testing.T) {
	e := newEnv(t)
	tk := e.customerMessage(e.kaufland, "KA-9", "Jean Dupont", "Bonjour")
	c := e.client().signIn("lea@example.fr")
	base := orig(tk, "Léa Martin")
	with := func(kv ...string) url.Values {
		f := cloneForm(base)
		for k, v := range f {
			if strings.HasPrefix(k, "orig_") {
				f.Set(k[5:], v[0])
			}
		}
		f.Set("csrf", c.csrf)
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	tests := []struct {
		name string
		form url.Values
		want string // the French message next to the field
		id   string // the field's error element
	}{
		{"deadline not a date", with("deadline", "demain", "priority", "P2"), "date et heure attendues", "err-deadline"},
		{"bad email", with("real_email", "pas-une-adresse", "customer_problem", "Colis perdu"), "adresse email invalide", "err-email"},
		{"unknown responsible", with("assignee_name", "Zorro"), "agent inconnu", "err-assignee"},
		{"unknown status", with("status", "ouvert"), "statut inconnu", ""},
		{"bad delivery date", with("delivery_date", "31/12/2026"), "AAAA-MM-JJ", "err-delivery"},
		{"problem too long", with("customer_problem", strings.Repeat("x", 400)), "300 caractères au plus", "err-problem"},
	}
	for _, tt := range tests {
		res, body := c.postForm("/tickets/"+tk.Number, tt.form)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d, want 400 with %q", tt.name, res.StatusCode, tt.want)
		}
		if tt.id != "" && !strings.Contains(body, `id="`+tt.id+`"`) {
			t.Errorf("%s: the error is not next to its field (%s)", tt.name, tt.id)
		}
	}
	// What the agent typed is still in the form.
	_, body := c.postForm("/tickets/"+tk.Number, with("real_email", "pas-une-adresse", "customer_problem", "Colis perdu"))
	if !strings.Contains(body, `value="Colis perdu"`) || !strings.Contains(body, `value="pas-une-adresse"`) {
		t.Error("the form lost what the agent typed")
	}
	v := e.view(tk.ID)
	if len(v.Events) != 3 || v.Ticket.Priority != desk.P1 || v.Ticket.Problem != "" {
		t.Errorf("refused changes were written: %d events, %s, %q", len(v.Events), v.Ticket.Priority, v.Ticket.Problem)
	}

	// Replies: no status, unfilled variable, bad attachment type; nothing stored.
	for _, tt := range []struct {
		name, body, status, kind, want string
	}{
		{"no status", "Bonjour", "", "", "choisissez le statut"},
		{"variable without value", "Suivi : {lien_suivi}", "waiting_customer", "", "variable sans valeur"},
		{"empty", "   ", "closed", "", "message vide"},
		{"unknown attachment type", "Voici", "closed", "bon-de-commande", "type de pièce jointe inconnu"},
	} {
		res, body := c.multipart("/tickets/"+tk.Number+"/replies", map[string]string{"body": tt.body, "status": tt.status, "kind_1": tt.kind}, tt.kind != "")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.want) {
			t.Errorf("reply %s: %d; want 400 with %q", tt.name, res.StatusCode, tt.want)
		}
		if tt.body != "   " && !strings.Contains(body, tt.body) {
			t.Errorf("reply %s: the text is lost", tt.name)
		}
	}
	if res, body := c.postForm("/tickets/"+tk.Number+"/notes", url.Values{"csrf": {c.csrf}, "body": {"  "}}); res.StatusCode != 400 || !strings.Contains(body, "note vide") {
		t.Errorf("empty note: %d", res.StatusCode)
	}
	if v := e.view(tk.ID); len(v.Messages) != 1 {
		t.Errorf("refused replies stored %d messages", len(v.Messages)-1)
	}

	// Unknown or malformed ids are a 404 page, never a 500.
	for _, path := range []string{"/tickets/987654", "/tickets/abc", "/tickets/-1", "/next?from=zzz", "/tickets/0/live"} {
		res, body := c.get(path)
		if res.StatusCode >= 500 || (res.StatusCode != 404 && path != "/next?from=zzz") {
			t.Errorf("GET %s: %d %s", path, res.StatusCode, body[:min(200, len(body))])
		}
	}
	if res, _ := c.postForm("/tickets/987654", with("priority", "P2")); res.StatusCode != http.StatusNotFound {
		t.Errorf("update of an unknown ticket: %d; want 404", res.StatusCode)
	}
	// Inbox filters: a bad value is shown by its field.
	for _, q := range []string{"opened_from=hier", "status=ouvert", "after=zzz", "limit=9999", "sort=name", "unknown=1"} {
		res, body := c.get("/?" + q)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="field-error"`) && !strings.Contains(body, `class="error"`) {
			t.Errorf("inbox ?%s: %d", q, res.StatusCode)
		}
	}
}

func TestAdminFormsShowErrorsByField(t *testing.T) {
	e := newEnv(t)
	c := e.client().signIn("admin@example.fr")
	for _, tt := range []struct {
		path string
		form url.Values
		want string
	}{
		{"/admin/agents/new", url.Values{"email": {"lea@example.fr"}, "name": {"Autre Léa"}, "role": {"adv"}, "password": {"0123456789ab"}}, "adresse déjà utilisée"},
		{"/admin/agents/new", url.Values{"email": {"n@example.fr"}, "name": {"Nouveau"}, "role": {"adv"}, "password": {"court"}}, "10 caractères au moins"},
		{"/admin/channels/new", url.Values{"kind": {"kaufland"}, "name": {"Kaufland 2"}, "deadline_policy": {"2 jours"}}, "48h working_days"},
		{"/admin/channels/new", url.Values{"kind": {"kaufland"}, "name": {"K3"}, "order_url": {"javascript:alert(1)"}}, "{order}"},
		{"/admin/templates/new", url.Values{"name": {""}, "body": {"x"}}, "champ obligatoire"},
		{"/admin/templates/new", url.Values{"name": {"x"}, "body": {"y"}, "channel_ids": {"9999"}}, "canal inconnu"},
	} {
		tt.form.Set("csrf", c.csrf)
		res, body := c.postForm(tt.path, tt.form)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.want) {
			t.Errorf("POST %s %v: %d; want 400 with %q", tt.path, tt.form, res.StatusCode, tt.want)
		}
	}
	// And a good one goes through.
	res, _ := c.postForm("/admin/channels/new", url.Values{"csrf": {c.csrf}, "kind": {"amazon"}, "name": {"Amazon"}, "deadline_policy": {"24h"},
		"guard_names": {"Amazon\namazon.fr"}, "forbid_contact": {"1"}, "active": {"1"}, "responsible_id": {itoa(e.marc.AgentID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new channel: %d", res.StatusCode)
	}
	cs, _ := e.d.Channels(ctx)
	var last desk.Channel
	for _, ch := range cs {
		if ch.Name == "Amazon" {
			last = ch
		}
	}
	if last.Name != "Amazon" || len(last.GuardNames) != 2 || !last.ForbidContact || last.ResponsibleID != e.marc.AgentID || last.DeadlinePolicy != "24h clock" {
		t.Errorf("saved channel %+v", last)
	}
}

// multipart posts a reply form the way the page does without its script.
func (c *client) multipart(path string, fields map[string]string, withFile bool) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("csrf", c.csrf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if withFile {
		f, _ := w.CreateFormFile("attachment_1", "bon.pdf")
		f.Write([]byte("%PDF-1.4"))
	}
	w.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}
