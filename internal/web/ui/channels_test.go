package ui_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/web/ui"
)

func channelPath(c desk.Channel) string { return "/admin/channels/" + strconv.FormatInt(c.ID, 10) }

// The connection form comes from the kind's settings; a secret is never
// shown back, an empty one keeps it, a bad URL is refused by its field.
func TestChannelConnectionForm(t *testing.T) {
	var ch channels
	e := newEnv(t, withChannels(&ch))
	c := e.client().signIn("admin@example.fr")
	_, body := c.get(channelPath(e.kaufland))
	for _, want := range []string{`name="s_base_url"`, `placeholder="https://sellerapi.kaufland.example/v2"`, `name="s_client_key"`,
		`id="s_secret_key" name="s_secret_key" type="password" value=""`, `<option value="fr">France</option>`, "Portail vendeur › Paramètres › API", "Tester la connexion"} {
		if !strings.Contains(body, want) {
			t.Errorf("connection form lacks %s", want)
		}
	}
	form := url.Values{"csrf": {c.csrf}, "s_base_url": {""}, "s_client_key": {"ck-1"}, "s_secret_key": {"tr3s-secret"}, "s_storefront": {"de"}}
	if res, body := c.postForm(channelPath(e.kaufland)+"/settings", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, body)
	}
	_, body = c.get(channelPath(e.kaufland) + "?ok=conn_saved")
	if strings.Contains(body, "tr3s-secret") {
		t.Error("the page shows the secret")
	}
	if !strings.Contains(body, `type="password" value="" placeholder="•••••• (laisser vide pour conserver)"`) || !strings.Contains(body, "Réglages de connexion enregistrés.") {
		t.Errorf("after saving: no masked secret or notice")
	}
	// Empty secret: kept; the other fields change.
	form.Set("s_secret_key", "")
	form.Set("s_client_key", "ck-2")
	c.postForm(channelPath(e.kaufland)+"/settings", form)
	values, set, _ := ch.cs.Settings(ctx, e.kaufland.ID)
	if values["client_key"] != "ck-2" || !set["secret_key"] {
		t.Errorf("after an empty secret: %v %v", values, set)
	}
	if err := ch.cs.Test(ctx, e.kaufland.ID); err != nil {
		t.Errorf("the kept secret does not work: %v", err)
	}
	if runs := ch.rec.Built; runs == 0 {
		t.Error("no connector built")
	}
	// A bad URL: refused, by its field, what was typed shown again.
	form.Set("s_base_url", "ftp://sellerapi")
	res, body := c.postForm(channelPath(e.kaufland)+"/settings", form)
	if res.StatusCode != 400 || !strings.Contains(body, `id="err-s-base_url">Adresse de l&#39;API : adresse http(s):// attendue`) || !strings.Contains(body, `value="ftp://sellerapi"`) {
		t.Errorf("bad URL: %d", res.StatusCode)
	}
	// An ADV cannot.
	lea := e.client().signIn("lea@example.fr")
	if res, _ := lea.postForm(channelPath(e.kaufland)+"/settings", url.Values{"csrf": {lea.csrf}, "s_secret_key": {"x"}}); res.StatusCode != 403 {
		t.Errorf("ADV saved settings: %d", res.StatusCode)
	}
	// A kind without a connector says messages come through the API.
	amazon := e.channel(desk.Channel{Kind: desk.ChannelAmazon, Name: "Amazon", Active: true})
	if _, body := c.get(channelPath(amazon)); !strings.Contains(body, "POST /api/v1/channels/"+strconv.FormatInt(amazon.ID, 10)+"/messages") || strings.Contains(body, "s_base_url") {
		t.Error("no intake hint for a kind without a connector")
	}
}

