package mirakl_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/mirakl/miraklfake"
	"guichet/internal/desk"
)

// drain fetches until nothing more waits and returns every message, by
// SourceID, and the last batch's threads.
func drain(t *testing.T, c interface {
	Fetch(context.Context, string) (channel.Batch, error)
}, cursor string) (map[string]desk.Incoming, map[string]desk.ThreadState, string) {
	t.Helper()
	msgs := map[string]desk.Incoming{}
	threads := map[string]desk.ThreadState{}
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("More for ever")
		}
		b, err := c.Fetch(context.Background(), cursor)
		if err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		for _, m := range b.Messages {
			msgs[m.SourceID] = m
		}
		for _, s := range b.Threads {
			threads[s.ExternalID] = s
		}
		cursor = b.Cursor
		if !b.More {
			return msgs, threads, cursor
		}
	}
}

func TestFetchSplitsThreadsByParticipants(t *testing.T) {
	f := miraklfake.Start(t)
	c := connect(t, f, nil)
	o := f.AddOrder(miraklfake.Order{})
	cust := f.AddThread(o.ID, []string{"CUSTOMER", "OPERATOR"}, "Colis non reçu")
	op := f.AddThread(o.ID, []string{"OPERATOR"}, "Réclamation client")
	alone := f.AddThread("", []string{"OPERATOR"}, "Mise à jour de vos CGV")
	at := f.Now().Add(-time.Hour)
	f.AddMessage(cust, "CUSTOMER", "Bonjour, où est mon colis ?", at)
	f.AddMessage(cust, "SHOP", "Il part demain.", at.Add(time.Minute))
	f.AddMessage(op, "OPERATOR", "Le client se plaint d'un retard.", at.Add(2*time.Minute))
	f.AddMessage(alone, "OPERATOR", "Merci de mettre à jour vos CGV.", at.Add(3*time.Minute),
		miraklfake.File{Name: "cgv.pdf", Data: []byte("%PDF-1.4 cgv")})

	msgs, threads, _ := drain(t, c, "")
	if len(msgs) != 4 {
		t.Fatalf("%d messages, want 4: %+v", len(msgs), msgs)
	}
	for _, m := range msgs {
		switch m.Body {
		case "Bonjour, où est mon colis ?":
			if m.OrderRef != o.ID || m.ThreadKind != desk.ThreadCustomer || m.ThreadExternalID != cust ||
				m.AuthorKind != desk.AuthorCustomer || m.Reason != "Colis non reçu" || m.ThreadSubject != "Colis non reçu" ||
				m.Customer.ExternalID == "" || m.FromSeller {
				t.Errorf("customer's message: %+v", m)
			}
		case "Il part demain.":
			if !m.FromSeller || m.ThreadKind != desk.ThreadCustomer {
				t.Errorf("shop's message: %+v", m)
			}
		case "Le client se plaint d'un retard.":
			if m.OrderRef != o.ID || m.ThreadKind != desk.ThreadOperator || m.AuthorKind != desk.AuthorOperator || m.ThreadExternalID != op {
				t.Errorf("operator's message: %+v", m)
			}
		case "Merci de mettre à jour vos CGV.":
			if m.OrderRef != "" || m.ThreadExternalID != alone || m.ThreadKind != desk.ThreadOperator ||
				len(m.Files) != 1 || m.Files[0].Name != "cgv.pdf" || string(m.Files[0].Data) != "%PDF-1.4 cgv" || m.Files[0].ContentType != "application/pdf" {
				t.Errorf("order-less operator question: %+v", m)
			}
		default:
			t.Errorf("unexpected %+v", m)
		}
	}
	if s := threads[cust]; s.Kind != desk.ThreadCustomer || s.Status != "replied" || s.Reason != "Colis non reçu" {
		t.Errorf("customer thread state: %+v", s)
	}
	if s := threads[op]; s.Kind != desk.ThreadOperator || s.Status != "reply_needed" || s.TicketStatus != "" {
		t.Errorf("operator thread state: %+v", s)
	}
}

