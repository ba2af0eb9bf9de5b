package ui_test

import (
	"bytes"
	"encoding/json"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// postFile posts a reply form with one file, as the page does.
func (c *client) postFile(path string, fields map[string]string, name string, data []byte, headers ...string) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("csrf", c.csrf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	f, _ := w.CreateFormFile("attachment_1", name)
	f.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// TestOversizeAttachmentIsA413NextToTheReplyZone: the page comes back with
// the message by the attachments and the text as typed; the page's script
// gets JSON naming the field; nothing is stored.
func TestOversizeAttachmentIsA413NextToTheReplyZone(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnvOn(t, s)
		tk := e.customerMessage(e.kaufland, "KA-BIG", "Jean Dupont", "Pouvez-vous m'envoyer la facture ?")
		c := e.client().signIn("lea@example.fr")
		big := make([]byte, 26<<20)
		typed := "Bonjour, voici la facture demandée."
		fields := map[string]string{"body": typed, "status": "waiting_customer", "kind_1": "invoice"}
		res, body := c.postFile("/tickets/"+tk.Number+"/replies", fields, "facture.pdf", big)
		want := "fichier trop volumineux : facture.pdf (26 Mo, 25 Mo au plus)"
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(html.UnescapeString(body), want) {
			t.Fatalf("form post: %d; want 413 with %q", res.StatusCode, want)
		}
		if !regexp.MustCompile(`id="err-attachments" role="alert">[^<]*trop volumineux`).MatchString(body) {
			t.Error("the message is not by the attachments")
		}
		if !strings.Contains(html.UnescapeString(body), ">"+typed+"</textarea>") || !strings.Contains(body, `value="waiting_customer" checked`) {
			t.Error("the page lost what the agent typed")
		}
		res, body = c.postFile("/tickets/"+tk.Number+"/replies", fields, "facture.pdf", big, "Accept", "application/json")
		var ae struct {
			Error struct{ Code, Field, Message string }
		}
		json.Unmarshal([]byte(body), &ae)
		if res.StatusCode != http.StatusRequestEntityTooLarge || ae.Error.Code != "too_large" || ae.Error.Field != "attachments[0]" || ae.Error.Message != want {
			t.Errorf("script post: %d %+v", res.StatusCode, ae.Error)
		}
		if v := e.view(tk.ID); len(v.Messages) != 1 || len(v.Events) != 3 {
			t.Errorf("refused replies left %d messages, %d events", len(v.Messages), len(v.Events))
		}
	})
}

// TestNULInAReplyOrANoteIsRefused on both engines: a 400 with the text kept.
func TestNULInAReplyOrANoteIsRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnvOn(t, s)
		tk := e.customerMessage(e.kaufland, "KA-NUL", "Jean Dupont", "Bonjour")
		c := e.client().signIn("lea@example.fr")
		res, body := c.multipart("/tickets/"+tk.Number+"/replies", map[string]string{"body": "Bonjour\x00 Jean", "status": "closed"}, false)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-body">texte illisible : caractère nul`) {
			t.Errorf("reply with NUL: %d", res.StatusCode)
		}
		res, body = c.postForm("/tickets/"+tk.Number+"/notes", url.Values{"csrf": {c.csrf}, "body": {"note\x00"}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-note">texte illisible : caractère nul`) {
			t.Errorf("note with NUL: %d", res.StatusCode)
		}
		res, _ = c.postForm("/tickets/"+tk.Number+"/notes", url.Values{"csrf": {c.csrf}, "body": {"caf\xe9"}})
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("note not in UTF-8: %d", res.StatusCode)
		}
		if v := e.view(tk.ID); len(v.Messages) != 1 {
			t.Errorf("refused text stored %d messages", len(v.Messages)-1)
		}
	})
}

