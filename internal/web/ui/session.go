package ui

import (
	"net/http"
	"net/url"
	"strings"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// session is the signed-in agent of a page request.
type session struct {
	Agent desk.Agent
	CSRF  string
	Hash  []byte // the session token's hash: the session a password change keeps
}

func (s session) actor() desk.Actor { return desk.ActorOf(s.Agent) }

func (s session) lang() string {
	if s.Agent.Lang == "en" {
		return "en"
	}
	return "fr"
}

// handlerFunc is a page handler for a signed-in agent. An error it returns is
// shown by views.fail with the status that matches its code.
type handlerFunc func(w http.ResponseWriter, r *http.Request, s session) error

// contentSecurityPolicy allows our own scripts and styles only: no inline
// script, no inline style (customer HTML keeps its markup, not its styles),
// images from us or data: URLs (no remote tracking pixels).
var contentSecurityPolicy = policyWithImages("'self' data:")

// remoteImagesPolicy is the policy of the one ticket page where the agent
// asked to see a message's remote images: https images from anywhere (the
// browser fetches them; no proxy of ours fetches arbitrary URLs), nothing
// else more.
var remoteImagesPolicy = policyWithImages("'self' data: https:")

func policyWithImages(imgSrc string) string {
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src " + imgSrc + "; " +
		"connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}

func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
}

// signedIn runs fn for a browser session; anyone else is sent to the sign-in
// page (or gets a 401 when the request comes from a script).
func (v *views) signedIn(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w)
		id, ok := request.IdentityOf(r)
		if !ok || id.Session == nil {
			if fragmentRequest(r) || wantsJSON(r) || r.URL.Path == "/events" {
				http.Error(w, "session expirée : reconnectez-vous", http.StatusUnauthorized)
				return
			}
			next := ""
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				next = "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, "/login"+next, http.StatusSeeOther)
			return
		}
		s := session{Agent: id.Agent, CSRF: id.Session.CSRF, Hash: id.Session.TokenHash}
		if err := fn(w, r, s); err != nil {
			v.fail(w, r, s, err)
		}
	})
}

// adminOnly is signedIn for the admin pages: an ADV gets a 403.
func (v *views) adminOnly(fn handlerFunc) http.Handler {
	return v.signedIn(func(w http.ResponseWriter, r *http.Request, s session) error {
		if s.Agent.Role != desk.RoleAdmin {
			return desk.Errorf(desk.EForbidden, "page réservée aux administrateurs")
		}
		return fn(w, r, s)
	})
}

// anonymous wraps the sign-in and sign-out routes: headers only.
func (v *views) anonymous(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w)
		h.ServeHTTP(w, r)
	})
}

// localPath keeps a redirect target inside the site ("/tickets/3"), never
// another host ("//evil.example", "/\evil.example").
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/"
	}
	return p
}

// redirect answers a form post: 303 to the page to show next.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