func TestChannelConnectionTestAndSync(t *testing.T) {
	var ch channels
	e := newEnv(t, withChannels(&ch))
	c := e.client().signIn("admin@example.fr")
	ch.configure(e)
	res, body := c.postForm(channelPath(e.kaufland)+"/test", url.Values{"csrf": {c.csrf}})
	if res.StatusCode != 200 || !strings.Contains(body, "Connexion OK") {
		t.Errorf("test OK: %d", res.StatusCode)
	}
	ch.cs.SaveSettings(ctx, e.admin, e.kaufland.ID, map[string]string{"secret_key": "wrong"})
	_, body = c.postForm(channelPath(e.kaufland)+"/test", url.Values{"csrf": {c.csrf}})
	if !strings.Contains(body, "Échec du test : le canal refuse les identifiants (401 : invalid signature) : vérifiez les réglages de connexion") {
		t.Errorf("test failure not shown in French")
	}
	at := time.Date(2026, 11, 30, 9, 15, 0, 0, time.UTC)
	ch.sync.states[e.kaufland.ID] = desk.SyncState{ChannelID: e.kaufland.ID, Every: 10 * time.Minute, LastRunAt: at, NextRunAt: at.Add(20 * time.Minute),
		LastError: "429 : too many requests", LastErrorAt: at, Failures: 2, LastFetched: 7, Fetched: 1234}
	_, body = c.get(channelPath(e.kaufland))
	for _, want := range []string{"30/11/2026 10:15", "30/11/2026 10:35", "429 : too many requests", "7 au dernier passage, 1234 en tout", `name="every_minutes" type="number" min="1" max="1440" value="10"`, "Synchroniser maintenant"} {
		if !strings.Contains(body, want) {
			t.Errorf("sync card lacks %q", want)
		}
	}
	if res, _ := c.postForm(channelPath(e.kaufland)+"/sync", url.Values{"csrf": {c.csrf}, "op": {"now"}}); res.StatusCode != 303 || len(ch.sync.requested) != 1 {
		t.Errorf("sync now: %d %v", res.StatusCode, ch.sync.requested)
	}
	if res, _ := c.postForm(channelPath(e.kaufland)+"/sync", url.Values{"csrf": {c.csrf}, "op": {"every"}, "every_minutes": {"15"}}); res.StatusCode != 303 || ch.sync.every[e.kaufland.ID] != 15*time.Minute {
		t.Errorf("every: %d %v", res.StatusCode, ch.sync.every)
	}
	if res, body := c.postForm(channelPath(e.kaufland)+"/sync", url.Values{"csrf": {c.csrf}, "op": {"every"}, "every_minutes": {"0"}}); res.StatusCode != 400 || !strings.Contains(body, "intervalle en minutes attendu") {
		t.Errorf("bad every: %d", res.StatusCode)
	}
}

