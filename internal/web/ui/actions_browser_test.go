package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"guichet/internal/desk"
)

// « Choisir une action »: the menu from the keyboard, a partial refund
// typed « 12,50 », its confirmation, the channel's answer; the channel got
// 1250 cents and the history shows the action. The integrations panel
// shows the order and its parcel, whose link fills {lien_suivi}.
func TestBrowserChooseAnAction(t *testing.T) {
	var ch channels
	e := newEnv(t, withChannels(&ch))
	ch.configure(e)
	tk := e.ingest(desk.Incoming{ChannelID: e.kaufland.ID, OrderRef: "KA-260311-0042", SourceID: "k-1", ThreadExternalID: "40000000042",
		AuthorKind: desk.AuthorCustomer, AuthorName: "Jean Dupont", Body: "La perceuse est arrivée rayée : un geste commercial ?",
		Customer: desk.CustomerInput{ExternalID: "c-1", Name: "Jean Dupont"}})
	b := browser(t)
	lea := e.tab(t, b)
	lea.signIn("lea@example.fr")
	lea.run("open the ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+tk.Number), chromedp.WaitVisible(css("#actions-btn")))
	// The panels load after the page: wait for them rather than read « Chargement… ».
	lea.waitJS("the integrations panels", `!document.getElementById('int-backoffice').textContent.includes('Chargement') && !document.getElementById('int-parcels').textContent.includes('Chargement')`)
	if got := lea.text("#int-backoffice"); !strings.Contains(got, "Perceuse visseuse 18 V") || !strings.Contains(got, "159,80") {
		t.Errorf("back office panel: %q", got)
	}
	if got := lea.text("#int-parcels"); !strings.Contains(got, "DHL") || !strings.Contains(got, "00340434161094042557") {
		t.Errorf("parcels panel: %q", got)
	}
	lea.shot("ticket-integrations")

	// {lien_suivi} comes from the order's parcel.
	lea.run("the tracking template", chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`),
		key("t"), chromedp.WaitVisible(css("#picker-filter")), chromedp.SendKeys(css("#picker-filter"), "Suivi colis"), key(enter))
	if got := lea.eval(`document.getElementById('reply-body').value`); !strings.Contains(got, "https://tracking.example/dhl/00340434161094042557") || strings.Contains(got, "{lien_suivi}") {
		t.Errorf("reply after the tracking template: %q", got)
	}
	if lea.bool(`!document.getElementById('missing-vars').hidden`) {
		t.Errorf("missing variables shown: %q", lea.text("#missing-vars"))
	}
	lea.run("clear the reply", chromedp.Evaluate[chromedp.Void](`document.getElementById('reply-body').value = ''; document.activeElement.blur()`))

	lea.run("a opens the menu, then the refund", key("a"), chromedp.WaitVisible(css("#actions-menu")),
		chromedp.Click(css(`#actions-menu [data-action="refund"]`)), chromedp.WaitVisible(css("#ap-amount")))
	lea.run("type the amount", chromedp.SendKeys(css("#ap-amount"), "12,50"), chromedp.Click(css("#action-run")), chromedp.WaitVisible(css("#action-confirm")))
	if got := lea.text("#action-confirm"); got != "Rembourser ce montant au client ?" {
		t.Errorf("confirmation: %q", got)
	}
	if n := len(ch.rec.Calls()); n != 0 {
		t.Fatalf("the action ran before its confirmation (%d calls)", n)
	}
	lea.shot("action-confirm")
	lea.run("confirm", chromedp.Click(css("#action-run")))
	lea.waitJS("the channel's answer", `document.getElementById('action-result').textContent.includes('Remboursement de 12,50 € accepté')`)
	calls := ch.rec.Calls()
	if len(calls) != 1 || calls[0].Action != "refund" || calls[0].Params["amount"] != "1250" {
		t.Fatalf("the channel got %+v", calls)
	}
	lea.waitJS("the history", `document.getElementById('history').textContent.includes('Action Kaufland : Rembourser une partie du montant (12,50 €, Article endommagé) — Remboursement de 12,50 € accepté')`)
	lea.shot("action-done")
	lea.run("close the dialog", chromedp.Click(css("#action-cancel")))
	if lea.bool(`document.getElementById('action-dialog').open`) {
		t.Error("dialog still open")
	}
	lea.noDialogs()

	// The channel's connection as an admin sees it: the secret masked.
	admin := e.tab(t, b)
	admin.signIn("admin@example.fr")
	admin.run("the channel's page", chromedp.Navigate(e.srv.URL+channelPath(e.kaufland)), chromedp.WaitVisible(css("#conn-form")),
		chromedp.ScrollIntoView(css("#connection")))
	if got := admin.eval(`document.getElementById('s_secret_key').value + '|' + document.getElementById('s_secret_key').placeholder`); got != "|•••••• (laisser vide pour conserver)" {
		t.Errorf("secret field: %q", got)
	}
	admin.shot("admin-channel-connection")
}
