package prestashop

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"guichet/internal/channel"
)

// maxResponse bounds one answer: a page of messages is far below it.
const maxResponse = 32 << 20

const userAgent = "guichet-prestashop/1"

// client speaks HTTP to the webservice: the key as Basic-auth user with an
// empty password, JSON out, XML in, every failure a *channel.Error.
type client struct {
	api  string // base_url + /api
	key  string
	http *http.Client
	now  func() time.Time
	log  *slog.Logger
}

// get reads path (under /api) as JSON.
func (c *client) get(ctx context.Context, path string, q url.Values) ([]byte, error) {
	if q == nil {
		q = url.Values{}
	}
	q.Set("output_format", "JSON")
	return c.do(ctx, http.MethodGet, path, q, nil)
}

// post writes an XML body and reads the answer as JSON.
func (c *client) post(ctx context.Context, path string, body []byte) ([]byte, error) {
	return c.do(ctx, http.MethodPost, path, url.Values{"output_format": {"JSON"}}, body)
}

func (c *client) do(ctx context.Context, method, path string, q url.Values, body []byte) ([]byte, error) {
	full := c.api + path
	if len(q) > 0 {
		full += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, full, bytes.NewReader(body))
	if err != nil {
		return nil, &channel.Error{Kind: channel.Refused, Message: "adresse de la boutique invalide", Err: err}
	}
	req.SetBasicAuth(c.key, "")
	req.Header.Set("User-Agent", userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &channel.Error{Kind: channel.Transient, Message: "boutique PrestaShop injoignable", Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		// Dropped mid-answer: a write may have been done, which is why
		// the outbox looks a reply up rather than trusting this.
		return nil, &channel.Error{Kind: channel.Transient, Status: resp.StatusCode, Message: "réponse de PrestaShop interrompue", Err: err}
	}
	if len(raw) > maxResponse {
		return nil, &channel.Error{Kind: channel.Transient, Status: resp.StatusCode, Message: "réponse de PrestaShop trop volumineuse"}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return raw, nil
	}
	return nil, c.failure(method, path, resp, raw)
}

// failure classifies an error answer, with PrestaShop's own message.
func (c *client) failure(method, path string, resp *http.Response, raw []byte) error {
	msg := errorText(raw)
	c.log.Debug("prestashop: refused", "method", method, "path", path, "status", resp.StatusCode, "message", msg)
	e := channel.HTTPError(resp, msg, prestashopWords, c.now(), fmt.Errorf("%s %s : %s", method, path, resp.Status))
	if e.Kind == channel.Unauthorized {
		// What to do about it, whatever PrestaShop said.
		hint := "la boutique refuse la clé du webservice : vérifiez la clé et ses permissions (Paramètres avancés › Webservice)"
		if msg != "" {
			hint += " — PrestaShop : " + msg
		}
		e.Message = hint
	}
	return e
}

var prestashopWords = channel.Words{RateLimited: "PrestaShop limite le nombre de requêtes",
	Failing: "PrestaShop en erreur", Refused: "PrestaShop refuse la requête"}

// errorText reads PrestaShop's error body, JSON ({"errors":[{"code":…,
// "message":…}]}) or XML (<prestashop><errors><error>…).
func errorText(raw []byte) string {
	type psError struct {
		Code    text `json:"code" xml:"code"`
		Message text `json:"message" xml:"message"`
	}
	var errs []psError
	var j struct {
		Errors []psError `json:"errors"`
	}
	if json.Unmarshal(raw, &j) == nil {
		errs = j.Errors
	} else {
		var x struct {
			Errors []struct {
				Code    string `xml:"code"`
				Message string `xml:"message"`
			} `xml:"errors>error"`
		}
		if xml.Unmarshal(raw, &x) == nil {
			for _, e := range x.Errors {
				errs = append(errs, psError{Code: text(e.Code), Message: text(e.Message)})
			}
		}
	}
	var parts []string
	for _, e := range errs {
		if m := strings.TrimSpace(string(e.Message)); m != "" {
			parts = append(parts, m)
		}
	}
	return strings.Join(parts, " ; ")
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
