package channel_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"guichet/internal/channel"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{"": 0, "12": 12 * time.Second, "-3": 0, "soon": 0,
		"Mon, 02 Mar 2026 09:01:00 GMT": time.Minute, "Mon, 02 Mar 2026 08:00:00 GMT": 0} {
		if got := channel.ParseRetryAfter(v, now); got != want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestHTTPErrorClassifies(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	w := channel.Words{RateLimited: "limité", Unauthorized: "clé refusée", Failing: "en panne", Refused: "refusé"}
	for _, tt := range []struct {
		status     int
		retryAfter string
		msg        string
		kind       channel.ErrorKind
		wait       time.Duration
		text       string
	}{
		{429, "7", "", channel.RateLimited, 7 * time.Second, "limité"},
		{503, "30", "", channel.RateLimited, 30 * time.Second, "limité"}, // a 503 that says when
		{503, "", "", channel.Transient, 0, "en panne"},
		{500, "", "Internal error", channel.Transient, 0, "Internal error"},
		{401, "", "", channel.Unauthorized, 0, "clé refusée"},
		{403, "", "forbidden", channel.Unauthorized, 0, "forbidden"},
		{400, "", "  text too long ", channel.Refused, 0, "text too long"},
		{404, "", "", channel.Refused, 0, "refusé"},
	} {
		resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
		if tt.retryAfter != "" {
			resp.Header.Set("Retry-After", tt.retryAfter)
		}
		cause := errors.New("GET /x")
		e := channel.HTTPError(resp, tt.msg, w, now, cause)
		if e.Kind != tt.kind || e.RetryAfter != tt.wait || e.Message != tt.text || e.Status != tt.status || !errors.Is(e, cause) {
			t.Errorf("%d %q %q: %+v", tt.status, tt.retryAfter, tt.msg, e)
		}
	}
}
