package demo

import (
	"fmt"
	"strings"

	"guichet/internal/desk"
)

var firstNames = []string{
	"Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sophie", "Julie", "Camille", "Chloé", "Manon",
	"Emma", "Sarah", "Aurélie", "Céline", "Valérie", "Christine", "Monique", "Hélène", "Martine", "Brigitte",
	"Yasmine", "Noémie", "Amandine", "Karima", "Fatima", "Jean", "Pierre", "Michel", "Philippe", "Alain",
	"Nicolas", "Julien", "Kévin", "Maxime", "Antoine", "Hugo", "Lucas", "Mehdi", "Youssef", "Rachid",
	"Gérard", "Patrick", "Stéphane", "Sébastien", "Laurent", "Éric", "Franck", "Olivier", "Théo", "Bernard",
}

var lastNames = []string{
	"Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Simon", "Laurent",
	"Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Vincent", "Fournier", "Morel", "André", "Mercier",
	"Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
	"Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
	"Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Nguyen", "Diallo", "Haddad", "Da Silva",
	"Ferreira", "Kaya", "Traoré", "Boucher", "Lemaire", "Le Gall", "Brun", "Colin", "Caron", "Benhamou",
}

var mailDomains = []string{"example.com", "example.org", "example.net"}

// person is a customer. Their addresses use the domains reserved for
// examples: a demo must never write to a real person.
type person struct {
	first, last string
	external    string // the channel's customer id
	relay       string // the address the channel shows us
	email       string // their own address
	phone       string
}

func (p person) name() string { return p.first + " " + p.last }

func (p person) customer() desk.CustomerInput {
	return desk.CustomerInput{ExternalID: p.external, Name: p.name(), Email: or(p.relay, p.email), Phone: p.phone}
}

// newPerson invents a customer of channel c.
func (g *generator) newPerson(c *channelSpec) person {
	p := person{first: pick(g, firstNames), last: pick(g, lastNames)}
	local := asciiLower(p.first) + "." + asciiLower(p.last)
	if g.chance(0.3) {
		local += fmt.Sprintf("%d", 50+g.rng.IntN(50))
	}
	p.email = local + "@" + pick(g, mailDomains)
	switch {
	case c.relay != "":
		p.external = g.alnum(10)
		p.relay = strings.ToLower(g.alnum(16)) + "@" + c.relay
	case c.is(desk.ChannelPrestaShop):
		p.external = fmt.Sprintf("%d", 1000+g.rng.IntN(48000))
	}
	if !c.is(desk.ChannelAmazon) && g.chance(0.4) {
		// 06 39 98 xx xx is set aside for fiction by the French regulator.
		p.phone = fmt.Sprintf("06 39 98 %02d %02d", g.rng.IntN(100), g.rng.IntN(100))
	}
	return p
}

// asciiLower spells a name as it would be in an email address.
func asciiLower(s string) string {
	r := strings.NewReplacer("é", "e", "è", "e", "ë", "e", "É", "e", "ç", "c", "ï", "i", "î", "i", "ô", "o", " ", "")
	return strings.ToLower(r.Replace(s))
}

// product is something the seller sells.
type product struct {
	name   string // with its article: "l'aspirateur robot", used in sentences
	short  string // without: "aspirateur robot laveur"
	price  float64
	bulky  bool   // sent by a freight carrier
	pieces string // what customers find missing
}

var products = []product{
	{"l'aspirateur robot laveur", "aspirateur robot laveur", 249.90, false, "la station de charge"},
	{"la plancha électrique inox", "plancha électrique inox 2 zones", 129.00, false, "le bac récupérateur de graisse"},
	{"la perceuse-visseuse 18 V", "perceuse-visseuse sans fil 18 V", 89.90, false, "le chargeur de la batterie"},
	{"le parasol déporté", "parasol déporté 3 x 3 m", 169.00, true, "la manivelle"},
	{"le ventilateur colonne", "ventilateur colonne silencieux", 59.99, false, "la télécommande"},
	{"la machine à café à grain", "machine à café à grain", 379.00, false, "le bac à marc"},
	{"le lampadaire arc", "lampadaire arc en laiton", 119.00, true, "le sachet de visserie"},
	{"la tondeuse sans fil", "tondeuse sans fil 40 V", 299.00, true, "le bac de ramassage"},
	{"le salon de jardin", "salon de jardin 4 places en résine", 449.00, true, "les coussins d'assise"},
	{"le robot pâtissier", "robot pâtissier 1200 W", 199.90, false, "le fouet"},
	{"la friteuse sans huile", "friteuse sans huile 5,5 L", 89.99, false, "la grille de cuisson"},
	{"le radiateur à inertie", "radiateur à inertie 1500 W", 219.00, false, "le support mural"},
	{"le store banne motorisé", "store banne motorisé 4 x 3 m", 589.00, true, "la télécommande"},
	{"le nettoyeur haute pression", "nettoyeur haute pression 2100 W", 179.00, false, "la lance rotative"},
	{"l'étagère métallique", "étagère métallique 5 niveaux", 49.90, false, "la notice et les vis"},
	{"la bouilloire inox", "bouilloire inox 1,7 L", 34.90, false, "le socle d'alimentation"},
	{"le matelas mémoire de forme", "matelas 140 x 190 mémoire de forme", 399.00, true, "la housse"},
	{"le barbecue à gaz", "barbecue à gaz 3 brûleurs", 349.00, true, "le détendeur"},
	{"la hotte aspirante", "hotte aspirante 60 cm", 229.00, false, "les filtres à charbon"},
	{"le set de poêles", "set de 3 poêles antiadhésives", 59.90, false, "la poignée amovible"},
}

func (p product) priceText() string {
	return strings.Replace(fmt.Sprintf("%.2f €", p.price), ".", ",", 1)
}

// carrier ships parcels; url turns a tracking number into its tracking page.
type carrier struct {
	name    string
	number  func(g *generator) string
	url     string // with %s for the number
	depots  []string
	freight bool
}

var carriers = []carrier{
	{"Colissimo", func(g *generator) string { return "6A" + g.digits(11) }, "https://www.laposte.fr/outils/suivre-vos-envois?code=%s",
		[]string{"Gonesse", "Wissous", "Moissy-Cramayel"}, false},
	{"Chronopost", func(g *generator) string { return "XY" + g.digits(9) + "FR" }, "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT=%s",
		[]string{"Chilly-Mazarin", "Lyon Corbas"}, false},
	{"DPD", func(g *generator) string { return "25" + g.digits(12) }, "https://trace.dpd.fr/fr/trace/%s",
		[]string{"Vitry-sur-Seine", "Saint-Priest"}, false},
	{"GLS", func(g *generator) string { return g.digits(11) }, "https://gls-group.com/FR/fr/suivi-colis?match=%s",
		[]string{"Tours", "Lisses"}, false},
	{"DB Schenker", func(g *generator) string { return "FR" + g.digits(10) }, "https://www.dbschenker.com/app/tracking-public/?refNumber=%s",
		[]string{"Rungis", "Vénissieux"}, true},
}

// carrierFor picks who ships a product: bulky ones go by freight.
func (g *generator) carrierFor(p product) carrier {
	if p.bulky {
		return carriers[len(carriers)-1]
	}
	return carriers[g.rng.IntN(len(carriers)-1)]
}

var months = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
