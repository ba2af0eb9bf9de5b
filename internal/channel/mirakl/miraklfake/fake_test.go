package miraklfake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"guichet/internal/channel/mirakl/miraklfake"
)

func get(t *testing.T, f *miraklfake.Server, path, key string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.URL()+path, nil)
	if key != "" {
		req.Header.Set("Authorization", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

func TestFakeChecksTheKey(t *testing.T) {
	f := miraklfake.Start(t)
	for _, tt := range []struct {
		key  string
		want int
	}{{"", 401}, {"Bearer " + miraklfake.APIKey, 401}, {"wrong", 401}, {miraklfake.APIKey, 200}} {
		if got, _ := get(t, f, "/api/account", tt.key); got != tt.want {
			t.Errorf("key %q: %d, want %d", tt.key, got, tt.want)
		}
	}
}

func TestFakeShopAndLimits(t *testing.T) {
	f := miraklfake.Start(t, miraklfake.WithShopID(7))
	if got, _ := get(t, f, "/api/account", miraklfake.APIKey); got != 400 {
		t.Errorf("without shop_id: %d", got)
	}
	if got, _ := get(t, f, "/api/account?shop_id=8", miraklfake.APIKey); got != 403 {
		t.Errorf("another shop: %d", got)
	}
	if got, m := get(t, f, "/api/account?shop_id=7", miraklfake.APIKey); got != 200 || m["shop_id"] != float64(7) {
		t.Errorf("the shop: %d %v", got, m)
	}
	if got, _ := get(t, f, "/api/inbox/threads?shop_id=7&limit=101", miraklfake.APIKey); got != 400 {
		t.Errorf("limit over 100: %d", got)
	}
	if got, _ := get(t, f, "/api/inbox/threads?shop_id=7&page_token=nonsense", miraklfake.APIKey); got != 400 {
		t.Errorf("bad page token: %d", got)
	}
	f.TakeViolations()
}

func TestFakeDataset(t *testing.T) {
	f := miraklfake.Start(t, miraklfake.WithDataset(miraklfake.Dataset{Orders: 300, Messages: 3000, OperatorEvery: 5, OrderLess: 20, Seed: 1}))
	seen, pages, token := 0, 0, ""
	for {
		path := "/api/inbox/threads?limit=100&with_messages=true"
		if token != "" {
			path += "&page_token=" + token
		}
		code, m := get(t, f, path, miraklfake.APIKey)
		if code != 200 {
			t.Fatal(code, m)
		}
		pages++
		seen += len(m["data"].([]any))
		next, _ := m["next_page_token"].(string)
		if next == "" {
			break
		}
		token = next
	}
	if seen != 300+60+20 || pages != 4 {
		t.Errorf("%d threads in %d pages", seen, pages)
	}
}
