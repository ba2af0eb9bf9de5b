package ui_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/internal/desk"
)

// serviceSetup gives the env an email channel that « Service client » and
// « Webmaster » write to.
func (e *env) serviceSetup() (desk.Channel, desk.Contact) {
	e.t.Helper()
	mail := e.channel(desk.Channel{Kind: desk.ChannelEmail, Name: "SAV email", ResponsibleID: e.lea.AgentID, Active: true})
	cs, err := e.d.Contacts(ctx)
	if err != nil || len(cs) < 2 {
		e.t.Fatalf("contacts: %+v %v", cs, err)
	}
	for i := range cs {
		cs[i].ChannelID = mail.ID
		if cs[i], err = e.d.SaveContact(ctx, e.admin, cs[i]); err != nil {
			e.t.Fatal(err)
		}
	}
	return mail, cs[0]
}

// contactPost is a multipart post of the public form, shown long enough ago.
func contactPost(fields map[string]string, fileName string, file []byte) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if _, ok := fields["issued"]; !ok {
		fields["issued"] = strconv.FormatInt(time.Now().Add(-10*time.Second).UnixMilli(), 10)
	}
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if file != nil {
		fw, _ := w.CreateFormFile("file", fileName)
		fw.Write(file)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

func (c *client) postMultipart(path string, body *bytes.Buffer, contentType string, headers ...string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, body)
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

var png = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)

