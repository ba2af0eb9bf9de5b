package deadline

import (
	"slices"
	"strings"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/nl"
)

// Country is a set of public holidays: a country, or one of its regions
// ("de-BY" is Bavaria's).
type Country struct {
	Code string
	Name string // in French, as the admin reads it
	list []*cal.Holiday
}

// Countries are the holiday sets a calendar may use: the countries of the
// channels, and Germany's Länder (whose state holidays differ).
var Countries = []Country{
	{"", "Aucun jour férié", nil},
	{"fr", "France", fr.Holidays},
	{"de", "Allemagne (fériés nationaux)", de.Holidays},
	{"de-BW", "Allemagne — Bade-Wurtemberg", de.HolidaysBW},
	{"de-BY", "Allemagne — Bavière", de.HolidaysBY},
	{"de-BE", "Allemagne — Berlin", de.HolidaysBE},
	{"de-BB", "Allemagne — Brandebourg", de.HolidaysBB},
	{"de-HB", "Allemagne — Brême", de.HolidaysHB},
	{"de-HH", "Allemagne — Hambourg", de.HolidaysHH},
	{"de-HE", "Allemagne — Hesse", de.HolidaysHE},
	{"de-MV", "Allemagne — Mecklembourg-Poméranie-Occidentale", de.HolidaysMV},
	{"de-NI", "Allemagne — Basse-Saxe", de.HolidaysNI},
	{"de-NW", "Allemagne — Rhénanie-du-Nord-Westphalie", de.HolidaysNW},
	{"de-RP", "Allemagne — Rhénanie-Palatinat", de.HolidaysRP},
	{"de-SL", "Allemagne — Sarre", de.HolidaysSL},
	{"de-SN", "Allemagne — Saxe", de.HolidaysSN},
	{"de-ST", "Allemagne — Saxe-Anhalt", de.HolidaysST},
	{"de-SH", "Allemagne — Schleswig-Holstein", de.HolidaysSH},
	{"de-TH", "Allemagne — Thuringe", de.HolidaysTH},
	{"it", "Italie", it.Holidays},
	{"es", "Espagne", es.Holidays},
	{"be", "Belgique", be.Holidays},
	{"nl", "Pays-Bas", nl.Holidays},
	{"gb", "Royaume-Uni", gb.Holidays},
	{"at", "Autriche", at.Holidays},
}

// CountryByCode finds a holiday set; ok is false for an unknown code.
func CountryByCode(code string) (Country, bool) {
	code = strings.TrimSpace(code)
	i := slices.IndexFunc(Countries, func(c Country) bool { return strings.EqualFold(c.Code, code) })
	if i < 0 {
		return Country{}, false
	}
	return Countries[i], true
}
