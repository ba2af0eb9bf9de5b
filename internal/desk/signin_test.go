package desk_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"guichet/internal/desk"
)

const goodPassword = "correct horse battery"

func signIn(f *fixture, email, password, addr string, devices ...string) (desk.SignedIn, error) {
	return f.d.SignIn(ctx, desk.SignInInput{Email: email, Password: password, Address: addr, Devices: devices})
}

// withLimits rebuilds the fixture's desk over the same store with other
// sign-in limits (a small address limit keeps the tests short).
func withLimits(f *fixture, l desk.SignInLimits) {
	f.d = desk.New(desk.Config{Store: f.s, Notifier: f.notes, Now: f.clock.Now, SignInLimits: l})
}

func TestAccountLockoutIsPerAccount(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		for i := range 5 {
			if _, err := signIn(f, "lea@example.fr", "wrong password", "192.0.2.1"); desk.ErrorCode(err) != desk.EUnauthorized {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		// Léa's account is locked, from any address, even with the right password...
		for _, addr := range []string{"192.0.2.1", "198.51.100.9"} {
			if _, err := signIn(f, "lea@example.fr", goodPassword, addr); !errors.Is(err, desk.ErrTooManyAttempts) {
				t.Errorf("locked account from %s: %v; want ErrTooManyAttempts", addr, err)
			}
		}
		// ...and nobody else's: Marc signs in from the very same address.
		if _, err := signIn(f, "marc@example.fr", goodPassword, "192.0.2.1"); err != nil {
			t.Errorf("another account from the guessing address: %v", err)
		}
		// Unknown emails are counted the same way (nothing tells them apart).
		for range 5 {
			signIn(f, "nobody@example.fr", "x", "192.0.2.1")
		}
		if _, err := signIn(f, "nobody@example.fr", "x", "192.0.2.1"); !errors.Is(err, desk.ErrTooManyAttempts) {
			t.Errorf("unknown email past the limit: %v", err)
		}
		f.clock.Add(desk.SignInWindow)
		if _, err := signIn(f, "lea@example.fr", goodPassword, "192.0.2.1"); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

func TestAddressLimitIsSeparateAndWellAboveTypos(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		withLimits(f, desk.SignInLimits{Address: 8})
		// Someone behind the office NAT sprays accounts: two guesses each,
		// under every account's limit.
		for i := range 4 {
			for range 2 {
				signIn(f, fmt.Sprintf("guess%d@example.fr", i), "password1", "203.0.113.7")
			}
		}
		if _, err := signIn(f, "marc@example.fr", goodPassword, "203.0.113.7"); !errors.Is(err, desk.ErrTooManyAttempts) {
			t.Errorf("from the address past its limit: %v; want ErrTooManyAttempts", err)
		}
		// Another address is not concerned, and IPv6 is counted by /64.
		if _, err := signIn(f, "marc@example.fr", goodPassword, "198.51.100.9"); err != nil {
			t.Errorf("from another address: %v", err)
		}
		for i := range 8 {
			signIn(f, fmt.Sprintf("guess%d@example.fr", i), "x", fmt.Sprintf("2001:db8:1:2::%x", i+1))
		}
		if _, err := signIn(f, "lea@example.fr", goodPassword, "2001:db8:1:2::ffff"); !errors.Is(err, desk.ErrTooManyAttempts) {
			t.Errorf("same IPv6 /64: %v; want ErrTooManyAttempts", err)
		}
		if _, err := signIn(f, "lea@example.fr", goodPassword, "2001:db8:1:3::1"); err != nil {
			t.Errorf("another IPv6 /64: %v", err)
		}
	})
}

func TestDeviceCookieExemptsFromAddressAndAccountLimits(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		withLimits(f, desk.SignInLimits{Address: 8})
		const office = "203.0.113.7"
		marc, err := signIn(f, "marc@example.fr", goodPassword, office)
		if err != nil || marc.Device == "" {
			t.Fatalf("first sign-in: %v, device %q", err, marc.Device)
		}
		// An attacker behind the same NAT trips the address limit and locks Marc's account.
		for i := range 8 {
			who := "marc@example.fr"
			if i >= 5 {
				who = fmt.Sprintf("x%d@example.fr", i)
			}
			signIn(f, who, "guess", office)
		}
		if _, err := signIn(f, "marc@example.fr", goodPassword, office); !errors.Is(err, desk.ErrTooManyAttempts) {
			t.Fatalf("without the device cookie: %v; want ErrTooManyAttempts", err)
		}
		// Marc at his usual browser signs in all the same, and keeps his device token.
		again, err := signIn(f, "marc@example.fr", goodPassword, office, "not-a-device", marc.Device)
		if err != nil || again.Device != marc.Device {
			t.Fatalf("with the device cookie: %v (device %q, want %q)", err, again.Device, marc.Device)
		}
		// Marc's device is no pass for Léa's account.
		if _, err := signIn(f, "lea@example.fr", goodPassword, office, marc.Device); !errors.Is(err, desk.ErrTooManyAttempts) {
			t.Errorf("another account's device: %v; want ErrTooManyAttempts", err)
		}
		// The device has a budget of its own: past it, it no longer exempts.
		for i := range 5 {
			if _, err := signIn(f, "marc@example.fr", "typo", office, marc.Device); desk.ErrorCode(err) != desk.EUnauthorized {
				t.Fatalf("device failure %d: %v", i+1, err)
			}
		}
		if _, err := signIn(f, "marc@example.fr", goodPassword, office, marc.Device); !errors.Is(err, desk.ErrTooManyAttempts) {
			t.Errorf("device past its budget: %v; want ErrTooManyAttempts", err)
		}
		// From another address the account's own lockout still holds for him.
		if _, err := signIn(f, "marc@example.fr", goodPassword, "198.51.100.1"); !errors.Is(err, desk.ErrTooManyAttempts) {
			t.Errorf("locked account elsewhere: %v", err)
		}
	})
}

