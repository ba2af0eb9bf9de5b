package kaufland

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet/internal/channel"
)

// maxResponse bounds what one answer may weigh: a page of 30 messages is
// far below it, and a runaway body must not take the process's memory.
const maxResponse = 16 << 20

const userAgent = "guichet-kaufland/1 (+https://github.com/guichet)"

// client speaks HTTP to the Seller API: signing, rate limit, error mapping.
type client struct {
	base      string
	clientKey string
	secretKey string
	http      *http.Client
	now       func() time.Time
	log       *slog.Logger
	limit     *limiter
}

// Sign returns the Shop-Signature of a request: lowercase hex HMAC-SHA256,
// keyed by the secret key, of method, full URI (query included), body and
// Unix timestamp, joined by newlines, as the API's "rest-api" page defines.
func Sign(method, fullURI, body string, timestamp int64, secretKey string) string {
	m := hmac.New(sha256.New, []byte(secretKey))
	m.Write([]byte(method + "\n" + fullURI + "\n" + body + "\n" + strconv.FormatInt(timestamp, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

// apiError is the API's ErrorResponse.
type apiError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Errors  []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (e apiError) text() string {
	parts := []string{}
	if m := strings.TrimSpace(e.Message); m != "" {
		parts = append(parts, m)
	}
	for _, d := range e.Errors {
		switch {
		case d.Field != "" && d.Message != "":
			parts = append(parts, d.Field+" : "+d.Message)
		case d.Message != "":
			parts = append(parts, d.Message)
		}
	}
	return strings.Join(parts, " ; ")
}

// do sends one signed request and decodes a 2xx answer's JSON into out
// (when out is not nil). Every failure is a *channel.Error.
func (c *client) do(ctx context.Context, method, path string, query url.Values, in, out any) (http.Header, error) {
	full := c.base + path
	if len(query) > 0 {
		full += "?" + query.Encode()
	}
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return nil, &channel.Error{Kind: channel.Refused, Message: "requête impossible à encoder", Err: err}
		}
	}
	if err := c.limit.wait(ctx); err != nil {
		return nil, &channel.Error{Kind: channel.Transient, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, method, full, bytes.NewReader(body))
	if err != nil {
		return nil, &channel.Error{Kind: channel.Refused, Message: "adresse de l'API invalide", Err: err}
	}
	ts := c.now().Unix()
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Shop-Client-Key", c.clientKey)
	req.Header.Set("Shop-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("Shop-Signature", Sign(method, full, string(body), ts, c.secretKey))
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &channel.Error{Kind: channel.Transient, Message: "Kaufland injoignable", Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		// A connection dropped mid-answer: the request may have been done,
		// which is why Send looks its reply up rather than trusting this.
		return nil, &channel.Error{Kind: channel.Transient, Status: resp.StatusCode, Message: "réponse de Kaufland interrompue", Err: err}
	}
	if len(raw) > maxResponse {
		return nil, &channel.Error{Kind: channel.Transient, Status: resp.StatusCode, Message: "réponse de Kaufland trop volumineuse"}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out != nil && len(bytes.TrimSpace(raw)) > 0 {
			if err := json.Unmarshal(raw, out); err != nil {
				return resp.Header, &channel.Error{Kind: channel.Transient, Status: resp.StatusCode, Message: "réponse de Kaufland illisible", Err: err}
			}
		}
		return resp.Header, nil
	}
	return resp.Header, c.failure(method, path, resp, raw)
}

func (c *client) failure(method, path string, resp *http.Response, raw []byte) error {
	var ae apiError
	msg := ""
	if json.Unmarshal(raw, &ae) == nil {
		msg = ae.text()
	}
	c.log.Debug("kaufland: refused", "method", method, "path", path, "status", resp.StatusCode, "message", msg)
	return channel.HTTPError(resp, msg, kauflandWords, c.now(), fmt.Errorf("%s %s : %s", method, path, resp.Status))
}

var kauflandWords = channel.Words{RateLimited: "Kaufland limite le nombre de requêtes", Unauthorized: "Kaufland refuse les clés d'API",
	Failing: "Kaufland en erreur", Refused: "Kaufland refuse la requête"}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.

// isStatus says whether err is the API answering status.
func isStatus(err error, status int) bool {
	var e *channel.Error
	return errors.As(err, &e) && e.Status == status
}
