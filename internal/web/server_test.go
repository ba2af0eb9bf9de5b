package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"guichet/internal/blob"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
	"guichet/internal/web"
	"guichet/internal/web/live"
)

var ctx = context.Background()

type env struct {
	t      testing.TB
	srv    *httptest.Server
	d      *desk.Desk
	admin  desk.Actor
	adv    desk.Actor
	token  string // the ADV's API token
	shop   desk.Channel
	kauf   desk.Channel
	amazon desk.Channel
}

func newEnv(t testing.TB, s *store.Store) *env {
	t.Helper()
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hub := live.New()
	d := desk.New(desk.Config{Store: s, Blobs: blobs, Notifier: hub})
	e := &env{t: t, d: d}
	if _, err := d.EnsureAdmin(ctx, "admin@example.fr"); err != nil {
		t.Fatal(err)
	}
	agents, _ := d.Agents(ctx)
	e.admin = desk.ActorOf(agents[0])
	a, err := d.SaveAgent(ctx, e.admin, desk.AgentInput{Email: "lea@example.fr", Name: "Léa Martin", Role: desk.RoleADV, Active: true, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	e.adv = desk.ActorOf(a)
	if e.token, err = d.CreateAPIToken(ctx, e.admin, a.ID, "tests"); err != nil {
		t.Fatal(err)
	}
	e.shop, _ = d.SaveChannel(ctx, e.admin, desk.Channel{Kind: desk.ChannelPrestaShop, Name: "Boutique", OrderURL: "https://shop.example/o/{order}", Active: true})
	e.kauf, _ = d.SaveChannel(ctx, e.admin, desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", GuardNames: []string{"Kaufland", "real.de"}, ResponsibleID: a.ID, Active: true})
	e.amazon, _ = d.SaveChannel(ctx, e.admin, desk.Channel{Kind: desk.ChannelAmazon, Name: "Amazon", GuardNames: []string{"Amazon"}, ForbidContact: true, DeadlinePolicy: "24h", Active: true})
	e.srv = httptest.NewServer(web.New(web.Config{Desk: d, Hub: hub, DB: s}))
	t.Cleanup(e.srv.Close)
	return e
}

// call sends a request with the ADV's token (unless the header is overridden)
// and decodes a JSON answer into out when given.
func (e *env) call(method, path string, body any, out any, headers ...string) int {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, r)
	req.Header.Set("Authorization", "Bearer "+e.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			e.t.Fatalf("%s %s: %d %q: %v", method, path, res.StatusCode, data, err)
		}
	}
	return res.StatusCode
}

type apiError struct {
	Error struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Field   string          `json:"field"`
		Details json.RawMessage `json:"details"`
	} `json:"error"`
}

func TestHealthAndMetrics(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	res, err := http.Get(e.srv.URL + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	e.call("GET", "/api/v1/tickets", nil, nil)
	res, _ = http.Get(e.srv.URL + "/metrics")
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(b), `guichet_http_requests_total{code="200",route="GET /api/v1/tickets"}`) {
		t.Errorf("metrics: %d\n%s", res.StatusCode, b)
	}
}

func TestEveryAPIRouteNeedsCredentials(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	for _, rt := range apiRoutes(t) {
		path := strings.ReplaceAll(rt.path, "{id}", "1")
		for _, auth := range []string{"", "Bearer gch_not-a-real-token", "Basic YTpi"} {
			var body apiError
			code := e.call(rt.method, path, nil, &body, "Authorization", auth)
			if code != 401 || body.Error.Code != "unauthorized" {
				t.Errorf("%s %s with %q: %d %+v; want 401 unauthorized", rt.method, path, auth, code, body)
			}
		}
	}
}

