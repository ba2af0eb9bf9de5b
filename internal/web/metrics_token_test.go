package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"guichet/internal/store/storetest"
	"guichet/internal/web"
)

func TestMetricsNeedTheirTokenWhenOneIsSet(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t)) // for an agent's API token
	srv := httptest.NewServer(web.New(web.Config{Desk: e.d, MetricsToken: "s3cret-metrics"}))
	defer srv.Close()
	get := func(path, auth string) (int, string, http.Header) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header
	}
	for _, auth := range []string{"", "Bearer ", "Bearer s3cret", "Bearer s3cret-metrics-and-more", "Basic czNjcmV0LW1ldHJpY3M=", "Bearer " + e.token} {
		if code, _, h := get("/metrics", auth); code != http.StatusUnauthorized || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("/metrics with %q: %d %v; want 401 asking for a bearer token", auth, code, h)
		}
	}
	code, body, _ := get("/metrics", "Bearer s3cret-metrics")
	if code != http.StatusOK || !strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics with the token: %d\n%.300s", code, body)
	}
	// The agents' API tokens still work elsewhere, and are not the metrics'.
	if code, _, _ := get("/api/v1/counts", "Bearer "+e.token); code != http.StatusOK {
		t.Errorf("API with an agent's token: %d", code)
	}
}

func TestMetricsAreOpenWithoutAToken(t *testing.T) {
	srv := httptest.NewServer(web.New(web.Config{}))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/metrics")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("/metrics without a token configured: %v %v", res, err)
	}
	res.Body.Close()
}
