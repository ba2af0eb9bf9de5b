package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"guichet/internal/desk"
)

// A customer writes through the public form with a screenshot; the ticket
// is on the email channel for its ADV, with the file, the browser and the
// default reply ready; she answers, and the answer (after the
// acknowledgement) is queued for the email channel.
func TestBrowserContactFormToReply(t *testing.T) {
	e := newEnv(t)
	mail, _ := e.serviceSetup()
	if _, err := e.d.SetServiceOptions(ctx, e.admin, desk.ServiceOptions{AllowUpload: true, DefaultReply: "Bonjour,\n\nCordialement,\nLe service client"}); err != nil {
		t.Fatal(err)
	}
	b := browser(t)
	customer := e.tab(t, b)
	shot := filepath.Join(t.TempDir(), "capture-ecran.png")
	os.WriteFile(shot, png, 0o644)
	customer.run("fill the form",
		chromedp.Navigate(e.srv.URL+"/contact"),
		chromedp.WaitVisible(css("#contact-form")),
		chromedp.SendKeys(css("#contact-email"), "claire.dupont@example.fr"),
		chromedp.SendKeys(css("#contact-product"), "Bouilloire inox"),
		chromedp.SendKeys(css("#contact-message"), "Bonjour, la bouilloire reçue fuit par le bas. Photo jointe."),
		chromedp.SetUploadFiles(css("#contact-file"), []string{shot}),
		// As if she had taken her time (the form refuses a post sent at once).
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[name=issued]').value = String(Date.now() - 30000)`),
	)
	customer.shot("contact-1-filled")
	customer.run("send", loaded(chromedp.Click(css(".send"))), chromedp.WaitVisible(css("#contact-sent")))
	if got := customer.text("#contact-sent"); !strings.Contains(got, "Merci") || !strings.Contains(got, "numéro de dossier") {
		t.Fatalf("after sending: %q", got)
	}
	customer.noDialogs()

	page, err := e.d.FindTickets(ctx, e.lea, desk.TicketFilter{ChannelID: mail.ID})
	if err != nil || len(page.Tickets) != 1 {
		t.Fatalf("tickets on the email channel: %+v %v", page.Tickets, err)
	}
	tk := page.Tickets[0]
	lea := e.tab(t, b)
	lea.signIn("lea@example.fr")
	if got := lea.text("#tickets tbody"); !strings.Contains(got, "Bouilloire inox") && !strings.Contains(got, "fuit par le bas") {
		t.Errorf("Léa's inbox lacks the form's ticket:\n%s", got)
	}
	lea.run("open it", chromedp.Navigate(e.srv.URL+"/tickets/"+tk.Number), chromedp.WaitVisible(css("#service")))
	if got := lea.text("#service"); !strings.Contains(got, "HeadlessChrome") || !strings.Contains(got, "Bouilloire inox") || !strings.Contains(got, "claire.dupont@example.fr") {
		t.Errorf("service card: %q", got)
	}
	if got := lea.text("#threads"); !strings.Contains(got, "capture-ecran.png") || !strings.Contains(got, "fuit par le bas") {
		t.Errorf("thread: %q", got)
	}
	if got := lea.eval(`document.getElementById('reply-body').value`); !strings.HasPrefix(got, "Bonjour,") {
		t.Errorf("reply box not pre-filled: %q", got)
	}
	lea.run("answer",
		chromedp.Evaluate[chromedp.Void](`(() => { const b = document.getElementById('reply-body'); b.value = 'Bonjour,\n\nNous vous envoyons une bouilloire neuve.\n\nCordialement,\nLéa'; b.dispatchEvent(new Event('input', {bubbles: true})); })()`),
		chromedp.Click(css(`#reply-status input[value="waiting_customer"]`)),
		chromedp.Click(css("#send-btn")),
		chromedp.WaitVisible(css(`#threads .msg.out[data-author="agent"], #threads .msg.out`)))
	lea.shot("contact-2-answered")
	lea.noDialogs()

	queued, err := e.d.Deliveries(ctx, e.admin, desk.DeliveryFilter{ChannelID: mail.ID, States: []desk.DeliveryState{desk.OutboxQueued}})
	if err != nil {
		t.Fatal(err)
	}
	v := e.view(tk.ID)
	byID := map[int64]desk.Message{}
	for _, m := range v.Messages {
		byID[m.ID] = m
	}
	kinds := map[desk.AuthorKind]desk.Message{}
	for _, q := range queued {
		kinds[byID[q.MessageID].AuthorKind] = byID[q.MessageID]
	}
	if len(queued) != 2 || kinds[desk.AuthorSystem].ID == 0 || !strings.Contains(kinds[desk.AuthorAgent].Body, "bouilloire neuve") ||
		v.Ticket.Status != desk.StatusWaitingCustomer {
		t.Fatalf("queued for the email channel: %+v (authors %v), status %s", queued, kinds, v.Ticket.Status)
	}
}

// The bell counts a notification as it arrives (live, no reload); on the
// ticket, h marks it handled, f goes to « Transférer à », and u answers
// the next unread message with the reply box ready.
func TestBrowserBellAndThreadActionKeys(t *testing.T) {
	e := newEnv(t)
	first := e.customerMessage(e.kaufland, "K-1", "Jean Client", "Où est mon colis ?")
	second := e.customerMessage(e.kaufland, "K-2", "Anne Cliente", "Facture SVP")
	lea := e.tab(t, browser(t))
	lea.signIn("lea@example.fr")
	lea.run("open the first ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+first.Number), chromedp.WaitVisible(css("#service")),
		chromedp.WaitVisible(css("body[data-live=on]")))
	if lea.bool(`!document.getElementById('bell-count').hidden`) {
		t.Fatalf("bell shows a count before any notification")
	}
	if err := e.d.ForwardTicket(ctx, e.marc, desk.ForwardInput{TicketID: second.ID, AgentID: e.lea.AgentID, Comment: "Peux-tu t'en occuper ?"}); err != nil {
		t.Fatal(err)
	}
	lea.waitJS("the bell to count it", `document.getElementById('bell').dataset.unread === '1' && !document.getElementById('bell-count').hidden`)

	lea.run("h marks it handled", loaded(key("h")), chromedp.WaitVisible(css("#reopen-btn")))
	if st := e.view(first.ID).Ticket.Status; st != desk.StatusClosed {
		t.Fatalf("after h: %s", st)
	}
	lea.run("f goes to the forward field", key("f"))
	if got := lea.eval(`document.activeElement.id`); got != "forward-agent" {
		t.Fatalf("f focused %q", got)
	}
	lea.run("leave the field", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
	lea.run("u answers the next unread", loaded(key("u")), chromedp.WaitVisible(css(".ticket-page[data-ticket=\""+second.Number+"\"]")))
	lea.waitJS("the reply box to have the focus", `document.activeElement.id === 'reply-body' && location.hash === '#reply'`)
	lea.noDialogs()
}