// The public form needs no sign-in, refuses frames until the options name
// the shop, thanks a bot without storing it, refuses a post sent at once,
// keeps what was typed with a French error, and stores a good message
// with its file, browser and address.
func TestPublicContactForm(t *testing.T) {
	e := newEnv(t, trustingProxies("127.0.0.1/32"))
	mail, service := e.serviceSetup()
	c := e.client()
	before, _ := e.d.ServiceOverview(ctx, e.lea) // the bot's and the refused posts store nothing

	res, body := c.get("/contact")
	if res.StatusCode != 200 || !strings.Contains(body, "Service client") || !strings.Contains(body, "Webmaster") ||
		!strings.Contains(body, "Pour toute question ou réclamation sur une commande") {
		t.Fatalf("form: %d\n%s", res.StatusCode, body)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || res.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("frames allowed by default: %q %q", csp, res.Header.Get("X-Frame-Options"))
	}
	if _, err := e.d.SetServiceOptions(ctx, e.admin, desk.ServiceOptions{AllowUpload: true, DefaultReply: "Bonjour,", FrameAncestors: "https://boutique.example"}); err != nil {
		t.Fatal(err)
	}
	res, _ = c.get("/contact?lang=en")
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://boutique.example;") || res.Header.Get("X-Frame-Options") != "" {
		t.Fatalf("the shop may not frame it: %q %q", csp, res.Header.Get("X-Frame-Options"))
	}
	if res, _ := c.get("/login"); res.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("the rest of the app must keep refusing frames")
	}

	id := strconv.FormatInt(service.ID, 10)
	b, ct := contactPost(map[string]string{"contact": id, "email": "bot@example.fr", "message": "buy now", "website": "http://spam.example"}, "", nil)
	if res, body := c.postMultipart("/contact", b, ct); res.StatusCode != 200 || !strings.Contains(body, "contact-sent") {
		t.Fatalf("honeypot: %d %s", res.StatusCode, body)
	}
	b, ct = contactPost(map[string]string{"contact": id, "email": "jean@example.fr", "message": "vite", "issued": strconv.FormatInt(time.Now().UnixMilli(), 10)}, "", nil)
	if res, body := c.postMultipart("/contact", b, ct); res.StatusCode != 400 || !strings.Contains(body, "Envoi trop rapide") {
		t.Fatalf("too fast: %d %s", res.StatusCode, body)
	}
	b, ct = contactPost(map[string]string{"contact": id, "email": "jean@", "message": "Ma commande n'arrive pas", "order_ref": "CMD-1"}, "", nil)
	res, body = c.postMultipart("/contact", b, ct)
	if res.StatusCode != 400 || !strings.Contains(body, "adresse email invalide") || !strings.Contains(body, "Ma commande n&#39;arrive pas") || !strings.Contains(body, `value="CMD-1"`) {
		t.Fatalf("bad email: %d %s", res.StatusCode, body)
	}
	b, ct = contactPost(map[string]string{"contact": id, "email": "jean@example.fr", "message": "x"}, "virus.png", []byte("MZ\x90\x00 not an image"))
	if res, body := c.postMultipart("/contact", b, ct); res.StatusCode != 400 || !strings.Contains(body, "type de fichier refusé") {
		t.Fatalf("exe: %d %s", res.StatusCode, body)
	}

	b, ct = contactPost(map[string]string{"contact": id, "email": "Jean@Example.fr", "message": "La facture est fausse.", "product": "Bouilloire"}, "facture.png", png)
	res, body = c.postMultipart("/contact", b, ct, "User-Agent", "Mozilla/5.0 (X11; Linux) Firefox/140.0", "X-Forwarded-For", "203.0.113.50")
	if res.StatusCode != 200 || !strings.Contains(body, "contact-sent") || !strings.Contains(body, "numéro de dossier") {
		t.Fatalf("send: %d %s", res.StatusCode, body)
	}
	after, _ := e.d.ServiceOverview(ctx, e.lea)
	if after.Stats.Threads != before.Stats.Threads+1 {
		t.Fatalf("want exactly one ticket more: %+v → %+v", before.Stats, after.Stats)
	}
	page, err := e.d.FindTickets(ctx, e.lea, desk.TicketFilter{ChannelID: mail.ID})
	if err != nil || len(page.Tickets) != 1 {
		t.Fatalf("tickets on the email channel: %+v %v", page, err)
	}
	v := e.view(page.Tickets[0].ID)
	if v.Ticket.RealEmail != "jean@example.fr" || len(v.Messages[0].Attachments) != 1 || v.Messages[0].Attachments[0].Name != "facture.png" {
		t.Fatalf("ticket: %+v %+v", v.Ticket, v.Messages)
	}
	fm, _ := e.d.TicketFormMessages(ctx, e.lea, v.Ticket.ID)
	if f := fm[v.Messages[0].ID]; f.Address != "203.0.113.50" || !strings.Contains(f.UserAgent, "Firefox/140.0") || f.Product != "Bouilloire" {
		t.Fatalf("form details: %+v", fm)
	}

	// An agent sees them on the ticket, with the default reply pre-filled.
	lea := e.client().signIn("lea@example.fr")
	_, body = lea.get("/tickets/" + itoa(v.Ticket.ID))
	for _, want := range []string{"Actions SAV", "Firefox/140.0", "203.0.113.50", "Bouilloire", ">Bonjour,</textarea>", `id="handled-btn"`} {
		if !strings.Contains(body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
}

// A signed-in agent trying the form sends it with their session's token.
func TestContactFormForASignedInAgent(t *testing.T) {
	e := newEnv(t)
	_, service := e.serviceSetup()
	lea := e.client().signIn("lea@example.fr")
	_, body := lea.get("/contact")
	if !strings.Contains(body, `name="csrf" value="`+lea.csrf+`"`) {
		t.Fatalf("no session token in the form:\n%s", body)
	}
	b, ct := contactPost(map[string]string{"contact": strconv.FormatInt(service.ID, 10), "email": "lea@example.fr", "message": "test", "csrf": lea.csrf}, "", nil)
	if res, body := lea.postMultipart("/contact", b, ct); res.StatusCode != 200 || !strings.Contains(body, "contact-sent") {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
}

// Thread actions on the ticket page: handled and reopen, forward to an
// agent (notified, the bell counts it, reading it clears it), forward
// outside refused with a clear error while no email channel sends, then
// queued; the overview counts.
func TestThreadActionsAndNotifications(t *testing.T) {
	e := newEnv(t)
	tk := e.customerMessage(e.kaufland, "K-100", "Jean Client", "Où est mon colis ?")
	marc := e.client().signIn("marc@example.fr")
	lea := e.client().signIn("lea@example.fr")
	path := "/tickets/" + itoa(tk.ID)

	if res, _ := marc.postForm(path+"/handled", url.Values{"csrf": {marc.csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("handled: %d", res.StatusCode)
	}
	if st := e.view(tk.ID).Ticket.Status; st != desk.StatusClosed {
		t.Fatalf("status %s", st)
	}
	_, body := marc.get(path + "?ok=handled")
	if !strings.Contains(body, "Ticket marqué comme traité.") || !strings.Contains(body, `id="reopen-btn"`) {
		t.Fatalf("after handled:\n%s", body)
	}
	if res, _ := marc.postForm(path+"/reopen", url.Values{"csrf": {marc.csrf}}); res.StatusCode != http.StatusSeeOther || e.view(tk.ID).Ticket.Status != desk.StatusWaitingAdmin {
		t.Fatalf("reopen: %d %s", res.StatusCode, e.view(tk.ID).Ticket.Status)
	}

	if _, body := lea.get("/notifications/count"); strings.TrimSpace(body) != `{"unread":0}` {
		t.Fatalf("count: %s", body)
	}
	res, _ := marc.postForm(path+"/forward", url.Values{"csrf": {marc.csrf}, "agent_id": {strconv.FormatInt(e.lea.AgentID, 10)}, "comment": {"Remboursement à voir"}, "assign": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("forward: %d", res.StatusCode)
	}
	if _, body := lea.get("/notifications/count"); strings.TrimSpace(body) != `{"unread":1}` {
		t.Fatalf("count after forward: %s", body)
	}
	_, body = lea.get("/notifications")
	if !strings.Contains(body, "Marc Durand vous a transféré le ticket "+itoa(tk.ID)+" : Remboursement à voir") {
		t.Fatalf("list:\n%s", body)
	}
	ns, _, _ := e.d.Notifications(ctx, e.lea)
	res, _ = lea.postForm("/notifications/read", url.Values{"csrf": {lea.csrf}, "id": {strconv.FormatInt(ns[0].ID, 10)}, "ticket": {itoa(tk.ID)}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("open notification: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := lea.get("/notifications/count"); strings.TrimSpace(body) != `{"unread":0}` {
		t.Fatalf("count after reading: %s", body)
	}
	if v := e.view(tk.ID); v.Ticket.AssigneeID != e.lea.AgentID {
		t.Fatalf("not assigned: %+v", v.Ticket)
	}
	_, body = marc.get(path)
	if !strings.Contains(body, "Marc Durand a transféré le ticket à Léa Martin") {
		t.Fatalf("history lacks the forward")
	}

	res, body = marc.postForm(path+"/forward", url.Values{"csrf": {marc.csrf}, "agent_id": {"0"}, "email": {"transport@example.fr"}, "comment": {"Litige"}})
	if res.StatusCode != 400 || !strings.Contains(body, "aucun canal email actif") || !strings.Contains(body, `value="transport@example.fr"`) {
		t.Fatalf("forward outside without email channel: %d", res.StatusCode)
	}
	e.serviceSetup()
	res, _ = marc.postForm(path+"/forward", url.Values{"csrf": {marc.csrf}, "agent_id": {"0"}, "email": {"transport@example.fr"}, "comment": {"Litige"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("forward outside: %d", res.StatusCode)
	}
	_, body = marc.get(path)
	if !strings.Contains(body, "transport@example.fr · en file d&#39;envoi") || !strings.Contains(body, "a transféré le ticket par email à transport@example.fr") {
		t.Fatalf("ticket page lacks the queued email")
	}

	if res, _ := lea.get("/next?reply=1"); res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "#reply") {
		t.Fatalf("reply to next: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = lea.get("/service")
	for _, want := range []string{"Service client", "Webmaster", "Signification de l&#39;état", `data-stat="threads">1<`, `data-stat="unread">1<`, `data-stat="customer_messages">1<`} {
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
}

// Contacts and options are admins' business; bad input is a French error
// on the field.
func TestAdminContacts(t *testing.T) {
	e := newEnv(t)
	admin := e.client().signIn("admin@example.fr")
	if res, _ := e.client().signIn("lea@example.fr").get("/admin/contacts"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("an ADV on the contacts: %d", res.StatusCode)
	}
	res, body := admin.postForm("/admin/contacts/new", url.Values{"csrf": {admin.csrf}, "name": {"Partenariats"}, "description": {"Proposition de partenariat"}})
	if res.StatusCode != 400 || !strings.Contains(body, "une adresse est nécessaire") {
		t.Fatalf("forward-only without address: %d", res.StatusCode)
	}
	res, _ = admin.postForm("/admin/contacts/new", url.Values{"csrf": {admin.csrf}, "name": {"Partenariats"}, "email": {"partenaires@shop.example"}, "description": {"Proposition de partenariat"}, "position": {"3"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	_, body = admin.get("/admin/contacts")
	if !strings.Contains(body, "Partenariats") || !strings.Contains(body, "Non : transféré par email") {
		t.Fatalf("list:\n%s", body)
	}
	res, body = admin.postForm("/admin/contacts/options", url.Values{"csrf": {admin.csrf}, "allow_upload": {"1"}, "frame_ancestors": {"https://shop.example; script-src *"}})
	if res.StatusCode != 400 || !strings.Contains(body, "origine invalide") {
		t.Fatalf("bad frame ancestors: %d", res.StatusCode)
	}
	if o, _ := e.d.ServiceOptions(ctx); o.FrameAncestors != "" {
		t.Fatalf("a refused option was stored: %+v", o)
	}
	_, body = e.client().get("/contact")
	if !strings.Contains(body, "Partenariats") {
		t.Fatalf("the form lacks the new contact")
	}
}

// A form message that joined a marketplace order's ticket on its Email
// thread is answered there by default: the reply goes to that address.
func TestFormMessageOnTheEmailThreadIsAnsweredThere(t *testing.T) {
	e := newEnv(t)
	_, service := e.serviceSetup()
	tk := e.customerMessage(e.kaufland, "K-300", "Jean Client", "Colis abîmé")
	res, err := e.d.SubmitContactForm(ctx, desk.FormInput{ContactID: service.ID, Email: "jean@example.fr", OrderRef: "K-300", Body: "Photos du colis"})
	if err != nil || res.TicketID != tk.ID {
		t.Fatalf("%+v %v", res, err)
	}
	_, body := e.client().signIn("lea@example.fr").get("/tickets/" + itoa(tk.ID))
	i := strings.Index(body, `aria-selected="true" class="tab tab-`)
	if i < 0 || !strings.HasPrefix(body[i+len(`aria-selected="true" class="tab tab-`):], "email") {
		t.Fatalf("the selected tab is not the Email thread: %.200s", body[max(i, 0):])
	}
}

// The timeline fragment lists the ticket's messages in order (notes
// apart) and says when the order cannot be read.
func TestTicketTimelineFragment(t *testing.T) {
	e := newEnv(t)
	tk := e.customerMessage(e.kaufland, "K-400", "Jean Client", "Premier message")
	if _, err := e.d.AddNote(ctx, e.lea, tk.ID, "note privée"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Reply(ctx, e.lea, desk.ReplyInput{TicketID: tk.ID, Body: "Notre réponse", Status: desk.StatusWaitingCustomer}); err != nil {
		t.Fatal(err)
	}
	res, body := e.client().signIn("lea@example.fr").get("/tickets/"+itoa(tk.ID)+"/timeline", "X-Requested-With", "fetch")
	first, reply := strings.Index(body, "Premier message"), strings.Index(body, "Notre réponse")
	if res.StatusCode != 200 || first < 0 || reply < first || strings.Contains(body, "note privée") || !strings.Contains(body, "Commande indisponible") {
		t.Fatalf("%d\n%s", res.StatusCode, body)
	}
}
