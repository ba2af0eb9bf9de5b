// Package prestashop is the connector of a PrestaShop shop's webservice:
// the customer-service threads (customer_threads, customer_messages, from
// the shop's contact form) become guichet tickets, replies are written back
// as customer messages by the configured employee, and the shop's orders
// (lines, states, history, carriers and tracking) fill the order panels.
package prestashop

import (
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Kind describes the PrestaShop connector for the registry.
func Kind() channel.Kind {
	return channel.Kind{
		Kind: desk.ChannelPrestaShop,
		Name: "PrestaShop",
		Settings: []channel.Setting{
			{Key: "base_url", Label: "Adresse de la boutique", Kind: channel.SettingURL, Required: true,
				Help: "L'adresse de la boutique, sans /api : https://boutique.example.com (le webservice est sous /api)."},
			{Key: "api_key", Label: "Clé du webservice", Kind: channel.SettingText, Required: true, Secret: true,
				Help: "Paramètres avancés › Webservice : la clé de 32 caractères, avec les droits GET sur customer_threads, customer_messages, contacts, orders, order_states, order_histories, order_carriers, carriers, customers, addresses et POST sur customer_messages et customer_threads."},
			{Key: "employee_id", Label: "Employé qui répond", Kind: channel.SettingNumber, Required: true,
				Help: "L'identifiant de l'employé (Paramètres avancés › Équipe) au nom duquel les réponses sont écrites dans la boutique."},
			{Key: "admin_url", Label: "Adresse du back-office", Kind: channel.SettingURL,
				Help: "Facultatif : https://boutique.example.com/admin123 (le webservice ne la donne pas) ; sert au lien vers la commande."},
			{Key: "timezone", Label: "Fuseau horaire de la boutique", Kind: channel.SettingText, Default: "Europe/Paris",
				Help: "PrestaShop écrit ses dates sans fuseau, à l'heure de la boutique."},
			{Key: "button_secret", Label: "Secret du bouton guichet", Kind: channel.SettingText, Secret: true,
				Help: "Facultatif : le secret partagé avec le module guichet de la boutique (le bouton de la page commande), 32 caractères au moins ; le même dans la configuration du module."},
		},
		Every: 2 * time.Minute,
		New: func(c channel.Config) (channel.Connector, error) {
			p, err := New(c)
			if err != nil {
				return nil, err // not a nil *Connector in a non-nil interface
			}
			return p, nil
		},
	}
}
