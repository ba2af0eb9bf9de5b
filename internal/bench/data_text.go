package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"guichet/internal/fold"
)

// The text: words drawn from a Zipf-like vocabulary, so that a few words are
// in most messages and most words in a few.

// Vocabulary returns the words messages are made of, the most frequent
// first: a word's rank says how many messages contain it.
func Vocabulary() []string { return slices.Clone(bulkCorpus().words) }

// LastNames returns the customers' last names, the most frequent first.
func LastNames() []string { return slices.Clone(bulkCorpus().last) }

// CustomerMessage returns a customer's message like those of a generated set.
func CustomerMessage(r *rand.Rand, orderRef, customer string) string {
	return bulkCorpus().customerBody(r, orderRef, customer)
}

type corpus struct {
	words, first, last []string
	wordsZ, lastZ      zipf
}

var bulkCorpus = sync.OnceValue(func() *corpus {
	r := rand.New(rand.NewPCG(20261123, 1)) // fixed: the vocabulary is the same for every seed
	seen := map[string]bool{}
	var words []string
	for _, w := range strings.Fields(frenchWords) {
		if f := fold.String(w); !seen[f] {
			seen[f] = true
			words = append(words, w)
		}
	}
	for len(words) < 30_000 {
		if w := pseudoWord(r); !seen[fold.String(w)] {
			seen[fold.String(w)] = true
			words = append(words, w)
		}
	}
	last := strings.Fields(frenchLastNames)
	for _, w := range last {
		seen[fold.String(w)] = true
	}
	for len(last) < 3000 {
		if w := pseudoWord(r); len(w) > 4 && !seen[fold.String(w)] {
			seen[fold.String(w)] = true
			last = append(last, strings.ToUpper(w[:1])+w[1:])
		}
	}
	return &corpus{words: words, first: strings.Fields(frenchFirstNames), last: last,
		wordsZ: newZipf(len(words), 1.05, 2.7), lastZ: newZipf(len(last), 1, 30)}
})

