package ui_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/web"
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
	_, _, token, err := e.d.SignIn(ctx, "lea@example.fr", password)
	if err != nil {
		b.Fatal(err)
	}
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
