package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"runtime/debug"
	"strings"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// identify finds who is calling: an API token (Authorization: Bearer), an
// agent's or an integration's, or a session cookie. A bad token is refused at once; a bad cookie is ignored
// (the page asks to sign in). Handlers decide whether anonymity is allowed.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if auth := r.Header.Get("Authorization"); auth != "" {
			token, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok {
				request.WriteJSONError(w, r, s.log, desk.Errorf(desk.EUnauthorized, "en-tête Authorization: Bearer <jeton> attendu"))
				return
			}
			caller, err := s.desk.TokenCaller(ctx, strings.TrimSpace(token))
			if err != nil {
				request.WriteJSONError(w, r, s.log, err)
				return
			}
			id := request.Identity{Agent: caller.Agent, Token: &caller.Token}
			if in, ok := caller.Integration(); ok {
				id.Integration = &in
			}
			next.ServeHTTP(w, r.WithContext(request.WithIdentity(ctx, id)))
			return
		}
		if c, err := r.Cookie(request.SessionCookie); err == nil && c.Value != "" {
			agent, sess, err := s.desk.SessionAgent(ctx, c.Value)
			switch {
			case err == nil:
				r = r.WithContext(request.WithIdentity(ctx, request.Identity{Agent: agent, Session: &sess}))
			case desk.ErrorCode(err) != desk.EUnauthorized:
				s.log.Error("session lookup", "err", err)
				http.Error(w, "erreur interne", http.StatusInternalServerError)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// checkCSRF refuses a state-changing request made with a session cookie that
// does not carry the session's CSRF token (header, or form field). Calls with
// an API token carry no ambient credential and need none.
func (s *Server) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := request.IdentityOf(r)
		if !ok || id.Session == nil || safeMethod(r.Method) {
			next.ServeHTTP(w, r)
			return
		}
		token := r.Header.Get(request.CSRFHeader)
		var err error
		if token == "" {
			token, err = formToken(w, r)
		}
		if err == nil && subtle.ConstantTimeCompare([]byte(token), []byte(id.Session.CSRF)) != 1 {
			err = desk.Errorf(desk.EForbidden, "jeton CSRF absent ou invalide : rechargez la page")
		}
		if err != nil {
			if strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json") {
				request.WriteJSONError(w, r, s.log, err)
			} else {
				http.Error(w, desk.ErrorMessage(err), request.Status(err))
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

// MaxForm bounds a form post, attachments included.
const MaxForm = 64 << 20

// formToken reads the token from a form body. A body over MaxForm is the
// caller's mistake, said as such (not as a missing token).
func formToken(w http.ResponseWriter, r *http.Request) (string, error) {
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/x-www-form-urlencoded") && !strings.HasPrefix(ct, "multipart/form-data") {
		return "", nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxForm)
	var err error
	if strings.HasPrefix(ct, "multipart/") {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return "", &desk.Error{Code: desk.ETooLarge, Message: "envoi trop volumineux (64 Mo au plus, pièces jointes comprises)"}
	}
	return r.PostFormValue(request.CSRFField), nil
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// recoverPanics turns a handler's panic into a 500 and a log line, never a
// dropped connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				http.Error(w, "erreur interne", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
