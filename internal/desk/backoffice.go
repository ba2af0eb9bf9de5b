package desk

import "strings"

// BackofficeRule says where a marketplace channel's orders are in the
// PrestaShop back office: the marketplace module imports each of them as
// a shop order and writes the marketplace's reference into one of its
// fields, in its own way (« FNAC-{order} »).
type BackofficeRule struct {
	ChannelID int64  `json:"channel_id"` // the PrestaShop channel; 0: no rule
	Field     string `json:"field,omitempty"`
	Pattern   string `json:"pattern,omitempty"` // contains {order}
}

// BackofficeFields are the fields of PrestaShop's orders resource a rule
// may use: those a marketplace module writes when it imports an order and
// that the webservice can filter (shipping_number cannot be).
//   - reference: modules that name the shop order after the marketplace's
//     (exact match);
//   - note: modules that write « Commande Fnac n° … » in the order's note
//     (the value is looked for inside it).
var BackofficeFields = []string{"reference", "note"}

// Set reports whether the channel has a rule.
func (r BackofficeRule) Set() bool { return r.ChannelID != 0 }

// Value is what the rule looks for in the back office for a marketplace
// order reference.
func (r BackofficeRule) Value(orderRef string) string {
	return strings.ReplaceAll(r.Pattern, "{order}", orderRef)
}

// checkBackoffice checks a rule's own fields; the back-office channel's
// kind is checked in the transaction that saves it.
func checkBackoffice(r *BackofficeRule) error {
	if r.ChannelID == 0 {
		*r = BackofficeRule{}
		return nil
	}
	var err error
	if r.Pattern, err = checkLine("backoffice_pattern", r.Pattern, 100, false); err != nil {
		return err
	}
	if r.Pattern == "" {
		r.Pattern = "{order}"
	}
	if strings.Count(r.Pattern, "{order}") != 1 {
		return Invalid("backoffice_pattern", "le modèle doit contenir {order} une fois (ex. FNAC-{order})")
	}
	if strings.ContainsAny(r.Pattern, "[]|,%!<>") {
		return Invalid("backoffice_pattern", "le modèle ne peut contenir aucun de ces signes : [ ] | , %% ! < >")
	}
	if r.Field == "" {
		r.Field = BackofficeFields[0]
	}
	for _, f := range BackofficeFields {
		if f == r.Field {
			return nil
		}
	}
	return Invalid("backoffice_field", "champ de commande inconnu : %q", r.Field)
}
