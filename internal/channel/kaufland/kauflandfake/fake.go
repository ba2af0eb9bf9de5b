// Package kauflandfake is a fake Kaufland Seller API v2 for tests: it
// keeps orders, tickets and messages, checks what the real one checks
// (signature, timestamp window, client key, the spec's limits), checks
// every request and every answer against the published OpenAPI spec, and
// fails on demand (429, 500, slow, dropped before or after doing the
// request, malformed, truncated, one bad item in a list).
//
//	f := kauflandfake.Start(t)              // httptest server, spec checked at cleanup
//	o := f.AddOrder(kauflandfake.Order{})
//	tk := f.OpenTicket(o.ID, "product_defect", "order_product_defect")
//	f.AddMessage(tk, "buyer", "Bonjour, le produit est cassé.")
//	conn, _ := kaufland.New(channel.Config{Settings: f.Settings(), Now: f.Now})
package kauflandfake

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
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

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// The keys the fake accepts unless told otherwise (the format of the
// examples of Kaufland's documentation: 32 and 64 characters).
const (
	ClientKey = "7bffc16ba2cc5ac1cbf527d6fa392630"
	SecretKey = "a7d0cb1da1ddbc86c96ee5fedd341b7d8ebfbb2f5c83cfe0909f4e57f05dd403"
)

// DefaultWindow is how far Shop-Timestamp may be from the fake's clock.
// Kaufland documents no figure; a quarter of an hour is what HMAC APIs
// usually allow.
const DefaultWindow = 15 * time.Minute

// Prefix is where the API lives on the fake, as on sellerapi.kaufland.com.
const Prefix = "/v2"

// Server is the fake; an http.Handler.
type Server struct {
	router    routers.Router
	clientKey string
	secretKey string
	window    time.Duration

	mu         sync.Mutex
	clock      time.Time
	realClock  bool
	st         *state
	violations []string
	faults     []Fault
	faultRate  float64
	faultKinds []FaultKind
	rnd        *rand.Rand

	url string // set by Start
}

type config struct {
	spec      []byte
	specPath  string
	clientKey string
	secretKey string
	window    time.Duration
	clock     time.Time
	real      bool
	dataset   *Dataset
}

// Option configures New.
type Option func(*config)

// WithSpecFile reads the spec from path (default: SpecPath()).
func WithSpecFile(path string) Option { return func(c *config) { c.specPath = path } }

// WithSpec gives the spec's bytes.
func WithSpec(data []byte) Option { return func(c *config) { c.spec = data } }

// WithKeys sets the client and secret keys the fake accepts.
func WithKeys(clientKey, secretKey string) Option {
	return func(c *config) { c.clientKey, c.secretKey = clientKey, secretKey }
}

// WithWindow sets how far a request's timestamp may be from the clock.
func WithWindow(d time.Duration) Option { return func(c *config) { c.window = d } }

// WithClock starts the fake's clock at t (default: 2026-03-02 09:00 UTC);
// it moves only by Advance or SetNow.
func WithClock(t time.Time) Option { return func(c *config) { c.clock = t } }

// WithRealClock makes the fake's clock the system's (for a browser test).
func WithRealClock() Option { return func(c *config) { c.real = true } }

// WithDataset fills the fake with a generated history (see Dataset).
func WithDataset(d Dataset) Option { return func(c *config) { c.dataset = &d } }

// New builds a fake from the spec (see SpecPath) and options.
func New(opts ...Option) (*Server, error) {
	c := config{clientKey: ClientKey, secretKey: SecretKey, window: DefaultWindow,
		clock: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
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
			return nil, fmt.Errorf("kauflandfake: %w", err)
		}
	}
	r, err := loadRouter(c.spec)
	if err != nil {
		return nil, err
	}
	s := &Server{router: r, clientKey: c.clientKey, secretKey: c.secretKey, window: c.window,
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
			t.Errorf("kauflandfake: violation de la spec : %s", v)
		}
	})
	return s
}

// URL is the API's base URL (with /v2) when started by Start.
func (s *Server) URL() string { s.mu.Lock(); defer s.mu.Unlock(); return s.url }

// SetURL tells a fake served some other way (a browser test's listener)
// where it is: root is the listener's URL, without /v2.
func (s *Server) SetURL(root string) {
	s.mu.Lock()
	s.url = strings.TrimRight(root, "/") + Prefix
	s.mu.Unlock()
}

// Settings are a Kaufland channel's settings pointing at this fake.
func (s *Server) Settings() map[string]string {
	return map[string]string{"base_url": s.URL(), "client_key": s.clientKey, "secret_key": s.secretKey, "storefront": "de"}
}

// Now is the fake's clock; give it to the connector as channel.Config.Now
// so that its timestamps fall in the window.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

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

// TakeViolations returns the violations and forgets them (a test that
// sends a bad request on purpose).
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

