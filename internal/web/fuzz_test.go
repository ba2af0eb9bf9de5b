package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"guichet/internal/store/storetest"
)

// No request a client can make gets a 500 or a panic: the seeds run with
// every `go test`; `go test -fuzz FuzzAPI ./internal/web/` explores further.
func FuzzAPI(f *testing.F) {
	seeds := []struct{ method, path, body string }{
		{"GET", "/api/v1/tickets?status=open&sort=activity&limit=3", ""},
		{"GET", "/api/v1/tickets?q=%C3%A9l%C3%A8ne*&after=ZDoxOjI", ""},
		{"GET", "/api/v1/tickets?q=%22%27%29%28*%5E&deadline_from=2026-13-45", ""},
		{"GET", "/api/v1/tickets?after=cyo5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", ""},
		{"GET", "/api/v1/tickets?q=NEAR(a+b)+OR+-c", ""},
		{"POST", "/api/v1/tickets", `{"channel_id": 1, "order_ref": "\u0000"}`},
		{"POST", "/api/v1/tickets", `{"channel_id": 9223372036854775807}`},
		{"POST", "/api/v1/tickets", `[1,2,3]`},
		{"PATCH", "/api/v1/tickets/1", `{"assignee_id": -1, "deadline": "2026-02-30"}`},
		{"PATCH", "/api/v1/tickets/99999999999999999999", `{}`},
		{"POST", "/api/v1/tickets/1/replies", `{"status": "closed", "body": "{nom_client}", "thread_id": 77}`},
		{"POST", "/api/v1/tickets/1/replies", `{"status": "closed", "attachments": [{"name": "", "data": ""}]}`},
		{"POST", "/api/v1/tickets/1/notes", `{"body": "\xff\xfe"}`},
		{"GET", "/api/v1/tickets/lookup?q=" + strings.Repeat("9", 80), ""},
		{"GET", "/api/v1/counts?assignee=abc", ""},
		{"GET", "/api/v1/tickets/next?exclude=-1", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.body)
	}
	e := newEnv(f, storetest.SQLite(f))
	e.call("POST", "/api/v1/tickets", map[string]any{"channel_id": e.kauf.ID, "order_ref": "F1"}, nil)
	f.Fuzz(func(t *testing.T, method, path, body string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n") {
			return
		}
		req, err := http.NewRequest(method, "http://guichet.test"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+e.token)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.srv.Config.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", method, path, body, rec.Code, rec.Body)
		}
	})
}
