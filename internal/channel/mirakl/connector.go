package mirakl

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Connector is a Mirakl channel's connector; safe for concurrent use (it
// holds no state beyond its settings).
type Connector struct {
	api     *client
	channel desk.Channel
	log     *slog.Logger
	now     func() time.Time
}

var (
	_ channel.Connector    = (*Connector)(nil)
	_ channel.Tester       = (*Connector)(nil)
	_ channel.Looker       = (*Connector)(nil)
	_ channel.ThreadOpener = (*Connector)(nil)
	_ channel.OrderReader  = (*Connector)(nil)
	_ channel.Actioner     = (*Connector)(nil)
)

// New builds a connector from checked settings (see Kind).
func New(c channel.Config) (*Connector, error) {
	s := c.Settings
	base := strings.TrimRight(strings.TrimSpace(s["base_url"]), "/")
	base = strings.TrimSuffix(base, "/api") // the API's paths start with /api
	if u, err := url.Parse(base); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, desk.Invalid("base_url", "Adresse de l'instance Mirakl : adresse http(s):// attendue")
	}
	if strings.TrimSpace(s["api_key"]) == "" {
		return nil, desk.Invalid("api_key", "Clé d'API de la boutique : obligatoire")
	}
	if v := s["shop_id"]; v != "" {
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return nil, desk.Invalid("shop_id", "Identifiant de la boutique : nombre attendu")
		}
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
		api:     &client{base: base, key: strings.TrimSpace(s["api_key"]), shopID: s["shop_id"], http: c.HTTP, log: c.Log, now: c.Now},
		channel: c.Channel,
		log:     c.Log,
		now:     c.Now,
	}, nil
}

// Test reads the shop's account (A01): it changes nothing and fails with
// a wrong key or shop.
func (k *Connector) Test(ctx context.Context) error {
	var acc struct {
		ShopID int64 `json:"shop_id"`
	}
	return k.api.do(ctx, request{method: http.MethodGet, path: "/api/account"}, &acc)
}
