package prestashop

import (
	"context"
	"encoding/xml"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the shop's zone, wherever guichet runs

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Connector is a PrestaShop shop's connector; safe for concurrent use.
type Connector struct {
	api      *client
	employee int64
	admin    string // the back office's address, "" when not set
	loc      *time.Location
	channel  desk.Channel
	log      *slog.Logger
	now      func() time.Time

	mu       sync.Mutex
	refs     map[int64]string // id_order → reference; bounded
	contacts map[int64]contact
	read     time.Time // when contacts were read
}

type contact struct {
	name            langText
	customerService bool
}

// maxCachedRefs bounds the order-reference cache: past it, it starts anew.
const maxCachedRefs = 50000

var (
	_ channel.Connector   = (*Connector)(nil)
	_ channel.Tester      = (*Connector)(nil)
	_ channel.Looker      = (*Connector)(nil)
	_ channel.OrderReader = (*Connector)(nil)
	_ channel.Actioner    = (*Connector)(nil)
)

// New builds a connector from checked settings (see Kind).
func New(c channel.Config) (*Connector, error) {
	s := c.Settings
	base := strings.TrimRight(s["base_url"], "/")
	if u, err := url.Parse(base); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, desk.Invalid("base_url", "Adresse de la boutique : adresse http(s):// attendue")
	}
	base = strings.TrimSuffix(base, "/api") // the shop's address, or already its webservice's
	if s["api_key"] == "" {
		return nil, desk.Invalid("api_key", "Clé du webservice obligatoire")
	}
	emp, err := strconv.ParseInt(s["employee_id"], 10, 64)
	if err != nil || emp <= 0 {
		return nil, desk.Invalid("employee_id", "Employé qui répond : identifiant d'employé attendu")
	}
	tz := s["timezone"]
	if tz == "" {
		tz = "Europe/Paris"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, desk.Invalid("timezone", "Fuseau horaire inconnu : %q", tz)
	}
	if c.HTTP == nil {
		c.HTTP = channel.DefaultHTTPClient()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return &Connector{
		api:      &client{api: base + "/api", key: s["api_key"], http: c.HTTP, now: c.Now, log: c.Log},
		employee: emp,
		admin:    strings.TrimRight(s["admin_url"], "/"),
		loc:      loc,
		channel:  c.Channel,
		log:      c.Log,
		now:      c.Now,
		refs:     map[int64]string{},
	}, nil
}

// needed are the webservice's permissions the connector uses.
var needed = []struct{ resource, method string }{
	{"customer_threads", "get"}, {"customer_threads", "post"},
	{"customer_messages", "get"}, {"customer_messages", "post"},
	{"contacts", "get"}, {"orders", "get"}, {"order_states", "get"}, {"order_histories", "get"},
	{"order_carriers", "get"}, {"carriers", "get"}, {"customers", "get"}, {"addresses", "get"},
}

// Test reads the webservice's root, which lists what the key may do, and
// says which permissions are missing.
func (p *Connector) Test(ctx context.Context) error {
	raw, err := p.api.do(ctx, "GET", "/", nil, nil) // the root's listing is XML
	if err != nil {
		return err
	}
	var root struct {
		API struct {
			Resources []struct {
				XMLName xml.Name
				Attrs   []xml.Attr `xml:",any,attr"`
			} `xml:",any"`
		} `xml:"api"`
	}
	if err := xml.Unmarshal(raw, &root); err != nil {
		return &channel.Error{Kind: channel.Refused, Message: "la racine du webservice (/api) ne répond pas comme PrestaShop : vérifiez l'adresse de la boutique", Err: err}
	}
	allowed := map[string]bool{}
	for _, r := range root.API.Resources {
		for _, a := range r.Attrs {
			if a.Value == "true" {
				allowed[r.XMLName.Local+" "+a.Name.Local] = true
			}
		}
	}
	var missing []string
	for _, n := range needed {
		if !allowed[n.resource+" "+n.method] {
			missing = append(missing, strings.ToUpper(n.method)+" "+n.resource)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return &channel.Error{Kind: channel.Unauthorized,
			Message: "la clé du webservice n'a pas ces permissions (Paramètres avancés › Webservice) : " + strings.Join(missing, ", ")}
	}
	return nil
}