func pseudoWord(r *rand.Rand) string {
	onsets := [...]string{"b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "tr", "pl", "gr", "br", "cr", "fl", "qu", "gu", "v", "l", "m"}
	vowels := [...]string{"a", "e", "i", "o", "u", "ou", "an", "on", "in", "é", "è", "ai", "au", "eu", "oi", "a", "e", "i", "o"}
	endings := [...]string{"", "", "", "s", "t", "r", "l", "x", "nt", "que", "ne", "re", "te", "sse", "ment", "tion", "age"}
	var b strings.Builder
	for range 2 + r.IntN(3) {
		b.WriteString(onsets[r.IntN(len(onsets))])
		b.WriteString(vowels[r.IntN(len(vowels))])
	}
	b.WriteString(endings[r.IntN(len(endings))])
	return b.String()
}

// zipf picks ranks 0..n-1 with weight 1/(rank+q)^s.
type zipf struct{ cdf []float64 }

func newZipf(n int, s, q float64) zipf {
	cdf := make([]float64, n)
	sum := 0.0
	for k := range cdf {
		sum += 1 / math.Pow(float64(k)+q, s)
		cdf[k] = sum
	}
	return zipf{cdf}
}

func (z zipf) pick(r *rand.Rand) int {
	return sort.SearchFloat64s(z.cdf, r.Float64()*z.cdf[len(z.cdf)-1])
}

func (c *corpus) firstName(r *rand.Rand) string { return c.first[r.IntN(len(c.first))] }
func (c *corpus) lastName(r *rand.Rand) string  { return c.last[c.lastZ.pick(r)] }

// sentence is 4 to 13 words, capitalized and closed.
func (c *corpus) sentence(b *strings.Builder, r *rand.Rand) {
	n := 4 + r.IntN(10)
	for k := range n {
		w := c.words[c.wordsZ.pick(r)]
		if k == 0 {
			first, size := utf8.DecodeRuneInString(w)
			b.WriteRune(unicode.ToUpper(first))
			b.WriteString(w[size:])
		} else {
			b.WriteByte(' ')
			b.WriteString(w)
		}
	}
	b.WriteString([...]string{". ", ". ", ". ", " ? ", " ! "}[r.IntN(5)])
}

func (c *corpus) customerBody(r *rand.Rand, ref, name string) string {
	var b strings.Builder
	b.WriteString([...]string{"Bonjour,\n", "Bonjour, ", "Madame, Monsieur,\n", "Bonsoir, ", ""}[r.IntN(5)])
	for range 1 + r.IntN(3) {
		c.sentence(&b, r)
	}
	if ref != "" && r.IntN(100) < 30 {
		fmt.Fprintf(&b, "Ma commande %s n'est toujours pas arrivée. ", ref)
	}
	if r.IntN(2) == 0 {
		b.WriteString("\nCordialement,\n" + name)
	}
	return strings.TrimSpace(b.String())
}

func (c *corpus) agentBody(r *rand.Rand, customer, agent, channel string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Bonjour %s,\n", customer)
	for range 1 + r.IntN(3) {
		c.sentence(&b, r)
	}
	first, _, _ := strings.Cut(agent, " ")
	fmt.Fprintf(&b, "\nCordialement,\n%s, service client (%s)", first, channel)
	return b.String()
}

func (c *corpus) operatorBody(r *rand.Rand, ref string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Bonjour, le client signale un incident sur la commande %s. ", ref)
	c.sentence(&b, r)
	b.WriteString("Merci de répondre sous 48 heures.")
	return b.String()
}

func (c *corpus) noteBody(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString("Note : ")
	c.sentence(&b, r)
	return strings.TrimSpace(b.String())
}

// frenchWords are real words, roughly the most frequent first.
const frenchWords = `de la le je et à les pas vous un une ma mon est en pour que des du il ne a au sur
avec ce qui votre mais plus par bien nous ai été toujours commande colis merci bonjour cordialement
livraison reçu produit article jours remboursement retour depuis date suivi numéro envoyé attente
lieu encore faire fait aucune réponse client service délai adresse transporteur facture carton
cassé abîmé défectueux manquant taille couleur échange annulation paiement délais problème
semaine hier aujourd'hui demain mois rapidement possible svp urgent merci beaucoup vraiment
toujours rien personne message mail téléphone appel relais point boîte lettres domicile
livreur chronopost colissimo dpd gls ups mondial poste suivre lien site vendeur vente achat
acheté commandé payé rembourser renvoyer retourner reprendre échanger recevoir reçois attends
attendre voudrais souhaite souhaiterais pouvez pourriez merci d'avance avance svp
étiquette bon retour emballage photo photos pièce pièces notice montage vis manque manquante
cuisine salle bain jardin meuble table chaise lampe canapé matelas lit armoire étagère
perceuse tondeuse aspirateur robot cafetière bouilloire grille-pain four micro-ondes
réfrigérateur lave-linge sèche-linge télévision écran ordinateur portable tablette casque
enceinte chargeur câble batterie imprimante cartouche encre papier stylo cahier jouet
peluche puzzle vélo trottinette casque gants chaussures pantalon chemise robe veste manteau
blanc noir rouge bleu vert gris beige marron rose jaune grand petit moyen large long court
neuf usagé rayé tordu fendu fissuré cassée abîmée mouillé sale odeur bruit panne marche
fonctionne allume charge chauffe refroidit coule fuit bloqué coincé ouvert fermé
garantie assurance litige réclamation plainte avis note étoile évaluation commentaire
compte identifiant mot passe connexion inscription profil coordonnées modifier changer
annuler confirmer valider vérifier contrôler consulter regarder voir savoir comprendre
expliquer préciser indiquer signaler informer prévenir contacter joindre rappeler
rembourse remboursé remboursée crédit avoir bon achat réduction code promo promotion
prix euros frais port gratuit supplémentaire total montant somme carte bancaire virement
prélèvement chèque paypal facturé débité compte bancaire banque iban relevé
monsieur madame mademoiselle famille enfant cadeau anniversaire noël fête mariage
matin soir midi lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars
avril mai juin juillet août septembre octobre novembre décembre heure heures minute
déjà jamais souvent parfois toujours aussi donc alors car puisque comme quand lorsque
pourquoi comment combien quel quelle quels quelles où qui quoi dont lequel laquelle
très trop peu assez beaucoup moins tant autant tellement plutôt vraiment absolument
malheureusement heureusement évidemment normalement finalement actuellement récemment
content contente satisfait satisfaite déçu déçue mécontent furieux inquiet pressé
entrepôt stock rupture disponible indisponible réassort précommande expédition expédié
préparation préparé emballé étiqueté scanné livré distribué déposé retourné perdu égaré
volé endommagé détérioré ouvert déchiré écrasé humide trempé vide incomplet partiel`

var frenchFirstNames = `Marie Jean Pierre Michel Philippe Nathalie Isabelle Sylvie Catherine Françoise Alain Nicolas
Christophe Patrick Christine Stéphane Sandrine Frédéric Laurent Éric Valérie David Céline Julien Sébastien Aurélie
Thomas Camille Léa Manon Chloé Emma Inès Jade Louise Lucas Hugo Léo Gabriel Raphaël Arthur Louis Jules Adam
Maël Théo Noah Paul Nathan Mathis Élodie Émilie Hélène Jérôme François Benoît Cédric Gaëlle Loïc Maëlle Noémie
Océane Zoé Anaïs Clémence Agnès Béatrice Josiane Gérard Bernard Daniel Dominique Yves André René Jacques
Claude Monique Nicole Martine Annie Brigitte Josette Simone Odette Yvette Mohamed Karim Sofiane Yasmine Leïla
Nadia Samir Rachid Fatima Aïcha Kevin Jordan Dylan Mélanie Jessica Laetitia Audrey Virginie Caroline Stéphanie
Amandine Pauline Margaux Justine Charlotte Lucie Romane Axel Enzo Mathéo Timéo Ethan Baptiste Antoine Maxime
Alexandre Guillaume Romain Vincent Olivier Thierry Pascal Bruno Didier Serge Gilles Hervé`

var frenchLastNames = `Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre
Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet
François Martinez Legrand Garnier Faure Rousseau Blanc Guerin Muller Henry Roussel Nicolas Perrin Morin
Mathieu Clement Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis
Lemaire Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Perez Marchand Dufour Blanchard
Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard Arnaud Rolland Caron Aubert
Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Philippe Leclercq Lacroix Fabre Dupuis Olivier
Rodriguez Da-Silva Hubert Louis Charles Guillot Rivière Le-Gall Guillaume Adam Rey Moulin Gonzalez Berger
Lecomte Menard Fleury Deschamps Carpentier Julien Benoit Paris Maillard Marchal Aubry Vasseur Le-Roux Renault
Jacquet Collet Prevost Poirier Charpentier Royer Huet Baron Dupuy Pons Paris Laine Carré Breton Rémy
Schneider Perrot Barre Marty Cousin Lebrun Haddad Benali Benaïssa Mansouri Ferreira Pereira Dos-Santos
Kervadec Le-Bihan Quéré Le-Goff Tanguy Hénaff Bouvier Besnard Leblanc Hamon Lejeune Hoarau Payet Grondin`