// ServeHTTP answers as the Seller API: faults first (a 429 comes before
// any check), then the signature, the spec's request checks, the
// handler, and the spec's check of the answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	path, ok := strings.CutPrefix(r.URL.Path, Prefix)
	rec := &recorder{header: http.Header{}}
	fault, faulty := s.nextFault(path)
	defer func() {
		s.mu.Lock()
		s.st.requests = append(s.st.requests, Request{Method: r.Method, Path: path, Query: r.URL.Query(), Status: rec.status})
		s.mu.Unlock()
	}()
	if faulty {
		switch fault.Kind {
		case RateLimit:
			ra := fault.RetryAfter
			if ra == "" {
				ra = "1"
			}
			w.Header().Set("Retry-After", ra)
			writeJSON(w, http.StatusTooManyRequests, errorBody("about:blank", "Too many requests"))
			rec.status = http.StatusTooManyRequests
			return
		case ServerError:
			writeJSON(w, http.StatusInternalServerError, errorBody("/problems/server-error", "Internal Server Error"))
			rec.status = http.StatusInternalServerError
			return
		case Slow:
			d := fault.Delay
			if d == 0 {
				d = 5 * time.Second
			}
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		case Drop:
			drop(w)
			return
		}
	}
	if !ok {
		s.violation("%s %s : hors de %s", r.Method, r.URL.Path, Prefix)
		writeJSON(rec, http.StatusNotFound, errorBody("/problems/not-found", "Not found"))
		rec.flush(w)
		return
	}
	if path != "/status/ping" {
		if status, problem, msg := s.authenticate(r, body); status != 0 {
			writeJSON(rec, status, errorBody(problem, msg))
			s.checkResponse(r, path, body, rec)
			rec.flush(w)
			return
		}
	}
	input, perr := s.checkRequest(r, path, body)
	if perr != "" {
		writeJSON(rec, http.StatusBadRequest, validationError(perr))
	} else {
		s.handle(rec, r.Method, path, r.URL.Query(), body, input)
	}
	if input != nil {
		s.checkResponse(r, path, body, rec)
	}
	if faulty && fault.Kind == DropAfter {
		drop(w)
		return
	}
	if faulty {
		rec.body = corrupt(fault.Kind, rec.body)
	}
	rec.flush(w)
}

// authenticate checks what Kaufland checks before anything else.
func (s *Server) authenticate(r *http.Request, body []byte) (int, string, string) {
	if r.Header.Get("Shop-Client-Key") != s.clientKey {
		return http.StatusUnauthorized, "/problems/invalid-credentials", "Invalid client key"
	}
	ts, err := strconv.ParseInt(r.Header.Get("Shop-Timestamp"), 10, 64)
	if err != nil {
		return http.StatusUnauthorized, "/problems/missing-or-invalid-request-header", "Missing or invalid Shop-Timestamp header"
	}
	if d := s.Now().Sub(time.Unix(ts, 0)); d > s.window || d < -s.window {
		return http.StatusUnauthorized, "/problems/unauthorized", "Timestamp is out of the allowed window"
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	uri := scheme + "://" + r.Host + r.URL.RequestURI()
	m := hmac.New(sha256.New, []byte(s.secretKey))
	m.Write([]byte(r.Method + "\n" + uri + "\n" + string(body) + "\n" + strconv.FormatInt(ts, 10)))
	want := hex.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(r.Header.Get("Shop-Signature")), []byte(want)) {
		return http.StatusUnauthorized, "/problems/corrupted-signature", "Signature is corrupted"
	}
	if r.Header.Get("User-Agent") == "" || !strings.Contains(r.Header.Get("Accept"), "application/json") {
		return http.StatusBadRequest, "/problems/missing-or-invalid-request-header", "Accept: application/json and User-Agent are required"
	}
	return 0, "", ""
}

// checkRequest validates a request against the spec; it returns the
// validation input for the answer's check, and what was wrong.
func (s *Server) checkRequest(r *http.Request, path string, body []byte) (*openapi3filter.RequestValidationInput, string) {
	req := r.Clone(r.Context())
	req.URL.Path = path
	req.RequestURI = ""
	req.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		s.violation("%s %s : %v", r.Method, path, err)
		return nil, err.Error()
	}
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, SkipSettingDefaults: true}}
	if err := openapi3filter.ValidateRequest(context.Background(), input); err != nil {
		s.violation("requête %s %s : %v", r.Method, path, oneLine(err))
		return input, oneLine(err)
	}
	return input, ""
}

func (s *Server) checkResponse(r *http.Request, path string, body []byte, rec *recorder) {
	req := r.Clone(r.Context())
	req.URL.Path = path
	req.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, SkipSettingDefaults: true}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.status, Header: rec.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: rec.status != http.StatusTooManyRequests}}
	out.SetBodyBytes(rec.body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		s.violation("réponse %d à %s %s : %v", rec.status, r.Method, path, oneLine(err))
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
	if len(r.body) > 0 {
		w.Header().Set("Content-Length", strconv.Itoa(len(r.body)))
	}
	w.WriteHeader(r.status)
	w.Write(r.body)
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

type errorDetail struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

type errorResponse struct {
	Type    string        `json:"type"`
	Message string        `json:"message"`
	Errors  []errorDetail `json:"errors"`
}

func errorBody(problem, msg string) errorResponse {
	return errorResponse{Type: problem, Message: msg, Errors: []errorDetail{}}
}

func validationError(msg string) errorResponse {
	return errorResponse{Type: "/problems/validation-error", Message: "Request parameters have invalid values",
		Errors: []errorDetail{{Field: "request", Message: msg}}}
}
