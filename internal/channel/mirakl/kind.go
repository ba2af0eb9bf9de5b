// Package mirakl is the connector of a Mirakl-run marketplace (Fnac,
// Darty, Carrefour, Leroy Merlin...: one channel per operator instance),
// through the seller API (MMP): threads and their messages become guichet
// tickets (one per Mirakl order, each Mirakl thread a thread of it, the
// participants deciding which: the customer's or the operator's), replies
// go back to the participants of the thread they answer, the order is read
// for the integrations panel, and refunds and cancellations are API calls.
package mirakl

import (
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Kind describes the Mirakl connector for the registry.
func Kind() channel.Kind {
	return channel.Kind{
		Kind: desk.ChannelMirakl,
		Name: "Mirakl",
		Settings: []channel.Setting{
			{Key: "base_url", Label: "Adresse de l'instance Mirakl", Kind: channel.SettingURL, Required: true,
				Help: "Celle du back-office vendeur de l'opérateur, par exemple https://carrefour-prod.mirakl.net."},
			{Key: "api_key", Label: "Clé d'API de la boutique", Kind: channel.SettingText, Required: true, Secret: true,
				Help: "Back-office vendeur › votre compte (en haut à droite) › Clé d'API."},
			{Key: "shop_id", Label: "Identifiant de la boutique", Kind: channel.SettingNumber,
				Help: "Seulement si la clé donne accès à plusieurs boutiques : Mon compte › Paramètres."},
		},
		Every: 2 * time.Minute,
		New: func(c channel.Config) (channel.Connector, error) {
			m, err := New(c)
			if err != nil {
				return nil, err // not a nil *Connector in a non-nil interface
			}
			return m, nil
		},
	}
}

// Preset is a known operator: its name, its instance, and the names its
// customers use for it (for the guard against naming another marketplace
// in a reply).
type Preset struct {
	ID         string
	Name       string
	BaseURL    string // "" where no public source confirms it: the admin types it
	GuardNames []string
}

// Presets lists the known Mirakl operators. Base URLs are filled only
// where a public integration shows the instance (Carrefour, Leroy Merlin,
// Rue du Commerce); the others are left for the admin to copy from the
// seller back office's address bar. Cdiscount is not Mirakl (its own
// API), nor is Amazon or ManoMano.
func Presets() []Preset {
	return []Preset{
		{ID: "fnac", Name: "Fnac", GuardNames: []string{"Fnac", "fnac.com"}},
		{ID: "darty", Name: "Darty", GuardNames: []string{"Darty", "darty.com"}},
		{ID: "carrefour", Name: "Carrefour", BaseURL: "https://carrefour-prod.mirakl.net", GuardNames: []string{"Carrefour", "carrefour.fr"}},
		{ID: "leroymerlin", Name: "Leroy Merlin", BaseURL: "https://leroymerlin-prod.mirakl.net", GuardNames: []string{"Leroy Merlin", "leroymerlin.fr"}},
		{ID: "conforama", Name: "Conforama", GuardNames: []string{"Conforama", "conforama.fr"}},
		{ID: "boulanger", Name: "Boulanger", GuardNames: []string{"Boulanger", "boulanger.com"}},
		{ID: "rueducommerce", Name: "Rue du Commerce", BaseURL: "https://mirakl-web.groupe-rueducommerce.fr", GuardNames: []string{"Rue du Commerce", "RueDuCommerce", "rueducommerce.fr"}},
	}
}