// TestParkedMessagesAdminPage: through the real router, the admin sees a
// parked message (reason, channel, order, content, count in the menu) and
// deletes it; an ADV may not.
func TestParkedMessagesAdminPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnvOn(t, s)
		bad := desk.Incoming{ChannelID: e.fnac.ID, OrderRef: "FN-4242", SourceID: "fn-msg-9", AuthorName: "Sophie Bernard",
			Subject: "Retour", Body: "Voici la photo du colis abîmé.",
			Files: []desk.IncomingFile{{Name: "colis.jpg", ContentType: "image/jpeg", Data: make([]byte, 26<<20)}}}
		res, err := e.d.Ingest(ctx, []desk.Incoming{bad, {ChannelID: e.fnac.ID, OrderRef: "FN-1", SourceID: "fn-msg-1", Body: "Bonjour"}})
		if err != nil || res.Stored != 1 || len(res.Parked) != 1 {
			t.Fatalf("ingest %+v, %v", res, err)
		}
		adv := e.client().signIn("lea@example.fr")
		if res, _ := adv.get("/admin/parked"); res.StatusCode != http.StatusForbidden {
			t.Errorf("an ADV sees the parked messages: %d", res.StatusCode)
		}
		c := e.client().signIn("admin@example.fr")
		res2, body := c.get("/admin/parked")
		text := html.UnescapeString(body)
		for _, want := range []string{"<h1>Messages en attente</h1>", "fichier trop volumineux : colis.jpg (26 Mo, 25 Mo au plus)",
			"<td>Fnac</td>", "FN-4242", "fn-msg-9", "Voici la photo du colis abîmé.", "colis.jpg (image/jpeg, 26.0 Mo)", ">Supprimer</button>",
			`<a href="/admin/parked" aria-current="page">Messages en attente <span class="count"`} {
			if !strings.Contains(text, want) {
				t.Errorf("admin page: no %q", want)
			}
		}
		if res2.StatusCode != http.StatusOK || strings.Contains(body, "/retry") {
			t.Errorf("admin page: %d; a message without its file offered for retry", res2.StatusCode)
		}
		if _, body := c.get("/admin/agents"); !strings.Contains(body, `Messages en attente <span class="count" title="Messages reçus qui n&#39;ont pas pu être enregistrés">1</span>`) {
			t.Error("the admin menu does not count the parked message")
		}
		id := regexp.MustCompile(`/admin/parked/(\d+)/delete`).FindStringSubmatch(body)
		if id == nil {
			t.Fatal("no delete form")
		}
		if res, _ := adv.postForm("/admin/parked/"+id[1]+"/delete", url.Values{"csrf": {adv.csrf}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("an ADV deleted: %d", res.StatusCode)
		}
		res3, _ := c.postForm("/admin/parked/"+id[1]+"/delete", url.Values{"csrf": {c.csrf}})
		if res3.StatusCode != http.StatusSeeOther || res3.Header.Get("Location") != "/admin/parked?ok=deleted" {
			t.Fatalf("delete: %d %s", res3.StatusCode, res3.Header.Get("Location"))
		}
		_, body = c.get("/admin/parked?ok=deleted")
		if !strings.Contains(body, "Supprimé.") || !strings.Contains(body, "Aucun message en attente.") || strings.Contains(body, `class="count"`) {
			t.Error("after delete: the message is still listed")
		}
		if res, _ := c.postForm("/admin/parked/"+id[1]+"/delete", url.Values{"csrf": {c.csrf}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("delete again: %d; want 404", res.StatusCode)
		}
	})
}

// TestCleanedMessageSaysSo: a message stored cleaned carries the note.
func TestCleanedMessageSaysSo(t *testing.T) {
	e := newEnv(t)
	tk := e.ingest(desk.Incoming{ChannelID: e.shop.ID, OrderRef: "ALT-1", SourceID: "alt-1", Body: "Bonjour\x00, o\xf9 est mon colis ?"})
	e.customerMessage(e.shop, "ALT-2", "Claire", "Propre")
	c := e.client().signIn("lea@example.fr")
	_, body := c.get("/tickets/" + tk.Number)
	if !strings.Contains(html.UnescapeString(body), "texte corrigé à l'import : caractères invalides retirés") {
		t.Error("no note on the cleaned message")
	}
	if !strings.Contains(body, "Bonjour, o\uFFFD est mon colis ?") {
		t.Error("the cleaned text is not shown")
	}
	clean, _ := e.d.LookupTicket(ctx, e.admin, "ALT-2")
	if _, body := c.get("/tickets/" + clean.Number); strings.Contains(body, "corrigé à l") {
		t.Error("a clean message carries the note")
	}
}

// TestRetryParkedFromTheAdminPage: a message kept whole is imported again
// and the admin lands on its ticket.
func TestRetryParkedFromTheAdminPage(t *testing.T) {
	e := newEnv(t)
	in := desk.Incoming{ChannelID: e.shop.ID, OrderRef: "RE-1", SourceID: "re-1", AuthorName: "Paul", Body: "Toujours rien reçu."}
	err := e.s.Write(ctx, func(tx desk.Tx) error {
		return tx.ParkMessages(ctx, []desk.ParkedMessage{{ChannelID: e.shop.ID, SourceKey: "re-1", SourceID: "re-1", OrderRef: "RE-1",
			Code: desk.EInvalid, Reason: "refusé par une version précédente", Content: desk.ParkedIncoming{Incoming: in},
			FirstSeen: time.Now(), LastSeen: time.Now()}})
	})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client().signIn("admin@example.fr")
	_, body := c.get("/admin/parked")
	id := regexp.MustCompile(`/admin/parked/(\d+)/retry`).FindStringSubmatch(body)
	if id == nil || !strings.Contains(body, ">Réessayer</button>") {
		t.Fatal("no retry button")
	}
	res, _ := c.postForm("/admin/parked/"+id[1]+"/retry", url.Values{"csrf": {c.csrf}})
	tk, err := e.d.LookupTicket(ctx, e.admin, "RE-1")
	if err != nil || res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tickets/"+tk.Number+"?ok=retried" {
		t.Fatalf("retry: %d %s, %v", res.StatusCode, res.Header.Get("Location"), err)
	}
	if _, body := c.get(res.Header.Get("Location")); !strings.Contains(body, "Message importé.") || !strings.Contains(body, "Toujours rien reçu.") {
		t.Error("the ticket does not show the imported message")
	}
	if _, body := c.get("/admin/parked"); !strings.Contains(body, "Aucun message en attente.") {
		t.Error("the retried message is still parked")
	}
}
