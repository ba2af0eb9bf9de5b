package ui_test

import (
	"bytes"
	"context"
	"fmt"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guichet/internal/channel"
	gmail "guichet/internal/channel/mail"
	"guichet/internal/channel/mail/mailtest"
	"guichet/internal/desk"
	gsync "guichet/internal/sync"
)

// A customer writes through the public form with a screenshot; the ticket
// is on the email channel for its ADV, with the file, the browser and the
// default reply ready; she answers, and the answer (after the
// acknowledgement) is queued for the email channel. The outbox then hands
// both to the email connector, a real SMTP server on loopback receives
// them, threaded (our token in the Reply-To and the Message-ID, the ticket
// number in the subject), and the customer's answer to the reply, fetched
// from a real IMAP server, joins the same ticket.
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

	// The outbox delivers both through the email connector, to real servers.
	smtpSrv := mailtest.StartSMTP(t, mailtest.StartTLS, "envoi", "secret-smtp")
	imapSrv := mailtest.StartIMAP(t, mailtest.TLS)
	imapSrv.AddUser(t, "sav", "secret-imap")
	settings, err := gmail.Kind().Check(map[string]string{
		"host": imapSrv.Host, "port": strconv.Itoa(imapSrv.Port), "username": "sav", "password": "secret-imap",
		"security": string(imapSrv.Security), "skip_verify": "true",
		"smtp_host": smtpSrv.Host, "smtp_port": strconv.Itoa(smtpSrv.Port), "smtp_username": "envoi", "smtp_password": "secret-smtp",
		"smtp_security": string(smtpSrv.Security), "smtp_skip_verify": "true", "from": "Service client <sav@boutique.test>", "timeout": "5"})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := gmail.New(channel.Config{Channel: mail, Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	runner := gsync.New(gsync.Config{Desk: e.d, Leases: e.s, Jitter: func() float64 { return 0.5 },
		Connectors: gsync.ConnectorsFunc(func(_ context.Context, ch desk.Channel) (channel.Connector, error) {
			if ch.ID == mail.ID {
				return conn, nil
			}
			return nil, fmt.Errorf("%s : %w", ch.Name, channel.ErrNotSupported)
		})})
	if _, err := runner.DeliverDue(ctx, mail.ID); err != nil {
		t.Fatal(err)
	}
	got := smtpSrv.Wait(t, 2, 20*time.Second)
	var reply *netmail.Message
	for _, r := range got {
		m, err := netmail.ReadMessage(bytes.NewReader(r.Data))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.To) != 1 || r.To[0] != "claire.dupont@example.fr" {
			t.Errorf("sent to %v", r.To)
		}
		body := new(bytes.Buffer)
		body.ReadFrom(m.Body)
		if strings.Contains(body.String(), "bouilloire neuve") {
			reply = m
		}
	}
	if reply == nil {
		t.Fatalf("the SMTP server did not get the reply: %d messages", len(got))
	}
	replyTo, msgID, subject := reply.Header.Get("Reply-To"), reply.Header.Get("Message-Id"), reply.Header.Get("Subject")
	if !strings.Contains(replyTo, "sav+") || msgID == "" || !strings.Contains(subject, "[#"+tk.Number+"]") {
		t.Fatalf("reply not threaded: Reply-To %q, Message-ID %q, Subject %q", replyTo, msgID, subject)
	}
	// Her answer, from a client that kept only the Reply-To, threads back.
	addr, _ := netmail.ParseAddress(replyTo)
	imapSrv.Append(t, "sav", "INBOX", []byte("From: Claire Dupont <claire.dupont@example.fr>\r\nTo: "+addr.Address+
		"\r\nSubject: merci\r\nMessage-ID: <answer-1@example.fr>\r\nDate: "+time.Now().Add(-time.Minute).Format(time.RFC1123Z)+
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nParfait, merci !\r\n"))
	if _, err := runner.Once(ctx, mail.ID); err != nil {
		t.Fatal(err)
	}
	after := e.view(tk.ID)
	if last := after.Messages[len(after.Messages)-1]; !strings.Contains(last.Body, "Parfait, merci") || after.Ticket.Status != desk.StatusWaitingAdmin {
		t.Fatalf("the customer's answer did not join the ticket: %+v, status %s", last, after.Ticket.Status)
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