func TestFetchSeekPaginationAcrossPages(t *testing.T) {
	f := miraklfake.Start(t)
	c := connect(t, f, nil)
	at := f.Now().Add(-2 * time.Hour)
	want := 0
	for i := range 130 { // three pages of 50 threads
		o := f.AddOrder(miraklfake.Order{})
		th := f.AddThread(o.ID, []string{"CUSTOMER"}, "Question")
		f.AddMessage(th, "CUSTOMER", "question", at.Add(time.Duration(i)*time.Second))
		want++
	}
	// A thread with more than M11's 100 embedded messages is read with M10.
	o := f.AddOrder(miraklfake.Order{})
	long := f.AddThread(o.ID, []string{"CUSTOMER"}, "Long")
	for i := range 120 {
		f.AddMessage(long, "CUSTOMER", "long", at.Add(time.Duration(i)*time.Millisecond))
		want++
	}
	msgs, _, cur := drain(t, c, "")
	if len(msgs) != want {
		t.Errorf("%d messages, want %d", len(msgs), want)
	}
	tokens := 0
	for _, r := range f.Requests() {
		if r.Path == "/api/inbox/threads" && strings.Contains(r.Query, "page_token=") {
			tokens++
		}
	}
	if tokens < 2 || f.Count("GET /api/inbox/threads/"+long) != 1 {
		t.Errorf("%d pages read with a page_token, %d M10 for the long thread: %+v", tokens, f.Count("GET /api/inbox/threads/"+long), f.Requests())
	}
	// Nothing new: nothing again.
	b, err := c.Fetch(context.Background(), cur)
	if err != nil || len(b.Messages) != 0 || b.More {
		t.Errorf("again: %d messages, more %v, %v", len(b.Messages), b.More, err)
	}
}

func TestFetchSendsTheKeyAndShop(t *testing.T) {
	f := miraklfake.Start(t, miraklfake.WithShopID(2002))
	o := f.AddOrder(miraklfake.Order{})
	f.AddMessage(f.AddThread(o.ID, []string{"CUSTOMER"}, "Question"), "CUSTOMER", "Bonjour", f.Now())
	c := connect(t, f, nil)
	if msgs, _, _ := drain(t, c, ""); len(msgs) != 1 {
		t.Errorf("%d messages", len(msgs))
	}
	if err := c.Test(context.Background()); err != nil {
		t.Errorf("Test: %v", err)
	}
	// A wrong key: Unauthorized, from Fetch and from Test.
	s := f.Settings()
	s["api_key"] = "wrong"
	bad := connectWith(t, s, f)
	if _, err := bad.Fetch(context.Background(), ""); channel.KindOf(err) != channel.Unauthorized {
		t.Errorf("wrong key: %v", err)
	}
	if err := bad.Test(context.Background()); channel.KindOf(err) != channel.Unauthorized {
		t.Errorf("Test with a wrong key: %v", err)
	}
	// Another shop: refused by the instance.
	s = f.Settings()
	s["shop_id"] = "9999"
	if err := connectWith(t, s, f).Test(context.Background()); channel.KindOf(err) != channel.Unauthorized {
		t.Errorf("another shop: %v", err)
	}
	for _, r := range f.Requests() {
		if r.Status == 200 && !strings.Contains(r.Query, "shop_id=2002") {
			t.Errorf("a request without the shop: %+v", r)
		}
	}
}

func TestFetchFaultsLoseNothing(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault miraklfake.Fault
		kind  channel.ErrorKind
	}{
		{"429", miraklfake.Fault{Kind: miraklfake.RateLimit, RetryAfter: "7"}, channel.RateLimited},
		{"429 date", miraklfake.Fault{Kind: miraklfake.RateLimit, RetryAfter: "Mon, 02 Mar 2026 09:00:30 GMT"}, channel.RateLimited},
		{"500", miraklfake.Fault{Kind: miraklfake.ServerError}, channel.Transient},
		{"drop", miraklfake.Fault{Kind: miraklfake.Drop}, channel.Transient},
		{"malformed", miraklfake.Fault{Kind: miraklfake.Malformed}, channel.Transient},
		{"timeout", miraklfake.Fault{Kind: miraklfake.Slow, Delay: 2 * time.Second}, channel.Transient},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := miraklfake.Start(t)
			c := connect(t, f, &http.Client{Timeout: 300 * time.Millisecond})
			at := f.Now().Add(-time.Hour)
			for i := range 120 {
				o := f.AddOrder(miraklfake.Order{})
				f.AddMessage(f.AddThread(o.ID, []string{"CUSTOMER"}, "Question"), "CUSTOMER", "m", at.Add(time.Duration(i)*time.Second))
			}
			// The first page fails: the error says what to do.
			f.Inject(tt.fault)
			_, err := c.Fetch(context.Background(), "")
			if channel.KindOf(err) != tt.kind {
				t.Fatalf("first page: %v (kind %v), want kind %v", err, channel.KindOf(err), tt.kind)
			}
			if tt.name == "429" {
				if d, ok := channel.RetryAfterOf(err); !ok || d != 7*time.Second {
					t.Errorf("Retry-After: %v %v", d, ok)
				}
			}
			if tt.name == "429 date" {
				if d, ok := channel.RetryAfterOf(err); !ok || d != 30*time.Second {
					t.Errorf("Retry-After date: %v %v", d, ok)
				}
			}
			// The second page fails: the batch stops after the first, whole,
			// with More; the next fetches bring the rest. One bad thread in a
			// page is read again alone.
			second := tt.fault
			second.Path, second.After = "/api/inbox/threads", 1
			f.Inject(second, miraklfake.Fault{Kind: miraklfake.BadItem, Path: "/api/inbox/threads"})
			b, err := c.Fetch(context.Background(), "")
			if err != nil || len(b.Messages) != 50 || !b.More {
				t.Fatalf("the second page failing: %d messages, more %v, %v", len(b.Messages), b.More, err)
			}
			got := map[string]bool{}
			for _, m := range b.Messages {
				got[m.SourceID] = true
			}
			rest, _, _ := drain(t, c, b.Cursor)
			for id := range rest {
				got[id] = true
			}
			if len(got) != 120 {
				t.Errorf("%d messages in all, want 120", len(got))
			}
		})
	}
}

