package ui_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
)

// As an ADV would: find a customer in the directory, open their page (the
// shop's orders on it), add a private note, open a new ticket on one of
// their orders and follow it; then, from the inbox, a ticket without order.
func TestBrowserCustomerAndNewTickets(t *testing.T) {
	bo := &backoffice{}
	e := newEnv(t, withBackoffice(bo))
	bo.connect(e)
	e.seed()
	paris := bo.shop.Location()
	cust := bo.shop.AddCustomer(prestashopfake.Customer{FirstName: "John", LastName: "DOE", Email: "pub@prestashop.com"})
	bo.shop.AddOrder(prestashopfake.Order{Reference: "FIRSTORDR", Customer: cust, Payment: "Chèque",
		Rows:    []prestashopfake.Row{{Name: "iPod touch - Capacité: 32Go", Reference: "IPOD", Quantity: 1, UnitPrice: "1252.740000"}},
		History: []prestashopfake.StateAt{{State: prestashopfake.StatePaid, At: time.Date(2012, 10, 23, 11, 0, 0, 0, paris)}, {State: prestashopfake.StateDelivered, At: time.Date(2012, 10, 25, 11, 0, 0, 0, paris)}}})
	e.ingest(desk.Incoming{ChannelID: e.shop.ID, OrderRef: "OLDORDER", SourceID: "doe-1", AuthorKind: desk.AuthorCustomer, AuthorName: "John DOE",
		Body: "Bonjour, une question sur une ancienne commande.", Customer: desk.CustomerInput{ExternalID: strconv.Itoa(cust), Name: "John DOE", Email: "pub@prestashop.com"}})

	lea := e.tab(t, browser(t))
	lea.signIn("lea@example.fr")
	lea.run("the directory", loaded(chromedp.Click(css(`.mainnav a[href="/customers"]`))), chromedp.WaitVisible(css("#c-q")))
	lea.run("search doe", loaded(chromedp.SendKeys(css("#c-q"), "doe"+enter)), chromedp.WaitVisible(css(".customer-list tbody a.cust-name")))
	lea.shot("customers-directory")
	if got := lea.text(".customer-list tbody"); !strings.Contains(got, "DOE") || !strings.Contains(got, "pub@prestashop.com") || strings.Contains(got, "Dupont") {
		t.Fatalf("search doe lists:\n%s", got)
	}
	lea.run("open the customer", loaded(chromedp.Click(css(".customer-list tbody a.cust-name"))), chromedp.WaitVisible(css(".customer-page")))
	if got := lea.text("#valid-orders"); got != "Commandes valides : 1 pour 1\u202f252,74 €" {
		t.Errorf("valid orders: %q", got)
	}
	if got := lea.text("#cust-tickets"); !strings.Contains(got, "OLDORDER") {
		t.Errorf("tickets: %q", got)
	}
	lea.shot("customer-page")
	lea.run("a private note", chromedp.SendKeys(css("#cust-note"), "Client fidèle, préfère le téléphone."),
		loaded(chromedp.Click(css("#note-save"))), chromedp.WaitVisible(css(".notice")))
	if got := lea.eval(`document.getElementById('cust-note').value`); got != "Client fidèle, préfère le téléphone." {
		t.Errorf("note after saving: %q", got)
	}
	lea.run("a new ticket on an order", loaded(chromedp.Click(css("#shop-orders tbody button"))), chromedp.WaitVisible(css("#new-ticket-form")))
	if got := lea.eval(`document.getElementById('nt-order').value + '|' + document.getElementById('nt-channel').value`); got != "FIRSTORDR|"+strconv.FormatInt(e.shop.ID, 10) {
		t.Errorf("the form says %q", got)
	}
	lea.run("write and send", chromedp.SendKeys(css("#nt-body"), "Bonjour, votre iPod est-il bien arrivé ?"),
		loaded(chromedp.Click(css("#nt-create"))), chromedp.WaitVisible(css(".ticket-page")))
	page := lea.text(".ticket-page")
	for _, want := range []string{"FIRSTORDR", "Bonjour, votre iPod est-il bien arrivé ?", "Léa Martin"} {
		if !strings.Contains(page, want) {
			t.Errorf("the new ticket's page lacks %q", want)
		}
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(lea.url(), "/tickets/"), 10, 64)
	if i := strings.IndexByte(lea.url(), '?'); i > 0 {
		id, _ = strconv.ParseInt(strings.TrimPrefix(lea.url()[:i], "/tickets/"), 10, 64)
	}
	v := e.view(id)
	if v.Ticket.AssigneeID != e.lea.AgentID || v.Ticket.OrderRef != "FIRSTORDR" || len(v.Messages) != 1 || v.Messages[0].Direction != desk.Out {
		t.Fatalf("new ticket %+v, %d messages", v.Ticket, len(v.Messages))
	}
	lea.run("follow it: back to the customer", loaded(chromedp.Click(css("#customer-link"))), chromedp.WaitVisible(css(".customer-page")))
	if got := lea.text("#cust-tickets"); !strings.Contains(got, "FIRSTORDR") || !strings.Contains(got, "OLDORDER") {
		t.Errorf("the customer's tickets: %q", got)
	}

	// From the inbox: a contact without an order.
	lea.run("inbox", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(css("#inbox-new-ticket")))
	lea.run("new ticket", loaded(chromedp.Click(css("#inbox-new-ticket"))), chromedp.WaitVisible(css("#new-ticket-form")))
	lea.run("without an order", chromedp.SetValue(css("#nt-channel"), strconv.FormatInt(e.shop.ID, 10)),
		chromedp.SendKeys(css("#nt-body"), "Bonjour, nous revenons vers vous au sujet de votre demande."),
		loaded(chromedp.Click(css("#nt-create"))), chromedp.WaitVisible(css(".ticket-page")))
	u := lea.url()
	if i := strings.IndexByte(u, '?'); i > 0 {
		u = u[:i]
	}
	id, _ = strconv.ParseInt(strings.TrimPrefix(u, "/tickets/"), 10, 64)
	v = e.view(id)
	if v.Ticket.OrderRef != "" || v.Ticket.AssigneeID != e.lea.AgentID || v.Ticket.ChannelID != e.shop.ID || len(v.Messages) != 1 {
		t.Fatalf("order-less ticket %+v", v.Ticket)
	}
	lea.noDialogs()
}