func TestDeliveriesPageAndTicketDeliveries(t *testing.T) {
	var ch channels
	e := newEnv(t, withChannels(&ch))
	ts := e.seed()
	sent, err := e.d.Reply(ctx, e.lea, desk.ReplyInput{TicketID: ts.kauf.ID, Body: "Bonjour, votre colis part demain.", Status: desk.StatusWaitingCustomer})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := e.d.Reply(ctx, e.lea, desk.ReplyInput{TicketID: ts.kauf.ID, Body: "Complément : numéro de suivi à venir.", Status: desk.StatusWaitingCustomer})
	now := time.Now()
	ch.out.entries = []desk.OutboxEntry{
		{MessageID: sent.ID, TicketID: ts.kauf.ID, ChannelID: e.kaufland.ID, State: desk.OutboxUnknown, Attempts: 1, LastError: "délai dépassé", UpdatedAt: now},
		{MessageID: other.ID, TicketID: ts.kauf.ID, ChannelID: e.kaufland.ID, State: desk.OutboxFailed, Attempts: 5, LastError: "400 : message too long", UpdatedAt: now},
	}
	c := e.client().signIn("admin@example.fr")
	_, body := c.get("/admin/deliveries")
	for _, want := range []string{`href="/tickets/` + strconv.FormatInt(ts.kauf.ID, 10) + `#m-`, "Envoi incertain", "400 : message too long", "Marquer comme envoyé", "Réessayer", "Renvoyer", `href="/admin/deliveries" aria-current="page"`} {
		if !strings.Contains(body, want) {
			t.Errorf("deliveries page lacks %q", want)
		}
	}
	if res, _ := c.postForm("/admin/deliveries/"+strconv.FormatInt(other.ID, 10)+"/retry", url.Values{"csrf": {c.csrf}}); res.StatusCode != 303 || len(ch.out.retried) != 1 {
		t.Errorf("retry: %d %v", res.StatusCode, ch.out.retried)
	}
	// On the ticket: each reply's delivery and its buttons.
	lea := e.client().signIn("lea@example.fr")
	_, body = lea.get("/tickets/" + ts.kauf.Number)
	for _, want := range []string{"Échec : 400 : message too long", "Envoi incertain", "/messages/" + strconv.FormatInt(sent.ID, 10) + "/delivered", "/messages/" + strconv.FormatInt(other.ID, 10) + "/retry"} {
		if !strings.Contains(body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	res, _ := lea.postForm("/tickets/"+ts.kauf.Number+"/messages/"+strconv.FormatInt(sent.ID, 10)+"/delivered", url.Values{"csrf": {lea.csrf}})
	if res.StatusCode != 303 || len(ch.out.delivered) != 1 || ch.out.delivered[0] != sent.ID {
		t.Errorf("mark delivered: %d %v", res.StatusCode, ch.out.delivered)
	}
	if res, _ := lea.postForm("/tickets/"+ts.kauf.Number+"/messages/"+strconv.FormatInt(sent.ID, 10)+"/explode", url.Values{"csrf": {lea.csrf}}); res.StatusCode != 404 {
		t.Errorf("unknown op: %d", res.StatusCode)
	}
}

func TestTicketIntegrationsAndActions(t *testing.T) {
	var ch channels
	e := newEnv(t, withChannels(&ch))
	ch.configure(e)
	tk := e.ingest(desk.Incoming{ChannelID: e.kaufland.ID, OrderRef: "KA-777", SourceID: "k-1", ThreadExternalID: "40000000042",
		AuthorKind: desk.AuthorCustomer, AuthorName: "Jean Dupont", Body: "Je voudrais un remboursement partiel."})
	lea := e.client().signIn("lea@example.fr")
	_, page := lea.get("/tickets/" + tk.Number)
	if !strings.Contains(page, `data-integrations="/tickets/`+strconv.FormatInt(tk.ID, 10)+`/integrations"`) || !strings.Contains(page, "actions.js") ||
		!strings.Contains(page, `<strong class="ext-id">40000000042</strong>`) {
		t.Error("ticket page: no integrations fragment, actions script or thread number")
	}
	_, frag := lea.get("/tickets/"+strconv.FormatInt(tk.ID, 10)+"/integrations", "X-Requested-With", "fetch")
	for _, want := range []string{"Perceuse visseuse 18 V", "129,90\u00a0€", `id="order-total">159,80`, "DHL", "00340434161094042557",
		`href="https://tracking.example/dhl/00340434161094042557"`, `"tracking_url":"https://tracking.example/dhl/00340434161094042557"`, `"id":"refund"`} {
		if !strings.Contains(frag, want) {
			t.Errorf("fragment lacks %q", want)
		}
	}
	// A refund typed the French way reaches the channel in cents, and the history says so.
	req, _ := http.NewRequest("POST", e.srv.URL+"/tickets/"+strconv.FormatInt(tk.ID, 10)+"/actions/refund", strings.NewReader(url.Values{"amount": {"12,50"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", lea.csrf)
	req.Header.Set("Accept", "application/json")
	res, body := lea.do(req)
	var answer struct{ Message string }
	json.Unmarshal([]byte(body), &answer)
	if res.StatusCode != 200 || answer.Message != "Remboursement de 12,50 € accepté" {
		t.Fatalf("refund: %d %s", res.StatusCode, body)
	}
	if calls := ch.rec.Calls(); len(calls) != 1 || calls[0].Params["amount"] != "1250" {
		t.Errorf("the channel got %+v", calls)
	}
	ch.rec.Refuse = "unit already refunded"
	req, _ = http.NewRequest("POST", e.srv.URL+"/tickets/"+strconv.FormatInt(tk.ID, 10)+"/actions/close", nil)
	req.Header.Set("X-CSRF-Token", lea.csrf)
	req.Header.Set("Accept", "application/json")
	if res, body := lea.do(req); res.StatusCode != 502 || !strings.Contains(body, "refusé par le canal : 400 : unit already refunded") {
		t.Errorf("refusal: %d %s", res.StatusCode, body)
	}
	req, _ = http.NewRequest("POST", e.srv.URL+"/tickets/"+strconv.FormatInt(tk.ID, 10)+"/actions/refund", strings.NewReader("amount=abc"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", lea.csrf)
	req.Header.Set("Accept", "application/json")
	if res, body := lea.do(req); res.StatusCode != 400 || !strings.Contains(body, `"field":"amount"`) {
		t.Errorf("bad amount: %d %s", res.StatusCode, body)
	}
	_, page = lea.get("/tickets/" + tk.Number)
	for _, want := range []string{
		"Léa Martin — Action Kaufland : Rembourser une partie du montant (12,50 €, Article endommagé) — Remboursement de 12,50 € accepté",
		"Léa Martin — Action Kaufland : Fermer le ticket — échec : refusé par le canal : 400 : unit already refunded",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	// A channel that does not answer in time: a French message, quickly.
	old := *ui.IntegrationsTimeout
	*ui.IntegrationsTimeout = 200 * time.Millisecond
	t.Cleanup(func() { *ui.IntegrationsTimeout = old })
	ch.rec.Delay = 5 * time.Second
	start := time.Now()
	_, frag = lea.get("/tickets/"+strconv.FormatInt(tk.ID, 10)+"/integrations", "X-Requested-With", "fetch")
	if !strings.Contains(frag, "Commande indisponible : le canal ne répond pas (délai dépassé)") || time.Since(start) > 3*time.Second {
		t.Errorf("slow channel: %s in %v", frag, time.Since(start))
	}
	// No order on the channel: no tracking link, so {lien_suivi} stays
	// missing and the page's guard keeps blocking the send.
	ch.rec.Delay, ch.rec.NoOrder = 0, true
	_, frag = lea.get("/tickets/"+strconv.FormatInt(tk.ID, 10)+"/integrations", "X-Requested-With", "fetch")
	if !strings.Contains(frag, `"tracking_url":""`) || !strings.Contains(frag, "Commande indisponible : refusé par le canal : 404 : order not found") {
		t.Errorf("no order: %s", frag)
	}
	res, body = lea.postForm("/tickets/"+tk.Number+"/replies", url.Values{"csrf": {lea.csrf}, "body": {"Votre colis : {lien_suivi}"}, "status": {"waiting_customer"}, "thread_kind": {"customer"}})
	if res.StatusCode != 400 || !strings.Contains(body, "lien_suivi") {
		t.Errorf("a reply with {lien_suivi} unfilled: %d", res.StatusCode)
	}
}
