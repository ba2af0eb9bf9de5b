package ui_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"guichet/internal/desk"
)

// A Kaufland ticket finds its order in the shop's back office by the
// channel's rule: the panels show it and its parcel, the delivery date is
// proposed, and the Email thread is offered (hidden until the fragment
// says so, then at once from the remembered lookup). Opening the ticket
// again does not ask the shop again. An order the shop does not have:
// « aucune commande », and no Email thread.
func TestBackofficePanels(t *testing.T) {
	var bo backoffice
	e := newEnv(t, withBackoffice(&bo))
	bo.connect(e)
	bo.colissimoOrder("KL-KA-777")
	found := e.ingest(desk.Incoming{ChannelID: e.kaufland.ID, OrderRef: "KA-777", SourceID: "k-1", AuthorKind: desk.AuthorCustomer,
		AuthorName: "Jean Dupont", Body: "Où est mon colis ?"})
	absent := e.ingest(desk.Incoming{ChannelID: e.kaufland.ID, OrderRef: "KA-888", SourceID: "k-2", AuthorKind: desk.AuthorCustomer,
		AuthorName: "Paul Martin", Body: "Et le mien ?"})
	lea := e.client().signIn("lea@example.fr")

	_, page := lea.get("/tickets/" + found.Number)
	if !strings.Contains(page, `id="tab-email"`) || !tabHidden(page, "email") {
		t.Error("before the lookup, the Email tab should be there, hidden")
	}
	before := bo.requests.Load()
	_, frag := lea.get("/tickets/"+strconv.FormatInt(found.ID, 10)+"/integrations", "X-Requested-With", "fetch")
	for _, want := range []string{"Dans le back-office", "Commande KL-KA-777", "Cafetière italienne 6 tasses", `id="bo-total">49,98`, "Livré",
		"Kaufland", `href="https://boutique.example/admin123/index.php?controller=AdminOrders&amp;vieworder&amp;id_order=`,
		"Colissimo", "6A12345678901", `class="tracking-link"`, `"tracking_url":"https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"`,
		`"email_thread":true`, `"delivered":"2026-03-03"`, `"delivered_label":"03/03/2026"`, `"email":"jeanne.dupont@example.com"`} {
		if !strings.Contains(frag, want) {
			t.Errorf("fragment lacks %q", want)
		}
	}
	asked := bo.requests.Load() - before
	if asked == 0 {
		t.Fatal("the shop was not asked")
	}
	_, page = lea.get("/tickets/" + found.Number)
	if !strings.Contains(page, `id="tab-email"`) || tabHidden(page, "email") {
		t.Error("after the lookup, the Email tab should be offered at once")
	}
	lea.get("/tickets/"+strconv.FormatInt(found.ID, 10)+"/integrations", "X-Requested-With", "fetch")
	if again := bo.requests.Load() - before - asked; again != 0 {
		t.Errorf("opening the ticket again asked the shop %d more times", again)
	}

	_, frag = lea.get("/tickets/"+strconv.FormatInt(absent.ID, 10)+"/integrations", "X-Requested-With", "fetch")
	if !strings.Contains(frag, "Aucune commande trouvée dans le back-office (KL-KA-888)") || !strings.Contains(frag, `"email_thread":false`) {
		t.Errorf("absent order: %s", frag)
	}
	if _, page = lea.get("/tickets/" + absent.Number); strings.Contains(page, `id="tab-email"`) {
		t.Error("an order the back office does not have offers the Email thread")
	}
	// A channel without a rule: no Email thread either.
	fnac := e.ingest(desk.Incoming{ChannelID: e.fnac.ID, OrderRef: "FN-1", SourceID: "f-1", AuthorKind: desk.AuthorCustomer, AuthorName: "Ana", Body: "Bonjour"})
	if _, page = lea.get("/tickets/" + fnac.Number); strings.Contains(page, `id="tab-email"`) {
		t.Error("a channel without a back-office rule offers the Email thread")
	}
}

// A PrestaShop ticket's back office is its own shop: found, the Email
// thread is offered; the shop down: the panel says why, the page shows.
func TestBackofficeShopTicket(t *testing.T) {
	var bo backoffice
	e := newEnv(t, withBackoffice(&bo))
	bo.connect(e)
	ref := bo.shop.OrderRef(bo.colissimoOrder(""))
	tk := e.ingest(desk.Incoming{ChannelID: e.shop.ID, OrderRef: ref, SourceID: "ps-1", AuthorKind: desk.AuthorCustomer, AuthorName: "Jeanne Dupont", Body: "Bonjour"})
	lea := e.client().signIn("lea@example.fr")
	_, frag := lea.get("/tickets/"+strconv.FormatInt(tk.ID, 10)+"/integrations", "X-Requested-With", "fetch")
	if !strings.Contains(frag, `id="order-total">49,98`) || strings.Contains(frag, "Dans le back-office") || !strings.Contains(frag, `"email_thread":true`) {
		t.Errorf("shop ticket fragment: %s", frag)
	}
	if _, page := lea.get("/tickets/" + tk.Number); !strings.Contains(page, `id="tab-email"`) || tabHidden(page, "email") {
		t.Error("shop ticket: the Email tab should be offered")
	}
}

