package ui_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guichet/internal/channel/kaufland/kauflandfake"
	"guichet/internal/desk"
)

// The walk through « Channels that talk », as an admin then an ADV
// would, against the fake Seller API (every request and answer checked
// against Kaufland's OpenAPI spec) and the real wiring of `guichet serve`:
// the admin connects the Kaufland channel and syncs it; the buyer's
// message lands in the ADV's inbox; her reply (a default reply and a PDF)
// reaches Kaufland and shows « Envoyé »; a partial refund through
// « Choisir une action » reaches Kaufland in cents; the buyer's next
// message comes in on the next sync and puts the ticket back to
// « Attente Admin ».
func TestBrowserKauflandEndToEnd(t *testing.T) {
	fake := kauflandfake.Start(t, kauflandfake.WithRealClock())
	order := fake.AddOrder(kauflandfake.Order{ID: "MDZ8K4P", Units: []kauflandfake.Unit{
		{Title: "Perceuse visseuse 18 V", Price: 8990, Shipping: 490},
		{Title: "Coffret de forets", Price: 2490},
	}})
	unit := order.Units[1]
	kt := fake.OpenTicket(order.ID, "product_defect", "order_product_defect")
	fake.AddMessage(kt, "buyer", "Bonjour, le coffret de forets est arrivé cassé. Que pouvez-vous faire ?")

	var rc realChannels
	e := newEnv(t, withRealChannels(&rc, fake))
	b := browser(t)

	// 1. The admin connects the channel, tests it, syncs it.
	admin := e.tab(t, b)
	admin.signIn("admin@example.fr")
	admin.run("Administration › Canaux › Kaufland",
		loaded(chromedp.Click(css(`header a[href="/admin/channels"], nav a[href="/admin/channels"]`))),
		loaded(chromedp.Click(css(`a[href="`+channelPath(e.kaufland)+`"]`))),
		chromedp.WaitVisible(css("#conn-form")))
	admin.run("fill the connection",
		chromedp.Evaluate[chromedp.Void](`document.getElementById('s_base_url').value = ''`),
		chromedp.SendKeys(css("#s_base_url"), fake.URL()),
		chromedp.SendKeys(css("#s_client_key"), kauflandfake.ClientKey),
		chromedp.SendKeys(css("#s_secret_key"), kauflandfake.SecretKey),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('s_storefront').value = 'de'`),
		loaded(chromedp.Click(css(`#conn-form button[type="submit"]`))),
		chromedp.WaitVisible(css("#conn-form")))
	if got := admin.text(".notice"); !strings.Contains(got, "Réglages de connexion enregistrés.") {
		t.Errorf("after saving the connection: %q", got)
	}
	if got := admin.eval(`document.getElementById('s_secret_key').value + '|' + document.getElementById('s_secret_key').placeholder`); got != "|•••••• (laisser vide pour conserver)" {
		t.Errorf("secret field after saving: %q", got)
	}
	if got := admin.eval(`document.getElementById('s_base_url').value`); got != fake.URL() {
		t.Errorf("API address after saving: %q", got)
	}
	if body := admin.eval(`document.documentElement.outerHTML`); strings.Contains(body, kauflandfake.SecretKey) {
		t.Error("the page shows the secret key")
	}
	admin.run("test the connection", loaded(chromedp.Click(css(`#conn-test button`))), chromedp.WaitVisible(css("#test-result")))
	if got := admin.text("#test-result"); got != "Connexion OK : le canal a accepté les identifiants." {
		t.Errorf("connection test: %q", got)
	}
	admin.run("see the test result", chromedp.ScrollIntoView(css("#connection")))
	admin.shot("kaufland-1-connection-tested")
	admin.run("sync now", chromedp.ScrollIntoView(css("#sync")), loaded(chromedp.Click(css(`#sync button[value="now"]`))), chromedp.WaitVisible(css("#sync")))
	syncedOnce := func() bool {
		if strings.Contains(admin.text("#sync"), "1 au dernier passage, 1 en tout") {
			return true
		}
		time.Sleep(200 * time.Millisecond)
		admin.run("reload", loaded(chromedp.Reload()), chromedp.WaitVisible(css("#sync")))
		return false
	}
	waitFor(t, "the sync state to show the buyer's message", 20*time.Second, syncedOnce)
	if got := admin.text("#sync"); strings.Contains(got, "Dernière erreur") {
		t.Errorf("sync state shows an error: %q", got)
	}
	admin.run("see the sync state", chromedp.ScrollIntoView(css("#sync")))
	// The interval's field sits by its label (the page container's
	// .narrow once centred it in the row).
	if gap := admin.eval(`(() => {
		const l = document.querySelector('label[for="every_minutes"]').getBoundingClientRect();
		const i = document.getElementById('every_minutes').getBoundingClientRect();
		return i.left - l.right < 16 ? 'ok' : String(Math.round(i.left - l.right));
	})()`); gap != "ok" {
		t.Errorf("the interval's field is %spx from its label", gap)
	}
	admin.shot("kaufland-2-synced")

	// 2. Léa, the channel's responsible, finds the new ticket.
	lea := e.tab(t, b)
	lea.signIn("lea@example.fr")
	if got := lea.text("#tickets tbody"); !strings.Contains(got, order.ID) {
		t.Fatalf("inbox lacks the Kaufland order %s:\n%s", order.ID, got)
	}
	tk, err := e.d.LookupTicket(ctx, e.admin, order.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tk.AssigneeID != e.lea.AgentID || tk.Status != desk.StatusWaitingAdmin {
		t.Errorf("new ticket: assignee %d, status %s", tk.AssigneeID, tk.Status)
	}
	lea.shot("kaufland-3-inbox")
	lea.run("search the Kaufland ticket number", key("/"), loaded(chromedp.SendKeys(css("#search-q"), kt+enter)),
		chromedp.WaitVisible(css(".ticket-page, #tickets, .inbox .empty")))
	if got := lea.url(); got != "/tickets/"+tk.Number {
		lea.shot("failure-search")
		t.Fatalf("searching %s went to %s; want /tickets/%s", kt, got, tk.Number)
	}
	if got := lea.text("#threads"); !strings.Contains(got, kt) || !strings.Contains(got, "le coffret de forets est arrivé cassé") {
		t.Errorf("thread lacks the Kaufland ticket number %s or the message:\n%s", kt, got)
	}
	if got := lea.text("#threads .ext-id"); got != kt {
		t.Errorf("Kaufland ticket number shown: %q", got)
	}
	if got := lea.text("#threads .ext-status"); got != "Ouvert" {
		t.Errorf("Kaufland's status of its ticket shown as %q; want « Ouvert »", got)
	}

	// 3. A default reply and a PDF; Kaufland gets both, the page says « Envoyé ».
	lea.run("choose a default reply", chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.getElementById('reply-template');
		s.value = '`+itoa(e.tplThanks.ID)+`';
		s.dispatchEvent(new Event('change', {bubbles: true}));
	})()`))
	text := lea.eval(`document.getElementById('reply-body').value`)
	if !strings.Contains(text, "commande "+order.ID) || !strings.HasSuffix(text, "Léa Martin") {
		t.Errorf("inserted text %q", text)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	file := filepath.Join(t.TempDir(), "bon-de-retour.pdf")
	os.WriteFile(file, pdf, 0o644)
	lea.run("attach the PDF and send",
		chromedp.SetUploadFiles(css("#attachment_1"), []string{file}),
		chromedp.Click(css(`#reply-status input[value="waiting_customer"]`)),
		chromedp.Click(css("#send-btn")),
		chromedp.WaitVisible(css("#threads .msg.out")))
	waitFor(t, "Kaufland to receive the reply", 20*time.Second, func() bool { return len(fake.Posted()) > 0 })
	posted := fake.Posted()
	if len(posted) != 1 || posted[0].TicketID != kt || !strings.Contains(posted[0].Text, "commande "+order.ID) ||
		len(posted[0].Files) != 1 || posted[0].Files[0].Name != "bon-de-retour.pdf" || posted[0].Files[0].MimeType != "application/pdf" ||
		!bytes.Equal(posted[0].Files[0].Data, pdf) {
		t.Errorf("Kaufland got %+v", posted)
	}
	sent := func() bool {
		return lea.bool(`!!document.querySelector('#threads .msg.out .badge[data-delivery="sent"]')`)
	}
	waitFor(t, "« Envoyé » on the page", 10*time.Second, func() bool {
		if sent() {
			return true
		}
		time.Sleep(500 * time.Millisecond)
		if sent() {
			return true
		}
		lea.run("reload", loaded(chromedp.Reload()), chromedp.WaitVisible(css("#threads")))
		return false
	})
	if got := lea.text(`#threads .msg.out .badge[data-delivery="sent"]`); !strings.HasPrefix(got, "Envoyé") {
		t.Errorf("delivery badge: %q", got)
	}
	lea.shot("kaufland-4-reply-sent")

	// 4. A partial refund of 12,50 € on the second unit.
	lea.run("a opens the menu, then the refund", chromedp.WaitVisible(css("#actions-btn")),
		chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`),
		key("a"), chromedp.WaitVisible(css("#actions-menu")))
	if got := lea.text("#actions-menu"); !strings.Contains(got, "Rembourser une partie du montant") {
		t.Fatalf("actions menu: %q", got)
	}
	lea.run("the refund", chromedp.Click(css(`#actions-menu [data-action="refund"]`)), chromedp.WaitVisible(css("#ap-amount")))
	if got := lea.text("#ap-unit"); !strings.Contains(got, "Perceuse visseuse 18 V") || !strings.Contains(got, "Coffret de forets") {
		t.Errorf("units offered: %q", got)
	}
	lea.run("unit, amount, reason",
		chromedp.SetValue(css("#ap-unit"), strconv.FormatInt(unit.ID, 10)),
		chromedp.SendKeys(css("#ap-amount"), "12,50"),
		chromedp.SetValue(css("#ap-reason"), "delivery_damage"),
		chromedp.Click(css("#action-run")), chromedp.WaitVisible(css("#action-confirm")))
	if got := lea.text("#action-confirm"); got != "Rembourser ce montant à l'acheteur sur Kaufland ?" {
		t.Errorf("confirmation: %q", got)
	}
	if n := len(fake.Refunds()); n != 0 {
		t.Fatalf("refunded before the confirmation (%d)", n)
	}
	lea.shot("kaufland-5-refund-confirm")
	lea.run("confirm", chromedp.Click(css("#action-run")))
	answer := "Kaufland a accepté le remboursement de 12,50 € sur l'unité " + strconv.FormatInt(unit.ID, 10) + " (Article endommagé à la livraison)."
	lea.waitJS("Kaufland's answer", `document.getElementById('action-result').textContent.includes(`+strconv.Quote(answer)+`)`)
	if got := fake.Refunds(); len(got) != 1 || got[0].Unit != unit.ID || got[0].Amount != 1250 || got[0].Reason != "delivery_damage" {
		t.Errorf("Kaufland's refunds: %+v", got)
	}
	lea.waitJS("the history", `document.getElementById('history').textContent.includes('Action Kaufland : Rembourser une partie du montant')`)
	if got := lea.text("#history"); !strings.Contains(got, "12,50") || !strings.Contains(got, answer) {
		t.Errorf("history lacks the refund:\n%s", got)
	}
	lea.shot("kaufland-6-refund-done")
	lea.run("close the dialog", chromedp.Click(css("#action-cancel")))

	// 5. The buyer writes again; the next sync brings it in.
	if got := e.view(tk.ID).Ticket.Status; got != desk.StatusWaitingCustomer {
		t.Errorf("status after the reply: %s", got)
	}
	fake.AddMessage(kt, "buyer", "Merci pour le remboursement. Dois-je renvoyer le coffret ?")
	admin.run("sync now again", chromedp.ScrollIntoView(css("#sync")), loaded(chromedp.Click(css(`#sync button[value="now"]`))))
	lea.run("reload the ticket", loaded(chromedp.Reload()), chromedp.WaitVisible(css("#threads")))
	waitFor(t, "the buyer's second message on the ticket", 20*time.Second, func() bool {
		if strings.Contains(lea.text("#threads"), "Dois-je renvoyer le coffret ?") {
			return true
		}
		time.Sleep(300 * time.Millisecond)
		if strings.Contains(lea.text("#threads"), "Dois-je renvoyer le coffret ?") {
			return true
		}
		lea.run("reload", loaded(chromedp.Reload()), chromedp.WaitVisible(css("#threads")))
		return false
	})
	lea.run("reload for the status", loaded(chromedp.Reload()), chromedp.WaitVisible(css("#p-status")))
	if got := lea.eval(`(s => s.options[s.selectedIndex].text)(document.getElementById('p-status'))`); got != "Attente Admin" {
		t.Errorf("status after the buyer's answer: %q", got)
	}
	if got := e.view(tk.ID).Ticket.Status; got != desk.StatusWaitingAdmin {
		t.Errorf("ticket status after the buyer's answer: %s", got)
	}
	lea.shot("kaufland-7-buyer-again")
	// The order's lines break between words, not inside them (« Qt|é »,
	// « À expédie|r » once, the panel wrapping anywhere).
	lea.waitJS("the order's lines", `!!document.querySelector('#int-backoffice .order-lines td')`)
	if got := lea.eval(`[...document.querySelectorAll('#int-backoffice .order-lines th, #int-backoffice .order-lines td')].filter(c => {
		const words = c.textContent.trim().split(/\s+/).filter(w => w);
		const r = document.createRange(); r.selectNodeContents(c);
		const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
		return lines > words.length;
	}).map(c => c.textContent.trim()).join(' | ')`); got != "" {
		t.Errorf("order lines broken inside words: %s", got)
	}
	if v := e.view(tk.ID); len(v.Messages) != 3 {
		t.Errorf("%d messages on the ticket; want 3 (buyer, reply, buyer)", len(v.Messages))
	}
	admin.noDialogs()
	lea.noDialogs()
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("spec violations: %q", v)
	}
}
