// Package miraklfake is a fake Mirakl operator instance (the seller API,
// MMP) for tests: it keeps orders, threads and messages, checks what the
// real one checks (the Authorization key, shop_id when the key covers
// several shops, seek pagination, the multipart parts of a reply, the
// rules of refunds and cancellations), checks every request and answer
// against the published OpenAPI file, and fails on demand (429 with
// Retry-After, 500, slow, dropped before or after doing the request,
// malformed, one bad item in a list).
//
//	f := miraklfake.Start(t)
//	o := f.AddOrder(miraklfake.Order{})
//	th := f.AddThread(o.ID, []string{"CUSTOMER", "OPERATOR"}, "Colis non reçu")
//	f.AddMessage(th, "CUSTOMER", "Bonjour, où est mon colis ?", f.Now())
//	conn, _ := mirakl.New(channel.Config{Settings: f.Settings(), Now: f.Now})
package miraklfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// APIKey is the shop key the fake accepts unless told otherwise (the
// format of Mirakl's keys: a UUID).
const APIKey = "5c2b7e8d-1f3a-4b6c-9d0e-7a8b9c0d1e2f"

// DefaultLimit and MaxLimit bound M11's pages: Mirakl's seek pagination
// documents 50 by default and 100 at most (the spec leaves limit and
// page_token out of M11's parameters; see the seek pagination section).
const (
	DefaultLimit = 50
	MaxLimit     = 100
)

// Server is the fake; an http.Handler.
type Server struct {
	doc      *openapi3.T
	router   routers.Router
	key      string
	shopID   string // required on every request when set
	operator string

	mu         sync.Mutex
	clock      time.Time
	realClock  bool
	st         *state
	violations []string
	faults     []Fault
	faultRate  float64
	faultKinds []FaultKind
	rnd        *rand.Rand

	url string
}

type config struct {
	spec     []byte
	specPath string
	key      string
	shopID   string
	operator string
	clock    time.Time
	real     bool
	dataset  *Dataset
}

// Option configures New.
type Option func(*config)

// WithSpecFile reads the spec from path (default: SpecPath()).
func WithSpecFile(path string) Option { return func(c *config) { c.specPath = path } }

// WithSpec gives the spec's bytes.
func WithSpec(data []byte) Option { return func(c *config) { c.spec = data } }

// WithKey sets the shop API key the fake accepts.
func WithKey(key string) Option { return func(c *config) { c.key = key } }

// WithShopID makes the key cover several shops: every request must then
// name the shop with shop_id=id (400 without it, 403 for another shop).
func WithShopID(id int64) Option { return func(c *config) { c.shopID = strconv.FormatInt(id, 10) } }

// WithOperator names the operator (default « Fnac »).
func WithOperator(name string) Option { return func(c *config) { c.operator = name } }

// WithClock starts the clock at t (default 2026-03-02 09:00 UTC); it moves
// only by Advance or SetNow.
func WithClock(t time.Time) Option { return func(c *config) { c.clock = t } }

// WithRealClock makes the fake's clock the system's (for a browser test).
func WithRealClock() Option { return func(c *config) { c.real = true } }

// WithDataset fills the fake with a generated history (see Dataset).
func WithDataset(d Dataset) Option { return func(c *config) { c.dataset = &d } }

// New builds a fake from the spec (see SpecPath) and options.
func New(opts ...Option) (*Server, error) {
	c := config{key: APIKey, operator: "Fnac", clock: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	for _, o := range opts {
		o(&c)
	}
	if c.spec == nil {
		p := c.specPath
		if p == "" {
			var err error
			if p, err = SpecPath(); err != nil {
				return nil, err
			}
		}
		var err error
		if c.spec, err = os.ReadFile(p); err != nil {
			return nil, fmt.Errorf("miraklfake: %w", err)
		}
	}
	doc, r, err := loadSpec(c.spec)
	if err != nil {
		return nil, err
	}
	s := &Server{doc: doc, router: r, key: c.key, shopID: c.shopID, operator: c.operator,
		clock: c.clock, realClock: c.real, st: newState(), rnd: rand.New(rand.NewPCG(1, 2))}
	if c.dataset != nil {
		s.generate(*c.dataset)
	}
	return s, nil
}

// Start runs a fake on an httptest server for the test; at cleanup the
// server closes and the test fails on any spec violation.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	s.SetURL(srv.URL)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		for _, v := range s.Violations() {
			t.Errorf("miraklfake: violation de la spec : %s", v)
		}
	})
	return s
}

// URL is the instance's base URL (https://fnac-prod.mirakl.net for real).
func (s *Server) URL() string { s.mu.Lock(); defer s.mu.Unlock(); return s.url }

// SetURL tells a fake served some other way where it is.
func (s *Server) SetURL(root string) {
	s.mu.Lock()
	s.url = strings.TrimRight(root, "/")
	s.mu.Unlock()
}

// Settings are a Mirakl channel's settings pointing at this fake.
func (s *Server) Settings() map[string]string {
	m := map[string]string{"base_url": s.URL(), "api_key": s.key}
	if s.shopID != "" {
		m["shop_id"] = s.shopID
	}
	return m
}