func TestSessionCallsNeedTheCSRFToken(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	signed, err := e.d.SignIn(ctx, desk.SignInInput{Email: "lea@example.fr", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	sess, token := signed.Session, signed.Token
	cookie := "guichet_session=" + token
	var out map[string]any
	if code := e.call("GET", "/api/v1/me", nil, &out, "Authorization", "", "Cookie", cookie); code != 200 || out["email"] != "lea@example.fr" {
		t.Fatalf("GET with session: %d %v", code, out)
	}
	in := map[string]any{"channel_id": e.shop.ID, "order_ref": "CSRF1"}
	var ae apiError
	if code := e.call("POST", "/api/v1/tickets", in, &ae, "Authorization", "", "Cookie", cookie); code != 403 || ae.Error.Code != "forbidden" {
		t.Errorf("POST without CSRF token: %d %+v; want 403", code, ae)
	}
	if code := e.call("POST", "/api/v1/tickets", in, nil, "Authorization", "", "Cookie", cookie, "X-CSRF-Token", "wrong"); code != 403 {
		t.Errorf("POST with a wrong CSRF token: %d; want 403", code)
	}
	if code := e.call("POST", "/api/v1/tickets", in, nil, "Authorization", "", "Cookie", cookie, "X-CSRF-Token", sess.CSRF); code != 201 {
		t.Errorf("POST with the CSRF token: %d; want 201", code)
	}
	// A cross-site browser request is refused whatever it carries.
	if code := e.call("POST", "/api/v1/tickets", in, nil, "Authorization", "", "Cookie", cookie, "X-CSRF-Token", sess.CSRF, "Sec-Fetch-Site", "cross-site"); code != 403 {
		t.Errorf("cross-site POST: %d; want 403", code)
	}
}

func TestOpenTicketByOrderAndGetIt(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		in := map[string]any{"channel_id": e.shop.ID, "order_ref": "XKBKNABJK", "customer": map[string]any{"name": "Éloïse Dupont", "email": "eloise@example.fr"}}
		var first, second struct {
			Ticket  desk.Ticket `json:"ticket"`
			Created bool        `json:"created"`
		}
		if code := e.call("POST", "/api/v1/tickets", in, &first); code != 201 || !first.Created || first.Ticket.AssigneeID != e.adv.AgentID {
			t.Fatalf("open: %d %+v", code, first)
		}
		if code := e.call("POST", "/api/v1/tickets", in, &second); code != 200 || second.Created || second.Ticket.ID != first.Ticket.ID {
			t.Fatalf("open again: %d %+v", code, second)
		}
		var v desk.TicketView
		if code := e.call("GET", "/api/v1/tickets/"+first.Ticket.Number, nil, &v); code != 200 || v.OrderLink != "https://shop.example/o/XKBKNABJK" || v.Customer == nil || v.Customer.Name != "Éloïse Dupont" {
			t.Fatalf("get: %d %+v", code, v)
		}
		var found desk.Ticket
		if code := e.call("GET", "/api/v1/tickets/lookup?q=xkbknabjk", nil, &found); code != 200 || found.ID != first.Ticket.ID {
			t.Errorf("lookup by order (any case): %d %+v", code, found)
		}
		var page desk.TicketPage
		if code := e.call("GET", "/api/v1/tickets?q=eloise&status=open", nil, &page); code != 200 || len(page.Tickets) != 1 || page.Tickets[0].CustomerName != "Éloïse Dupont" {
			t.Errorf("search without accent: %d %+v", code, page)
		}
	})
}

