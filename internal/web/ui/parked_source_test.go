package ui_test

import (
	"net/http"
	"regexp"
	"testing"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// An email its connector could not read is parked with its bytes: the
// admin's page offers them to download, as sent; an ADV gets 403.
func TestParkedUnreadableEmailSource(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnvOn(t, s)
		raw := "From: a@client.test\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\n<script>alert(1)</script>\r\n"
		res, err := e.d.Ingest(ctx, []desk.Incoming{{ChannelID: e.shop.ID, SourceID: "broken@client.test",
			Unreadable: "message illisible (MIME) : frontière absente", Raw: []byte(raw), OnlyExisting: true}})
		if err != nil || len(res.Parked) != 1 {
			t.Fatalf("ingest %+v, %v", res, err)
		}
		c := e.client().signIn("admin@example.fr")
		_, body := c.get("/admin/parked")
		m := regexp.MustCompile(`href="(/admin/parked/\d+/source)" download`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no download link:\n%s", body)
		}
		got, data := c.get(m[1])
		if got.StatusCode != http.StatusOK || data != raw || got.Header.Get("Content-Type") != "application/octet-stream" ||
			got.Header.Get("Content-Disposition") == "" {
			t.Errorf("download: %d %q %q %q", got.StatusCode, got.Header.Get("Content-Type"), got.Header.Get("Content-Disposition"), data)
		}
		adv := e.client().signIn("lea@example.fr")
		if res, _ := adv.get(m[1]); res.StatusCode != http.StatusForbidden {
			t.Errorf("an ADV downloads it: %d", res.StatusCode)
		}
	})
}
