package kauflandfake

import (
	"net/http/httptest"
	"testing"
)

// The answer check must see a wrong answer, or an empty violation list
// proves nothing.
func TestCheckResponseSeesWrongAnswers(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "http://fake/v2/tickets/messages?limit=30", nil)
	for _, body := range []string{`{"data":[{"bogus":1}]}`, `{"data":[{"id_ticket_message":1,"id_ticket":"123","author":{"role":"seller","name":"x"},"text":"t","ts_created_iso":"2026-01-01T00:00:00Z"}]}`} {
		s.checkResponse(r, "/tickets/messages", nil, &recorder{header: map[string][]string{"Content-Type": {"application/json"}}, status: 200, body: []byte(body)})
	}
	if v := s.TakeViolations(); len(v) != 2 {
		t.Fatalf("violations %q, want 2 (unknown field, ticket id not ^001)", v)
	}
	s.checkResponse(r, "/tickets/messages", nil, &recorder{header: map[string][]string{"Content-Type": {"application/json"}}, status: 200,
		body: []byte(`{"data":[],"pagination":{"offset":0,"limit":30,"total":0}}`)})
	if v := s.Violations(); len(v) != 0 {
		t.Fatalf("violations of a good answer: %q", v)
	}
}
