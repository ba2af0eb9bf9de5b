package kaufland

import (
	"guichet/internal/channel"
	"guichet/internal/desk"
)

// French names of the API's enums. Every value of the spec (2.27.0) has
// one; an unknown value (a newer API) shows as itself.

var reasonLabels = []channel.Option{ // TicketReason
	{Value: "product_not_as_described", Label: "Produit non conforme à la description"},
	{Value: "product_defect", Label: "Produit défectueux"},
	{Value: "product_not_delivered", Label: "Produit non livré"},
	{Value: "product_return", Label: "Retour du produit"},
	{Value: "contact_other", Label: "Autre demande"},
}

var topicLabels = map[string]string{ // TicketTopic
	"order_cancel":             "Annulation de commande",
	"order_product_defect":     "Produit défectueux",
	"order_other_question":     "Autre question sur la commande",
	"delivery_not_received":    "Livraison non reçue",
	"delivery_delayed":         "Livraison en retard",
	"delivery_wrong_products":  "Mauvais produits livrés",
	"delivery_parts_missing":   "Pièces manquantes",
	"delivery_change_address":  "Changement d'adresse de livraison",
	"delivery_to_store":        "Livraison en magasin",
	"delivery_other_question":  "Autre question sur la livraison",
	"return_check_status":      "Suivi d'un retour",
	"return_request_label":     "Demande d'étiquette de retour",
	"issue_paypal":             "Problème avec PayPal",
	"issue_klarna":             "Problème avec Klarna",
	"issue_creditcard":         "Problème avec la carte bancaire",
	"issue_sofort":             "Problème avec Sofort",
	"issue_consorsfinanz":      "Problème avec Consors Finanz",
	"issue_cashinadvance":      "Problème de paiement anticipé",
	"issue_payback":            "Problème avec Payback",
	"issue_barzahlen":          "Problème avec Barzahlen",
	"issue_coupon":             "Problème de bon de réduction",
	"invoice_needed":           "Demande de facture",
	"admonition":               "Relance de paiement",
	"account_newsletter":       "Newsletter",
	"account_login":            "Connexion au compte",
	"account_cancel":           "Suppression du compte",
	"account_other":            "Autre question sur le compte",
	"account_age_verification": "Vérification de l'âge",
	"product_properties":       "Caractéristiques du produit",
	"product_availability":     "Disponibilité du produit",
	"product_other_question":   "Autre question sur le produit",
	"account_cash_out_balance": "Versement de l'avoir",
	"old_device_take_back":     "Reprise d'un ancien appareil",
	"other_question":           "Autre question",
	"fraud":                    "Fraude",
	"issue_googlepay":          "Problème avec Google Pay",
	"issue_applepay":           "Problème avec Apple Pay",
	"issue_click_to_pay":       "Problème avec Click to Pay",
	"invoice_problem":          "Problème de facture",
	"issue_blik":               "Problème avec BLIK",
	"kaufland_card":            "Kaufland Card",
	"cs_nagative_rating":       "Avis négatif",
}

var statusLabels = map[string]string{ // TicketStatus
	"opened":                        "Ouvert",
	"buyer_closed":                  "Fermé par l'acheteur",
	"seller_closed":                 "Fermé par le vendeur",
	"both_closed":                   "Fermé",
	"customer_service_closed_final": "Clôturé par le service client Kaufland",
}

var unitStatusLabels = map[string]string{ // OrderUnitStatus
	"cancelled":         "Annulée",
	"need_to_be_sent":   "À expédier",
	"open":              "Ouverte",
	"received":          "Reçue",
	"returned":          "Retournée",
	"returned_paid":     "Retournée et remboursée",
	"sent":              "Expédiée",
	"sent_and_autopaid": "Expédiée et payée",
}

var refundReasons = []channel.Option{ // OrderUnitRefundReason
	{Value: "delivery_damage", Label: "Article endommagé à la livraison"},
	{Value: "delivery_delay", Label: "Livraison en retard"},
	{Value: "incomplete_delivery", Label: "Livraison incomplète"},
	{Value: "incorrect_delivery", Label: "Mauvais article livré"},
	{Value: "defect", Label: "Article défectueux"},
	{Value: "refund_postage_fee", Label: "Remboursement des frais de port"},
	{Value: "refund_return_postage_fee", Label: "Remboursement des frais de retour"},
	{Value: "other_refund", Label: "Autre motif"},
}

var cancelReasons = []channel.Option{ // OrderUnitCancelReason
	{Value: "BuyerCancelled", Label: "Annulée à la demande de l'acheteur"},
	{Value: "NoInventory", Label: "Article en rupture de stock"},
	{Value: "DelayedInventory", Label: "Réapprovisionnement retardé"},
	{Value: "WrongPrice", Label: "Prix erroné"},
	{Value: "WrongCatalogData", Label: "Fiche produit erronée"},
	{Value: "ShippingAddressUndeliverable", Label: "Adresse de livraison impossible à desservir"},
	{Value: "UndeliverableRegion", Label: "Région non desservie"},
	{Value: "MerchandiseNotReceived", Label: "Marchandise non reçue du fournisseur"},
	{Value: "NoReactionBuyer", Label: "Pas de réponse de l'acheteur"},
	{Value: "GeneralAdjustment", Label: "Autre motif"},
}

func optionLabel(opts []channel.Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

func hasOption(opts []channel.Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

func labelOr(m map[string]string, v string) string {
	if l, ok := m[v]; ok {
		return l
	}
	return v
}

// ticketStatus is what Kaufland's status means for our ticket: closed for
// good when both sides closed it or Kaufland's support did; a side closing
// alone can still be reopened by the other.
func ticketStatus(s string) desk.Status {
	if s == "both_closed" || s == "customer_service_closed_final" {
		return desk.StatusClosed
	}
	return ""
}
