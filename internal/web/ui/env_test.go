package ui_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/blob"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
	"guichet/internal/web"
	"guichet/internal/web/live"
	"guichet/internal/web/request"
	"guichet/internal/web/ui"
)

var ctx = context.Background()

const password = "correct horse battery"

// env is guichet served over a real SQLite store, with a small team, three
// channels, default replies and a few tickets, all made through desk.
type env struct {
	t                    testing.TB
	srv                  *httptest.Server
	d                    *desk.Desk
	s                    *store.Store
	hub                  *live.Hub
	admin, lea, marc     desk.Actor
	kaufland, fnac, shop desk.Channel
	tplThanks, tplTrack  desk.Template
	tplFnac              desk.Template
}

// envConfig is what newEnvOn builds the desk and the pages from; options
// change it before (the trusted proxies, the password slots...).
type envConfig struct {
	desk desk.Config
	ui   ui.Deps
	wire []func(*env, *ui.Deps) // once the desk exists: what needs it (connectors)
}

type envOption func(*envConfig)

// trustingProxies makes the pages believe X-Forwarded-For from these proxies.
func trustingProxies(list string) envOption {
	return func(c *envConfig) {
		ps, err := request.ParseProxies(list)
		if err != nil {
			panic(err)
		}
		c.ui.TrustedProxies = ps
	}
}

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	return newEnvOn(t, storetest.SQLite(t), opts...)
}

func newEnvOn(t testing.TB, s *store.Store, opts ...envOption) *env {
	t.Helper()
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hub := live.New()
	cfg := envConfig{desk: desk.Config{Store: s, Blobs: blobs, Notifier: hub}}
	for _, o := range opts {
		o(&cfg)
	}
	e := &env{t: t, s: s, hub: hub, d: desk.New(cfg.desk)}
	first, err := e.d.EnsureAdmin(ctx, "admin@example.fr")
	if err != nil {
		t.Fatal(err)
	}
	agents, _ := e.d.Agents(ctx)
	e.admin = desk.ActorOf(agents[0])
	// The first admin's password is random: give it a known one.
	e.must(e.d.SaveAgent(ctx, e.admin, desk.AgentInput{ID: e.admin.AgentID, Email: "admin@example.fr", Name: "Administrateur",
		Role: desk.RoleAdmin, Lang: "fr", Active: true, Password: password, CurrentPassword: first}))
	e.lea = e.agent("lea@example.fr", "Léa Martin")
	e.marc = e.agent("marc@example.fr", "Marc Durand")
	e.kaufland = e.channel(desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", ResponsibleID: e.lea.AgentID,
		DeadlinePolicy: "48h business", GuardNames: []string{"Kaufland", "real.de"}, OrderURL: "https://www.kaufland.de/order/{order}", Active: true})
	e.fnac = e.channel(desk.Channel{Kind: desk.ChannelMirakl, Name: "Fnac", ResponsibleID: e.marc.AgentID,
		DeadlinePolicy: "24h", GuardNames: []string{"Fnac", "Fnac Darty"}, ForbidContact: true, Active: true})
	e.shop = e.channel(desk.Channel{Kind: desk.ChannelPrestaShop, Name: "Boutique", OrderURL: "https://shop.example/admin/orders/{order}", Active: true})
	e.tplThanks = e.template(desk.Template{Name: "Remerciement", Body: "Bonjour {nom_client},\n\nMerci pour votre message au sujet de la commande {commande}. Nous revenons vers vous très vite.\n\n{adv}"})
	e.tplTrack = e.template(desk.Template{Name: "Suivi colis", Body: "Bonjour {nom_client},\n\nVotre colis est en route : {lien_suivi}"})
	e.tplFnac = e.template(desk.Template{Name: "Fnac seulement", Body: "Réponse Fnac", ChannelIDs: []int64{e.fnac.ID}})
	deps := cfg.ui
	deps.Desk, deps.Hub = e.d, hub
	for _, w := range cfg.wire {
		w(e, &deps)
	}
	e.srv = httptest.NewServer(web.New(web.Config{Desk: e.d, Hub: hub, DB: s, UI: func(mux *http.ServeMux) {
		ui.Register(mux, deps)
	}}))
	t.Cleanup(func() { hub.Close(); e.srv.Close() })
	return e
}

func (e *env) must(_ any, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) agent(email, name string) desk.Actor {
	e.t.Helper()
	a, err := e.d.SaveAgent(ctx, e.admin, desk.AgentInput{Email: email, Name: name, Role: desk.RoleADV, Active: true, Password: password})
	if err != nil {
		e.t.Fatal(err)
	}
	return desk.ActorOf(a)
}

func (e *env) channel(c desk.Channel) desk.Channel {
	e.t.Helper()
	c, err := e.d.SaveChannel(ctx, e.admin, c)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) template(t desk.Template) desk.Template {
	e.t.Helper()
	t, err := e.d.SaveTemplate(ctx, e.admin, t)
	if err != nil {
		e.t.Fatal(err)
	}
	return t
}

// customerMessage stores a customer's message on an order (opening its ticket).
func (e *env) customerMessage(ch desk.Channel, order, customer, body string) desk.Ticket {
	e.t.Helper()
	return e.ingest(desk.Incoming{ChannelID: ch.ID, OrderRef: order, SourceID: fmt.Sprintf("%s-%d", order, time.Now().UnixNano()),
		Body: body, AuthorKind: desk.AuthorCustomer, AuthorName: customer, Subject: "Question sur la commande",
		Customer: desk.CustomerInput{ExternalID: "c-" + order, Name: customer, Email: "relay-" + strings.ToLower(order) + "@" + strings.ToLower(ch.Name) + ".example"}})
}

func (e *env) ingest(in desk.Incoming) desk.Ticket {
	e.t.Helper()
	res, err := e.d.Ingest(ctx, []desk.Incoming{in})
	if err != nil || len(res.Parked) > 0 {
		e.t.Fatalf("ingest: %v %+v", err, res.Parked)
	}
	t, err := e.d.LookupTicket(ctx, e.admin, in.OrderRef)
	if err != nil {
		e.t.Fatal(err)
	}
	return t
}

func (e *env) view(id int64) desk.TicketView {
	e.t.Helper()
	v, err := e.d.Ticket(ctx, e.admin, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// client is a browser-like HTTP client: a cookie jar, no redirect following.
type client struct {
	t    testing.TB
	e    *env
	http *http.Client
	csrf string
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn signs in through the login form and keeps the session's CSRF token.
func (c *client) signIn(email string) *client {
	c.t.Helper()
	res, _ := c.postForm("/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign in %s: %d", email, res.StatusCode)
	}
	_, body := c.get("/")
	i := strings.Index(body, `name="csrf-token" content="`)
	if i < 0 {
		c.t.Fatalf("no CSRF meta tag after sign-in:\n%s", body)
	}
	rest := body[i+len(`name="csrf-token" content="`):]
	c.csrf = rest[:strings.Index(rest, `"`)]
	return c
}

func (c *client) get(path string, headers ...string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.e.srv.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

func (c *client) postForm(path string, form url.Values, headers ...string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func itoa(n int64) string { return desk.TicketNumber(n) }

var paris, _ = time.LoadLocation("Europe/Paris")