func TestBadInputGetsAClearError(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	var tk struct{ Ticket desk.Ticket }
	e.call("POST", "/api/v1/tickets", map[string]any{"channel_id": e.kauf.ID, "order_ref": "K1"}, &tk)
	id := tk.Ticket.Number
	big := `{"body": "` + strings.Repeat("a", 2<<20) + `"}`
	tests := []struct {
		name, method, path string
		body               any
		code               int
		errCode, field     string
	}{
		{"broken JSON", "POST", "/api/v1/tickets", `{"channel_id": 1,`, 400, "invalid", "body"},
		{"not JSON", "POST", "/api/v1/tickets", `channel_id=1`, 400, "invalid", "body"},
		{"empty body", "POST", "/api/v1/tickets", ``, 400, "invalid", "body"},
		{"two values", "POST", "/api/v1/tickets", `{"channel_id": 1} {}`, 400, "invalid", "body"},
		{"unknown field", "POST", "/api/v1/tickets", `{"channel_id": 1, "order": "x"}`, 400, "invalid", "order"},
		{"wrong type", "POST", "/api/v1/tickets", `{"channel_id": "one"}`, 400, "invalid", "channel_id"},
		{"unknown channel", "POST", "/api/v1/tickets", map[string]any{"channel_id": 999}, 400, "invalid", "channel_id"},
		{"oversize body", "POST", "/api/v1/tickets/" + id + "/notes", big, 413, "too_large", "body"},
		{"unknown ticket", "GET", "/api/v1/tickets/987654", nil, 404, "not_found", ""},
		{"bad ticket id", "GET", "/api/v1/tickets/abc", nil, 400, "invalid", "id"},
		{"negative id", "PATCH", "/api/v1/tickets/-4", map[string]any{}, 400, "invalid", "id"},
		{"unknown status", "PATCH", "/api/v1/tickets/" + id, map[string]any{"status": "open"}, 400, "invalid", "status"},
		{"bad date", "PATCH", "/api/v1/tickets/" + id, map[string]any{"deadline": "demain"}, 400, "invalid", "deadline"},
		{"bad delivery date", "PATCH", "/api/v1/tickets/" + id, map[string]any{"delivery_date": "31/12/2026"}, 400, "invalid", "delivery_date"},
		{"reply without status", "POST", "/api/v1/tickets/" + id + "/replies", map[string]any{"body": "Bonjour"}, 400, "invalid", "status"},
		{"reply to unknown ticket", "POST", "/api/v1/tickets/987654/replies", map[string]any{"body": "Bonjour", "status": "closed"}, 404, "not_found", ""},
		{"bad base64", "POST", "/api/v1/tickets/" + id + "/replies", map[string]any{"body": "x", "status": "closed", "attachments": []any{map[string]any{"name": "a.pdf", "data": "!!"}}}, 400, "invalid", "attachments[0].data"},
		{"unknown query parameter", "GET", "/api/v1/tickets?statut=closed", nil, 400, "invalid", "statut"},
		{"bad status filter", "GET", "/api/v1/tickets?status=ouvert", nil, 400, "invalid", "status"},
		{"bad sort", "GET", "/api/v1/tickets?sort=name", nil, 400, "invalid", "sort"},
		{"bad limit", "GET", "/api/v1/tickets?limit=5000", nil, 400, "invalid", "limit"},
		{"bad cursor", "GET", "/api/v1/tickets?after=zzz", nil, 400, "invalid", "after"},
		{"unknown attachment", "GET", "/api/v1/attachments/99", nil, 404, "not_found", ""},
		{"unknown route", "GET", "/api/v1/nothing", nil, 404, "not_found", ""},
		{"wrong method", "DELETE", "/api/v1/tickets/" + id, nil, 405, "method_not_allowed", ""},
	}
	for _, tt := range tests {
		var ae apiError
		code := e.call(tt.method, tt.path, tt.body, &ae)
		if code != tt.code || ae.Error.Code != tt.errCode || ae.Error.Field != tt.field {
			t.Errorf("%s: %d %+v; want %d %s field %q", tt.name, code, ae.Error, tt.code, tt.errCode, tt.field)
		}
		if code < 500 && ae.Error.Message == "" {
			t.Errorf("%s: no message", tt.name)
		}
	}
	// Nothing half-written: still one ticket, no note.
	var v desk.TicketView
	e.call("GET", "/api/v1/tickets/"+id, nil, &v)
	if len(v.Messages) != 0 || len(v.Events) != 2 { // created, deadline
		t.Errorf("after bad requests: %d messages, %d events", len(v.Messages), len(v.Events))
	}
}

