package ui_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"guichet/internal/desk"
)

func (c *client) tryLogin(email, pw string, headers ...string) (*http.Response, string) {
	c.t.Helper()
	return c.postForm("/login", url.Values{"email": {email}, "password": {pw}}, headers...)
}

func TestSignInLockoutIsPerAccount(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for i := range 5 {
		res, body := c.tryLogin("lea@example.fr", "wrong password")
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Email ou mot de passe incorrect") {
			t.Fatalf("failure %d: %d", i+1, res.StatusCode)
		}
	}
	res, body := c.tryLogin("lea@example.fr", password)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Trop de tentatives") {
		t.Errorf("6th try with the right password: %d; want 429 with a French message", res.StatusCode)
	}
	if len(res.Cookies()) != 0 {
		t.Errorf("a refused sign-in set cookies: %v", res.Cookies())
	}
	// Same address, another account: not concerned by Léa's lockout.
	shared := e.client()
	res, _ = shared.tryLogin("marc@example.fr", password)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("same address, other account with its right password: %d; want 303", res.StatusCode)
	}
	var device *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "guichet_device" {
			device = ck
		}
	}
	if device == nil || !device.HttpOnly || device.Path != "/login" || device.SameSite != http.SameSiteStrictMode || device.MaxAge < 300*86400 {
		t.Errorf("device cookie %+v; want HttpOnly, Path=/login, SameSite=Strict, a long life", device)
	}
	// A computer shared by colleagues keeps each one's device token.
	_, inbox := shared.get("/")
	csrf := inbox[strings.Index(inbox, `name="csrf-token" content="`)+len(`name="csrf-token" content="`):]
	shared.postForm("/logout", url.Values{"csrf": {csrf[:strings.Index(csrf, `"`)]}})
	shared.tryLogin("admin@example.fr", password)
	both := ""
	for _, ck := range shared.http.Jar.Cookies(mustURL(e.srv.URL + "/login")) {
		if ck.Name == "guichet_device" {
			both = ck.Value
		}
	}
	if tokens := strings.Split(both, "."); len(tokens) != 2 || tokens[1] != device.Value {
		t.Errorf("device cookie after two accounts: %q; want the new token, then Marc's", both)
	}
}

