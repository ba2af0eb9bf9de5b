package ui_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/shoplink"
)

const buttonSecret = "0123456789abcdef0123456789abcdef"

// shopLinkEnv is the env with its shop connected and the button's secret set.
func shopLinkEnv(t *testing.T) (*env, *backoffice) {
	bo := &backoffice{}
	e := newEnv(t, withBackoffice(bo))
	bo.connect(e)
	if err := bo.cs.SaveSettings(ctx, e.admin, e.shop.ID, map[string]string{"button_secret": buttonSecret}); err != nil {
		t.Fatal(err)
	}
	return e, bo
}

func signedLink(shop int64, order string, at time.Time, secret string) string {
	s := strconv.FormatInt(shop, 10)
	v := url.Values{"shop": {s}, "order": {order}, "ts": {strconv.FormatInt(at.Unix(), 10)},
		"sig": {shoplink.Sign(secret, s, order, at.Unix())}}
	return "/shop/order?" + v.Encode()
}

// The order-page button's link: a valid one opens the order's ticket,
// made once even for two clicks at once, after the sign-in if needed;
// forged, expired and replayed-for-another-order links are refused with a
// page that says why.
func TestShopOrderButtonLink(t *testing.T) {
	e, _ := shopLinkEnv(t)
	now := time.Now()
	link := signedLink(e.shop.ID, "XKBKNABJK", now, buttonSecret)

	// signed out: the sign-in page, then straight back to the link
	anon := e.client()
	res, _ := anon.get(link)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
		t.Fatalf("signed out: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	next, _ := url.QueryUnescape(strings.TrimPrefix(res.Header.Get("Location"), "/login?next="))
	if next != link {
		t.Fatalf("next = %q; want %q", next, link)
	}

	res, _ = anon.postForm("/login", url.Values{"email": {"lea@example.fr"}, "password": {password}, "next": {next}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != link {
		t.Fatalf("after signing in: %d %s; want back to the link", res.StatusCode, res.Header.Get("Location"))
	}
	lea := e.client().signIn("lea@example.fr")
	var wg sync.WaitGroup
	locs := make([]string, 2)
	for i := range locs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, body := lea.get(link)
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("click %d: %d %s", i, res.StatusCode, body)
			}
			locs[i] = res.Header.Get("Location")
		}()
	}
	wg.Wait()
	if locs[0] == "" || locs[0] != locs[1] || !strings.HasPrefix(locs[0], "/tickets/") {
		t.Fatalf("two clicks opened %v", locs)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(locs[0], "/tickets/"), 10, 64)
	v := e.view(id)
	if v.Ticket.OrderRef != "XKBKNABJK" || v.Ticket.ChannelID != e.shop.ID || v.Ticket.AssigneeID != e.lea.AgentID {
		t.Fatalf("ticket = %+v", v.Ticket)
	}
	// the same button later: the existing ticket
	if res, _ := lea.get(signedLink(e.shop.ID, "XKBKNABJK", now.Add(time.Minute), buttonSecret)); res.Header.Get("Location") != locs[0] {
		t.Fatalf("again: %s", res.Header.Get("Location"))
	}

	refused := map[string]struct{ link, says string }{
		"forged":        {signedLink(e.shop.ID, "XKBKNABJK", now, "not-the-secret-0123456789abcdef"), "falsifié"},
		"expired":       {signedLink(e.shop.ID, "XKBKNABJK", now.Add(-shoplink.MaxAge-time.Minute), buttonSecret), "expiré"},
		"future":        {signedLink(e.shop.ID, "XKBKNABJK", now.Add(time.Hour), buttonSecret), "futur"},
		"another order": {strings.Replace(link, "order=XKBKNABJK", "order=OTHERORDR", 1), "falsifié"},
		"another shop":  {strings.Replace(link, "shop="+strconv.FormatInt(e.shop.ID, 10), "shop="+strconv.FormatInt(e.kaufland.ID, 10), 1), "pas une boutique"},
		"no signature":  {"/shop/order?shop=" + strconv.FormatInt(e.shop.ID, 10) + "&order=X", "incomplet"},
		"garbage":       {"/shop/order?shop=abc", "incomplet"},
	}
	for name, c := range refused {
		res, body := lea.get(c.link)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, c.says) || !strings.Contains(body, "Recliquez") {
			t.Errorf("%s: %d, page lacks %q:\n%.400s", name, res.StatusCode, c.says, body)
		}
	}
	var n int
	e.s.DB().QueryRowContext(ctx, `SELECT count(*) FROM tickets WHERE channel_id = $1 AND order_ref = 'OTHERORDR'`, e.shop.ID).Scan(&n)
	if n != 0 {
		t.Fatalf("a refused link made a ticket")
	}
}

// A shop without the button's secret refuses every link, saying what to set.
func TestShopOrderButtonWithoutSecret(t *testing.T) {
	bo := &backoffice{}
	e := newEnv(t, withBackoffice(bo))
	bo.connect(e)
	res, body := e.client().signIn("lea@example.fr").get(signedLink(e.shop.ID, "A1", time.Now(), buttonSecret))
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "aucun secret") {
		t.Fatalf("%d %.300s", res.StatusCode, body)
	}
}

