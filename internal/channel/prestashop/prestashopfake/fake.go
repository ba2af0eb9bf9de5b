// Package prestashopfake is a fake PrestaShop webservice for tests. It
// keeps the resources guichet reads (customer_threads, customer_messages,
// contacts, orders, order_states, order_histories, order_carriers,
// carriers, customers, addresses, employees), with their fields as the
// reference names them, and enforces what the real one does: the key as
// Basic-auth user (401 and WWW-Authenticate otherwise), per-resource
// permissions, output_format=JSON with its quirks (falsy fields dropped,
// [] for an empty list, values as strings), filters, date=1 for date
// filters, sort, limit, display; XML bodies for writes. It fails on
// demand (429/503, 500, slow, dropped before or after the write,
// malformed JSON).
//
//	f := prestashopfake.Start(t)
//	o := f.AddOrder(prestashopfake.Order{Reference: "XKBKNABJK"})
//	th := f.AddThread(prestashopfake.Thread{Order: o})
//	f.AddMessage(th, false, "Bonjour, où est mon colis ?", time.Time{})
//	conn, _ := prestashop.New(channel.Config{Settings: f.Settings(), Now: f.Now})
package prestashopfake

import (
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Key is the webservice key the fake accepts unless told otherwise.
const Key = "UCCLLQ9N2ARSHWCXLT74KUKSSK34BFKX"

// Server is the fake; an http.Handler serving the webservice under /api.
type Server struct {
	key    string
	loc    *time.Location
	denied map[string]bool // "resource method" (lowercase method)

	mu         sync.Mutex
	clock      time.Time
	realClock  bool
	st         *state
	faults     []Fault
	faultRate  float64
	faultKinds []FaultKind
	rnd        *rand.Rand
	url        string
}

type config struct {
	key     string
	clock   time.Time
	real    bool
	loc     *time.Location
	denied  []string
	dataset *Dataset
}

// Option configures New.
type Option func(*config)

// WithKey sets the webservice key the fake accepts.
func WithKey(k string) Option { return func(c *config) { c.key = k } }

// WithClock starts the fake's clock at t (default 2026-03-02 09:00 UTC);
// it moves only by Advance or SetNow.
func WithClock(t time.Time) Option { return func(c *config) { c.clock = t } }

// WithRealClock makes the fake's clock the system's.
func WithRealClock() Option { return func(c *config) { c.real = true } }

// WithDenied takes permissions from the key: "orders GET", "customer_messages POST".
func WithDenied(perms ...string) Option {
	return func(c *config) { c.denied = append(c.denied, perms...) }
}

// WithDataset fills the fake with a generated history (see Dataset).
func WithDataset(d Dataset) Option { return func(c *config) { c.dataset = &d } }

// New builds a fake shop in Europe/Paris time, with its standard order
// states, two contacts (Webmaster, Service client) and employee 1.
func New(opts ...Option) *Server {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		loc = time.FixedZone("CET", 3600)
	}
	c := config{key: Key, clock: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), loc: loc}
	for _, o := range opts {
		o(&c)
	}
	s := &Server{key: c.key, loc: c.loc, denied: map[string]bool{}, clock: c.clock, realClock: c.real,
		st: newState(), rnd: rand.New(rand.NewPCG(1, 2))}
	for _, d := range c.denied {
		res, m, _ := strings.Cut(strings.TrimSpace(d), " ")
		s.denied[res+" "+strings.ToLower(m)] = true
	}
	s.seed()
	if c.dataset != nil {
		s.generate(*c.dataset)
	}
	return s
}

// Start runs a fake on an httptest server for the test.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := New(opts...)
	srv := httptest.NewServer(s)
	s.SetURL(srv.URL)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return s
}

// SetURL tells the fake where it is served (the shop's address, without /api).
func (s *Server) SetURL(root string) {
	s.mu.Lock()
	s.url = strings.TrimRight(root, "/")
	s.mu.Unlock()
}

// URL is the shop's address (the webservice is under /api).
func (s *Server) URL() string { s.mu.Lock(); defer s.mu.Unlock(); return s.url }

// Settings are a PrestaShop channel's settings pointing at this fake.
func (s *Server) Settings() map[string]string {
	return map[string]string{"base_url": s.URL(), "api_key": s.key, "employee_id": strconv.Itoa(EmployeeID)}
}

// Now is the fake's clock.
func (s *Server) Now() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.now() }

func (s *Server) now() time.Time {
	if s.realClock {
		return time.Now().UTC().Truncate(time.Second)
	}
	return s.clock
}

