package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"guichet/internal/desk"
)

// css selects by CSS selector (chromedp v0.23 chooses the lookup by type).
type css = chromedp.CSS

const enter = kb.Enter

func TestBrowserSearchJumpsToTheTicket(t *testing.T) {
	e := newEnv(t)
	ts := e.seed()
	lea := e.tab(t, browser(t))
	lea.signIn("lea@example.fr")
	lea.shot("inbox")

	// "/" focuses the search box; an order reference opens its ticket.
	lea.run("search an order", key("/"), chromedp.SendKeys(css("#search-q"), "ka-260311-0042"+enter),
		chromedp.WaitVisible(css(".ticket-page")))
	if got := lea.url(); got != "/tickets/"+ts.kauf.Number {
		t.Fatalf("search by order went to %s; want the ticket page /tickets/%s", got, ts.kauf.Number)
	}
	// A ticket number too.
	lea.run("search a ticket number", key("/"), chromedp.SendKeys(css("#search-q"), "#"+ts.fnac.Number+enter),
		chromedp.WaitVisible(css(".ticket-page[data-ticket=\""+ts.fnac.Number+"\"]")))
	// Other text lists what matches.
	lea.run("search words", key("/"), loaded(chromedp.SendKeys(css("#search-q"), "perceuse"+enter)), chromedp.WaitVisible(css("#tickets")))
	if got := lea.text("#tickets tbody"); !strings.Contains(got, "KA-260311-0042") || strings.Contains(got, "FN-88812") {
		t.Errorf("search results:\n%s", got)
	}
	// j/k and Enter in the inbox.
	lea.run("inbox", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(css("#tickets tr.selected")))
	first := lea.eval(`document.querySelector('#tickets tr.selected').dataset.id`)
	lea.run("j then Enter", key("j"), key("k"), key("j"))
	second := lea.eval(`document.querySelector('#tickets tr.selected').dataset.id`)
	if first == second {
		t.Fatalf("j did not move the selection (%s)", first)
	}
	lea.run("open with Enter", loaded(key(enter)), chromedp.WaitVisible(css(".ticket-page")))
	if got := lea.url(); got != "/tickets/"+second {
		t.Errorf("Enter opened %s; want /tickets/%s", got, second)
	}
	lea.noDialogs()
}

