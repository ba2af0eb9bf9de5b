package channel

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Words are what a channel's failures say when its API gave no message of
// its own, one per kind, in French.
type Words struct {
	RateLimited, Unauthorized, Failing, Refused string
}

// HTTPError classifies an API's answer that is not a success: 429 (and a
// 503 that says when to come back) is RateLimited with its Retry-After,
// 401 and 403 Unauthorized, 5xx Transient, any other status Refused. msg
// is the channel's own message, if its body had one; cause names the
// request, for the logs.
func HTTPError(resp *http.Response, msg string, w Words, now time.Time, cause error) *Error {
	e := &Error{Status: resp.StatusCode, Message: strings.TrimSpace(msg), Err: cause}
	fallback := ""
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
		e.Kind, fallback = RateLimited, w.RateLimited
		e.RetryAfter = ParseRetryAfter(resp.Header.Get("Retry-After"), now)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		e.Kind, fallback = Unauthorized, w.Unauthorized
	case code >= 500:
		e.Kind, fallback = Transient, w.Failing
	default:
		e.Kind, fallback = Refused, w.Refused
	}
	if e.Message == "" {
		e.Message = fallback
	}
	return e
}

// ParseRetryAfter reads a Retry-After header: seconds, or an HTTP date; 0
// when absent, malformed or past.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		return time.Duration(max(s, 0)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
