package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"guichet/internal/desk"
)

// Two agents on the same ticket: Marc sees Léa typing, then her reply appear
// on the ticket page and in his inbox, without reloading.
func TestBrowserSecondAgentSeesTheReplyLive(t *testing.T) {
	e := newEnv(t)
	ts := e.seed()
	b := browser(t)
	lea := e.tab(t, b)
	marc := e.tab(t, b)
	lea.signIn("lea@example.fr")
	marc.signIn("marc@example.fr")
	marcInbox := marc.newTab(t)
	marcInbox.run("Marc's inbox", chromedp.Navigate(e.srv.URL+"/?status=open"), chromedp.WaitVisible(css(`#tickets tr[data-id="`+ts.kauf.Number+`"]`)))
	marc.run("Marc opens the ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+ts.kauf.Number), chromedp.WaitVisible(css("#reply-body")))
	lea.run("Léa opens it too", chromedp.Navigate(e.srv.URL+"/tickets/"+ts.kauf.Number), chromedp.WaitVisible(css("#reply-body")))
	marc.waitJS("Marc's event stream", `document.body.dataset.live === 'on'`)
	marcInbox.waitJS("the inbox's event stream", `document.body.dataset.live === 'on'`)

	const reply = "Bonjour Jean, votre colis part aujourd'hui."
	lea.run("Léa types", chromedp.SendKeys(css("#reply-body"), reply))
	marc.waitJS("the typing warning", `!document.getElementById('typing').hidden`)
	if got := marc.text("#typing"); got != "Léa Martin est en train de répondre" {
		t.Errorf("Marc sees %q", got)
	}
	if !lea.bool(`document.getElementById('typing').hidden`) {
		t.Error("Léa is warned about herself")
	}
	marc.shot("typing-warning")

	lea.run("Léa sends", chromedp.Click(css(`#reply-status input[value="waiting_customer"]`)), chromedp.Click(css("#send-btn")),
		chromedp.WaitVisible(css("#threads .msg.out")))
	marc.waitJS("the reply on Marc's ticket page", `[...document.querySelectorAll('#threads .msg.out')].some(m => m.textContent.includes("votre colis part aujourd'hui"))`)
	if h := marc.text("#history"); !strings.Contains(h, "Léa Martin a répondu (fil Client)") || !strings.Contains(h, "Attente Admin → Attente Client") {
		t.Errorf("Marc's history:\n%s", h)
	}
	if s := marc.text("#ticket-status"); !strings.Contains(s, "Attente Client") {
		t.Errorf("Marc's status badge: %q", s)
	}
	marcInbox.waitJS("the reply in Marc's inbox", `(() => {
		const r = document.querySelector('#tickets tr[data-id="`+ts.kauf.Number+`"]');
		return r && r.textContent.includes("votre colis part") && r.textContent.includes("Attente Client");
	})()`)
	marcInbox.shot("inbox-live")
	// Marc's typing-free page never showed a dialog; nor did Léa's.
	lea.noDialogs()
	marc.noDialogs()
	if v := e.view(ts.kauf.ID); v.Ticket.Status != desk.StatusWaitingCustomer {
		t.Errorf("status %s", v.Ticket.Status)
	}
}

// The common path: from the inbox to a sent default reply on the next
// unanswered ticket, with the keyboard only.
func TestBrowserShortcutPathToASentTemplatedReply(t *testing.T) {
	e := newEnv(t)
	ts := e.seed()
	lea := e.tab(t, browser(t))
	lea.signIn("lea@example.fr")
	next, err := e.d.NextUnanswered(ctx, e.lea, 0)
	if err != nil || next.ID != ts.late.ID {
		t.Fatalf("next unanswered for Léa: %v %v; want the late ticket %d", next.ID, err, ts.late.ID)
	}
	actions := 0
	act := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		actions++
		t.Logf("action %d: %s", actions, what)
		lea.run(what, steps...)
	}
	act("n: next unanswered ticket", loaded(key("n")), chromedp.WaitVisible(css("#reply-body")))
	if got := lea.url(); got != "/tickets/"+next.Number {
		t.Fatalf("n opened %s; want /tickets/%s", got, next.Number)
	}
	act("t then Enter: default reply, status « Attente Client »", key("t"), chromedp.WaitVisible(css("#template-picker[open]")),
		chromedp.WaitVisible(css("#picker-list li[aria-selected=true]")), shotAction(lea, "template-picker"), key(enter),
		chromedp.WaitNotPresent(css("#template-picker[open]")))
	if !lea.bool(`document.querySelector('#reply-status input[value="waiting_customer"]').checked`) {
		t.Fatal("the picker's Enter did not set the status it shows")
	}
	act("Ctrl+Enter: send", key(enter, chromedp.ModifierCtrl), chromedp.WaitVisible(css("#threads .msg.out .badge.tpl")))
	t.Logf("shortcut path: %d actions (n, t+Enter, Ctrl+Enter) from the inbox to a sent default reply", actions)
	if actions > 3 {
		t.Errorf("%d actions; want 3 at most", actions)
	}
	v := e.view(next.ID)
	m := v.Messages[len(v.Messages)-1]
	if m.Direction != desk.Out || m.TemplateID == 0 || v.Ticket.Status != desk.StatusWaitingCustomer {
		t.Errorf("after the path: message %+v, status %s", m, v.Ticket.Status)
	}
	// n again goes on to the next one, skipping this ticket (now waiting for the customer).
	lea.run("n again", loaded(key("n")), chromedp.WaitVisible(css("#reply-body")))
	if got := lea.url(); got == "/tickets/"+next.Number {
		t.Errorf("n stayed on the answered ticket")
	}
	// The help overlay documents the keys.
	lea.run("help", key("?"), chromedp.WaitVisible(css("#help[open]")))
	if h := lea.text("#help"); !strings.Contains(h, "Ticket suivant sans réponse") || !strings.Contains(h, "Ctrl") {
		t.Errorf("help overlay:\n%s", h)
	}
	lea.shot("help")
	lea.noDialogs()
}