// Advance moves the clock on.
func (s *Server) Advance(d time.Duration) { s.mu.Lock(); s.clock = s.clock.Add(d); s.mu.Unlock() }

// SetNow sets the clock.
func (s *Server) SetNow(t time.Time) { s.mu.Lock(); s.clock = t.UTC(); s.mu.Unlock() }

// Location is the shop's time zone, in which it writes its dates.
func (s *Server) Location() *time.Location { return s.loc }

const realm = `Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required."`

// ServeHTTP answers as PrestaShop's webservice: faults first, then the
// key, the resource and its permission, then the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	path, ok := strings.CutPrefix(r.URL.Path, "/api")
	path = strings.Trim(path, "/")
	res, idPart, _ := strings.Cut(path, "/")
	rec := &recorder{header: http.Header{}}
	defer func() {
		s.mu.Lock()
		s.st.requests = append(s.st.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Status: rec.status})
		s.mu.Unlock()
	}()
	fault, faulty := s.nextFault(r.Method, res)
	if faulty && fault.before(w, r, rec) {
		return
	}
	a := answer{json: jsonWanted(r)}
	switch {
	case !ok:
		a.fail(rec, http.StatusNotFound, 0, "Not found")
	case !s.authenticated(r):
		rec.header.Set("WWW-Authenticate", realm)
		a.fail(rec, http.StatusUnauthorized, 17, "Authentication key is empty or invalid")
	case res == "":
		s.root(rec)
	case resources[res] == nil:
		a.fail(rec, http.StatusBadRequest, 22, `Resource of type "`+res+`" does not exists. Did you mean: "customer_threads"?`)
	case s.denied[res+" "+strings.ToLower(r.Method)]:
		a.fail(rec, http.StatusUnauthorized, 26, `Resource of type "`+res+`" is not allowed with this authentication key`)
	case r.Method == http.MethodGet && idPart == "":
		s.list(rec, a, resources[res], r.URL.Query())
	case r.Method == http.MethodGet:
		s.one(rec, a, resources[res], idPart)
	case r.Method == http.MethodPost && idPart == "":
		s.create(rec, a, resources[res], body)
	default:
		a.fail(rec, http.StatusMethodNotAllowed, 7, "Method "+r.Method+" is not valid for this resource in the fake")
	}
	if faulty && fault.Kind == DropAfter {
		drop(w)
		rec.status = -1
		return
	}
	if faulty && fault.Kind == Malformed {
		rec.body = []byte(`{"customer_messages":[{"id":1,"message":"Bonj`)
	}
	rec.flush(w)
}

func (s *Server) authenticated(r *http.Request) bool {
	user, _, ok := r.BasicAuth()
	if !ok {
		user = r.URL.Query().Get("ws_key")
	}
	return user != "" && user == s.key
}

// jsonWanted says whether the request asked for JSON output.
func jsonWanted(r *http.Request) bool {
	q := r.URL.Query()
	for _, v := range []string{q.Get("output_format"), q.Get("io_format"), r.Header.Get("Output-Format"), r.Header.Get("Io-Format")} {
		if strings.EqualFold(v, "JSON") {
			return true
		}
	}
	return false
}

// root lists the resources the key may use, with its permissions, in
// XML as PrestaShop does.
func (s *Server) root(w http.ResponseWriter) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">` + "\n<api shopName=\"Boutique\">\n")
	for _, name := range sortedResources() {
		var attrs []string
		any := false
		for _, m := range []string{"get", "put", "post", "patch", "delete", "head"} {
			ok := !s.denied[name+" "+m]
			any = any || ok
			attrs = append(attrs, m+`="`+strconv.FormatBool(ok)+`"`)
		}
		if !any {
			continue
		}
		href := s.URL() + "/api/" + name
		b.WriteString("<" + name + ` xlink:href="` + href + `" ` + strings.Join(attrs, " ") + ">")
		b.WriteString(`<description xlink:href="` + href + `">` + name + `</description>`)
		b.WriteString(`<schema xlink:href="` + href + `?schema=blank" type="blank"/><schema xlink:href="` + href + `?schema=synopsis" type="synopsis"/>`)
		b.WriteString("</" + name + ">\n")
	}
	b.WriteString("</api>\n</prestashop>\n")
	w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, b.String())
}

// recorder holds an answer until it is sent (or spoiled).
type recorder struct {
	header http.Header
	status int
	body   []byte
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body = append(r.body, b...)
	return len(b), nil
}
func (r *recorder) WriteHeader(status int) { r.status = status }

func (r *recorder) flush(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.Header().Set("PSWS-Version", "8.1.0")
	w.Header().Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(r.status)
	w.Write(r.body)
}
