package demo

import (
	"context"
	"time"

	"guichet/internal/desk"
)

// Invoices, breakdowns, stock problems and questions without an order.

func playInvoice(p *ticketPlan) {
	p.topic("Facture", "Demande de facture", "Demande de facture")
	byEmail := !p.ch.is(desk.ChannelAmazon) && p.g.chance(0.25)
	text := p.pick(
		"Bonjour, pourriez-vous m'envoyer la facture de ma commande ? J'en ai besoin pour la garantie.",
		"Bonjour,\nNous avons besoin d'une facture au nom de notre société pour la commande [commande]. Merci d'avance.\n[nom_client]\nService achats",
		"Bonjour, je ne trouve pas la facture dans mon espace client. Pouvez-vous me la transmettre ?",
	)
	if byEmail {
		text += "\nVous pouvez me l'envoyer directement à [email]."
	}
	p.opens(msg{text: text})
	switch {
	case p.ch.is(desk.ChannelAmazon): // Amazon hands invoices out itself
		p.replies(p.g.agentDelay(), reply{status: desk.StatusClosed,
			text: "La facture de votre commande est disponible dans votre compte, rubrique « Vos commandes », lien « Facture ». Elle y a été déposée le jour de l'expédition."})
		return
	case byEmail: // sent to the customer's own address, through the Email thread
		if !p.next(p.g.agentDelay(), true) {
			return
		}
		p.firstTouch()
		p.learnsEmail()
		if !p.replies(p.g.soon(), reply{template: tplInvoice, thread: desk.ThreadEmail, status: desk.StatusClosed, files: []file{p.invoice()}}) {
			return
		}
	default:
		status := desk.StatusClosed
		if p.g.chance(0.25) {
			status = desk.StatusWaitingCustomer
		}
		if !p.replies(p.g.agentDelay(), reply{template: tplInvoice, status: status, files: []file{p.invoice()}}) {
			return
		}
	}
	if p.g.chance(0.2) && p.says(p.g.customerDelay(), msg{text: "Merci. Serait-il possible d'y faire figurer l'adresse de facturation de l'entreprise : 18 avenue de la République, 69003 Lyon ?"}) {
		p.replies(p.g.agentDelay(), reply{status: desk.StatusClosed, files: []file{p.invoice()},
			text: "Voici la facture corrigée, avec l'adresse de facturation de votre entreprise."})
	}
}

func playBreakdown(p *ticketPlan) {
	p.topic("Panne / garantie", "Produit en panne", "Produit en panne sous garantie")
	p.opens(msg{text: p.pick(
		"Bonjour, [produit] ne s'allume plus après deux mois d'utilisation. Est-ce encore sous garantie ?",
		"Bonjour,\n[Produit] fait un bruit anormal puis s'arrête au bout de quelques minutes. Que puis-je faire ?\n[prenom]",
	)})
	if !p.replies(p.g.agentDelay(), reply{status: desk.StatusWaitingCustomer,
		text: "Nous sommes désolés pour ce désagrément. Pour ouvrir un dossier de garantie, pourriez-vous nous envoyer une photo de l'étiquette signalétique (sous ou à l'arrière de l'appareil) et nous décrire les circonstances de la panne ?"}) {
		return
	}
	if p.g.chance(0.2) {
		p.silence()
		return
	}
	if !p.says(p.g.customerDelay(), msg{text: "Voici la photo de l'étiquette. La panne est apparue du jour au lendemain, sans choc.", files: p.customerPhotos(1)}) {
		return
	}
	if !p.notes(p.g.agentDelay(), "Garantie OK (achat du [date_commande]). Retour SAV chez le fabricant, bon de retour créé.") {
		return
	}
	if !p.replies(p.g.soon(), reply{status: desk.StatusWaitingCustomer, files: []file{p.returnLabel()},
		text: "Votre produit est bien couvert par la garantie. Vous trouverez ci-joint l'étiquette de retour : dès réception, nous le ferons réparer ou vous en enverrons un neuf."}) {
		return
	}
	if p.says(p.g.customerDelay(), msg{text: "Colis envoyé ce matin."}) {
		p.replies(p.g.between(3*24*time.Hour, 7*24*time.Hour), reply{status: desk.StatusClosed,
			text: "Le fabricant a constaté la panne : nous vous expédions aujourd'hui un produit neuf ([transporteur], suivi [suivi]). Merci de votre patience."})
	}
}

// playOutOfStock: the ADV opens the ticket to warn the customer, from the
// shop's order page.
func playOutOfStock(p *ticketPlan) {
	p.topic("", "Rupture de stock – [article]", "Produit en rupture après commande")
	p.openedByOwner()
	restock := p.dateText(p.cursor.Add(p.g.between(8*24*time.Hour, 15*24*time.Hour)))
	if !p.replies(p.g.soon(), reply{status: desk.StatusWaitingCustomer,
		text: "Nous sommes désolés : [produit] de votre commande [commande] est en rupture chez notre fournisseur jusqu'au " + restock + ". Nous pouvons soit maintenir la commande (expédition dès réception du stock), soit l'annuler et vous rembourser immédiatement. Que préférez-vous ?"}) {
		return
	}
	if p.g.chance(0.55) {
		if !p.says(p.g.customerDelay(), msg{text: "Je préfère attendre, merci de m'avoir prévenu."}) {
			return
		}
		if !p.replies(p.g.agentDelay(), reply{status: desk.StatusWaitingAdmin, text: "C'est noté, merci pour votre patience. Nous vous écrirons dès l'expédition."}) {
			return
		}
		p.followsUp()
		if p.replies(p.g.between(6*24*time.Hour, 12*24*time.Hour), reply{template: tplTracking, status: desk.StatusWaitingCustomer}) {
			p.wrapsUp(30*time.Hour, "Bien reçu, merci !")
		}
		return
	}
	if p.says(p.g.customerDelay(), msg{text: "Annulez s'il vous plaît, j'en ai besoin rapidement."}) {
		p.replies(p.g.agentDelay(), reply{template: tplCancelled, status: desk.StatusClosed})
	}
}

// openedByOwner starts the plan with the owner opening the ticket in office hours.
func (p *ticketPlan) openedByOwner() {
	for {
		t := p.g.officeTime(p.g.openingTime())
		if t.Before(p.g.now.Add(-10 * time.Minute)) {
			p.cursor, p.opened = t, t
			break
		}
	}
	p.conv = "" // the customer thread is the one the ADV's first reply opens
	p.touched = true
	by := p.owner
	p.add(step{do: func(ctx context.Context, r *replayer) error { return r.open(ctx, p, by) }})
	p.status = desk.StatusWaitingAdmin
}
