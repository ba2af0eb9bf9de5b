package mirakl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"guichet/internal/channel"
)

const (
	userAgent   = "guichet (Mirakl connector)"
	maxResponse = 32 << 20
	// callTimeout bounds one call, whatever the shared HTTP client allows:
	// a slow operator instance holds one sync worker that long at most.
	callTimeout = 30 * time.Second
)

// client calls one Mirakl instance with the shop's key.
type client struct {
	base   string
	key    string
	shopID string
	http   *http.Client
	log    *slog.Logger
	now    func() time.Time
}

// apiError is Mirakl's error body: {"message": "...", "status": 400}.
type apiError struct {
	Message string `json:"message"`
	Status  int    `json:"status"`
}

// request is one call: a JSON body (in) or a multipart one (form).
type request struct {
	method, path string
	query        url.Values
	in           any
	form         *multipartBody
}

type multipartBody struct {
	jsonName string // message_input, thread_input
	json     any
	files    []channel.File
}

func (m *multipartBody) encode() ([]byte, string, error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	js, err := json.Marshal(m.json)
	if err != nil {
		return nil, "", err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q`, m.jsonName))
	h.Set("Content-Type", "application/json")
	pw, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	pw.Write(js)
	for _, f := range m.files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename=%q`, strings.ReplaceAll(f.Name, `"`, "'")))
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		pw, err := w.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		pw.Write(f.Data)
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return b.Bytes(), w.FormDataContentType(), nil
}

// do sends one request and decodes a 2xx answer's JSON into out (when out
// is not nil). Every failure is a *channel.Error.
func (c *client) do(ctx context.Context, r request, out any) error {
	raw, _, err := c.raw(ctx, r, maxResponse)
	if err != nil {
		return err
	}
	if out != nil && len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return &channel.Error{Kind: channel.Transient, Message: "réponse de Mirakl illisible", Err: err}
		}
	}
	return nil
}

// raw sends one request and returns a 2xx answer's body, at most limit
// bytes (a longer one is an error that says so).
func (c *client) raw(ctx context.Context, r request, limit int64) ([]byte, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	q := url.Values{}
	for k, v := range r.query {
		q[k] = v
	}
	if c.shopID != "" {
		q.Set("shop_id", c.shopID)
	}
	full := c.base + r.path
	if len(q) > 0 {
		full += "?" + q.Encode()
	}
	var body []byte
	ctype := ""
	switch {
	case r.form != nil:
		var err error
		if body, ctype, err = r.form.encode(); err != nil {
			return nil, nil, &channel.Error{Kind: channel.Refused, Message: "requête impossible à encoder", Err: err}
		}
	case r.in != nil:
		var err error
		if body, err = json.Marshal(r.in); err != nil {
			return nil, nil, &channel.Error{Kind: channel.Refused, Message: "requête impossible à encoder", Err: err}
		}
		ctype = "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, r.method, full, bytes.NewReader(body))
	if err != nil {
		return nil, nil, &channel.Error{Kind: channel.Refused, Message: "adresse de l'instance Mirakl invalide", Err: err}
	}
	req.Header.Set("Authorization", c.key) // the key as is: no "Bearer"
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, &channel.Error{Kind: channel.Transient, Message: "instance Mirakl injoignable", Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		// Cut mid-answer: the request may have been done, which is why
		// Send is looked up rather than repeated.
		return nil, nil, &channel.Error{Kind: channel.Transient, Status: resp.StatusCode, Message: "réponse de Mirakl interrompue", Err: err}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if int64(len(raw)) > limit {
			return nil, resp.Header, &channel.Error{Kind: channel.Refused, Status: resp.StatusCode, Message: "réponse de Mirakl trop volumineuse", Err: errTooLarge}
		}
		return raw, resp.Header, nil
	}
	return nil, resp.Header, c.failure(r, resp, raw)
}

var errTooLarge = errors.New("trop volumineux")

func (c *client) failure(r request, resp *http.Response, raw []byte) error {
	var ae apiError
	msg := ""
	if json.Unmarshal(raw, &ae) == nil {
		msg = ae.Message
	}
	c.log.Debug("mirakl: refused", "method", r.method, "path", r.path, "status", resp.StatusCode, "message", msg)
	return channel.HTTPError(resp, msg, miraklWords, c.now(), fmt.Errorf("%s %s : %s", r.method, r.path, resp.Status))
}

var miraklWords = channel.Words{RateLimited: "Mirakl limite le nombre de requêtes", Unauthorized: "Mirakl refuse la clé d'API",
	Failing: "instance Mirakl en erreur", Refused: "Mirakl refuse la requête"}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.

func isStatus(err error, status int) bool {
	var e *channel.Error
	return errors.As(err, &e) && e.Status == status
}
