package ui_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"guichet/internal/desk"
)

// An admin points the Kaufland channel at the shop's back office
// (prestashopfake) and « Tester » shows the order; an ADV opens the
// Kaufland ticket: the panels show the back-office order and its
// tracking link, the Email thread appears, and « Proposer » fills the
// delivery date from the order's history.
func TestBrowserBackofficeOrder(t *testing.T) {
	var bo backoffice
	e := newEnv(t, withBackoffice(&bo))
	bo.connect(e)
	e.kaufland.Backoffice = desk.BackofficeRule{} // the admin sets it below
	e.kaufland = e.channel(e.kaufland)
	bo.colissimoOrder("KL-KA-777")
	tk := e.ingest(desk.Incoming{ChannelID: e.kaufland.ID, OrderRef: "KA-777", SourceID: "k-1", AuthorKind: desk.AuthorCustomer,
		AuthorName: "Jean Dupont", Body: "Où est mon colis ?"})
	b := browser(t)

	admin := e.tab(t, b)
	admin.signIn("admin@example.fr")
	admin.run("the Kaufland channel", chromedp.Navigate(e.srv.URL+"/admin/channels/"+itoaID(e.kaufland.ID)), chromedp.WaitVisible(css("#backoffice")))
	admin.run("set the rule and test it",
		chromedp.SetValue(css("#backoffice_channel"), itoaID(e.shop.ID)),
		chromedp.SetValue(css("#backoffice_field"), "reference"),
		chromedp.SetValue(css("#backoffice_pattern"), "KL-{order}"),
		chromedp.SendKeys(css("#backoffice_test_ref"), "KA-777"),
		loaded(chromedp.Click(css("#bo-test"))), chromedp.WaitVisible(css("#bo-test-result")))
	if got := admin.text("#bo-test-result"); !strings.Contains(got, "Commande KL-KA-777") || !strings.Contains(got, "49,98") || !strings.Contains(got, "Jeanne Dupont") {
		t.Fatalf("« Tester »: %q", got)
	}
	admin.shot("backoffice-test")
	admin.run("save", loaded(chromedp.Click(css(`#backoffice ~ .actions button[type=submit]`))))
	if ch, _ := e.d.Channel(ctx, e.kaufland.ID); ch.Backoffice != (desk.BackofficeRule{ChannelID: e.shop.ID, Field: "reference", Pattern: "KL-{order}"}) {
		t.Fatalf("rule saved: %+v", ch.Backoffice)
	}

	lea := e.tab(t, b)
	lea.signIn("lea@example.fr")
	lea.run("open the ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+tk.Number), chromedp.WaitVisible(css("#bo-order")))
	if got := lea.text("#int-backoffice"); !strings.Contains(got, "Commande KL-KA-777") || !strings.Contains(got, "Cafetière italienne 6 tasses") || !strings.Contains(got, "Livré") {
		t.Errorf("back office panel: %q", got)
	}
	if got := lea.eval(`document.querySelector('#int-parcels .tracking-link').href`); got != "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901" {
		t.Errorf("tracking link: %q", got)
	}
	lea.waitJS("the Email tab", `!document.getElementById('tab-email').hidden`)
	lea.run("propose the delivery date", chromedp.WaitVisible(css("#p-delivery-propose")))
	if got := lea.text("#p-delivery-propose"); got != "Proposer : 03/03/2026" {
		t.Errorf("proposal: %q", got)
	}
	lea.shot("backoffice-panels")
	lea.run("take it", chromedp.Click(css("#p-delivery-propose")))
	if got := lea.eval(`document.getElementById('p-delivery').value`); got != "2026-03-03" {
		t.Errorf("delivery date field: %q", got)
	}
	lea.run("the Email thread", chromedp.Click(css("#tab-email")))
	if got := lea.eval(`document.getElementById('reply-thread-kind').value`); got != "email" {
		t.Errorf("reply goes to %q", got)
	}
}

func itoaID(id int64) string { return strconv.FormatInt(id, 10) }