// Behind the office NAT everyone is one address: the address limit is far
// above one person's typos, and a browser that signed in before (device
// cookie) is exempt from it.
func TestSignInAddressLimitAndDeviceCookie(t *testing.T) {
	e := newEnv(t, trustingProxies("127.0.0.1"))
	office := []string{"X-Forwarded-For", "203.0.113.7"}
	marc := e.client().signIn("marc@example.fr") // from his usual browser; then he signs out
	var device *http.Cookie
	for _, ck := range marc.http.Jar.Cookies(mustURL(e.srv.URL + "/login")) {
		if ck.Name == "guichet_device" {
			device = ck
		}
	}
	if device == nil || len(device.Value) < 40 {
		t.Fatalf("no device cookie after sign-in: %v", device)
	}
	if res, _ := marc.postForm("/logout", url.Values{"csrf": {marc.csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	// Léa mistypes twice, and signs in: typos are far from the address limit.
	lea := e.client()
	lea.tryLogin("lea@example.fr", "typo 1", office...)
	lea.tryLogin("lea@example.fr", "typo 2", office...)
	if res, _ := lea.tryLogin("lea@example.fr", password, office...); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Léa after two typos: %d", res.StatusCode)
	}
	// Someone on the same network sprays accounts: 5 guesses on each of ten.
	attacker := e.client()
	for i := range 48 {
		res, _ := attacker.tryLogin(fmt.Sprintf("adv%d@example.fr", i%10), "Password1!", office...)
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, res.StatusCode)
		}
	}
	if res, _ := attacker.tryLogin("zz@example.fr", "x", office...); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("past the address limit: %d; want 429", res.StatusCode)
	}
	// A new browser at the office is refused now, whatever the account...
	if res, _ := e.client().tryLogin("lea@example.fr", password, office...); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("new browser behind the tripped address: %d; want 429", res.StatusCode)
	}
	// ...another address is not...
	if res, _ := e.client().tryLogin("lea@example.fr", password, "X-Forwarded-For", "198.51.100.20"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("other address: %d; want 303", res.StatusCode)
	}
	// ...and Marc at his usual browser signs in all the same.
	if res, _ := marc.tryLogin("marc@example.fr", password, office...); res.StatusCode != http.StatusSeeOther {
		t.Errorf("with the device cookie behind the tripped address: %d; want 303", res.StatusCode)
	}
	// A forged X-Forwarded-For from an untrusted peer is ignored: without
	// trusted proxies the address is the peer's.
	e2 := newEnv(t)
	for i := range 50 {
		e2.client().tryLogin(fmt.Sprintf("x%d@example.fr", i%10), "x", "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i))
	}
	if res, _ := e2.client().tryLogin("lea@example.fr", password, "X-Forwarded-For", "192.0.2.99"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("untrusted X-Forwarded-For changed the address: %d; want 429", res.StatusCode)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// 40 wrong passwords at once for one account: at most the account limit of
// them are evaluated; the others get 429 with no hash computed.
func TestParallelWrongPasswordsAreCountedBeforeTheCheck(t *testing.T) {
	e := newEnv(t)
	before := e.d.PasswordStats().Hashes
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			res, _ := e.client().tryLogin("lea@example.fr", "wrong password")
			mu.Lock()
			codes[res.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	hashes := e.d.PasswordStats().Hashes - before
	t.Logf("40 parallel wrong passwords: answers %v, %d argon2 evaluations", codes, hashes)
	if hashes > 5 || codes[http.StatusUnauthorized] > 5 || codes[http.StatusTooManyRequests] < 35 {
		t.Errorf("answers %v, %d hashes; want at most 5 evaluated, the rest 429", codes, hashes)
	}
}

// A flood of bad sign-ins from many addresses and accounts (none over its
// limit) still runs at most the gate's slots of argon2 at once: memory stays
// bounded. The figure is logged: go test ./internal/web/ui -run TestSignInFloodMemory -v
func TestSignInFloodMemory(t *testing.T) {
	e := newEnv(t, trustingProxies("127.0.0.1"))
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM where allowed
	start := vmHWM(t)
	before := e.d.PasswordStats()
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Go(func() {
			res, _ := e.client().tryLogin(fmt.Sprintf("flood%d@example.fr", i), "wrong password",
				"X-Forwarded-For", fmt.Sprintf("198.51.%d.%d", i/250, i%250+1))
			mu.Lock()
			codes[res.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	st := e.d.PasswordStats()
	peak := vmHWM(t)
	t.Logf("100 parallel bad sign-ins: answers %v; %d hashes, %d refused busy, at most %d at once (%d slots); VmHWM %d MiB (%d MiB before)",
		codes, st.Hashes-before.Hashes, st.Busy-before.Busy, st.Peak, desk.DefaultPasswordSlots(), peak>>20, start>>20)
	if st.Peak > int64(desk.DefaultPasswordSlots()) {
		t.Errorf("%d hashes at once; want at most %d", st.Peak, desk.DefaultPasswordSlots())
	}
	if codes[http.StatusUnauthorized]+codes[http.StatusTooManyRequests] != 100 {
		t.Errorf("answers %v; want 401 or 429 only", codes)
	}
	if peak > 400<<20 {
		t.Errorf("peak RSS %d MiB; want under 400 MiB", peak>>20)
	}
}

// vmHWM is the process's peak resident memory, in bytes.
func vmHWM(t *testing.T) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	t.Skip("no VmHWM line")
	return 0
}

func TestPasswordChangeNeedsTheCurrentOneAndEndsOtherSessions(t *testing.T) {
	e := newEnv(t)
	here := e.client().signIn("lea@example.fr")
	there := e.client().signIn("lea@example.fr")
	marc := e.client().signIn("marc@example.fr")
	change := url.Values{"csrf": {here.csrf}, "lang": {"fr"}, "password": {"a brand new password"}, "password_confirm": {"a brand new password"}}
	res, body := here.postForm("/settings", change)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "mot de passe actuel obligatoire") || !strings.Contains(body, `id="err-current_password"`) {
		t.Errorf("without the current password: %d", res.StatusCode)
	}
	change.Set("current_password", "not my password")
	if res, body := here.postForm("/settings", change); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "mot de passe actuel incorrect") {
		t.Errorf("with a wrong current password: %d", res.StatusCode)
	}
	if res, _ := there.get("/"); res.StatusCode != http.StatusOK {
		t.Fatalf("a refused change ended a session: %d", res.StatusCode)
	}
	change.Set("current_password", password)
	if res, body := here.postForm("/settings", change); res.StatusCode != http.StatusOK || !strings.Contains(body, "Réglages enregistrés") {
		t.Fatalf("with the current password: %d", res.StatusCode)
	}
	if res, _ := here.get("/"); res.StatusCode != http.StatusOK {
		t.Errorf("the session that changed the password was ended: %d", res.StatusCode)
	}
	if res, _ := there.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Léa's other session still works after the change: %d", res.StatusCode)
	}
	if res, _ := marc.get("/"); res.StatusCode != http.StatusOK {
		t.Errorf("Marc's session ended: %d", res.StatusCode)
	}
	if res, _ := e.client().tryLogin("lea@example.fr", "a brand new password"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the new password: %d", res.StatusCode)
	}
	// An admin resets Marc's password from the admin page without knowing it.
	admin := e.client().signIn("admin@example.fr")
	res, _ = admin.postForm("/admin/agents/"+itoa(e.marc.AgentID), url.Values{"csrf": {admin.csrf}, "email": {"marc@example.fr"},
		"name": {"Marc Durand"}, "role": {"adv"}, "lang": {"fr"}, "active": {"1"}, "password": {"reset by the admin"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin reset: %d", res.StatusCode)
	}
	if res, _ := marc.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Marc's session survived an admin reset: %d", res.StatusCode)
	}
	// On their own account the admin page asks for the current password too.
	_, body = admin.get("/admin/agents/" + itoa(e.admin.AgentID))
	if !strings.Contains(body, `name="current_password"`) {
		t.Error("the admin's own page has no current password field")
	}
	res, _ = admin.postForm("/admin/agents/"+itoa(e.admin.AgentID), url.Values{"csrf": {admin.csrf}, "email": {"admin@example.fr"},
		"name": {"Administrateur"}, "role": {"admin"}, "lang": {"fr"}, "active": {"1"}, "password": {"a new admin password"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("admin changing their own password without the current one: %d; want 400", res.StatusCode)
	}
}

func TestSettingsListAndRevokeAPITokens(t *testing.T) {
	e := newEnv(t)
	token, err := e.d.CreateAPIToken(ctx, e.lea, e.lea.AgentID, "extension Chrome")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.CreateAPIToken(ctx, e.admin, e.marc.AgentID, "script de Marc"); err != nil {
		t.Fatal(err)
	}
	lea := e.client().signIn("lea@example.fr")
	_, body := lea.get("/settings")
	if !strings.Contains(body, "Jetons d&#39;API") || !strings.Contains(body, "extension Chrome") || !strings.Contains(body, "jamais") || strings.Contains(body, "script de Marc") {
		t.Fatalf("settings page does not list exactly Léa's token:\n%s", body)
	}
	api := func() int {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := api(); code != 200 {
		t.Fatalf("token before revoking: %d", code)
	}
	if _, body := lea.get("/settings"); strings.Contains(body, "jamais") {
		t.Error("last use not shown after a call")
	}
	ts, _ := e.d.APITokens(ctx, e.lea, desk.TokenFilter{AgentID: e.lea.AgentID})
	revoke := "/settings/tokens/" + itoa(ts[0].ID) + "/revoke"
	marc := e.client().signIn("marc@example.fr")
	if res, _ := marc.postForm(revoke, url.Values{"csrf": {marc.csrf}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("Marc revoking Léa's token: %d; want 404", res.StatusCode)
	}
	if res, _ := lea.postForm(revoke, url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("revoke without the CSRF token: %d; want 403", res.StatusCode)
	}
	res, _ := lea.postForm(revoke, url.Values{"csrf": {lea.csrf}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/settings?ok=revoked" {
		t.Fatalf("revoke: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := lea.get("/settings?ok=revoked"); !strings.Contains(body, "Jeton révoqué") || !strings.Contains(body, "Aucun jeton") {
		t.Error("settings after revoking")
	}
	if code := api(); code != http.StatusUnauthorized {
		t.Errorf("revoked token: %d; want 401", code)
	}
}

func TestAdminManagesIntegrationTokens(t *testing.T) {
	e := newEnv(t)
	if res, _ := e.client().signIn("lea@example.fr").get("/admin/integrations"); res.StatusCode != http.StatusForbidden {
		t.Errorf("ADV on the integrations page: %d; want 403", res.StatusCode)
	}
	admin := e.client().signIn("admin@example.fr")
	if res, body := admin.postForm("/admin/integrations", url.Values{"csrf": {admin.csrf}, "name": {" "}}); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "champ obligatoire") {
		t.Errorf("no name: %d", res.StatusCode)
	}
	res, body := admin.postForm("/admin/integrations", url.Values{"csrf": {admin.csrf}, "name": {"bouton PrestaShop"}})
	i := strings.Index(body, "gch_")
	if res.StatusCode != http.StatusCreated || i < 0 || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: %d, token shown: %v", res.StatusCode, i >= 0)
	}
	token := body[i : i+strings.Index(body[i:], "<")]
	call := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		c := e.client()
		res, b := c.do(req)
		return res.StatusCode, b
	}
	code, out := call("POST", "/api/v1/tickets", fmt.Sprintf(`{"channel_id": %d, "order_ref": "KA-77"}`, e.kaufland.ID))
	if code != 201 || !strings.Contains(out, fmt.Sprintf(`"assignee_id":%d`, e.lea.AgentID)) {
		t.Errorf("ticket opened by the integration: %d %s; want it assigned to Kaufland's responsible", code, out)
	}
	_, body = admin.get("/admin/integrations")
	if !strings.Contains(body, "bouton PrestaShop") || strings.Contains(body, token) {
		t.Errorf("the list shows the integration, never its token again")
	}
	ts, _ := e.d.APITokens(ctx, e.admin, desk.TokenFilter{Integrations: true})
	if res, _ := admin.postForm("/admin/integrations/"+itoa(ts[0].ID)+"/revoke", url.Values{"csrf": {admin.csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if code, _ := call("GET", "/api/v1/me", ""); code != http.StatusUnauthorized {
		t.Errorf("revoked integration token: %d; want 401", code)
	}
}
