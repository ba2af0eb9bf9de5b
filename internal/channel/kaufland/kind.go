// Package kaufland is the connector of the Kaufland Seller API v2: tickets
// and their messages become guichet tickets (one per Kaufland order, one
// thread per Kaufland ticket), replies go back as ticket messages, and the
// seller's actions on an order (refund, cancel a unit, close) are API calls.
package kaufland

import (
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// DefaultBaseURL is the production API; the playground or a fake replace it.
const DefaultBaseURL = "https://sellerapi.kaufland.com/v2"

// Storefronts are the spec's Storefront enum, with the country they sell in.
var storefronts = []channel.Option{
	{Value: "de", Label: "Allemagne (kaufland.de)"},
	{Value: "at", Label: "Autriche (kaufland.at)"},
	{Value: "cz", Label: "Tchéquie (kaufland.cz)"},
	{Value: "sk", Label: "Slovaquie (kaufland.sk)"},
	{Value: "pl", Label: "Pologne (kaufland.pl)"},
	{Value: "fr", Label: "France (kaufland.fr)"},
	{Value: "it", Label: "Italie (kaufland.it)"},
}

// Kind describes the Kaufland connector for the registry.
func Kind() channel.Kind {
	return channel.Kind{
		Kind: desk.ChannelKaufland,
		Name: "Kaufland",
		Settings: []channel.Setting{
			{Key: "base_url", Label: "Adresse de l'API", Kind: channel.SettingURL, Default: DefaultBaseURL,
				Help: "À changer seulement pour le bac à sable (playground) de Kaufland."},
			{Key: "client_key", Label: "Clé client", Kind: channel.SettingText, Required: true, Secret: true,
				Help: "Portail vendeur › Paramètres › API : la clé de 32 caractères."},
			{Key: "secret_key", Label: "Clé secrète", Kind: channel.SettingText, Required: true, Secret: true,
				Help: "La clé de 64 caractères qui signe chaque requête."},
			{Key: "storefront", Label: "Boutique", Kind: channel.SettingSelect, Options: storefronts, Default: "de",
				Help: "Les tickets des autres boutiques Kaufland sont ignorés : un canal par boutique."},
		},
		Every: 2 * time.Minute,
		New: func(c channel.Config) (channel.Connector, error) {
			k, err := New(c)
			if err != nil {
				return nil, err // not a nil *Connector in a non-nil interface
			}
			return k, nil
		},
	}
}
