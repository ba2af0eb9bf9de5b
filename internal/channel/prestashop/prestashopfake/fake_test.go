package prestashopfake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/channel/prestashop/prestashopfake"
)

func call(t *testing.T, f *prestashopfake.Server, method, path string, q url.Values, body string) (int, string) {
	t.Helper()
	u := f.URL() + "/api/" + path
	if q != nil {
		u += "?" + q.Encode()
	}
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	req.SetBasicAuth(prestashopfake.Key, "")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestListQuirksFiltersSortLimit(t *testing.T) {
	f := prestashopfake.Start(t)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a := f.AddThread(prestashopfake.Thread{Email: "a@example.com", At: at})
	b := f.AddThread(prestashopfake.Thread{Email: "b@example.com", At: at.Add(time.Hour), Status: "closed"})
	f.AddThread(prestashopfake.Thread{Email: "c@example.com", At: at.Add(2 * time.Hour), Status: "pending1"})
	j := url.Values{"output_format": {"JSON"}, "display": {"full"}}
	q := func(kv ...string) url.Values {
		v := url.Values{}
		for k, x := range j {
			v[k] = x
		}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	ids := func(body string) []string {
		var env map[string][]map[string]any
		if strings.TrimSpace(body) == "[]" {
			return nil
		}
		if err := json.Unmarshal([]byte(body), &env); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		var out []string
		for _, it := range env["customer_threads"] {
			b, _ := json.Marshal(it["id"])
			out = append(out, string(b))
		}
		return out
	}
	status, body := call(t, f, "GET", "customer_threads", q(), "")
	if status != 200 || strings.Contains(body, `"id_order"`) || !strings.Contains(body, `"id":1,`) || !strings.Contains(body, `"id_lang":"1"`) {
		t.Errorf("quirks: %d %s (id_order 0 dropped, id a number, the rest strings)", status, body)
	}
	for _, tc := range []struct {
		q    url.Values
		want string
	}{
		{q("filter[status]", "[open|closed]"), "[1 2]"},
		{q("filter[id]", "[1,3]"), "[1 2]"}, // interval: last member excluded
		{q("filter[email]", "[b]%"), "[2]"},
		{q("filter[email]", "%[example.com]"), "[1 2 3]"},
		{q("filter[status]", "![open]"), "[2 3]"},
		{q("filter[id]", ">[1]", "sort", "[id_DESC]"), "[3 2]"},
		{q("date", "1", "filter[date_upd]", ">[2026-03-01 10:00:00]"), "[2 3]"},
		{q("sort", "[date_upd_DESC]", "limit", "1,1"), "[2]"},
		{q("limit", "2"), "[1 2]"},
		{q("filter[status]", "[nothing]"), "[]"},
	} {
		status, body := call(t, f, "GET", "customer_threads", tc.q, "")
		if got := strings.Join(ids(body), " "); status != 200 || "["+got+"]" != tc.want {
			t.Errorf("%v: %d %s, want %s", tc.q, status, body, tc.want)
		}
	}
	if _, body := call(t, f, "GET", "customer_threads", q("filter[status]", "[nothing]"), ""); strings.TrimSpace(body) != "[]" {
		t.Errorf("an empty list is %s, want []", body)
	}
	for _, bad := range []url.Values{
		q("filter[date_upd]", ">[2026-03-01 10:00:00]"), // no date=1
		q("filter[nope]", "[1]"), q("sort", "[nope_ASC]"), q("sort", "date_upd"), q("limit", "x"), q("display", "[nope]"),
	} {
		if status, body := call(t, f, "GET", "customer_threads", bad, ""); status != 400 || !strings.Contains(body, `"errors"`) {
			t.Errorf("%v: %d %s, want 400 with errors", bad, status, body)
		}
	}
	// display=[…] gives those fields only; no display, ids only.
	if _, body := call(t, f, "GET", "customer_threads", url.Values{"output_format": {"JSON"}, "display": {"[id,email]"}, "limit": {"1"}}, ""); body != `{"customer_threads":[{"id":1,"email":"a@example.com"}]}` {
		t.Errorf("display: %s", body)
	}
	if _, body := call(t, f, "GET", "customer_threads", url.Values{"output_format": {"JSON"}, "limit": {"1"}}, ""); body != `{"customer_threads":[{"id":1}]}` {
		t.Errorf("no display: %s", body)
	}
	_ = a
	_ = b
}

func TestWritesInXML(t *testing.T) {
	f := prestashopfake.Start(t)
	th := f.AddThread(prestashopfake.Thread{Email: "a@example.com"})
	good := `<prestashop xmlns:xlink="http://www.w3.org/1999/xlink"><customer_message><id_employee><![CDATA[1]]></id_employee>` +
		`<id_customer_thread><![CDATA[` + itoa(th) + `]]></id_customer_thread><message><![CDATA[Bonjour]]></message><private>0</private></customer_message></prestashop>`
	status, body := call(t, f, "POST", "customer_messages", url.Values{"output_format": {"JSON"}}, good)
	if status != 201 || !strings.Contains(body, `"customer_message":{"id":`) {
		t.Errorf("good: %d %s", status, body)
	}
	for name, bad := range map[string]string{
		"malformed":      `<prestashop><customer_message><message>Bonjour</customer_message>`,
		"json":           `{"customer_message":{"message":"Bonjour"}}`,
		"wrong element":  `<prestashop><customer_thread><message>x</message></customer_thread></prestashop>`,
		"unknown field":  `<prestashop><customer_message><message>x</message><nope>1</nope></customer_message></prestashop>`,
		"no message":     `<prestashop><customer_message><id_customer_thread>` + itoa(th) + `</id_customer_thread></customer_message></prestashop>`,
		"formatted id":   `<prestashop><customer_message><id_customer_thread>` + "\n  " + itoa(th) + "\n" + `</id_customer_thread><message>x</message></customer_message></prestashop>`,
		"unknown thread": `<prestashop><customer_message><id_customer_thread>999</id_customer_thread><message>x</message></customer_message></prestashop>`,
	} {
		if status, body := call(t, f, "POST", "customer_messages", nil, bad); status != 400 || !strings.Contains(body, "<errors>") {
			t.Errorf("%s: %d %s, want 400 with a PrestaShop error", name, status, body)
		}
	}
	if len(f.Posted()) != 1 {
		t.Errorf("posted %d, want 1", len(f.Posted()))
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