// Parallel guesses at one account are counted before they are evaluated:
// at most the account limit of them reach argon2.
func TestParallelGuessesAreCountedBeforeTheCheck(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		before := f.d.PasswordStats().Hashes
		var wg sync.WaitGroup
		var mu sync.Mutex
		codes := map[string]int{}
		for range 40 {
			wg.Go(func() {
				_, err := signIn(f, "lea@example.fr", "wrong password", "192.0.2.1")
				mu.Lock()
				codes[desk.ErrorCode(err)]++
				mu.Unlock()
			})
		}
		wg.Wait()
		hashes := f.d.PasswordStats().Hashes - before
		t.Logf("40 parallel guesses: %v, %d hashes", codes, hashes)
		if hashes > 5 || codes[desk.EUnauthorized] > 5 || codes[desk.ETooMany] < 35 {
			t.Errorf("%d hashes, answers %v; want at most 5 evaluated, the rest too_many", hashes, codes)
		}
	})
}

func TestPasswordChecksAreBounded(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.d = desk.New(desk.Config{Store: f.s, Now: f.clock.Now, PasswordSlots: 2})
		var wg sync.WaitGroup
		for i := range 24 {
			wg.Go(func() {
				_, err := signIn(f, fmt.Sprintf("user%d@example.fr", i), "wrong", fmt.Sprintf("192.0.2.%d", i))
				if c := desk.ErrorCode(err); c != desk.EUnauthorized && c != desk.ETooMany {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		st := f.d.PasswordStats()
		t.Logf("24 parallel sign-ins on 2 slots: %+v", st)
		if st.Peak > 2 || st.Hashes+st.Busy != 24 {
			t.Errorf("stats %+v; want at most 2 hashes at once, every attempt hashed or refused busy", st)
		}
	})
}

func TestChangingOwnPasswordNeedsTheCurrentOne(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		a := desk.AgentInput{ID: f.lea.AgentID, Email: "lea@example.fr", Name: "Léa Martin", Role: desk.RoleADV, Active: true, Password: "a new password"}
		_, err := f.d.SaveAgent(ctx, f.lea, a)
		wantCode(t, err, desk.EInvalid, "current_password")
		a.CurrentPassword = "not the password"
		_, err = f.d.SaveAgent(ctx, f.lea, a)
		wantCode(t, err, desk.EInvalid, "current_password")
		if _, err := signIn(f, "lea@example.fr", "a new password", "192.0.2.1"); desk.ErrorCode(err) != desk.EUnauthorized {
			t.Fatalf("a refused change changed the password: %v", err)
		}
		a.CurrentPassword = goodPassword
		if _, err := f.d.SaveAgent(ctx, f.lea, a); err != nil {
			t.Fatal(err)
		}
		if _, err := signIn(f, "lea@example.fr", "a new password", "192.0.2.1"); err != nil {
			t.Errorf("new password: %v", err)
		}
		// Changing only the language needs no password.
		a.Password, a.CurrentPassword, a.Lang = "", "", "en"
		if _, err := f.d.SaveAgent(ctx, f.lea, a); err != nil {
			t.Errorf("language only: %v", err)
		}
		// An admin resets another agent's password without knowing it.
		_, err = f.d.SaveAgent(ctx, f.admin, desk.AgentInput{ID: f.marc.AgentID, Email: "marc@example.fr", Name: "Marc Durand",
			Role: desk.RoleADV, Active: true, Password: "reset by admin"})
		if err != nil {
			t.Fatalf("admin reset: %v", err)
		}
		if _, err := signIn(f, "marc@example.fr", "reset by admin", "192.0.2.1"); err != nil {
			t.Errorf("after the reset: %v", err)
		}
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		here, err := signIn(f, "lea@example.fr", goodPassword, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		there, _ := signIn(f, "lea@example.fr", goodPassword, "198.51.100.1")
		marc1, _ := signIn(f, "marc@example.fr", goodPassword, "192.0.2.1")
		_, err = f.d.SaveAgent(ctx, f.lea, desk.AgentInput{ID: f.lea.AgentID, Email: "lea@example.fr", Name: "Léa Martin", Role: desk.RoleADV,
			Active: true, Password: "a new password", CurrentPassword: goodPassword, KeepSession: here.Session.TokenHash})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.d.SessionAgent(ctx, here.Token); err != nil {
			t.Errorf("the session that changed the password ended: %v", err)
		}
		if _, _, err := f.d.SessionAgent(ctx, there.Token); desk.ErrorCode(err) != desk.EUnauthorized {
			t.Errorf("the other session survived: %v", err)
		}
		if _, _, err := f.d.SessionAgent(ctx, marc1.Token); err != nil {
			t.Errorf("another agent's session ended: %v", err)
		}
		// An admin's reset ends every session of that agent.
		_, err = f.d.SaveAgent(ctx, f.admin, desk.AgentInput{ID: f.marc.AgentID, Email: "marc@example.fr", Name: "Marc Durand",
			Role: desk.RoleADV, Active: true, Password: "reset by admin"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.d.SessionAgent(ctx, marc1.Token); desk.ErrorCode(err) != desk.EUnauthorized {
			t.Errorf("after an admin reset the session survived: %v", err)
		}
	})
}

func TestAPITokensListedAndRevokedByTheirAgent(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		token, err := f.d.CreateAPIToken(ctx, f.lea, f.lea.AgentID, "script de Léa")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.CreateAPIToken(ctx, f.lea, f.marc.AgentID, "pour Marc"); desk.ErrorCode(err) != desk.EForbidden {
			t.Errorf("ADV making a token for another: %v", err)
		}
		ts, err := f.d.APITokens(ctx, f.lea, desk.TokenFilter{AgentID: f.lea.AgentID})
		if err != nil || len(ts) != 1 || ts[0].Name != "script de Léa" || !ts[0].LastUsedAt.IsZero() {
			t.Fatalf("list: %+v %v", ts, err)
		}
		if _, err := f.d.APITokens(ctx, f.marc, desk.TokenFilter{AgentID: f.lea.AgentID}); desk.ErrorCode(err) != desk.EForbidden {
			t.Errorf("another ADV listing Léa's tokens: %v", err)
		}
		// Used: last_used_at is noted, then left alone within the minute.
		c, err := f.d.TokenCaller(ctx, token)
		if err != nil || c.Agent.ID != f.lea.AgentID || c.Actor().AgentID != f.lea.AgentID {
			t.Fatalf("token caller: %+v %v", c, err)
		}
		first := c.Token.LastUsedAt
		f.clock.Add(10 * time.Second)
		f.d.TokenCaller(ctx, token)
		ts, _ = f.d.APITokens(ctx, f.lea, desk.TokenFilter{AgentID: f.lea.AgentID})
		if !ts[0].LastUsedAt.Equal(first) || first.IsZero() {
			t.Errorf("last used %v; want %v, unchanged within the minute", ts[0].LastUsedAt, first)
		}
		f.clock.Add(2 * time.Minute)
		f.d.TokenCaller(ctx, token)
		ts, _ = f.d.APITokens(ctx, f.lea, desk.TokenFilter{AgentID: f.lea.AgentID})
		if !ts[0].LastUsedAt.After(first) {
			t.Errorf("last used %v; want later than %v", ts[0].LastUsedAt, first)
		}
		// Only its agent (or an admin) revokes it; then it stops working at once.
		if _, err := f.d.RevokeAPIToken(ctx, f.marc, ts[0].ID); !desk.IsNotFound(err) {
			t.Errorf("another ADV revoking: %v; want not found", err)
		}
		if _, err := f.d.RevokeAPIToken(ctx, f.lea, ts[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.TokenCaller(ctx, token); desk.ErrorCode(err) != desk.EUnauthorized {
			t.Errorf("revoked token: %v; want unauthorized", err)
		}
	})
}

func TestIntegrationTokenActsAsTheSystem(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		if _, err := f.d.CreateIntegrationToken(ctx, f.lea, "bouton PrestaShop"); desk.ErrorCode(err) != desk.EForbidden {
			t.Errorf("ADV making an integration token: %v", err)
		}
		token, err := f.d.CreateIntegrationToken(ctx, f.admin, "bouton PrestaShop")
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.d.TokenCaller(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		in, ok := c.Integration()
		actor := c.Actor()
		if !ok || in.Name != "bouton PrestaShop" || c.Agent.ID != 0 || actor.AgentID != 0 || actor.Name != "intégration bouton PrestaShop" || actor.IsAdmin() {
			t.Fatalf("caller %+v, integration %+v %v, actor %+v", c, in, ok, actor)
		}
		// What it opens goes to the channel's responsible ADV (Marc for Kaufland).
		tk, created, err := f.d.OpenTicket(ctx, actor, desk.OpenInput{ChannelID: f.kaufland.ID, OrderRef: "KA-INT-1"})
		if err != nil || !created {
			t.Fatal(created, err)
		}
		if tk.AssigneeID != f.marc.AgentID {
			t.Errorf("assignee %d; want the channel's responsible %d", tk.AssigneeID, f.marc.AgentID)
		}
		v := f.view(t, tk.ID)
		if ev := v.Events[0]; ev.ActorName != "intégration bouton PrestaShop" || ev.AgentID != 0 {
			t.Errorf("history: %+v", ev)
		}
		// It is no agent: replies and notes are refused.
		if _, err := f.d.AddNote(ctx, actor, tk.ID, "note"); desk.ErrorCode(err) != desk.EForbidden {
			t.Errorf("note by an integration: %v", err)
		}
		ts, _ := f.d.APITokens(ctx, f.admin, desk.TokenFilter{Integrations: true})
		if len(ts) != 1 || !ts[0].IsIntegration() {
			t.Fatalf("integrations: %+v", ts)
		}
		if _, err := f.d.RevokeAPIToken(ctx, f.admin, ts[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.TokenCaller(ctx, token); desk.ErrorCode(err) != desk.EUnauthorized {
			t.Errorf("revoked integration token: %v", err)
		}
	})
}

// An email with a NUL or broken UTF-8 names no account: a wrong sign-in
// like any other, on both engines (PostgreSQL refuses a NUL in a query).
func TestSignInWithUnreadableEmailIsUnauthorized(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		for _, email := range []string{"lea\x00@example.fr", "lea\xff@example.fr"} {
			if _, err := signIn(f, email, goodPassword, "192.0.2.1"); desk.ErrorCode(err) != desk.EUnauthorized {
				t.Errorf("sign in as %q: %v; want unauthorized", email, err)
			}
		}
	})
}