func TestFetchAttachmentFailureKeepsTheMessage(t *testing.T) {
	f := miraklfake.Start(t)
	c := connect(t, f, nil)
	o := f.AddOrder(miraklfake.Order{})
	th := f.AddThread(o.ID, []string{"CUSTOMER"}, "Produit abîmé")
	f.AddMessage(th, "CUSTOMER", "Voici la photo.", f.Now(), miraklfake.File{Name: "photo.jpg", Data: []byte("jpeg")})
	tt, _ := f.Thread(th)
	f.Inject(miraklfake.Fault{Kind: miraklfake.ServerError, Path: "/api/inbox/threads/" + tt.Messages[0].Files[0].ID + "/download"})
	msgs, _, _ := drain(t, c, "")
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	for _, m := range msgs {
		// the file named in the connector's notes, apart from the author's text
		if len(m.Files) != 0 || m.Body != "Voici la photo." || !strings.Contains(m.Notes, "photo.jpg") {
			t.Errorf("message: %+v", m)
		}
	}
}

func TestBadCursorIsRefused(t *testing.T) {
	f := miraklfake.Start(t)
	c := connect(t, f, nil)
	if _, err := c.Fetch(context.Background(), "{"); channel.KindOf(err) != channel.Refused {
		t.Errorf("%v", err)
	}
}

func TestFetchSharedSecondAcrossPages(t *testing.T) {
	f := miraklfake.Start(t)
	c := connect(t, f, nil)
	at := f.Now().Add(-time.Minute).Truncate(time.Second)
	var threads []string
	for range 120 { // three pages of threads, every message in the same second
		o := f.AddOrder(miraklfake.Order{})
		th := f.AddThread(o.ID, []string{"CUSTOMER"}, "Question")
		threads = append(threads, th)
		f.AddMessage(th, "CUSTOMER", "même seconde", at)
	}
	msgs, _, cur := drain(t, c, "")
	if len(msgs) != 120 {
		t.Fatalf("%d messages, want 120", len(msgs))
	}
	// More in that second, on threads of the first and the last page.
	f.AddMessage(threads[0], "CUSTOMER", "encore", at)
	f.AddMessage(threads[119], "CUSTOMER", "encore", at)
	more, _, _ := drain(t, c, cur)
	if len(more) != 2 {
		t.Errorf("%d new messages, want 2", len(more))
	}
	for id := range more {
		if _, dup := msgs[id]; dup {
			t.Errorf("%s delivered again", id)
		}
	}
}

func TestFetchRestartsOnARefusedPageToken(t *testing.T) {
	f := miraklfake.Start(t)
	c := connect(t, f, nil)
	o := f.AddOrder(miraklfake.Order{})
	f.AddMessage(f.AddThread(o.ID, []string{"CUSTOMER"}, "Question"), "CUSTOMER", "Bonjour", f.Now())
	b, err := c.Fetch(context.Background(), `{"page_token":"expired"}`)
	if err != nil || !b.More || strings.Contains(b.Cursor, "expired") {
		t.Fatalf("%+v %v", b, err)
	}
	f.TakeViolations() // the fake saw a token it never gave
	if msgs, _, _ := drain(t, c, b.Cursor); len(msgs) != 1 {
		t.Errorf("%d messages after the restart", len(msgs))
	}
}
