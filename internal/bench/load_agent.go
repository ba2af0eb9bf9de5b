package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet/internal/web/request"
)

// The kinds of requests a load run reports on.
const (
	kindInbox  = "inbox"
	kindTicket = "ticket"
	kindSearch = "search"
	kindLive   = "live"
	kindReply  = "reply"
)

var loadKinds = []string{kindInbox, kindTicket, kindSearch, kindLive, kindReply}

// loadAgent is one signed-in session working like a person in a hurry: it
// reads inbox pages, opens the tickets it saw there, searches for what it
// read, polls live fragments, and replies when the run's rate allows.
type loadAgent struct {
	opt    LoadOptions
	login  LoadLogin
	client *http.Client
	r      *rand.Rand
	csrf   string
	rec    map[string]*kindRecord
	events streamRecord

	// What it has seen, to choose its next requests from.
	tickets []int64 // every ticket listed to it
	open    []int64 // those listed on open-ticket pages: replies go there
	next    string  // the last inbox page's "next page" link
	terms   []string
}

// kindRecord is what one agent measured for one kind of request.
type kindRecord struct {
	requests  int
	durations []time.Duration // of the answered ones
	errors    int
	timeouts  int
	failures  map[string]int // what went wrong, for the report
}

type streamRecord struct {
	opened, refused, broken, received int
	failures                          map[string]int
}

func newLoadAgent(i int, opt LoadOptions, transport http.RoundTripper) *loadAgent {
	jar, _ := cookiejar.New(nil)
	a := &loadAgent{opt: opt, login: opt.Logins[i%len(opt.Logins)], r: rand.New(rand.NewPCG(opt.Seed, uint64(i))),
		rec: map[string]*kindRecord{}, events: streamRecord{failures: map[string]int{}}}
	a.client = &http.Client{Jar: jar, Transport: transport,
		// Redirects are followed by hand: a page sent to /login is an error.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, k := range loadKinds {
		a.rec[k] = &kindRecord{failures: map[string]int{}}
	}
	return a
}

// errStatus is an answer the agent did not expect.
type errStatus struct {
	method, path string
	code         int
	location     string
}

func (e *errStatus) Error() string {
	s := fmt.Sprintf("HTTP %d on %s %s", e.code, e.method, pathShape(e.path))
	if e.location != "" {
		s += " → " + pathShape(e.location)
	}
	return s
}

