package request

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"guichet/internal/desk"
)

func TestCheckJSONText(t *testing.T) {
	for _, tt := range []struct {
		name, json, field string // field "" means accepted
	}{
		{"plain", `{"order_ref": "BAD-1", "body": "Bonjour, ça va ?"}`, ""},
		{"escaped accents", `{"body": "\u00e9t\u00e9"}`, ""},
		{"surrogate pair", `{"body": "\ud83d\ude00"}`, ""},
		{"escaped backslash then u0000", `{"body": "C:\\u0000"}`, ""},
		{"U+FFFD typed as such", "{\"body\": \"\uFFFD\"}", ""},
		{"invalid UTF-8", "{\"order_ref\": \"BAD-\xff\"}", "order_ref"},
		{"truncated UTF-8", "{\"order_ref\": \"caf\xc3\"}", "order_ref"},
		{"escaped NUL", `{"body": "a\u0000b"}`, "body"},
		{"lone high surrogate", `{"body": "\ud800"}`, "body"},
		{"high surrogate then text", `{"body": "\ud800abcdef"}`, "body"},
		{"high surrogate then NUL", `{"body": "\ud800\u0000"}`, "body"},
		{"lone low surrogate", `{"body": "\udc00"}`, "body"},
		{"nested object", `{"channel_id": 1, "customer": {"name": "Jean\u0000"}}`, "customer.name"},
		{"in an array", `{"attachments": [{"name": "a.pdf"}, {"name": "b\u0000.pdf", "data": ""}]}`, "attachments[1].name"},
		{"after numbers, nulls and arrays", `{"a": [1, 2.5, null, true, [3, {"x": "y"}]], "b": {"c": []}, "d": "\ud800"}`, "d"},
		{"array at the top", `["ok", "k\u0000o"]`, "[1]"},
		{"bad key", "{\"ord\xffer\": 1}", "body"},
		{"bad nested key", "{\"customer\": {\"na\xffme\": 1}}", "customer"},
		{"string at the top", "\"\xff\"", "body"},
	} {
		err := checkJSONText([]byte(tt.json))
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v; want accepted", tt.name, err)
			}
			continue
		}
		if desk.ErrorCode(err) != desk.EInvalid || desk.ErrorField(err) != tt.field {
			t.Errorf("%s: %v; want invalid on %q", tt.name, err, tt.field)
		}
	}
}

func TestDecodeJSONRefusesWhatEncodingJSONWouldReplace(t *testing.T) {
	var v struct {
		OrderRef string `json:"order_ref"`
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader("{\"order_ref\": \"BAD-\xff\"}"))
	err := DecodeJSON(httptest.NewRecorder(), r, &v, MaxJSON)
	if Status(err) != http.StatusBadRequest || desk.ErrorField(err) != "order_ref" {
		t.Errorf("BAD-\\xff: %v", err)
	}
	r = httptest.NewRequest("POST", "/", strings.NewReader(`{"order_ref": "`+strings.Repeat("x", 100)+`"}`))
	if err := DecodeJSON(httptest.NewRecorder(), r, &v, 50); Status(err) != http.StatusRequestEntityTooLarge {
		t.Errorf("over the limit: %v", err)
	}
}
