package ui_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"guichet/internal/blob"
	"guichet/internal/demo"
	"guichet/internal/desk"
	"guichet/internal/store/storetest"
	"guichet/internal/web"
	"guichet/internal/web/live"
	"guichet/internal/web/ui"
)

// benchTickets is how many tickets the benchmarks' store holds.
const benchTickets = 5000

// benchServer fills a store through desk (5 000 tickets on three channels,
// two messages each, and one long ticket) and returns the server's handler
// with a signed-in session cookie.
func benchServer(b *testing.B) (http.Handler, *http.Cookie, desk.Ticket) {
	b.Helper()
	e := newEnv(b)
	channels := []desk.Channel{e.kaufland, e.fnac, e.shop}
	start := time.Now().Add(-30 * 24 * time.Hour)
	for n := 0; n < benchTickets; n += 500 {
		var batch []desk.Incoming
		for i := n; i < n+500; i++ {
			ch := channels[i%3]
			order := fmt.Sprintf("B-%06d", i)
			at := start.Add(time.Duration(i) * 8 * time.Minute)
			cust := desk.CustomerInput{ExternalID: "c" + order, Name: fmt.Sprintf("Client %d", i), Email: fmt.Sprintf("c%d@relay.example", i)}
			batch = append(batch,
				desk.Incoming{ChannelID: ch.ID, OrderRef: order, SourceID: order + "-1", AuthorKind: desk.AuthorCustomer, AuthorName: cust.Name,
					Customer: cust, At: at, Body: "Bonjour, je n'ai pas reçu ma commande, pouvez-vous vérifier le suivi du colis ?"},
				desk.Incoming{ChannelID: ch.ID, OrderRef: order, SourceID: order + "-2", AuthorKind: desk.AuthorCustomer, AuthorName: cust.Name,
					Customer: cust, At: at.Add(time.Hour), Body: "Je relance : toujours rien reçu. Merci de me répondre rapidement."})
		}
		if _, err := e.d.Ingest(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	// One ticket with a long life: 20 messages, notes, changes.
	long := e.customerMessage(e.kaufland, "LONG-1", "Jean Dupont", "Premier message")
	for i := range 8 {
		e.must(e.d.Reply(ctx, e.lea, desk.ReplyInput{TicketID: long.ID, Body: fmt.Sprintf("Bonjour, réponse %d : nous vérifions auprès du transporteur.", i), Status: desk.StatusWaitingCustomer, TemplateID: e.tplThanks.ID}))
		e.customerMessage(e.kaufland, "LONG-1", "Jean Dupont", fmt.Sprintf("Relance %d : merci de me répondre", i))
		e.must(e.d.AddNote(ctx, e.marc, long.ID, fmt.Sprintf("Note %d", i)))
	}
	in, err := e.d.SignIn(ctx, desk.SignInInput{Email: "lea@example.fr", Password: password})
	if err != nil {
		b.Fatal(err)
	}
	token := in.Token
	h := web.New(web.Config{Desk: e.d, Hub: e.hub, DB: e.s, UI: func(mux *http.ServeMux) {
		ui.Register(mux, ui.Deps{Desk: e.d, Hub: e.hub})
	}})
	return h, &http.Cookie{Name: "guichet_session", Value: token}, long
}

func benchPage(b *testing.B, h http.Handler, cookie *http.Cookie, path string) {
	b.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.AddCookie(cookie)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 {
		b.Fatalf("GET %s: %d %s", path, w.Code, w.Body.String())
	}
	size := w.Body.Len()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("GET %s: %d", path, w.Code)
		}
	}
	b.ReportMetric(float64(size), "bytes/page")
}

// BenchmarkPages measures the server time of the two pages agents live on,
// over a store of 5 000 tickets: go test -run '^$' -bench Pages ./internal/web/ui/
func BenchmarkPages(b *testing.B) {
	h, cookie, long := benchServer(b)
	b.Run("inbox", func(b *testing.B) { benchPage(b, h, cookie, "/") })
	b.Run("inbox-all-statuses-sorted-by-activity", func(b *testing.B) { benchPage(b, h, cookie, "/?status=&sort=activity") })
	b.Run("inbox-search", func(b *testing.B) { benchPage(b, h, cookie, "/?status=&q=relance") })
	b.Run("ticket", func(b *testing.B) { benchPage(b, h, cookie, "/tickets/"+long.Number) })
	b.Run("ticket-live-fragment", func(b *testing.B) { benchPage(b, h, cookie, "/tickets/"+long.Number+"/live") })
}

// BenchmarkDemoPages measures the same pages on the demo data (`guichet serve
// --demo`), signed in as its first ADV: the inbox as it opens, and the
// ticket with the most messages: go test -run '^$' -bench DemoPages ./internal/web/ui/
func BenchmarkDemoPages(b *testing.B) {
	s := storetest.SQLite(b)
	blobs, err := blob.NewLocal(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	sum, err := demo.Load(ctx, s, blobs, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	var adv demo.Login
	for _, l := range sum.Logins {
		if l.Role == desk.RoleADV {
			adv = l
			break
		}
	}
	hub := live.New()
	defer hub.Close()
	d := desk.New(desk.Config{Store: s, Blobs: blobs, Notifier: hub})
	in, err := d.SignIn(ctx, desk.SignInInput{Email: adv.Email, Password: adv.Password})
	if err != nil {
		b.Fatal(err)
	}
	token := in.Token
	var busiest int64
	if err := s.DB().QueryRowContext(ctx, `SELECT id FROM tickets ORDER BY message_count DESC, id LIMIT 1`).Scan(&busiest); err != nil {
		b.Fatal(err)
	}
	number := desk.TicketNumber(busiest)
	h := web.New(web.Config{Desk: d, Hub: hub, DB: s, UI: func(mux *http.ServeMux) {
		ui.Register(mux, ui.Deps{Desk: d, Hub: hub})
	}})
	cookie := &http.Cookie{Name: "guichet_session", Value: token}
	b.Logf("demo: %d tickets, %d messages; signed in as %s; busiest ticket %s", sum.Tickets, sum.Messages, adv.Email, number)
	b.Run("inbox", func(b *testing.B) { benchPage(b, h, cookie, "/") })
	b.Run("inbox-all-statuses", func(b *testing.B) { benchPage(b, h, cookie, "/?status=") })
	b.Run("ticket", func(b *testing.B) { benchPage(b, h, cookie, "/tickets/"+number) })
}