func TestReplyWithGuardAndAttachments(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		var tk struct{ Ticket desk.Ticket }
		e.call("POST", "/api/v1/tickets", map[string]any{"channel_id": e.kauf.ID, "order_ref": "K-42"}, &tk)
		path := "/api/v1/tickets/" + tk.Ticket.Number
		reply := map[string]any{"body": "Vous l'avez aussi commandé sur Amazon ?", "status": "waiting_customer",
			"attachments": []any{
				map[string]any{"name": "facture.pdf", "content_type": "application/pdf", "kind": "invoice", "data": "JVBERi0xLjQK"},
				map[string]any{"name": "photo.png", "content_type": "image/png", "kind": "photo", "data": "iVBORw0KGgo="},
			}}
		var ae apiError
		if code := e.call("POST", path+"/replies", reply, &ae); code != 409 || ae.Error.Code != "confirm" || !strings.Contains(string(ae.Error.Details), `"channel":"Amazon"`) {
			t.Fatalf("reply naming Amazon: %d %+v %s", code, ae, ae.Error.Details)
		}
		var check desk.ReplyCheck
		e.call("POST", path+"/check", map[string]any{"body": "Voir sur AMAZON {lien_suivi}"}, &check)
		if len(check.Hits) != 1 || len(check.Missing) != 1 {
			t.Errorf("check: %+v", check)
		}
		var v desk.TicketView
		e.call("GET", path, nil, &v)
		if len(v.Messages) != 0 {
			t.Fatalf("refused reply stored %d messages", len(v.Messages))
		}
		reply["confirmed"] = true
		var m desk.Message
		if code := e.call("POST", path+"/replies", reply, &m); code != 201 || m.Delivery != "queued" || len(m.Attachments) != 2 || m.Attachments[0].Kind != "invoice" {
			t.Fatalf("confirmed reply: %d %+v", code, m)
		}
		res, err := http.DefaultClient.Do(authed(e, "GET", "/api/v1/attachments/"+itoa(m.Attachments[0].ID)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		if string(b) != "%PDF-1.4\n" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download: %q %v", b, res.Header)
		}
		var after desk.Ticket
		e.call("POST", path+"/close", nil, &after)
		if after.Status != desk.StatusClosed || after.ClosedBy != e.adv.AgentID {
			t.Errorf("close: %+v", after)
		}
	})
}

func authed(e *env, method, path string) *http.Request {
	req, _ := http.NewRequest(method, e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+e.token)
	return req
}

func itoa(n int64) string { return desk.TicketNumber(n) }

func TestListPagesThroughTheInbox(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	for i := range 7 {
		e.call("POST", "/api/v1/tickets", map[string]any{"channel_id": e.kauf.ID, "order_ref": "P" + itoa(int64(i))}, nil)
	}
	seen := map[int64]bool{}
	after := ""
	for pages := 0; ; pages++ {
		var page desk.TicketPage
		if code := e.call("GET", "/api/v1/tickets?status=waiting_admin&assignee=me&limit=3&after="+after, nil, &page); code != 200 {
			t.Fatalf("page %d: %d", pages, code)
		}
		for _, r := range page.Tickets {
			if seen[r.ID] {
				t.Fatalf("ticket %d on two pages", r.ID)
			}
			seen[r.ID] = true
		}
		if page.Next == "" {
			break
		}
		after = page.Next
		if pages > 5 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != 7 {
		t.Errorf("paged through %d tickets; want 7", len(seen))
	}
	var c desk.Counts
	e.call("GET", "/api/v1/counts?assignee=me", nil, &c)
	if c.ByStatus[desk.StatusWaitingAdmin] != 7 {
		t.Errorf("counts %+v", c)
	}
	_ = time.Now
}

func TestOversizeFormIsTooLargeNotCSRF(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	in, err := e.d.SignIn(ctx, desk.SignInInput{Email: "lea@example.fr", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	token := in.Token
	body := "csrf=x&body=" + strings.Repeat("a", web.MaxForm)
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/tickets/1/notes", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "guichet_session="+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversize form: %d; want 413", res.StatusCode)
	}
}
