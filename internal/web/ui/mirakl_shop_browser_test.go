package ui_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guichet/internal/channel"
	"guichet/internal/channel/kaufland"
	"guichet/internal/channel/mirakl"
	"guichet/internal/channel/mirakl/miraklfake"
	"guichet/internal/channel/prestashop"
	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
	"guichet/internal/secret"
	gsync "guichet/internal/sync"
	"guichet/internal/web/ui"
)

// withAllChannels is withRealChannels with every connector guichet has
// (Kaufland, Mirakl, PrestaShop), each fake on the real clock.
func withAllChannels(rc *realChannels) envOption {
	return func(cfg *envConfig) {
		cfg.wire = append(cfg.wire, func(e *env, deps *ui.Deps) {
			box, err := secret.Load("", e.t.TempDir())
			if err != nil {
				e.t.Fatal(err)
			}
			reg := channel.NewRegistry(kaufland.Kind(), mirakl.Kind(), prestashop.Kind())
			rc.cs = channel.NewConnectors(channel.ConnectorsConfig{Registry: reg, Sealer: box, Desk: e.d})
			rc.runner = gsync.New(gsync.Config{Desk: e.d, Leases: e.s, Connectors: rc.cs, Kinds: reg, Tick: 100 * time.Millisecond})
			runCtx, stop := context.WithCancel(context.Background())
			done := rc.runner.Start(runCtx)
			e.t.Cleanup(func() { stop(); <-done })
			deps.Connectors, deps.Sync, deps.Deliveries = rc.cs, e.d, e.d
		})
	}
}