// The directory, a customer's page, the CSV through the pages, and a new
// ticket by hand, over HTTP; bad input is a 400 saying why, never a 500.
func TestCustomerPages(t *testing.T) {
	e := newEnv(t)
	e.seed()
	lea := e.client().signIn("lea@example.fr")
	csv := "\xef\xbb\xbfID;Title;Last name;First Name;Email address;Age;Enabled;News.;Opt.;Registration;Last visit;\n" +
		"3;;Dubonnet;Jérémie;jd@prestashop.com;-;1;0;0;2012-10-25 10:00:00;;\n" +
		"x;;Bad;Line;bad;-;1;0;0;;;\n"
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", lea.csrf)
	mw.WriteField("channel_id", strconv.FormatInt(e.shop.ID, 10))
	fw, _ := mw.CreateFormFile("file", "clients.csv")
	fw.Write([]byte(csv))
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/customers/import", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, body := lea.do(req)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, body)
	}
	preview := res.Header.Get("Location")
	_, body = lea.get(preview)
	if !strings.Contains(body, "1 lignes à importer, 1 rejetées") || !strings.Contains(body, "Jérémie") || !strings.Contains(body, "UTF-8 (BOM)") {
		t.Fatalf("preview:\n%s", body)
	}
	if res, _ := lea.postForm(preview+"/start", url.Values{"csrf": {lea.csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: %d", res.StatusCode)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body = lea.get(preview)
		if strings.Contains(body, "Import terminé") || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(body, "Import terminé : 1 lignes écrites, 1 rejetées") || !strings.Contains(body, "ID : un nombre entier positif") {
		t.Fatalf("report:\n%s", body)
	}

	_, body = lea.get("/customers?q=dubo")
	if !strings.Contains(body, "Dubonnet") || strings.Contains(body, "Dupont") {
		t.Fatalf("search:\n%s", body)
	}
	for _, bad := range []string{"/customers?q=john+doe", "/customers?id=abc", "/customers?reg_from=25%2F10%2F2012", "/customers?sort=password", "/customers?age=vieux"} {
		if res, body := lea.get(bad); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="error"`) {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
	res, body = lea.get("/customers/export.csv?channel=" + strconv.FormatInt(e.shop.ID, 10))
	if res.StatusCode != 200 || !strings.HasPrefix(body, desk.CustomerCSVHeader+"\n") || !strings.Contains(body, "3;;Dubonnet;Jérémie;jd@prestashop.com;-;1;0;0;2012-10-25 10:00:00;;\n") {
		t.Fatalf("export: %d\n%s", res.StatusCode, body)
	}

	// a ticket's customer page, its note, a new ticket on one of its orders
	kauf := e.customerMessage(e.kaufland, "KA-1", "Jean Dupont", "Bonjour")
	cust := e.view(kauf.ID).Ticket.CustomerID
	_, body = lea.get("/tickets/" + itoa(kauf.ID))
	if !strings.Contains(body, `href="/customers/`+itoa(cust)+`"`) {
		t.Fatalf("the ticket has no link to its customer")
	}
	if res, body := lea.postForm("/customers/"+itoa(cust)+"/note", url.Values{"csrf": {lea.csrf}, "note": {"bad\x00"}}); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "caractère nul") {
		t.Fatalf("bad note: %d", res.StatusCode)
	}
	if res, _ := lea.postForm("/customers/"+itoa(cust)+"/link", url.Values{"csrf": {lea.csrf}, "other": {"abc"}}); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad link: %d", res.StatusCode)
	}
	res, _ = lea.postForm("/tickets/new", url.Values{"csrf": {lea.csrf}, "channel_id": {strconv.FormatInt(e.kaufland.ID, 10)},
		"order_ref": {"KA-2"}, "customer_id": {itoa(cust)}, "body": {"Bonjour, une question sur votre commande."}, "status": {"waiting_customer"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new ticket: %d", res.StatusCode)
	}
	_, body = lea.get("/customers/" + itoa(cust))
	if !strings.Contains(body, "KA-1") || !strings.Contains(body, "KA-2") {
		t.Fatalf("customer page lacks its tickets:\n%s", body)
	}
	res, body = lea.postForm("/tickets/new", url.Values{"csrf": {lea.csrf}, "channel_id": {strconv.FormatInt(e.kaufland.ID, 10)}, "body": {""}, "status": {"waiting_customer"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "premier message") {
		t.Fatalf("empty body: %d", res.StatusCode)
	}
	res, _ = lea.postForm("/tickets/new", url.Values{"csrf": {lea.csrf}, "channel_id": {strconv.FormatInt(e.kaufland.ID, 10)}, "order_ref": {"KA-1"}, "body": {"x"}, "status": {"waiting_customer"}})
	if res.Header.Get("Location") != "/tickets/"+itoa(kauf.ID)+"?ok=existing" {
		t.Fatalf("existing order: %s", res.Header.Get("Location"))
	}
}
