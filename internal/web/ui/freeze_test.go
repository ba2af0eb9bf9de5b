package ui_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store/storetest"
)

// A team at work never freezes the desk: many more concurrent requests than
// the database has pooled connections (8 readers on SQLite, 32 on
// PostgreSQL), mixing inbox pages with every filter and page size, searches,
// ticket pages and replies, from a cold start (no statement prepared yet).
// The landed desk deadlocked here: a transaction waited for a second pooled
// connection (to prepare a statement, or to bring the search index up to
// date) while every connection was held by a transaction waiting for it.
//
// The deadline is no speed target: a run takes seconds; a deadlock never ends.
func TestConcurrentRequestsNeverFreeze(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnvOn(t, eng.Open(t))
			tickets := e.freezeSeed(40)
			var jars []http.CookieJar
			var csrfs []string
			for _, who := range []string{"lea@example.fr", "marc@example.fr", "admin@example.fr"} {
				c := e.client().signIn(who)
				jars, csrfs = append(jars, c.http.Jar), append(csrfs, c.csrf)
			}

			const workers, perWorker = 96, 12
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			var answered, failed atomic.Int64
			var mu sync.Mutex
			var failures []string
			start := make(chan struct{})
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					hc := &http.Client{Jar: jars[w%len(jars)], CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
					<-start
					for i := range perWorker {
						req := freezeRequest(ctx, e.srv.URL, w, i, tickets, csrfs[w%len(csrfs)])
						res, err := hc.Do(req)
						if err == nil {
							io.Copy(io.Discard, res.Body)
							res.Body.Close()
						}
						switch {
						case err != nil:
							err = fmt.Errorf("%s %s: %w", req.Method, req.URL.RequestURI(), err)
						case res.StatusCode >= 500 || res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden:
							err = fmt.Errorf("%s %s: %s", req.Method, req.URL.RequestURI(), res.Status)
						}
						if err != nil {
							failed.Add(1)
							mu.Lock()
							failures = append(failures, err.Error())
							mu.Unlock()
							continue
						}
						answered.Add(1)
					}
				})
			}
			close(start)
			done := make(chan struct{})
			go func() { wg.Wait(); close(done) }()
			select {
			case <-done:
			case <-ctx.Done():
				buf := make([]byte, 1<<20)
				n := runtime.Stack(buf, true)
				t.Logf("goroutines:\n%s", buf[:n])
				<-done // the requests end with the context
			}
			if n := failed.Load(); n > 0 {
				t.Errorf("%d of %d requests not answered (%d answered); first: %s", n, workers*perWorker, answered.Load(), failures[0])
			}
		})
	}
}

// freezeRequest is the i-th request of worker w: a mix of what a team does.
func freezeRequest(ctx context.Context, base string, w, i int, tickets []desk.Ticket, csrf string) *http.Request {
	t := tickets[(w*7+i)%len(tickets)]
	var method, path string
	var body io.Reader
	statuses := []string{"open", "waiting_admin", "waiting_customer", "closed", "waiting_admin,closed"}
	sorts := []string{"deadline", "activity", "opened"}
	words := []string{"colis", "remboursement", "perceuse", "livraison", "facture", "retour", "adresse", "KA-2603", "Dupont", "carton abîmé"}
	switch n := w*perWorkerMix + i; n % 6 {
	case 0, 1: // an inbox page: filters and page sizes vary, so statements do too
		q := url.Values{"status": {statuses[n%len(statuses)]}, "sort": {sorts[n%len(sorts)]}, "limit": {fmt.Sprint(10 + n%40)}}
		if n%3 == 0 {
			q.Set("assignee", "me")
		}
		path = "/?" + q.Encode()
	case 2: // a search
		path = "/?" + url.Values{"q": {words[n%len(words)]}, "status": {statuses[n%2]}}.Encode()
	case 3: // a ticket page
		path = "/tickets/" + t.Number
	case 4: // the ticket's live fragment, as open pages reload it
		path = "/tickets/" + t.Number + "/live"
	case 5: // a reply
		method = http.MethodPost
		path = "/tickets/" + t.Number + "/replies"
		body = strings.NewReader(url.Values{"csrf": {csrf}, "body": {fmt.Sprintf("Bonjour, votre colis part aujourd'hui (%d-%d).", w, i)},
			"status": {"waiting_customer"}}.Encode())
	}
	if method == "" {
		method = http.MethodGet
	}
	req, _ := http.NewRequestWithContext(ctx, method, base+path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

// perWorkerMix spreads the workers' first requests over the kinds.
const perWorkerMix = 5

// freezeSeed stores n tickets with a few messages each, on every channel.
func (e *env) freezeSeed(n int) []desk.Ticket {
	e.t.Helper()
	bodies := []string{
		"Bonjour, mon colis n'est toujours pas arrivé, pouvez-vous me donner le suivi ?",
		"Je souhaite un remboursement : la perceuse est arrivée cassée, carton abîmé.",
		"Pouvez-vous changer l'adresse de livraison ? Merci, Jean Dupont",
		"Où est ma facture ? Je dois la transmettre à ma comptabilité.",
		"Le retour est parti hier, merci de confirmer la réception.",
	}
	var batch []desk.Incoming
	for i := range n {
		ch := []desk.Channel{e.kaufland, e.fnac, e.shop}[i%3]
		order := fmt.Sprintf("KA-2603%02d-%04d", i%28+1, i)
		for m := range 3 {
			batch = append(batch, desk.Incoming{ChannelID: ch.ID, OrderRef: order, SourceID: fmt.Sprintf("%s-%d", order, m),
				AuthorKind: desk.AuthorCustomer, AuthorName: "Jean Dupont", Body: bodies[(i+m)%len(bodies)],
				Customer: desk.CustomerInput{ExternalID: "c-" + order, Name: "Jean Dupont"}})
		}
	}
	if _, err := e.d.Ingest(ctx, batch); err != nil {
		e.t.Fatal(err)
	}
	page, err := e.d.FindTickets(ctx, e.admin, desk.TicketFilter{Limit: desk.MaxPageSize})
	if err != nil {
		e.t.Fatal(err)
	}
	out := make([]desk.Ticket, len(page.Tickets))
	for i, r := range page.Tickets {
		out[i] = r.Ticket
	}
	return out
}