// Now is the fake's clock.
func (s *Server) Now() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.now() }

func (s *Server) now() time.Time {
	if s.realClock {
		return time.Now().UTC()
	}
	return s.clock
}

// Advance moves the clock on.
func (s *Server) Advance(d time.Duration) { s.mu.Lock(); s.clock = s.clock.Add(d); s.mu.Unlock() }

// SetNow sets the clock.
func (s *Server) SetNow(t time.Time) { s.mu.Lock(); s.clock = t.UTC(); s.mu.Unlock() }

// Violations returns what broke the spec, requests and answers alike.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// TakeViolations returns the violations and forgets them.
func (s *Server) TakeViolations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.violations
	s.violations = nil
	return v
}

func (s *Server) violation(format string, a ...any) {
	s.mu.Lock()
	s.violations = append(s.violations, fmt.Sprintf(format, a...))
	s.mu.Unlock()
}

// ServeHTTP answers as a Mirakl instance: faults first (a 429 comes
// before any check), then the key and shop, the spec's request checks,
// the handler, and the spec's check of the answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	path := r.URL.Path
	rec := &recorder{header: http.Header{}}
	fault, faulty := s.nextFault(path)
	// Recorded before the answer leaves: a client that has its answer
	// finds its request in Requests.
	record := func(status int) {
		s.mu.Lock()
		s.st.requests = append(s.st.requests, Request{Method: r.Method, Path: path, Query: r.URL.RawQuery, Status: status})
		s.mu.Unlock()
	}
	if faulty {
		switch fault.Kind {
		case RateLimit:
			ra := fault.RetryAfter
			if ra == "" {
				ra = "1"
			}
			record(http.StatusTooManyRequests)
			w.Header().Set("Retry-After", ra)
			writeJSON(w, http.StatusTooManyRequests, apiError{Message: "Too Many Requests", Status: 429})
			return
		case ServerError:
			record(http.StatusInternalServerError)
			writeJSON(w, http.StatusInternalServerError, apiError{Message: "Internal Server Error", Status: 500})
			return
		case Slow:
			d := fault.Delay
			if d == 0 {
				d = 5 * time.Second
			}
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				record(0)
				return
			}
		case Drop:
			record(0)
			drop(w)
			return
		}
	}
	if status, msg := s.authenticate(r); status != 0 {
		writeJSON(rec, status, apiError{Message: msg, Status: status})
		record(status)
		rec.flush(w)
		return
	}
	input, perr := s.checkRequest(r, body)
	if perr != "" {
		writeJSON(rec, http.StatusBadRequest, apiError{Message: perr, Status: 400})
	} else {
		s.handle(rec, r, body)
	}
	if input != nil {
		s.checkResponse(input, rec)
	}
	if faulty && fault.Kind == DropAfter {
		record(0)
		drop(w)
		return
	}
	if faulty {
		rec.body = corrupt(fault.Kind, rec.body)
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	record(rec.status)
	rec.flush(w)
}

// authenticate checks the key (sent as is: no "Bearer") and the shop.
func (s *Server) authenticate(r *http.Request) (int, string) {
	if r.Header.Get("Authorization") != s.key {
		return http.StatusUnauthorized, "Unauthorized"
	}
	q := r.URL.Query()
	if s.shopID != "" {
		switch got := q.Get("shop_id"); {
		case got == "":
			return http.StatusBadRequest, "shop_id is required: this API key gives access to several shops"
		case got != s.shopID:
			return http.StatusForbidden, "You do not have access to shop " + got
		}
	}
	return 0, ""
}

func (s *Server) validationInput(r *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	req := r.Clone(context.Background())
	req.RequestURI = ""
	req.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return nil, err
	}
	return &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, SkipSettingDefaults: true}}, nil
}

// checkRequest validates a request against the spec.
func (s *Server) checkRequest(r *http.Request, body []byte) (*openapi3filter.RequestValidationInput, string) {
	input, err := s.validationInput(r, body)
	if err != nil {
		s.violation("%s %s : %v", r.Method, r.URL.Path, err)
		return nil, err.Error()
	}
	if err := openapi3filter.ValidateRequest(context.Background(), input); err != nil {
		s.violation("requête %s %s : %v", r.Method, r.URL.Path, oneLine(err))
		return input, oneLine(err)
	}
	input.Request.Body = io.NopCloser(bytes.NewReader(body))
	return input, ""
}

// checkResponse validates an answer; error statuses are not in the spec.
func (s *Server) checkResponse(in *openapi3filter.RequestValidationInput, rec *recorder) {
	if rec.status >= 300 {
		return
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.status, Header: rec.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	out.SetBodyBytes(rec.body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		s.violation("réponse %d à %s %s : %v", rec.status, in.Request.Method, in.Request.URL.Path, oneLine(err))
	}
}

func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}

// recorder holds an answer until it is checked (and maybe corrupted).
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
	w.Header().Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(r.status)
	w.Write(r.body)
}

// apiError is Mirakl's error body.
type apiError struct {
	Message string `json:"message"`
	Status  int    `json:"status"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // the fake's own values
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}