// tabHidden reports whether the page renders a thread's tab hidden.
func tabHidden(page, key string) bool {
	i := strings.Index(page, `id="tab-`+key+`"`)
	if i < 0 {
		return false
	}
	end := strings.Index(page[i:], ">")
	return strings.Contains(page[i:i+end], " hidden")
}

// The admin sets the rule on a marketplace channel (checked: a PrestaShop
// channel, a pattern with {order}), and « Tester » shows what it finds.
func TestBackofficeRuleForm(t *testing.T) {
	var bo backoffice
	e := newEnv(t, withBackoffice(&bo))
	bo.connect(e)
	bo.colissimoOrder("KL-KA-777")
	admin := e.client().signIn("admin@example.fr")
	_, page := admin.get("/admin/channels/" + strconv.FormatInt(e.kaufland.ID, 10))
	if !strings.Contains(page, "Commandes dans le back-office") || !strings.Contains(page, `<option value="`+strconv.FormatInt(e.shop.ID, 10)+`" selected>Boutique</option>`) ||
		!strings.Contains(page, `value="KL-{order}"`) {
		t.Error("the channel's form does not show its rule")
	}
	form := func(shop int64, field, pattern, ref string) url.Values {
		return url.Values{"csrf": {admin.csrf}, "kind": {"kaufland"}, "name": {"Kaufland"}, "deadline_policy": {"48h business"}, "active": {"1"},
			"backoffice_channel": {strconv.FormatInt(shop, 10)}, "backoffice_field": {field}, "backoffice_pattern": {pattern}, "backoffice_test_ref": {ref}}
	}
	path := "/admin/channels/" + strconv.FormatInt(e.kaufland.ID, 10)
	_, body := admin.postForm(path+"/backoffice-test", form(e.shop.ID, "reference", "KL-{order}", "KA-777"))
	if !strings.Contains(body, `id="bo-found"`) || !strings.Contains(body, "Commande KL-KA-777 du ") || !strings.Contains(body, "49,98") ||
		!strings.Contains(body, "Livré") || !strings.Contains(body, "Jeanne Dupont") {
		t.Errorf("test found nothing: %s", between(body, `id="bo-test-result"`, "</div>"))
	}
	if _, body = admin.postForm(path+"/backoffice-test", form(e.shop.ID, "reference", "KL-{order}", "KA-999")); !strings.Contains(body, "Aucune commande trouvée.") {
		t.Errorf("test of an absent order: %s", between(body, `id="bo-test-result"`, "</div>"))
	}
	for _, c := range []struct {
		values url.Values
		want   string
	}{
		{form(e.shop.ID, "reference", "KL-", ""), "doit contenir {order}"},
		{form(e.fnac.ID, "reference", "{order}", ""), "doit être un canal PrestaShop"},
	} {
		if res, body := admin.postForm(path, c.values); res.StatusCode != 400 || !strings.Contains(body, c.want) {
			t.Errorf("saving %v: %d, want %q", c.values, res.StatusCode, c.want)
		}
	}
	if res, _ := admin.postForm(path, form(e.shop.ID, "note", "Commande Kaufland n° {order}", "")); res.StatusCode != 303 {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if ch, _ := e.d.Channel(ctx, e.kaufland.ID); ch.Backoffice != (desk.BackofficeRule{ChannelID: e.shop.ID, Field: "note", Pattern: "Commande Kaufland n° {order}"}) {
		t.Errorf("rule saved: %+v", ch.Backoffice)
	}
}

// A new Mirakl channel from a preset: its name and guard names filled,
// and its known API address proposed in the connection form.
func TestMiraklPreset(t *testing.T) {
	var bo backoffice
	e := newEnv(t, withBackoffice(&bo))
	admin := e.client().signIn("admin@example.fr")
	_, page := admin.get("/admin/channels/new")
	if !strings.Contains(page, `id="preset"`) || !strings.Contains(page, `data-name="Carrefour"`) || !strings.Contains(page, `data-base-url="https://carrefour-prod.mirakl.net"`) {
		t.Fatal("the new channel's form has no presets")
	}
	res, _ := admin.postForm("/admin/channels/new", url.Values{"csrf": {admin.csrf}, "preset": {"carrefour"}, "kind": {"mirakl"}, "name": {""},
		"deadline_policy": {"48h business"}, "active": {"1"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != 303 || !strings.Contains(loc, "preset=carrefour") {
		t.Fatalf("save: %d %q", res.StatusCode, loc)
	}
	chs, _ := e.d.Channels(ctx)
	var got desk.Channel
	for _, c := range chs {
		if c.Name == "Carrefour" {
			got = c
		}
	}
	if got.Kind != desk.ChannelMirakl || strings.Join(got.GuardNames, ",") != "Carrefour,carrefour.fr" {
		t.Errorf("channel from the preset: %+v", got)
	}
	_, page = admin.get(loc)
	if !strings.Contains(page, `name="s_base_url" type="url" value="https://carrefour-prod.mirakl.net"`) {
		t.Error("the connection form does not propose the preset's API address")
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return "(absent)"
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}
