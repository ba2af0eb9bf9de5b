package ui

// backofficeMessages are the labels of « Commandes dans le back-office »
// (a marketplace channel's rule and its test), the presets of a new Mirakl
// channel, and the back-office order in the ticket's panels.
var backofficeMessages = map[string]text{
	"bo.title":           {"Commandes dans le back-office", "Orders in the back office"},
	"bo.intro":           {"Le module de la place de marché importe ses commandes dans la boutique PrestaShop et y inscrit la référence de la place de marché. Dites où : le ticket trouve alors sa commande dans le back-office, et le fil Email devient disponible.", "The marketplace's module imports its orders into the PrestaShop shop and writes the marketplace's reference there. Say where: the ticket then finds its order in the back office, and the Email thread becomes available."},
	"bo.channel":         {"Back-office (canal PrestaShop)", "Back office (PrestaShop channel)"},
	"bo.none":            {"Aucun : pas de recherche", "None: no lookup"},
	"bo.field":           {"Champ de la commande PrestaShop", "PrestaShop order field"},
	"bo.field.reference": {"reference : la référence de la commande (égale)", "reference: the order's reference (equal)"},
	"bo.field.note":      {"note : la note de la commande (contient)", "note: the order's note (contains)"},
	"bo.pattern":         {"Modèle de la valeur", "Value pattern"},
	"bo.pattern_hint":    {"{order} est remplacé par la référence de la commande sur la place de marché : {order}, FNAC-{order}, n° {order}…", "{order} is replaced by the marketplace's order reference: {order}, FNAC-{order}, n° {order}…"},
	"bo.test_ref":        {"Référence de commande à tester", "Order reference to test"},
	"bo.test":            {"Tester", "Test"},
	"bo.test_value":      {"Recherché : %s = %s", "Looked for: %s = %s"},
	"bo.test_none":       {"Aucune commande trouvée.", "No order found."},
	"bo.test_failed":     {"Échec : %s", "Failed: %s"},
	"bo.found":           {"Commande %s du %s · %s · %s · %s", "Order %s of %s · %s · %s · %s"},
	"bo.preset":          {"Place de marché", "Marketplace"},
	"bo.preset_none":     {"Autre (à remplir)", "Other (fill in)"},
	"bo.preset_hint":     {"Remplit le nom, les noms du garde-fou et, quand elle est connue, l'adresse de l'API.", "Fills the name, the guard's names and, when known, the API address."},
	"int.bo_title":       {"Dans le back-office", "In the back office"},
	"int.bo_none":        {"Aucune commande trouvée dans le back-office (%s).", "No order found in the back office (%s)."},
	"int.bo_error":       {"Back-office indisponible : %s", "Back office unavailable: %s"},
	"int.bo_rule":        {"Pas de règle de back-office pour ce canal : voir Administration › Canaux.", "No back-office rule for this channel: see Administration › Channels."},
	"int.payment":        {"Paiement", "Payment"},
	"int.delivered":      {"Livré le %s", "Delivered on %s"},
	"js.propose":         {"Proposer : %s", "Suggest: %s"},
	"js.propose_title":   {"Remplir le champ avec la valeur du back-office (à enregistrer)", "Fill the field with the back office's value (to save)"},
}

func init() {
	for k, v := range backofficeMessages {
		if _, dup := messages[k]; dup {
			panic("label defined twice: " + k)
		}
		messages[k] = v
	}
}
