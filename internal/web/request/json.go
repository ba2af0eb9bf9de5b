package request

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"guichet/internal/desk"
)

// MaxJSON bounds a JSON request body unless a handler says otherwise.
const MaxJSON = 1 << 20

// DecodeJSON reads exactly one JSON value into v: unknown fields, trailing
// data, wrong types, text no person means (invalid UTF-8, lone surrogates,
// NUL) and bodies over max bytes are the caller's mistake, each reported
// with the field at fault.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any, max int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return desk.Invalid("Content-Type", "application/json attendu, reçu %q", ct)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		if isTooLarge(err) {
			return tooLarge()
		}
		return desk.Invalid("body", "corps de la requête illisible : %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return desk.Invalid("body", "une seule valeur JSON attendue")
	}
	return checkJSONText(data)
}

func isTooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

func tooLarge() error {
	return &desk.Error{Code: desk.ETooLarge, Field: "body", Message: "requête trop volumineuse"}
}

func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case isTooLarge(err):
		return tooLarge()
	case errors.Is(err, io.EOF):
		return desk.Invalid("body", "corps JSON vide")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return desk.Invalid("body", "JSON invalide : %v", err)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return desk.Invalid(field, "type attendu : %s", typ.Type.String())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return desk.Invalid(name, "champ inconnu : %q", name)
	}
	var de *desk.Error
	if errors.As(err, &de) { // from a type's UnmarshalJSON
		return de
	}
	return desk.Invalid("body", "JSON invalide : %v", err)
}

// WriteJSON writes v as JSON with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// ErrorBody is the JSON shape of every error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong: a stable code, a message for people, the
// input field at fault, and details where a code defines them.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Details any    `json:"details,omitempty"`
}

// WriteJSONError writes err as JSON. Internal errors are logged and shown as
// a generic message only.
func WriteJSONError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	status := Status(err)
	d := ErrorDetail{Code: desk.ErrorCode(err), Message: desk.ErrorMessage(err), Field: desk.ErrorField(err)}
	var de *desk.Error
	if errors.As(err, &de) {
		d.Details = de.Details
	}
	if status == http.StatusInternalServerError {
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		d = ErrorDetail{Code: desk.EInternal, Message: "erreur interne, réessayez ; si elle persiste, prévenez un administrateur"}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="guichet"`)
	}
	WriteJSON(w, status, ErrorBody{Error: d})
}
