package web_test

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// POST /api/v1/channels/{id}/messages: a batch stored through desk.Ingest,
// the second post deduplicated, a bad message parked, bad input named,
// and an ADV's own token refused.
func TestChannelIntake(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		token, err := e.d.CreateIntegrationToken(ctx, e.admin, "passerelle Amazon")
		if err != nil {
			t.Fatal(err)
		}
		bearer := "Bearer " + token
		path := "/api/v1/channels/" + strconv.FormatInt(e.amazon.ID, 10) + "/messages"
		photo := base64.StdEncoding.EncodeToString([]byte("\xff\xd8\xff photo"))
		batch := `[
		 {"source_id": "amz-1", "order_ref": "405-1234567-1234567", "thread_external_id": "conv-1", "author_name": "Jean Dupont",
		  "customer": {"external_id": "buyer-1", "name": "Jean Dupont"}, "body": "Où est mon colis ?", "at": "2026-11-30T09:00:00Z",
		  "files": [{"name": "photo.jpg", "content_type": "image/jpeg", "data": "` + photo + `"}]},
		 {"source_id": "amz-2", "order_ref": "405-1234567-1234567", "thread_external_id": "conv-1", "author_kind": "customer", "body_html": "<p>Merci <b>d'avance</b></p>"},
		 {"source_id": "amz-3", "order_ref": "405-7654321-7654321", "thread_kind": "nonsense", "body": "fil inconnu"}
		]`
		var res desk.IngestResult
		if code := e.call("POST", path, batch, &res, "Authorization", bearer); code != 200 {
			t.Fatalf("post: %d %+v", code, res)
		}
		if res.Stored != 2 || res.Opened != 1 || len(res.Tickets) != 1 || len(res.Parked) != 1 || res.Parked[0].SourceID != "amz-3" || res.Parked[0].Field != "thread_kind" {
			t.Errorf("first post: %+v", res)
		}
		v, err := e.d.Ticket(ctx, e.admin, res.Tickets[0])
		if err != nil || v.Channel.ID != e.amazon.ID || len(v.Messages) != 2 || len(v.Messages[0].Attachments) != 1 || v.Threads[0].ExternalID != "conv-1" {
			t.Errorf("stored ticket: %+v %v", v, err)
		}
		// The same batch again, wrapped: nothing new.
		var again desk.IngestResult
		if code := e.call("POST", path, `{"messages": `+batch+`}`, &again, "Authorization", bearer); code != 200 || again.Stored != 0 || again.Duplicates != 2 {
			t.Errorf("second post: %d %+v", code, again)
		}
		if _, n, _ := e.d.ParkedMessages(ctx, e.admin); n != 1 {
			t.Errorf("parked: %d", n)
		}
		for _, c := range []struct {
			name, path, body string
			code             int
			field            string
		}{
			{"unknown field", path, `[{"source_id": "x", "password": "1"}]`, 400, "password"},
			{"bad base64", path, `[{"source_id": "x", "files": [{"name": "a", "data": "%%%"}]}]`, 400, "files.data"},
			{"bad time", path, `[{"source_id": "x", "at": "hier"}]`, 400, ""},
			{"empty batch", path, `[]`, 400, "messages"},
			{"too many", path, "[" + strings.TrimSuffix(strings.Repeat(`{"source_id": "x"},`, 501), ",") + "]", 413, "messages"},
			{"unknown channel", "/api/v1/channels/999/messages", `[{"source_id": "x"}]`, 404, ""},
		} {
			var ae apiError
			code := e.call("POST", c.path, c.body, &ae, "Authorization", bearer)
			if code != c.code || (c.field != "" && ae.Error.Field != c.field) {
				t.Errorf("%s: %d field %q (%s)", c.name, code, ae.Error.Field, ae.Error.Message)
			}
		}
		// An ADV's own token does not feed channels; an admin's does.
		var ae apiError
		if code := e.call("POST", path, `[{"source_id": "adv-1", "body": "x"}]`, &ae); code != 403 || ae.Error.Code != "forbidden" {
			t.Errorf("ADV token: %d %+v", code, ae)
		}
		adminToken, _ := e.d.CreateAPIToken(ctx, e.admin, e.admin.AgentID, "admin")
		if code := e.call("POST", path, `[{"source_id": "adm-1", "order_ref": "405-1", "body": "x"}]`, &res, "Authorization", "Bearer "+adminToken); code != 200 || res.Stored != 1 {
			t.Errorf("admin token: %d %+v", code, res)
		}
	})
}