// pathShape is a path without its numbers and query values, so that the
// report groups failures (/tickets/{id}).
func pathShape(p string) string {
	p, _, _ = strings.Cut(p, "?")
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

// signIn posts the real sign-in form, then reads the session's CSRF token
// from the page it lands on. A throttled sign-in (429, 503) waits and tries
// again: the server bounds sign-ins on purpose.
func (a *loadAgent) signIn(ctx context.Context) error {
	form := url.Values{"email": {a.login.Email}, "password": {a.login.Password}, "next": {"/"}}
	for attempt := 0; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, "POST", a.opt.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, _, err := a.do(req)
		if err != nil {
			return fmt.Errorf("connexion de %s : %w", a.login.Email, err)
		}
		switch {
		case res.StatusCode == http.StatusSeeOther && a.hasSession():
		case (res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusServiceUnavailable) && attempt < 10:
			wait := min(time.Second<<attempt, 30*time.Second)
			if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && s > 0 {
				wait = time.Duration(s) * time.Second
			}
			if !sleep(ctx, wait) {
				return ctx.Err()
			}
			continue
		case res.StatusCode == http.StatusUnauthorized:
			return fmt.Errorf("connexion de %s refusée : email ou mot de passe incorrect (--login email:mot-de-passe)", a.login.Email)
		default:
			return fmt.Errorf("connexion de %s : HTTP %d", a.login.Email, res.StatusCode)
		}
		break
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", a.opt.URL+"/", nil)
	res, body, err := a.do(req)
	if err != nil {
		return fmt.Errorf("première page de %s : %w", a.login.Email, err)
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("première page de %s : HTTP %d", a.login.Email, res.StatusCode)
	}
	a.csrf = csrfToken(body)
	if a.csrf == "" {
		return fmt.Errorf("première page de %s : pas de jeton CSRF", a.login.Email)
	}
	a.sawInbox(body, true)
	return nil
}

func (a *loadAgent) hasSession() bool {
	u, _ := url.Parse(a.opt.URL)
	for _, c := range a.client.Jar.Cookies(u) {
		if c.Name == request.SessionCookie && c.Value != "" {
			return true
		}
	}
	return false
}

// do sends req and reads the whole answer, as a browser waits for it.
func (a *loadAgent) do(req *http.Request) (*http.Response, []byte, error) {
	res, err := a.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	return res, body, err
}

// work loops until end; a request started before end runs to its answer or
// its timeout.
func (a *loadAgent) work(ctx context.Context, end time.Time, replies <-chan struct{}) {
	for ctx.Err() == nil && time.Now().Before(end) {
		select {
		case <-replies:
			if id, ok := a.pick(a.open, a.tickets); ok {
				a.reply(ctx, id)
				break
			}
			a.step(ctx)
		default:
			a.step(ctx)
		}
		if a.opt.Think > 0 {
			pause := time.Duration(a.r.Int64N(int64(2*a.opt.Think) + 1))
			if until := time.Until(end); pause > until {
				pause = max(until, 0)
			}
			sleep(ctx, pause)
		}
	}
}

// step is one request other than a reply, by weight: inbox pages and
// tickets most, then live fragments and searches.
func (a *loadAgent) step(ctx context.Context) {
	switch n := a.r.IntN(100); {
	case n < 35 || len(a.tickets) == 0:
		a.inbox(ctx)
	case n < 65:
		id, _ := a.pick(a.tickets, nil)
		a.ticket(ctx, id)
	case n < 85:
		a.live(ctx)
	default:
		a.search(ctx)
	}
}

// inboxViews are the lists an ADV switches between; "/" (open tickets by
// deadline) is the landing page.
var inboxViews = []string{"/", "/", "/?status=waiting_admin", "/?status=open&assignee=me", "/?status=waiting_customer",
	"/?status=open&sort=activity", "/?overdue=1", "/?status=closed", "/?status="}

func (a *loadAgent) inbox(ctx context.Context) {
	path := inboxViews[a.r.IntN(len(inboxViews))]
	if a.next != "" && a.r.IntN(3) == 0 {
		path = a.next // the next page, by the keyset cursor the page links to
	}
	if body, ok := a.get(ctx, kindInbox, path, nil); ok {
		a.sawInbox(body, openView(path))
	}
}

// openView says whether an inbox page lists open tickets only: replies
// are sent on those.
func openView(path string) bool {
	u, err := url.Parse(path)
	if err != nil {
		return false
	}
	q := u.Query()
	if len(q) == 0 {
		return true // the landing page: status=open
	}
	if !q.Has("status") {
		return q.Get("overdue") == "1" // only open tickets are late
	}
	for _, v := range q["status"] {
		for _, st := range strings.Split(v, ",") {
			if st != "open" && st != "waiting_admin" && st != "waiting_customer" {
				return false
			}
		}
	}
	return true
}

func (a *loadAgent) ticket(ctx context.Context, id int64) {
	a.get(ctx, kindTicket, "/tickets/"+strconv.FormatInt(id, 10), nil)
}

// live is what an open page fetches when an event arrives: the ticket's
// fragment, or the inbox's.
func (a *loadAgent) live(ctx context.Context) {
	fetch := http.Header{"X-Requested-With": {"fetch"}}
	if id, ok := a.pick(a.tickets, nil); ok && a.r.IntN(3) > 0 {
		a.get(ctx, kindLive, "/tickets/"+strconv.FormatInt(id, 10)+"/live", fetch)
		return
	}
	a.get(ctx, kindLive, "/inbox/live?status=open", fetch)
}

// search types in the search box what the agent read: a word of a preview,
// an order or ticket number, a customer's name, or a common word. Its time
// is the whole wait: /search and the page its redirect leads to.
func (a *loadAgent) search(ctx context.Context) {
	q := commonWords[a.r.IntN(len(commonWords))]
	if len(a.terms) > 0 && a.r.IntN(5) > 0 {
		q = a.terms[a.r.IntN(len(a.terms))]
	}
	a.timed(ctx, kindSearch, func(ctx context.Context) error {
		res, _, err := a.send(ctx, "GET", "/search?"+url.Values{"q": {q}}.Encode(), nil, nil)
		if err != nil {
			return err
		}
		return a.follow(ctx, res, "/", "/tickets/")
	})
}

// replyTexts are neutral answers: no marketplace name, no contact details,
// nothing the guard would ask to confirm.
var replyTexts = []string{
	"Bonjour,\n\nMerci pour votre message. Nous vérifions auprès de notre entrepôt et revenons vers vous très rapidement.\n\nCordialement",
	"Bonjour,\n\nVotre demande est bien prise en compte. Nous vous tenons informé dès que possible.\n\nBonne journée",
	"Bonjour,\n\nNous avons relancé le transporteur au sujet de votre colis. Nous revenons vers vous sous 48 heures.\n\nCordialement",
}

// reply posts the ticket page's reply form as a browser without script
// does (multipart, the CSRF field, a status chosen), and follows the 303 to
// the ticket page: its time is the agent's whole wait.
func (a *loadAgent) reply(ctx context.Context, id int64) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range [][2]string{
		{request.CSRFField, a.csrf}, {"thread_id", ""}, {"thread_kind", "customer"}, {"template_id", ""}, {"confirmed", ""},
		{"body", replyTexts[a.r.IntN(len(replyTexts))]}, {"kind_1", ""}, {"status", "waiting_customer"},
	} {
		mw.WriteField(f[0], f[1])
	}
	mw.Close()
	path := "/tickets/" + strconv.FormatInt(id, 10) + "/replies"
	a.timed(ctx, kindReply, func(ctx context.Context) error {
		res, _, err := a.send(ctx, "POST", path, bytes.NewReader(buf.Bytes()), http.Header{"Content-Type": {mw.FormDataContentType()}})
		if err != nil {
			return err
		}
		return a.follow(ctx, res, "/tickets/")
	})
}

