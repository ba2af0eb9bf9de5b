package ui_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"

	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/kaufland"
	"guichet/internal/channel/mirakl"
	"guichet/internal/channel/prestashop"
	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
	"guichet/internal/secret"
	"guichet/internal/web/ui"
)

// backoffice is the env's shop: the env's « Boutique » channel connected
// to a prestashopfake (requests counted), with the real connectors'
// registry (Kaufland, Mirakl, PrestaShop) as `guichet serve` wires it.
type backoffice struct {
	cs       *channel.Connectors
	shop     *prestashopfake.Server
	requests atomic.Int64
}

func withBackoffice(bo *backoffice) envOption {
	return func(cfg *envConfig) {
		cfg.wire = append(cfg.wire, func(e *env, deps *ui.Deps) {
			box, err := secret.Load("", e.t.TempDir())
			if err != nil {
				e.t.Fatal(err)
			}
			bo.shop = prestashopfake.New(prestashopfake.WithClock(time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				bo.requests.Add(1)
				bo.shop.ServeHTTP(w, r)
			}))
			e.t.Cleanup(srv.Close)
			bo.shop.SetURL(srv.URL)
			bo.cs = channel.NewConnectors(channel.ConnectorsConfig{Registry: channel.NewRegistry(kaufland.Kind(), mirakl.Kind(), prestashop.Kind()),
				Sealer: box, Desk: e.d})
			deps.Connectors, deps.Sync, deps.Deliveries = bo.cs, e.d, e.d
		})
	}
}

// connect gives the env's shop its settings, and the Kaufland channel
// the rule « reference = KL-{order} » towards it.
func (bo *backoffice) connect(e *env) {
	e.t.Helper()
	settings := bo.shop.Settings()
	settings["admin_url"] = "https://boutique.example/admin123"
	if err := bo.cs.SaveSettings(ctx, e.admin, e.shop.ID, settings); err != nil {
		e.t.Fatal(err)
	}
	e.kaufland.Backoffice = desk.BackofficeRule{ChannelID: e.shop.ID, Field: "reference", Pattern: "KL-{order}"}
	e.kaufland = e.channel(e.kaufland)
}

// colissimoOrder is a Kaufland order imported into the shop, delivered on
// 3 March 2026.
func (bo *backoffice) colissimoOrder(ref string) int {
	paris := bo.shop.Location()
	return bo.shop.AddOrder(prestashopfake.Order{Reference: ref, Payment: "Kaufland",
		Rows:    []prestashopfake.Row{{Name: "Cafetière italienne 6 tasses", Reference: "CAF-6", Quantity: 2, UnitPrice: "24.990000"}},
		History: []prestashopfake.StateAt{{State: prestashopfake.StatePaid, At: time.Date(2026, 2, 27, 9, 0, 0, 0, paris)}, {State: prestashopfake.StateShipped, At: time.Date(2026, 2, 28, 9, 0, 0, 0, paris)}, {State: prestashopfake.StateDelivered, At: time.Date(2026, 3, 3, 11, 0, 0, 0, paris)}},
		Carrier: "Colissimo", CarrierURL: "https://www.laposte.fr/outils/suivre-vos-envois?code=@", Tracking: "6A12345678901"})
}
