package shoplink_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/internal/shoplink"
)

func TestVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	secret := "0123456789abcdef0123456789abcdef"
	ts := now.Unix()
	sig := shoplink.Sign(secret, "3", "XKBKNABJK", ts)
	at := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	cases := []struct {
		name                string
		secret, shop, order string
		ts, sig             string
		want                error
	}{
		{"valid", secret, "3", "XKBKNABJK", at(0), sig, nil},
		{"valid, upper case hex", secret, "3", "XKBKNABJK", at(0), strings.ToUpper(sig), nil},
		{"another order", secret, "3", "OTHERORDR", at(0), sig, shoplink.ErrForged},
		{"another shop", secret, "4", "XKBKNABJK", at(0), sig, shoplink.ErrForged},
		{"another time", secret, "3", "XKBKNABJK", at(time.Second), sig, shoplink.ErrForged},
		{"another secret", "x" + secret[1:], "3", "XKBKNABJK", at(0), sig, shoplink.ErrForged},
		{"not hex", secret, "3", "XKBKNABJK", at(0), "zz" + sig[2:], shoplink.ErrForged},
		{"truncated", secret, "3", "XKBKNABJK", at(0), sig[:20], shoplink.ErrForged},
		{"no time", secret, "3", "XKBKNABJK", "", sig, shoplink.ErrMissing},
		{"bad time", secret, "3", "XKBKNABJK", "soon", sig, shoplink.ErrForged},
		{"no secret here", "", "3", "XKBKNABJK", at(0), sig, shoplink.ErrMissing},
		{"newline smuggled", secret, "3\nXKBKNABJK", "", at(0), sig, shoplink.ErrMissing},
	}
	for _, c := range cases {
		if err := shoplink.Verify(c.secret, c.shop, c.order, c.ts, c.sig, now); !errors.Is(err, c.want) {
			t.Errorf("%s: %v; want %v", c.name, err, c.want)
		}
	}
	old := now.Add(-shoplink.MaxAge - time.Second)
	if err := shoplink.Verify(secret, "3", "A", strconv.FormatInt(old.Unix(), 10), shoplink.Sign(secret, "3", "A", old.Unix()), now); !errors.Is(err, shoplink.ErrExpired) {
		t.Errorf("expired: %v", err)
	}
	late := now.Add(-shoplink.MaxAge + time.Second)
	if err := shoplink.Verify(secret, "3", "A", strconv.FormatInt(late.Unix(), 10), shoplink.Sign(secret, "3", "A", late.Unix()), now); err != nil {
		t.Errorf("within the age: %v", err)
	}
	ahead := now.Add(shoplink.Skew + time.Minute)
	if err := shoplink.Verify(secret, "3", "A", strconv.FormatInt(ahead.Unix(), 10), shoplink.Sign(secret, "3", "A", ahead.Unix()), now); !errors.Is(err, shoplink.ErrFuture) {
		t.Errorf("ahead: %v", err)
	}
}

// The module's PHP signs exactly as guichet checks: same signature, and a
// link guichet accepts, for fixed inputs (accents, spaces, a long secret).
// Skipped without php, required when GUICHET_REQUIRE_PHP=1 (CI).
func TestPHPModuleSignsAsGuichet(t *testing.T) {
	php, err := exec.LookPath("php")
	if err != nil {
		if os.Getenv("GUICHET_REQUIRE_PHP") == "1" {
			t.Fatal("php required (GUICHET_REQUIRE_PHP=1) but not on PATH")
		}
		t.Skip("php not on PATH (set GUICHET_REQUIRE_PHP=1 to fail)")
	}
	type input struct {
		Secret string `json:"secret"`
		Shop   string `json:"shop"`
		Order  string `json:"order"`
		TS     int64  `json:"ts"`
		Base   string `json:"base"`
	}
	cases := []input{
		{"0123456789abcdef0123456789abcdef", "3", "XKBKNABJK", 1_800_000_000, "https://guichet.example.com/"},
		{"un secret très long, avec des accents é à ü et des espaces", "12", "FNAC-123 456/7", 1_700_000_123, "http://127.0.0.1:8080"},
		{strings.Repeat("k", 100), "1", "Ω&=?#", 0, "https://g.example/desk"},
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command(php, filepath.Join("..", "..", "prestashop-module", "tests", "sign_test.php"))
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("php: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2*len(cases) {
		t.Fatalf("php printed %d lines:\n%s", len(lines), out)
	}
	for i, c := range cases {
		want := shoplink.Sign(c.Secret, c.Shop, c.Order, c.TS)
		if lines[2*i] != want {
			t.Errorf("case %d: php signs %s, guichet %s", i, lines[2*i], want)
		}
		u, err := url.Parse(lines[2*i+1])
		if err != nil {
			t.Fatalf("case %d: link %q: %v", i, lines[2*i+1], err)
		}
		if !strings.HasSuffix(u.Path, "/shop/order") || !strings.HasPrefix(lines[2*i+1], strings.TrimRight(c.Base, "/")+"/shop/order?") {
			t.Errorf("case %d: link %s", i, lines[2*i+1])
		}
		q := u.Query()
		if q.Get("order") != c.Order || q.Get("shop") != c.Shop {
			t.Errorf("case %d: link carries %v", i, q)
		}
		if err := shoplink.Verify(c.Secret, q.Get("shop"), q.Get("order"), q.Get("ts"), q.Get("sig"), time.Unix(c.TS, 0).Add(time.Minute)); err != nil {
			t.Errorf("case %d: guichet refuses the module's link: %v", i, err)
		}
	}
}