// follow expects a 303 to a path starting with one of prefixes and gets it.
func (a *loadAgent) follow(ctx context.Context, res *http.Response, prefixes ...string) error {
	loc := res.Header.Get("Location")
	ok := res.StatusCode == http.StatusSeeOther && !strings.HasPrefix(loc, "/login")
	if ok {
		ok = false
		for _, p := range prefixes {
			ok = ok || strings.HasPrefix(loc, p)
		}
	}
	if !ok {
		return &errStatus{method: res.Request.Method, path: res.Request.URL.Path, code: res.StatusCode, location: loc}
	}
	res, _, err := a.send(ctx, "GET", loc, nil, nil)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return &errStatus{method: "GET", path: loc, code: res.StatusCode, location: res.Header.Get("Location")}
	}
	return nil
}

// get times one GET that must answer 200, and returns its body.
func (a *loadAgent) get(ctx context.Context, kind, path string, h http.Header) ([]byte, bool) {
	var body []byte
	ok := a.timed(ctx, kind, func(ctx context.Context) error {
		res, b, err := a.send(ctx, "GET", path, nil, h)
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK {
			return &errStatus{method: "GET", path: path, code: res.StatusCode, location: res.Header.Get("Location")}
		}
		body = b
		return nil
	})
	return body, ok
}

func (a *loadAgent) send(ctx context.Context, method, path string, body io.Reader, h http.Header) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, a.opt.URL+path, body)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	return a.do(req)
}

// timed runs one user action under the request timeout and records it. An
// action cut short because the run itself was interrupted is not counted.
func (a *loadAgent) timed(ctx context.Context, kind string, fn func(ctx context.Context) error) bool {
	rctx, cancel := context.WithTimeout(ctx, a.opt.Timeout)
	defer cancel()
	start := time.Now()
	err := fn(rctx)
	took := time.Since(start)
	if ctx.Err() != nil {
		return false
	}
	rec := a.rec[kind]
	rec.requests++
	var es *errStatus
	switch {
	case err == nil:
		rec.durations = append(rec.durations, took)
		return true
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		rec.timeouts++
	case errors.As(err, &es):
		rec.durations = append(rec.durations, took) // answered, wrongly
		rec.errors++
		rec.failures[es.Error()]++
	default:
		rec.errors++
		rec.failures[transportError(err)]++
	}
	return false
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// transportError is err without the request's URL (which holds ids).
func transportError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		path := ue.URL
		if u, err := url.Parse(ue.URL); err == nil {
			path = u.Path
		}
		return ue.Op + " " + pathShape(path) + ": " + ue.Err.Error()
	}
	return err.Error()
}

// stream holds an /events stream open as a browser tab does, reading its
// events, until ctx ends; a stream that breaks is opened again after the
// 3 s a browser waits.
func (a *loadAgent) stream(ctx context.Context) {
	s := &a.events
	for ctx.Err() == nil {
		err := a.readStream(ctx)
		if ctx.Err() != nil {
			return
		}
		var es *errStatus
		switch {
		case errors.As(err, &es) && es.code == http.StatusTooManyRequests:
			s.refused++
		case err != nil:
			s.broken++
			s.failures[err.Error()]++
		default:
			s.broken++
			s.failures["stream ended by the server"]++
		}
		sleep(ctx, 3*time.Second)
	}
}

func (a *loadAgent) readStream(ctx context.Context) error {
	// The answer's headers must come within the request timeout; the body
	// then flows for as long as the run lasts.
	hctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, _ := http.NewRequestWithContext(hctx, "GET", a.opt.URL+"/events", nil)
	req.Header.Set("Accept", "text/event-stream") // as EventSource sends
	headers := time.AfterFunc(a.opt.Timeout, cancel)
	res, err := a.client.Do(req)
	headers.Stop()
	if err != nil {
		if hctx.Err() != nil && ctx.Err() == nil {
			return fmt.Errorf("no answer from /events within %s", a.opt.Timeout)
		}
		return transportErr(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		return &errStatus{method: "GET", path: "/events", code: res.StatusCode}
	}
	a.events.opened++
	lines := bufio.NewScanner(res.Body)
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "event:") {
			a.events.received++
		}
	}
	if err := lines.Err(); err != nil && ctx.Err() == nil {
		return transportErr(err)
	}
	return nil
}

func transportErr(err error) error { return errors.New(transportError(err)) }

// pick chooses one id, from first if it has any, else from second.
func (a *loadAgent) pick(first, second []int64) (int64, bool) {
	for _, ids := range [][]int64{first, second} {
		if len(ids) > 0 {
			return ids[a.r.IntN(len(ids))], true
		}
	}
	return 0, false
}

func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
