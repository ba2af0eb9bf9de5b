package channel

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"guichet/internal/desk"
)

// checkParams validates an action's parameters as typed and returns those
// the connector gets (amounts in cents) and how each reads in the history.
func checkParams(a Action, params map[string]string) (values map[string]string, shown []string, err error) {
	values = map[string]string{}
	for key := range params {
		if !slices.ContainsFunc(a.Params, func(p Param) bool { return p.Key == key }) {
			return nil, nil, desk.Invalid(key, "paramètre inconnu : %q", key)
		}
	}
	for _, p := range a.Params {
		v := strings.TrimSpace(params[p.Key])
		if v == "" {
			v = p.Default
		}
		if v == "" {
			if p.Required {
				return nil, nil, desk.Invalid(p.Key, "%s : obligatoire", p.Label)
			}
			continue
		}
		switch p.Kind {
		case ParamAmount:
			cents, err := ParseAmount(v)
			if err != nil {
				return nil, nil, desk.Invalid(p.Key, "%s : %v", p.Label, err)
			}
			values[p.Key] = strconv.FormatInt(cents, 10)
			shown = append(shown, FormatAmount(cents)+" €")
		case ParamSelect:
			i := slices.IndexFunc(p.Options, func(o Option) bool { return o.Value == v })
			if i < 0 {
				return nil, nil, desk.Invalid(p.Key, "%s : valeur inconnue %q", p.Label, v)
			}
			values[p.Key] = v
			shown = append(shown, p.Options[i].Label)
		default:
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) || len(v) > 2000 {
				return nil, nil, desk.Invalid(p.Key, "%s : texte invalide ou trop long", p.Label)
			}
			values[p.Key] = v
			if r := []rune(v); len(r) > 60 {
				v = string(r[:60]) + "…"
			}
			shown = append(shown, "« "+v+" »")
		}
	}
	return values, shown, nil
}

// ParseAmount reads an amount as a French agent types it (« 12,50 »,
// « 12.5 », « 1 234,50 € ») and returns it in cents; it must be positive.
func ParseAmount(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	whole, frac, hasFrac := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" || len(whole) > 9 || strings.Trim(whole, "0123456789") != "" ||
		(hasFrac && (frac == "" || len(frac) > 2 || strings.Trim(frac, "0123456789") != "")) {
		return 0, fmt.Errorf("montant attendu, par exemple 12,50")
	}
	n, _ := strconv.ParseInt(whole, 10, 64)
	cents := n * 100
	if hasFrac {
		f, _ := strconv.ParseInt((frac + "0")[:2], 10, 64)
		cents += f
	}
	if cents <= 0 {
		return 0, fmt.Errorf("montant supérieur à zéro attendu")
	}
	return cents, nil
}

// FormatAmount writes cents the French way: 1250 → « 12,50 ».
func FormatAmount(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d,%02d", sign, cents/100, cents%100)
}
