package ui

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

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

// signIn checks the password, opens the session and sets its cookie, and
// the device cookie that exempts this browser from the per-address limit
// and the account's lockout next time (desk's throttle.go says why).
type signIn struct {
	desk    *desk.Desk
	views   *views
	proxies request.Proxies // whose X-Forwarded-For is believed
	secure  bool
	log     *slog.Logger
}

func (h *signIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	d := loginData{Email: email, Next: r.PostFormValue("next")}
	tr := translator("fr")
	devices := deviceTokens(r)
	in, err := h.desk.SignIn(r.Context(), desk.SignInInput{Email: email, Password: r.PostFormValue("password"),
		Address: request.ClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), h.proxies), Devices: devices})
	switch {
	case errors.Is(err, desk.ErrBusy):
		w.Header().Set("Retry-After", "2")
		d.Error = tr.T("login.busy")
		h.views.renderLogin(w, r, http.StatusTooManyRequests, d)
		return
	case desk.ErrorCode(err) == desk.ETooMany:
		d.Error = tr.T("login.too_many")
		h.views.renderLogin(w, r, http.StatusTooManyRequests, d)
		return
	case desk.ErrorCode(err) == desk.EUnauthorized:
		d.Error = tr.T("login.failed")
		h.views.renderLogin(w, r, http.StatusUnauthorized, d)
		return
	case err != nil:
		h.log.Error("sign in", "err", err)
		d.Error = tr.T("error.internal")
		h.views.renderLogin(w, r, http.StatusInternalServerError, d)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: request.SessionCookie, Value: in.Token, Path: "/",
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
		// No Expires: the cookie lives with the browser; the server ends the
		// session after desk.SessionLifetime without use.
	})
	// This account's device token first, then the others the browser held
	// (colleagues sharing the computer), up to desk.MaxDeviceTokens.
	keep := []string{in.Device}
	for _, t := range devices {
		if t != in.Device && len(keep) < desk.MaxDeviceTokens {
			keep = append(keep, t)
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: request.DeviceCookie, Value: strings.Join(keep, "."), Path: "/login",
		MaxAge: int(desk.DeviceLifetime / time.Second), HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteStrictMode,
	})
	redirect(w, r, localPath(d.Next))
}

// deviceTokens reads the device cookie: tokens separated by dots.
func deviceTokens(r *http.Request) []string {
	c, err := r.Cookie(request.DeviceCookie)
	if err != nil || c.Value == "" || len(c.Value) > 512 {
		return nil
	}
	var out []string
	for _, t := range strings.Split(c.Value, ".") {
		if t != "" && len(out) < desk.MaxDeviceTokens {
			out = append(out, t)
		}
	}
	return out
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
