package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// requireToken answers next only to requests carrying Authorization: Bearer
// token; others get a 401. An empty token lets everyone through.
func requireToken(token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		// Digests, so that the comparison takes as long whatever the length.
		sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
		if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="guichet metrics"`)
			http.Error(w, "jeton des métriques absent ou invalide", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
