package kauflandfake_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/internal/channel/kaufland/kauflandfake"
)

// get sends a request signed by hand, at the given timestamp.
func get(t *testing.T, f *kauflandfake.Server, path string, ts int64, secret string) (int, map[string]any) {
	t.Helper()
	uri := f.URL() + path
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("GET\n" + uri + "\n\n" + strconv.FormatInt(ts, 10)))
	req, _ := http.NewRequest("GET", uri, nil)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "test")
	req.Header.Set("Shop-Client-Key", kauflandfake.ClientKey)
	req.Header.Set("Shop-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("Shop-Signature", hex.EncodeToString(m.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

func TestFakeChecksSignatureAndWindow(t *testing.T) {
	f := kauflandfake.Start(t)
	now := f.Now().Unix()
	tests := []struct {
		name   string
		ts     int64
		secret string
		want   int
	}{
		{"good", now, kauflandfake.SecretKey, 200},
		{"wrong secret", now, "not-the-secret", 401},
		{"stale", now - int64((16 * time.Minute).Seconds()), kauflandfake.SecretKey, 401},
		{"future", now + int64((16 * time.Minute).Seconds()), kauflandfake.SecretKey, 401},
		{"edge of window", now - int64((14 * time.Minute).Seconds()), kauflandfake.SecretKey, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, f, "/tickets?limit=1", tt.ts, tt.secret)
			if status != tt.want {
				t.Fatalf("status %d, want %d (%v)", status, tt.want, body)
			}
			if status == 401 && (body["message"] == "" || body["errors"] == nil) {
				t.Errorf("401 without an ErrorResponse: %v", body)
			}
		})
	}
}

func TestFakeRefusesLimitOver30(t *testing.T) {
	f := kauflandfake.Start(t)
	status, body := get(t, f, "/tickets/messages?limit=31", f.Now().Unix(), kauflandfake.SecretKey)
	if status != 400 {
		t.Fatalf("status %d, want 400: %v", status, body)
	}
	if v := f.TakeViolations(); len(v) != 1 || !strings.Contains(v[0], "limit") {
		t.Errorf("violations: %q", v)
	}
}

func TestFakeRecordsUnknownPaths(t *testing.T) {
	f := kauflandfake.Start(t)
	status, _ := get(t, f, "/tickets/not-a-ticket-id/close-ish", f.Now().Unix(), kauflandfake.SecretKey)
	if status != 400 && status != 404 {
		t.Fatalf("status %d", status)
	}
	if len(f.TakeViolations()) == 0 {
		t.Error("no violation for an unknown path")
	}
}

func TestFakeFiltersAndSorts(t *testing.T) {
	f := kauflandfake.Start(t)
	o := f.AddOrder(kauflandfake.Order{})
	tk := f.OpenTicket(o.ID, "product_return", "")
	t0 := f.Now()
	f.AddMessageAt(tk, "buyer", "un", t0.Add(-time.Hour))
	f.AddMessageAt(tk, "buyer", "deux", t0)
	f.AddMessageAt(tk, "buyer", "trois", t0)
	status, body := get(t, f, "/tickets/messages?sort=ts_created_iso:asc&ts_created_from_iso="+t0.Format(time.RFC3339)+"&limit=1&offset=1",
		f.Now().Unix(), kauflandfake.SecretKey)
	if status != 200 {
		t.Fatalf("status %d: %v", status, body)
	}
	data := body["data"].([]any)
	if len(data) != 1 || data[0].(map[string]any)["text"] != "trois" {
		t.Errorf("data %v", data)
	}
	if p := body["pagination"].(map[string]any); p["total"].(float64) != 2 {
		t.Errorf("pagination %v", p)
	}
}

func TestSpecPathFromEnv(t *testing.T) {
	p, err := kauflandfake.SpecPath()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(kauflandfake.SpecEnv, p)
	if _, err := kauflandfake.New(); err != nil {
		t.Fatal(err)
	}
	t.Setenv(kauflandfake.SpecEnv, "/nonexistent.json")
	if _, err := kauflandfake.New(); err == nil {
		t.Error("no error for a missing spec")
	}
}
