package ui_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guichet/internal/desk"
)

// The inbox as the issue found it on the demo data, where most open tickets
// wait for the customer with old deadlines: the default view shows only the
// tickets an ADV must act on, most urgent first, the late one marked; those
// waiting for the customer are one click away, with no deadline running.
// The acknowledgement sent to a customer shows « Système » in the thread.
func TestBrowserDefaultInboxShowsOnlyWhatNeedsAction(t *testing.T) {
	e := newEnv(t)
	e.must(e.d.SaveSystemRule(ctx, e.admin, desk.SystemRule{Kind: desk.SystemAck, Language: "fr", Enabled: true,
		Body: "Bonjour {nom_client}, nous avons bien reçu votre message."}))
	now := time.Now()
	msg := func(ch desk.Channel, order string, at time.Time) desk.Ticket {
		return e.ingest(desk.Incoming{ChannelID: ch.ID, OrderRef: order, SourceID: "s-" + order, At: at, AuthorKind: desk.AuthorCustomer,
			AuthorName: "Client " + order, Body: "Question sur " + order, Customer: desk.CustomerInput{ExternalID: "c-" + order, Name: "Client " + order}})
	}
	waiting := desk.StatusWaitingCustomer
	for i := range 45 { // answered long ago: waiting for the customer
		tk := msg(e.fnac, fmt.Sprintf("W-%02d", i), now.Add(-time.Duration(41-i%30)*24*time.Hour))
		e.must(e.d.UpdateTicket(ctx, e.marc, tk.ID, desk.TicketPatch{Status: &waiting}))
	}
	// Fnac counts 24 h around the clock: the older the message, the sooner due.
	var want []string
	for _, h := range []int{30, 20, 5, 1} { // 30 h ago: 6 h late
		want = append(want, msg(e.fnac, fmt.Sprintf("A-%02d", h), now.Add(-time.Duration(h)*time.Hour)).Number)
	}
	closed := msg(e.fnac, "C-1", now.Add(-2*time.Hour))
	e.must(e.d.CloseTicket(ctx, e.marc, closed.ID))

	b := browser(t)
	lea := e.tab(t, b)
	lea.signIn("lea@example.fr")
	lea.run("the inbox", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(css("#tickets")))
	lea.shot("inbox-default")
	var rows []struct{ ID, Status, Deadline, Class string }
	if err := json.Unmarshal([]byte(lea.eval(`JSON.stringify([...document.querySelectorAll('#tickets tbody tr')].map(r => ({
		ID: r.dataset.id, Status: r.querySelector('.c-status').textContent.trim(),
		Deadline: r.querySelector('.c-dl').textContent.trim(), Class: r.querySelector('.c-dl .dl').className})))`)), &rows); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.ID)
		if r.Status != "Attente Admin" {
			t.Errorf("row %s: %q in the default inbox", r.ID, r.Status)
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("rows %v; want %v, most urgent first", got, want)
	}
	if len(rows) == len(want) {
		if !strings.HasPrefix(rows[0].Deadline, "en retard de") || !strings.Contains(rows[0].Class, "late") {
			t.Errorf("the late ticket reads %q (%s)", rows[0].Deadline, rows[0].Class)
		}
		if !strings.HasPrefix(rows[1].Deadline, "reste") {
			t.Errorf("time left reads %q", rows[1].Deadline)
		}
	}
	if n := lea.text(`#tab-waiting b`); n != "45" {
		t.Errorf("the Attente Client tab counts %q", n)
	}

	lea.run("Attente Client, one click away", loaded(chromedp.Click(css("#tab-waiting"))), chromedp.WaitVisible(css("#tickets")))
	lea.shot("inbox-waiting")
	statuses := lea.eval(`JSON.stringify([...new Set([...document.querySelectorAll('#tickets tbody tr .c-status')].map(c => c.textContent.trim()))])`)
	deadlines := lea.eval(`JSON.stringify([...new Set([...document.querySelectorAll('#tickets tbody tr .c-dl')].map(c => c.textContent.trim()))])`)
	if statuses != `["Attente Client"]` || deadlines != `["—"]` {
		t.Errorf("waiting tab: statuses %s, deadlines %s; want Attente Client with no deadline running", statuses, deadlines)
	}
	if late := lea.eval(`String(document.querySelectorAll('#tickets .is-late').length)`); late != "0" {
		t.Errorf("%s waiting tickets read as late", late)
	}

	lea.run("a ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+want[3]), chromedp.WaitVisible(css("#threads")))
	if who := lea.text(`#threads .msg.author-system .badge`); who != "Système" {
		t.Errorf("the acknowledgement is signed %q", who)
	}
	if body := lea.text(`#threads .msg.author-system`); !strings.Contains(body, "Bonjour Client A-01, nous avons bien reçu votre message.") {
		t.Errorf("acknowledgement: %q", body)
	}
	if h := lea.text("#history"); !strings.Contains(h, "Règle du canal Fnac : 24 h calendaires, calendrier France") {
		t.Errorf("history lacks the deadline's rule:\n%s", h)
	}
}
