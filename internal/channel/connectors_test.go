package channel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"guichet/internal/channel"
	"guichet/internal/channel/fakechannel"
	"guichet/internal/desk"
	"guichet/internal/secret"
	"guichet/internal/store/storetest"
)

var ctx = context.Background()

type fixture struct {
	d     *desk.Desk
	cs    *channel.Connectors
	rec   *fakechannel.Recorder
	admin desk.Actor
	adv   desk.Actor
	kauf  desk.Channel
	other desk.Channel
	box   *secret.Box
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := storetest.SQLite(t)
	f := &fixture{d: desk.New(desk.Config{Store: s}), rec: &fakechannel.Recorder{}}
	f.d.EnsureAdmin(ctx, "admin@example.fr")
	agents, _ := f.d.Agents(ctx)
	f.admin = desk.ActorOf(agents[0])
	a, err := f.d.SaveAgent(ctx, f.admin, desk.AgentInput{Email: "lea@example.fr", Name: "Léa Martin", Role: desk.RoleADV, Active: true, Password: "0123456789ab"})
	if err != nil {
		t.Fatal(err)
	}
	f.adv = desk.ActorOf(a)
	f.kauf, _ = f.d.SaveChannel(ctx, f.admin, desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", DeadlinePolicy: "48h business", Active: true})
	f.other, _ = f.d.SaveChannel(ctx, f.admin, desk.Channel{Kind: desk.ChannelCdiscount, Name: "Cdiscount", DeadlinePolicy: "48h business", Active: true})
	f.box, _ = secret.New(bytes.Repeat([]byte{3}, 32))
	f.cs = channel.NewConnectors(channel.ConnectorsConfig{Registry: channel.NewRegistry(fakechannel.Kind(desk.ChannelKaufland, f.rec)), Sealer: f.box, Desk: f.d})
	return f
}

func (f *fixture) configure(t *testing.T) {
	t.Helper()
	if err := f.cs.SaveSettings(ctx, f.admin, f.kauf.ID, map[string]string{"client_key": "ck-1", "secret_key": "s3cr3t"}); err != nil {
		t.Fatal(err)
	}
}

func TestSettingsAreSealedAndSecretsNeverReturned(t *testing.T) {
	f := newFixture(t)
	values, set, err := f.cs.Settings(ctx, f.kauf.ID)
	if err != nil {
		t.Fatal(err)
	}
	if values["base_url"] != "https://sellerapi.kaufland.example/v2" || set["secret_key"] || set["client_key"] {
		t.Errorf("empty settings: %v %v", values, set)
	}
	if _, err := f.cs.Connector(ctx, f.kauf); !errors.Is(err, channel.ErrNotSupported) {
		t.Errorf("connector without settings: %v", err)
	}
	if err := f.cs.SaveSettings(ctx, f.adv, f.kauf.ID, map[string]string{"client_key": "x", "secret_key": "y"}); desk.ErrorCode(err) != desk.EForbidden {
		t.Errorf("an ADV saved settings: %v", err)
	}
	f.configure(t)
	sealed, _ := f.d.SealedSettings(ctx, f.kauf.ID)
	if bytes.Contains(sealed, []byte("s3cr3t")) || bytes.Contains(sealed, []byte("ck-1")) {
		t.Error("settings stored in clear")
	}
	values, set, _ = f.cs.Settings(ctx, f.kauf.ID)
	if _, ok := values["secret_key"]; ok || !set["secret_key"] || values["client_key"] != "ck-1" || values["storefront"] != "de" {
		t.Errorf("settings for the form: %v %v", values, set)
	}
	// An empty secret keeps the stored one; other fields change.
	if err := f.cs.SaveSettings(ctx, f.admin, f.kauf.ID, map[string]string{"client_key": "ck-2", "secret_key": "", "storefront": "fr"}); err != nil {
		t.Fatal(err)
	}
	plain, _ := f.box.Open(mustSealed(t, f))
	var stored map[string]string
	json.Unmarshal(plain, &stored)
	if stored["secret_key"] != "s3cr3t" || stored["client_key"] != "ck-2" || stored["storefront"] != "fr" {
		t.Errorf("stored after keeping the secret: %v", stored)
	}
	err = f.cs.SaveSettings(ctx, f.admin, f.kauf.ID, map[string]string{"base_url": "ftp://nope"})
	if desk.ErrorCode(err) != desk.EInvalid || desk.ErrorField(err) != "base_url" {
		t.Errorf("bad URL: %v (field %q)", err, desk.ErrorField(err))
	}
	if err := f.cs.SaveSettings(ctx, f.admin, f.kauf.ID, map[string]string{"storefront": "xx"}); desk.ErrorField(err) != "storefront" {
		t.Errorf("bad select: %v", err)
	}
	if err := f.cs.SaveSettings(ctx, f.admin, f.kauf.ID, map[string]string{"password": "x"}); desk.ErrorField(err) != "password" {
		t.Errorf("unknown key: %v", err)
	}
	if _, _, err := f.cs.Settings(ctx, f.other.ID); !errors.Is(err, channel.ErrNotSupported) {
		t.Errorf("kind without connector: %v", err)
	}
}

func mustSealed(t *testing.T, f *fixture) []byte {
	b, err := f.d.SealedSettings(ctx, f.kauf.ID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConnectorIsCachedUntilSettingsChange(t *testing.T) {
	f := newFixture(t)
	f.configure(t)
	c1, err := f.cs.Connector(ctx, f.kauf)
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := f.cs.Connector(ctx, f.kauf)
	if c1 != c2 || f.rec.Built != 1 {
		t.Errorf("built %d times", f.rec.Built)
	}
	f.cs.SaveSettings(ctx, f.admin, f.kauf.ID, map[string]string{"secret_key": "wrong"})
	if _, err := f.cs.Connector(ctx, f.kauf); err != nil || f.rec.Built != 2 {
		t.Errorf("after a change: built %d, %v", f.rec.Built, err)
	}
	err = f.cs.Test(ctx, f.kauf.ID)
	if channel.KindOf(err) != channel.Unauthorized || !strings.Contains(channel.Explain(err), "vérifiez les réglages") {
		t.Errorf("test with a wrong secret: %v / %s", err, channel.Explain(err))
	}
	f.cs.SaveSettings(ctx, f.admin, f.kauf.ID, map[string]string{"secret_key": "right"})
	if err := f.cs.Test(ctx, f.kauf.ID); err != nil {
		t.Errorf("test: %v", err)
	}
	// A key that cannot open the settings says so.
	other, _ := secret.New(bytes.Repeat([]byte{4}, 32))
	cs := channel.NewConnectors(channel.ConnectorsConfig{Registry: f.cs.Registry(), Sealer: other, Desk: f.d})
	if _, err := cs.Connector(ctx, f.kauf); err == nil || !strings.Contains(err.Error(), "GUICHET_SECRET_KEY") {
		t.Errorf("wrong key: %v", err)
	}
}

func TestRunActionConvertsAmountsAndRecordsTheEvent(t *testing.T) {
	f := newFixture(t)
	f.configure(t)
	res, err := f.d.Ingest(ctx, []desk.Incoming{{ChannelID: f.kauf.ID, OrderRef: "KA-1", SourceID: "m1", ThreadExternalID: "40000000001",
		AuthorKind: desk.AuthorCustomer, AuthorName: "Jean", Body: "Bonjour"}})
	if err != nil || len(res.Tickets) != 1 {
		t.Fatal(res, err)
	}
	id := res.Tickets[0]
	acts, err := f.cs.Actions(ctx, f.adv, id)
	if err != nil || len(acts) != 4 {
		t.Fatalf("actions: %v %v", acts, err)
	}
	r, err := f.cs.RunAction(ctx, f.adv, id, "refund", map[string]string{"amount": "12,50"})
	if err != nil || r.Message != "Remboursement de 12,50 € accepté" {
		t.Fatalf("refund: %+v %v", r, err)
	}
	calls := f.rec.Calls()
	if len(calls) != 1 || calls[0].Params["amount"] != "1250" || calls[0].Params["reason"] != "damaged" || calls[0].OrderRef != "KA-1" {
		t.Errorf("the channel got %+v", calls)
	}
	if _, err := f.cs.RunAction(ctx, f.adv, id, "refund", map[string]string{"amount": "douze"}); desk.ErrorField(err) != "amount" {
		t.Errorf("bad amount: %v", err)
	}
	if _, err := f.cs.RunAction(ctx, f.adv, id, "portal", nil); desk.ErrorCode(err) != desk.EInvalid {
		t.Errorf("a link run: %v", err)
	}
	f.rec.Refuse = "amount exceeds the order total"
	if _, err := f.cs.RunAction(ctx, f.adv, id, "refund", map[string]string{"amount": "500", "reason": "late"}); channel.KindOf(err) != channel.Refused {
		t.Errorf("refused: %v", err)
	}
	f.rec.Refuse = ""
	if _, err := f.cs.RunAction(ctx, f.adv, id, "order", nil); err != nil {
		t.Error(err)
	}
	v, _ := f.d.Ticket(ctx, f.adv, id)
	var got []string
	for _, e := range v.Events {
		if e.Kind == desk.EventAction {
			out, failed := desk.ActionOutcome(e)
			got = append(got, e.ActorName+"|"+e.Old+"|"+out+"|"+map[bool]string{true: "failed", false: "ok"}[failed])
		}
	}
	want := []string{
		"Léa Martin|Rembourser une partie du montant (12,50 €, Article endommagé)|Remboursement de 12,50 € accepté|ok",
		"Léa Martin|Rembourser une partie du montant (500,00 €, Livraison en retard)|refusé par le canal : 400 : amount exceeds the order total|failed",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	o, err := f.cs.Order(ctx, f.adv, id)
	if err != nil || o.TrackingURL() == "" || len(o.Lines) != 2 {
		t.Errorf("order: %+v %v", o, err)
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]int64{"12,50": 1250, "12.5": 1250, "12": 1200, "1 234,56 €": 123456, "0,01": 1, " 7,05 ": 705} {
		if got, err := channel.ParseAmount(in); err != nil || got != want {
			t.Errorf("%q: %d %v", in, got, err)
		}
	}
	for _, in := range []string{"", "0", "0,00", "-5", "12,505", "12,", "abc", "1e3", "12,5,0"} {
		if got, err := channel.ParseAmount(in); err == nil {
			t.Errorf("%q accepted: %d", in, got)
		}
	}
}
