package web_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// TestAPIOversizeAttachmentIsA413: JSON, the field named, nothing stored.
func TestAPIOversizeAttachmentIsA413(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		var tk struct{ Ticket desk.Ticket }
		e.call("POST", "/api/v1/tickets", map[string]any{"channel_id": e.shop.ID, "order_ref": "BIG-1"}, &tk)
		path := "/api/v1/tickets/" + tk.Ticket.Number
		reply := map[string]any{"body": "Voici la facture", "status": "waiting_customer", "attachments": []any{
			map[string]any{"name": "facture.pdf", "content_type": "application/pdf", "data": base64.StdEncoding.EncodeToString(make([]byte, 26<<20))}}}
		var ae apiError
		code := e.call("POST", path+"/replies", reply, &ae)
		if code != 413 || ae.Error.Code != "too_large" || ae.Error.Field != "attachments[0]" ||
			ae.Error.Message != "fichier trop volumineux : facture.pdf (26 Mo, 25 Mo au plus)" {
			t.Errorf("oversize attachment: %d %+v", code, ae.Error)
		}
		var v desk.TicketView
		e.call("GET", path, nil, &v)
		if len(v.Messages) != 0 || len(v.Events) != 2 { // created, deadline
			t.Errorf("after a refused reply: %d messages, %d events", len(v.Messages), len(v.Events))
		}
	})
}

// TestAPITextNoPersonMeansIsA400: NUL, invalid UTF-8 and lone surrogates in
// any JSON string are refused by their field, on both engines; a message a
// channel sent broken is shown cleaned, and says so.
func TestAPITextNoPersonMeansIsA400(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		var tk struct{ Ticket desk.Ticket }
		e.call("POST", "/api/v1/tickets", map[string]any{"channel_id": e.kauf.ID, "order_ref": "K-NUL"}, &tk)
		path := "/api/v1/tickets/" + tk.Ticket.Number
		for _, tt := range []struct {
			name, method, path, body, field string
		}{
			{"NUL in a reply", "POST", path + "/replies", `{"body": "Bonjour\u0000", "status": "closed"}`, "body"},
			{"NUL in a note", "POST", path + "/notes", `{"body": "note\u0000"}`, "body"},
			{"raw invalid UTF-8 in a note", "POST", path + "/notes", "{\"body\": \"caf\xe9\"}", "body"},
			{"invalid UTF-8 in an order", "POST", "/api/v1/tickets", "{\"channel_id\": 1, \"order_ref\": \"BAD-\xff\"}", "order_ref"},
			{"lone surrogate in a customer", "POST", "/api/v1/tickets", `{"channel_id": 1, "order_ref": "K-2", "customer": {"name": "Jean \ud800"}}`, "customer.name"},
			{"NUL in the problem", "PATCH", path, `{"customer_problem": "Colis\u0000"}`, "customer_problem"},
			{"NUL in an attachment name", "POST", path + "/replies", `{"body": "x", "status": "closed", "attachments": [{"name": "a\u0000.pdf", "data": "JVBE"}]}`, "attachments[0].name"},
			{"NUL in a search", "GET", "/api/v1/tickets?q=colis%00", "", "q"},
		} {
			var ae apiError
			var body any
			if tt.body != "" {
				body = tt.body
			}
			code := e.call(tt.method, tt.path, body, &ae)
			if code != 400 || ae.Error.Code != "invalid" || ae.Error.Field != tt.field || !strings.Contains(ae.Error.Message, "illisible") {
				t.Errorf("%s: %d %+v; want 400 on %s", tt.name, code, ae.Error, tt.field)
			}
		}
		var v desk.TicketView
		e.call("GET", path, nil, &v)
		if len(v.Messages) != 0 || len(v.Events) != 2 || v.Ticket.Problem != "" { // created, deadline
			t.Errorf("refused input was written: %+v", v)
		}
		if _, err := e.d.LookupTicket(ctx, e.admin, "BAD-\uFFFD"); !desk.IsNotFound(err) {
			t.Errorf("BAD-\\xff became a ticket: %v", err)
		}

		res, err := e.d.Ingest(ctx, []desk.Incoming{{ChannelID: e.kauf.ID, OrderRef: "K-NUL", SourceID: "k-1", Body: "O\xf9 est\x00 mon colis ?"}})
		if err != nil || res.Stored != 1 {
			t.Fatalf("ingest: %+v, %v", res, err)
		}
		e.call("GET", path, nil, &v)
		if len(v.Messages) != 1 || !v.Messages[0].Altered || v.Messages[0].Body != "O\uFFFD est mon colis ?" {
			t.Errorf("cleaned message in the API: %+v", v.Messages)
		}
	})
}
