package desk

import (
	"regexp"
	"time"
)

// Template variables, written {name} in a default reply's text.
var TemplateVariables = []string{"nom_client", "commande", "numero_ticket", "canal", "date_livraison", "lien_suivi", "adv"}

var variableRe = regexp.MustCompile(`\{([a-z_]+)\}`)

func knownVariable(name string) bool {
	for _, v := range TemplateVariables {
		if v == name {
			return true
		}
	}
	return false
}

// FillVariables replaces the known variables of text by their values. Those with
// no value stay as written and are returned in missing, so the agent sees them.
func FillVariables(text string, values map[string]string) (filled string, missing []string) {
	seen := map[string]bool{}
	filled = variableRe.ReplaceAllStringFunc(text, func(m string) string {
		name := m[1 : len(m)-1]
		if !knownVariable(name) {
			return m
		}
		if v := values[name]; v != "" {
			return v
		}
		if !seen[name] {
			seen[name] = true
			missing = append(missing, name)
		}
		return m
	})
	return filled, missing
}

// UnfilledVariables lists the known variables still written in text.
func UnfilledVariables(text string) []string {
	_, missing := FillVariables(text, nil)
	return missing
}

// variableValues are the values a ticket gives the template variables.
func variableValues(t Ticket, c Channel, cust Customer, actor Actor) map[string]string {
	v := map[string]string{
		"nom_client":    cust.Name,
		"commande":      t.OrderRef,
		"numero_ticket": t.Number,
		"canal":         c.Name,
		"adv":           actor.Name,
	}
	if d, err := time.Parse(time.DateOnly, t.DeliveryDate); err == nil {
		v["date_livraison"] = d.Format("02/01/2006")
	}
	return v
}