// Issue 9's « Done when », in a browser, against the real connectors and
// sync runner: a Fnac order (miraklfake) with a customer thread and a
// parcel; the ADV sees the order and its tracking beside the ticket,
// starts a thread with the operator (there was none: OR43 to OPERATOR)
// and answers the customer (M12 to CUSTOMER), both « Envoyé ». Then a
// PrestaShop contact-form question without an order becomes a ticket of
// its own, and the reply is written back by the configured employee.
func TestBrowserMiraklAndShop(t *testing.T) {
	fnac := miraklfake.Start(t, miraklfake.WithRealClock(), miraklfake.WithOperator("Fnac"))
	order := fnac.AddOrder(miraklfake.Order{ID: "FNAC-7Q2K9-A", Customer: miraklfake.Customer{ID: "c-77", FirstName: "Jeanne", LastName: "Morel"},
		Lines:   []miraklfake.Line{{Title: "Casque audio sans fil", Quantity: 1, Price: 12990, Shipping: 499}},
		Carrier: "Colissimo", Tracking: "6A12345678901", TrackingURL: "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"})
	th := fnac.AddThread(order.ID, []string{"CUSTOMER"}, "Suivi de livraison")
	fnac.AddMessage(th, "CUSTOMER", "Bonjour, mon casque n'est toujours pas arrivé. Où en est-il ?", fnac.Now())
	shop := prestashopfake.Start(t, prestashopfake.WithRealClock())
	question := shop.AddThread(prestashopfake.Thread{Email: "paul.visiteur@example.com"})
	shop.AddMessage(question, false, "Bonjour, livrez-vous en Belgique ?", time.Time{})

	var rc realChannels
	e := newEnv(t, withAllChannels(&rc))
	for ch, settings := range map[int64]map[string]string{e.fnac.ID: fnac.Settings(), e.shop.ID: shop.Settings()} {
		if err := rc.cs.SaveSettings(ctx, e.admin, ch, settings); err != nil {
			t.Fatal(err)
		}
		if err := e.d.RequestSync(ctx, e.admin, ch); err != nil {
			t.Fatal(err)
		}
	}
	var tk desk.Ticket
	waitFor(t, "the Fnac ticket", 20*time.Second, func() bool {
		var err error
		tk, err = e.d.LookupTicket(ctx, e.admin, order.ID)
		return err == nil
	})

	// 1. Marc, Fnac's responsible, opens the ticket: the order and its
	// parcel fill the panels; the operator's thread is offered.
	b := browser(t)
	marc := e.tab(t, b)
	marc.signIn("marc@example.fr")
	marc.run("open the Fnac ticket", loaded(chromedp.Navigate(e.srv.URL+"/tickets/"+tk.Number)), chromedp.WaitVisible(chromedp.CSS("#threads")))
	if got := marc.text("#threads"); !strings.Contains(got, "mon casque n'est toujours pas arrivé") {
		t.Errorf("customer thread: %q", got)
	}
	marc.waitJS("the order in the panel", `document.getElementById('int-backoffice').textContent.includes('Casque audio sans fil')`)
	marc.waitJS("the parcel in the panel", `document.getElementById('int-parcels').textContent.includes('6A12345678901')`)
	if got := marc.text("#int-parcels"); !strings.Contains(got, "Colissimo") {
		t.Errorf("tracking panel: %q", got)
	}
	if got := marc.text("#tab-operator"); !strings.HasPrefix(got, "Opérateur") {
		t.Fatalf("operator tab: %q", got)
	}
	marc.shot("mirakl-1-ticket")

	// 2. To the operator, in a thread not started yet.
	marc.run("choose the operator's thread", chromedp.Click(chromedp.CSS("#tab-operator")))
	if got := marc.eval(`document.getElementById('reply-thread-label').textContent`); got != "Opérateur" {
		t.Errorf("the reply goes to %q; want « Opérateur »", got)
	}
	marc.run("write to the operator",
		chromedp.SendKeys(chromedp.CSS("#reply-body"), "Bonjour, le transporteur ne donne plus de nouvelles du colis : pouvez-vous ouvrir une enquête ?"),
		chromedp.Click(chromedp.CSS(`#reply-status input[value="waiting_admin"]`)),
		chromedp.Click(chromedp.CSS("#send-btn")))
	marc.waitJS("the operator's message on the page", `document.querySelectorAll('#threads .msg.out').length === 1`)
	waitFor(t, "Fnac to receive the operator's message", 20*time.Second, func() bool { return len(fnac.Posted()) >= 1 })
	// 3. To the customer, in her thread.
	marc.run("answer the customer",
		chromedp.Click(chromedp.CSS(`#threads [role=tab][data-thread-kind="customer"]`)),
		chromedp.SendKeys(chromedp.CSS("#reply-body"), "Bonjour Jeanne, nous avons demandé une enquête au transporteur ; nous revenons vers vous très vite."),
		chromedp.Click(chromedp.CSS(`#reply-status input[value="waiting_customer"]`)),
		chromedp.Click(chromedp.CSS("#send-btn")))
	marc.waitJS("the answer on the page", `document.querySelectorAll('#threads .msg.out').length === 2`)
	waitFor(t, "Fnac to receive the customer's answer", 20*time.Second, func() bool { return len(fnac.Posted()) >= 2 })
	posts := fnac.Posted()
	if len(posts) != 2 {
		t.Fatalf("Fnac got %d posts: %+v", len(posts), posts)
	}
	op, cust := posts[0], posts[1]
	if op.Op != "OR43" || len(op.To) != 1 || op.To[0].Type != "OPERATOR" || !strings.Contains(op.Body, "enquête") || op.Thread == th {
		t.Errorf("operator's message: %+v; want OR43 to OPERATOR in a new thread", op)
	}
	if cust.Op != "M12" || cust.Thread != th || len(cust.To) != 1 || cust.To[0].Type != "CUSTOMER" || !strings.Contains(cust.Body, "Bonjour Jeanne") {
		t.Errorf("customer's answer: %+v; want M12 to CUSTOMER in thread %s", cust, th)
	}
	allSent := func() bool {
		return marc.bool(`(() => { const b = [...document.querySelectorAll('#threads .msg.out .badge[data-delivery]')];
			return b.length === 2 && b.every(x => x.dataset.delivery === 'sent' && x.textContent.startsWith('Envoyé')); })()`)
	}
	waitFor(t, "« Envoyé » on both replies", 15*time.Second, func() bool {
		if allSent() {
			return true
		}
		time.Sleep(300 * time.Millisecond)
		marc.run("reload", loaded(chromedp.Reload()), chromedp.WaitVisible(chromedp.CSS("#threads")))
		return allSent()
	})
	v := e.view(tk.ID)
	var opThread desk.Thread
	for _, x := range v.Threads {
		if x.Kind == desk.ThreadOperator {
			opThread = x
		}
	}
	if opThread.ExternalID != op.Thread {
		t.Errorf("our operator thread %+v; want it named by Fnac's thread %s", opThread, op.Thread)
	}
	// The next sync brings both back as echoes: stored once.
	if err := e.d.RequestSync(ctx, e.admin, e.fnac.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if n := len(e.view(tk.ID).Messages); n != 3 {
		t.Errorf("%d messages after the echoes' sync; want 3", n)
	}
	marc.run("see the operator's thread", chromedp.Click(chromedp.CSS(`#threads [role=tab][data-thread-kind="operator"]`)))
	marc.shot("mirakl-2-operator-and-customer")

	// 4. The shop's contact form: a ticket without an order, for that email.
	var shopTicket desk.TicketRow
	waitFor(t, "the shop's ticket", 20*time.Second, func() bool {
		p, err := e.d.FindTickets(ctx, e.admin, desk.TicketFilter{ChannelID: e.shop.ID})
		if err != nil || len(p.Tickets) == 0 {
			return false
		}
		shopTicket = p.Tickets[0]
		return true
	})
	sv := e.view(shopTicket.ID)
	if sv.Ticket.OrderRef != "" || sv.Customer == nil || sv.Customer.Email != "paul.visiteur@example.com" {
		t.Errorf("shop ticket %+v, customer %+v; want no order, Paul's email", sv.Ticket, sv.Customer)
	}
	marc.run("open the shop's ticket", loaded(chromedp.Navigate(e.srv.URL+"/tickets/"+sv.Ticket.Number)), chromedp.WaitVisible(chromedp.CSS("#threads")))
	if got := marc.text("#threads"); !strings.Contains(got, "livrez-vous en Belgique") {
		t.Errorf("shop thread: %q", got)
	}
	marc.run("answer Paul",
		chromedp.SendKeys(chromedp.CSS("#reply-body"), "Bonjour, oui : nous livrons en Belgique sous 3 à 5 jours."),
		chromedp.Click(chromedp.CSS(`#reply-status input[value="waiting_customer"]`)),
		chromedp.Click(chromedp.CSS("#send-btn")))
	marc.waitJS("the answer on the page", `document.querySelectorAll('#threads .msg.out').length === 1`)
	var written prestashopfake.Post
	waitFor(t, "the shop to get the reply", 20*time.Second, func() bool {
		for _, p := range shop.Posted() {
			if p.Resource == "customer_messages" {
				written = p
				return true
			}
		}
		return false
	})
	if written.Fields["id_customer_thread"] != itoaInt(question) || written.Fields["id_employee"] != itoaInt(prestashopfake.EmployeeID) ||
		written.Fields["private"] != "0" || !strings.Contains(written.Fields["message"], "Belgique") {
		t.Errorf("written back: %+v", written)
	}
	marc.shot("mirakl-3-shop-reply")
	marc.noDialogs()
	if v := fnac.Violations(); len(v) > 0 {
		t.Errorf("Mirakl spec violations: %q", v)
	}
}

func itoaInt(n int) string { return strconv.Itoa(n) }