func TestBrowserChangeParametersAndBasicInformation(t *testing.T) {
	e := newEnv(t)
	ts := e.seed()
	lea := e.tab(t, browser(t))
	lea.signIn("lea@example.fr")
	lea.run("open the ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+ts.kauf.Number), chromedp.WaitVisible(css("#params")))

	// Status and priority, then the responsible by type-ahead: Enter validates and saves.
	lea.run("status, priority, responsible",
		chromedp.SetValue(css("#p-status"), "waiting_customer"),
		chromedp.SetValue(css("#p-priority"), "P2"),
		chromedp.Focus(css("#p-assignee")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('p-assignee').select()`),
		key("marc"),
		chromedp.WaitVisible(css("#p-assignee-list li[aria-selected=true]")),
	)
	if got := lea.text("#p-assignee-list"); !strings.Contains(got, "Marc Durand") || strings.Contains(got, "Léa") {
		t.Errorf("type-ahead for « mar » lists %q", got)
	}
	lea.run("Enter on the responsible", loaded(key(enter)), chromedp.WaitVisible(css(".notice")))
	history := lea.text("#history")
	for _, want := range []string{
		"Léa Martin a changé le statut : Attente Admin → Attente Client",
		"Léa Martin a changé la priorité : P1 → P2",
		"Léa Martin a changé le responsable : Léa Martin → Marc Durand",
	} {
		if !strings.Contains(history, want) {
			t.Errorf("history lacks %q:\n%s", want, history)
		}
	}

	// The deadline, with the date-time field: none runs while the ticket
	// waits for the customer, so the ADV takes it back first.
	lea.run("deadline", chromedp.SetValue(css("#p-status"), "waiting_admin"), chromedp.SetValue(css("#p-deadline"), "2026-12-01T10:30"), loaded(chromedp.Click(css("#params-save"))),
		chromedp.WaitVisible(css(".notice")))
	if h := lea.text("#history"); !strings.Contains(h, "Léa Martin a changé la deadline : ") || !strings.Contains(h, "→ 01/12/2026 10:30") {
		t.Errorf("history lacks the deadline change:\n%s", h)
	}

	// Basic information, saved with « Enregistrer ».
	lea.run("basic information",
		chromedp.SendKeys(css("#p-problem"), "Colis non reçu après 10 jours"),
		chromedp.SendKeys(css("#p-email"), "jean.dupont@example.fr"),
		chromedp.SetValue(css("#p-delivery"), "2026-11-20"),
		loaded(chromedp.Click(css("#params .actions button"))),
		chromedp.WaitVisible(css(".notice")),
	)
	h := lea.text("#history")
	for _, want := range []string{"la problématique client : — → Colis non reçu après 10 jours",
		"l'email client : — → jean.dupont@example.fr", "la date de livraison : — → 20/11/2026"} {
		if !strings.Contains(h, want) {
			t.Errorf("history lacks %q:\n%s", want, h)
		}
	}
	v := e.view(ts.kauf.ID)
	tk := v.Ticket
	if tk.Status != desk.StatusWaitingAdmin || tk.Priority != desk.P2 || tk.AssigneeID != e.marc.AgentID ||
		tk.Problem != "Colis non reçu après 10 jours" || tk.RealEmail != "jean.dupont@example.fr" || tk.DeliveryDate != "2026-11-20" ||
		tk.Deadline.In(paris).Format("2006-01-02 15:04") != "2026-12-01 10:30" {
		t.Errorf("ticket after the changes: %+v", tk)
	}
	// Saving again without changes writes no history.
	n := len(v.Events)
	lea.run("save unchanged", loaded(chromedp.Click(css("#params-save"))), chromedp.WaitVisible(css(".notice")))
	if got := len(e.view(ts.kauf.ID).Events); got != n {
		t.Errorf("saving an unchanged form added %d events", got-n)
	}
	lea.shot("ticket-parameters")
	lea.noDialogs()
}

func TestBrowserReplyWithDefaultReplyAndTwoTypedAttachments(t *testing.T) {
	e := newEnv(t)
	ts := e.seed()
	lea := e.tab(t, browser(t))
	lea.signIn("lea@example.fr")
	lea.run("open the ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+ts.kauf.Number), chromedp.WaitVisible(css("#reply-body")))

	// Only the replies allowed on Kaufland are offered.
	if opts := lea.text("#reply-template"); !strings.Contains(opts, "Remerciement") || strings.Contains(opts, "Fnac seulement") {
		t.Errorf("default replies offered on Kaufland: %q", opts)
	}
	// Choose « Remerciement » in the list, as with the mouse.
	lea.run("choose a default reply", chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.getElementById('reply-template');
		s.value = '`+itoa(e.tplThanks.ID)+`';
		s.dispatchEvent(new Event('change', {bubbles: true}));
	})()`))
	text := lea.eval(`document.getElementById('reply-body').value`)
	if !strings.HasPrefix(text, "Bonjour Jean Dupont,") || !strings.Contains(text, "commande KA-260311-0042") || !strings.HasSuffix(text, "Léa Martin") {
		t.Errorf("inserted text %q", text)
	}
	dir := t.TempDir()
	invoice, photo := filepath.Join(dir, "facture-0042.pdf"), filepath.Join(dir, "colis.jpg")
	os.WriteFile(invoice, []byte("%PDF-1.4 facture"), 0o644)
	os.WriteFile(photo, []byte("\xff\xd8\xff photo"), 0o644)
	lea.run("two typed attachments",
		chromedp.SetValue(css("#kind_1"), "invoice"),
		chromedp.SetUploadFiles(css("#attachment_1"), []string{invoice}),
		chromedp.Click(css("#add-file")),
		chromedp.WaitVisible(css("#kind_2")),
		chromedp.SetValue(css("#kind_2"), "photo"),
		chromedp.SetUploadFiles(css("#attachment_2"), []string{photo}),
	)
	// The send is refused until a status is chosen.
	lea.run("send without status", chromedp.Click(css("#send-btn")), chromedp.WaitVisible(css("#err-status")))
	if n := len(e.view(ts.kauf.ID).Messages); n != 1 {
		t.Fatalf("sent without a status: %d messages", n)
	}
	lea.shot("reply-ready")
	lea.run("choose the status and send",
		chromedp.Click(css(`#reply-status input[value="waiting_customer"]`)),
		chromedp.Click(css("#send-btn")),
		chromedp.WaitVisible(css("#threads .msg.out .badge.tpl")),
	)
	msg := lea.text("#threads .panel:not([hidden]) .msg.out")
	for _, want := range []string{"ADV", "Léa Martin", "Réponse par défaut : Remerciement", "En file d'envoi",
		"facture-0042.pdf", "Facture", "colis.jpg", "Photo", "Bonjour Jean Dupont"} {
		if !strings.Contains(msg, want) {
			t.Errorf("sent message lacks %q:\n%s", want, msg)
		}
	}
	if got := lea.eval(`document.getElementById('reply-body').value`); got != "" {
		t.Errorf("reply box after sending: %q", got)
	}
	if got := lea.eval(`document.querySelectorAll('#threads .msg.out .files a[href^="/api/v1/attachments/"]').length.toString()`); got != "2" {
		t.Errorf("download links: %s", got)
	}
	lea.shot("ticket-after-reply")
	v := e.view(ts.kauf.ID)
	m := v.Messages[len(v.Messages)-1]
	if m.TemplateID != e.tplThanks.ID || len(m.Attachments) != 2 || m.Attachments[0].Kind != "invoice" || m.Attachments[1].Kind != "photo" ||
		m.Delivery != desk.DeliveryQueued || v.Ticket.Status != desk.StatusWaitingCustomer {
		t.Errorf("stored reply %+v, ticket %s", m, v.Ticket.Status)
	}
	lea.noDialogs()
}

func TestBrowserMarketplaceGuardAsksBeforeSending(t *testing.T) {
	e := newEnv(t)
	ts := e.seed()
	lea := e.tab(t, browser(t))
	lea.signIn("lea@example.fr")
	lea.run("open the Kaufland ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+ts.kauf.Number), chromedp.WaitVisible(css("#reply-body")))
	const text = "Bonjour, cet article est aussi disponible chez Fnac Darty."
	lea.run("write naming another marketplace",
		chromedp.SendKeys(css("#reply-body"), text),
		chromedp.Click(css(`#reply-status input[value="closed"]`)),
		chromedp.Focus(css("#reply-body")),
		key(enter, chromedp.ModifierCtrl),
		chromedp.WaitVisible(css("#guard-dialog[open]")),
	)
	if hits := lea.text("#guard-hits"); !strings.Contains(hits, "Fnac") {
		t.Errorf("guard lists %q", hits)
	}
	lea.shot("guard-dialog")
	// Cancel: nothing sent, the text as it was.
	lea.run("cancel", chromedp.Click(css("#guard-cancel")), chromedp.WaitNotPresent(css("#guard-dialog[open]")))
	time.Sleep(300 * time.Millisecond)
	if got := lea.eval(`document.getElementById('reply-body').value`); got != text {
		t.Errorf("after Cancel the text is %q", got)
	}
	if n := len(e.view(ts.kauf.ID).Messages); n != 1 {
		t.Fatalf("Cancel sent the message (%d messages)", n)
	}
	// Confirm: sent.
	lea.run("send and confirm", chromedp.Click(css("#send-btn")), chromedp.WaitVisible(css("#guard-dialog[open]")),
		chromedp.Click(css("#guard-confirm")), chromedp.WaitVisible(css("#threads .msg.out")))
	v := e.view(ts.kauf.ID)
	if len(v.Messages) != 2 || v.Messages[1].Body != text || v.Ticket.Status != desk.StatusClosed {
		t.Errorf("after Confirm: %d messages, status %s", len(v.Messages), v.Ticket.Status)
	}

	// Fnac forbids contact details: a phone number asks too.
	lea.run("open the Fnac ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+ts.fnac.Number), chromedp.WaitVisible(css("#reply-body")),
		chromedp.SendKeys(css("#reply-body"), "Appelez-nous au 06 12 34 56 78."),
	)
	lea.run("status with Alt+2 and send", chromedp.Focus(css("#reply-body")), key("2", chromedp.ModifierAlt),
		chromedp.Click(css("#send-btn")), chromedp.WaitVisible(css("#guard-dialog[open]")))
	if hits := lea.text("#guard-hits"); !strings.Contains(hits, "06 12 34 56 78") {
		t.Errorf("guard on Fnac lists %q", hits)
	}
	lea.run("escape cancels", key(kb.Escape), chromedp.WaitNotPresent(css("#guard-dialog[open]")))
	if n := len(e.view(ts.fnac.ID).Messages); n != 3 {
		t.Errorf("Escape sent the message: %d messages", n)
	}
	lea.noDialogs()
}