func TestBrowserHostileCustomerHTMLRunsNothing(t *testing.T) {
	e := newEnv(t)
	ts := e.seed()
	e.s.DB().ExecContext(ctx, `UPDATE messages SET body_html = $1 WHERE ticket_id = $2`, hostileHTML, ts.html.ID)
	lea := e.tab(t, browser(t))
	lea.signIn("lea@example.fr")
	lea.run("open the ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+ts.html.Number), chromedp.WaitVisible(css(".msg .body.html")))
	lea.run("click what can be clicked", chromedp.Click(css(".msg .body.html p")), chromedp.Sleep(500))
	if n := lea.eval(`document.querySelectorAll('.msg script, .msg iframe, .msg [onerror], .msg [onclick], .msg [href^="javascript"]').length.toString()`); n != "0" {
		t.Errorf("%s active elements in the message", n)
	}
	if got := lea.text(".msg .body.html"); !strings.Contains(got, "du carton abîmé") {
		t.Errorf("message text %q", got)
	}
	lea.shot("ticket-hostile-html")
	lea.noDialogs()
}

// A default reply with a variable the ticket cannot fill is flagged, and the
// send is blocked until the agent replaces it.
func TestBrowserMissingVariableBlocksTheSend(t *testing.T) {
	e := newEnv(t)
	ts := e.seed()
	lea := e.tab(t, browser(t))
	lea.signIn("lea@example.fr")
	lea.run("open the ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+ts.kauf.Number), chromedp.WaitVisible(css("#reply-body")))
	lea.run("pick « Suivi colis » by typing", key("t"), chromedp.WaitVisible(css("#template-picker[open]")),
		chromedp.SendKeys(css("#picker-filter"), "suivi"), chromedp.WaitVisible(css("#picker-list li .warn")), key(enter),
		chromedp.WaitVisible(css("#missing-vars")))
	if got := lea.text("#missing-vars"); !strings.Contains(got, "{lien_suivi}") {
		t.Errorf("warning %q", got)
	}
	lea.shot("missing-variable")
	lea.run("try to send", key(enter, chromedp.ModifierCtrl), chromedp.Sleep(400))
	if n := len(e.view(ts.kauf.ID).Messages); n != 1 {
		t.Fatalf("sent with an unfilled variable (%d messages)", n)
	}
	lea.run("fill it and send", chromedp.Evaluate[chromedp.Void](`(() => {
		const b = document.getElementById('reply-body');
		b.value = b.value.replace('{lien_suivi}', 'https://suivi.example/123');
		b.dispatchEvent(new Event('input'));
	})()`), chromedp.WaitNotVisible(css("#missing-vars")), key(enter, chromedp.ModifierCtrl), chromedp.WaitVisible(css("#threads .msg.out")))
	v := e.view(ts.kauf.ID)
	if m := v.Messages[len(v.Messages)-1]; !strings.Contains(m.Body, "https://suivi.example/123") || m.TemplateID != e.tplTrack.ID {
		t.Errorf("sent %+v", m)
	}
	lea.noDialogs()
}
