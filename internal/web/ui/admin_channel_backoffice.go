package ui

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"guichet/internal/channel"
	"guichet/internal/channel/mirakl"
	"guichet/internal/desk"
)

// backofficeForm is « Commandes dans le back-office » on a marketplace
// channel's form: which PrestaShop channel, which orders field, the
// pattern; and the outcome of « Tester ».
type backofficeForm struct {
	Shops   []desk.Channel // the PrestaShop channels
	Fields  []string
	TestRef string
	Tested  bool
	Looked  string // the field and value looked for
	Found   string // the order found, on one line
	Error   string // « aucune commande trouvée » or the channel's failure
}

// channelPreset is a known marketplace a new channel can start from.
type channelPreset struct {
	ID, Name, BaseURL string
	Kind              desk.ChannelKind
	Guard             string // one a line, as the form's textarea
}

// channelPresets are the Mirakl operators mirakl.Presets knows.
func channelPresets() []channelPreset {
	var out []channelPreset
	for _, p := range mirakl.Presets() {
		out = append(out, channelPreset{ID: p.ID, Name: p.Name, BaseURL: p.BaseURL, Kind: desk.ChannelMirakl, Guard: strings.Join(p.GuardNames, "\n")})
	}
	return out
}

func presetByID(id string) (channelPreset, bool) {
	for _, p := range channelPresets() {
		if p.ID == id {
			return p, true
		}
	}
	return channelPreset{}, false
}

// applyPreset fills what the admin left empty in a new channel from the
// preset chosen (the page's script fills them as soon as it is chosen).
func applyPreset(c *desk.Channel, id string) {
	p, ok := presetByID(id)
	if !ok || c.ID != 0 || c.Kind != p.Kind {
		return
	}
	if strings.TrimSpace(c.Name) == "" {
		c.Name = p.Name
	}
	if len(c.GuardNames) == 0 {
		c.GuardNames = splitLines(p.Guard)
	}
}

// backofficeRuleOf reads the rule from the channel form.
func backofficeRuleOf(r *http.Request) desk.BackofficeRule {
	id, _ := strconv.ParseInt(r.PostFormValue("backoffice_channel"), 10, 64)
	return desk.BackofficeRule{ChannelID: id, Field: r.PostFormValue("backoffice_field"), Pattern: r.PostFormValue("backoffice_pattern")}
}

func (h *adminChannels) backofficeForm(ctx context.Context) (*backofficeForm, error) {
	channels, err := h.desk.Channels(ctx)
	if err != nil {
		return nil, err
	}
	f := &backofficeForm{Fields: desk.BackofficeFields}
	for _, c := range channels {
		if c.Kind == desk.ChannelPrestaShop {
			f.Shops = append(f.Shops, c)
		}
	}
	return f, nil
}

// testBackoffice runs « Tester »: the rule as typed (not saved) on the
// reference typed, and the channel's form shown again with what it found.
type testBackoffice struct {
	bo   *channel.Backoffice
	page *adminChannels
}

func (h *testBackoffice) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil {
		return err
	}
	c := h.page.channelFromForm(r, id)
	rule := backofficeRuleOf(r)
	test := &backofficeForm{Tested: true, TestRef: strings.TrimSpace(r.PostFormValue("backoffice_test_ref"))}
	tr := translator(s.lang())
	if h.bo == nil {
		test.Error = tr.T("bo.test_failed", channel.Explain(channel.ErrNotSupported))
		return h.page.renderTest(w, r, s, c, test)
	}
	ctx, cancel := context.WithTimeout(r.Context(), testTimeout)
	defer cancel()
	checked := c
	checked.Backoffice = rule
	test.Looked = tr.T("bo.test_value", rule.Field, rule.Value(test.TestRef))
	o, err := h.bo.Test(ctx, rule, test.TestRef)
	switch {
	case desk.IsNotFound(err):
		test.Error = tr.T("bo.test_none")
	case err != nil:
		test.Error = tr.T("bo.test_failed", channel.Explain(err))
	default:
		test.Found = tr.T("bo.found", o.Ref, showTime(o.CreatedAt), money(o.Total, o.Currency), o.Status, strings.TrimSpace(o.Buyer+" "+o.Email))
	}
	return h.page.renderTest(w, r, s, checked, test)
}
