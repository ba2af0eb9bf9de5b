package ui

import (
	"log/slog"
	"net"
	"net/http"
	"strings"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

type loginData struct {
	page
	Email string
	Next  string
	Error string
}

// loginPage shows the sign-in form; a signed-in agent goes to the inbox.
type loginPage struct {
	views *views
}

func (h *loginPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id, ok := request.IdentityOf(r); ok && id.Session != nil {
		redirect(w, r, localPath(r.URL.Query().Get("next")))
		return
	}
	h.views.renderLogin(w, r, http.StatusOK, loginData{Next: r.URL.Query().Get("next")})
}

func (v *views) renderLogin(w http.ResponseWriter, r *http.Request, status int, d loginData) {
	d.page = page{Title: translator("fr").T("login.title"), Page: "login"}
	v.render(w, r, status, "fr", "login", d)
}

// signIn checks the password, opens the session and sets its cookie.
// Failures are throttled per IP and per email.
type signIn struct {
	desk   *desk.Desk
	views  *views
	limit  *Limiter
	secure bool
	log    *slog.Logger
}

func (h *signIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	d := loginData{Email: email, Next: r.PostFormValue("next")}
	tr := translator("fr")
	ipKey, emailKey := "ip:"+clientIP(r), "email:"+email
	if h.limit.Blocked(ipKey, emailKey) {
		d.Error = tr.T("login.too_many")
		h.views.renderLogin(w, r, http.StatusTooManyRequests, d)
		return
	}
	_, _, token, err := h.desk.SignIn(r.Context(), email, r.PostFormValue("password"))
	if err != nil {
		if desk.ErrorCode(err) != desk.EUnauthorized {
			h.log.Error("sign in", "err", err)
			d.Error = tr.T("error.internal")
			h.views.renderLogin(w, r, http.StatusInternalServerError, d)
			return
		}
		h.limit.Fail(ipKey, emailKey)
		d.Error = tr.T("login.failed")
		h.views.renderLogin(w, r, http.StatusUnauthorized, d)
		return
	}
	h.limit.Reset(emailKey)
	http.SetCookie(w, &http.Cookie{
		Name: request.SessionCookie, Value: token, Path: "/",
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
		// No Expires: the cookie lives with the browser; the server ends the
		// session after desk.SessionLifetime without use.
	})
	redirect(w, r, localPath(d.Next))
}

// clientIP is the peer address. Behind a reverse proxy all agents share it;
// the per-email limit still applies (X-Forwarded-For is not trusted: anyone can set it).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// signOut ends the session (a POST with the CSRF token) and clears the cookie.
type signOut struct {
	desk   *desk.Desk
	secure bool
}

func (h *signOut) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(request.SessionCookie); err == nil && c.Value != "" {
		h.desk.SignOut(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: request.SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	redirect(w, r, "/login")
}
