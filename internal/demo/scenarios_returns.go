package demo

import (
	"time"

	"guichet/internal/desk"
)

// Returns, exchanges, cancellations and refunds.

func playWithdrawal(p *ticketPlan) {
	p.topic("Rétractation", "Demande de retour", "Souhaite retourner le produit")
	p.opens(msg{text: p.pick(
		"Bonjour, je souhaite me rétracter : [produit] ne correspond pas à mes attentes, c'est bien plus encombrant que prévu. Comment procéder au retour ?",
		"Bonjour,\nJe voudrais retourner ma commande [commande], le produit ne me convient pas (jamais utilisé, encore emballé). Merci de m'indiquer la marche à suivre.",
		"Je me suis trompé de modèle. Est-il possible de vous renvoyer l'article ?",
	)})
	if p.ch.returnsByAccount {
		if !p.replies(p.g.agentDelay(), reply{template: tplReturnAccount, status: desk.StatusWaitingCustomer}) {
			return
		}
	} else if !p.replies(p.g.agentDelay(), reply{template: tplWithdrawal, status: desk.StatusWaitingCustomer, files: []file{p.returnLabel()}}) {
		return
	}
	if p.g.chance(0.2) {
		p.silence()
		return
	}
	m := msg{text: p.pick("Colis déposé ce jour au bureau de poste.", "Bonjour, le retour est parti ce matin depuis mon point relais.")}
	if p.g.chance(0.3) {
		m.text += " Je vous joins une photo du colis emballé."
		m.files = p.customerPhotos(1)
	}
	if !p.says(p.g.customerDelay(), m) {
		return
	}
	if p.notes(p.g.between(50*time.Hour, 120*time.Hour), "Retour reçu à l'entrepôt, produit complet et en bon état : remboursement OK.") {
		p.replies(p.g.soon(), reply{template: tplRefunded, status: desk.StatusClosed})
	}
}

func playWrongItem(p *ticketPlan) {
	p.topic("Produit non conforme", "Erreur de produit", p.pick("Mauvais modèle reçu", "Couleur différente de la commande"))
	m := msg{text: p.pick(
		"Bonjour, j'ai commandé [produit] et j'ai reçu un tout autre modèle. Merci de corriger rapidement.",
		"La couleur reçue ne correspond pas du tout à celle de la fiche produit. Je souhaite un échange.",
	)}
	if p.g.chance(0.6) {
		m.text += " Photo jointe."
		m.files = p.customerPhotos(1)
	}
	p.opens(m)
	r := reply{template: tplExchange, status: desk.StatusWaitingCustomer, files: []file{p.returnLabel()}}
	if p.ch.is(desk.ChannelAmazon) { // Amazon runs returns itself
		r = reply{status: desk.StatusWaitingCustomer,
			text: "Nous sommes désolés pour cette erreur de préparation. Nous vous expédions le bon article dès aujourd'hui ; pour nous retourner celui reçu, ouvrez une demande de retour depuis votre compte, les frais sont à notre charge."}
	}
	if !p.replies(p.g.agentDelay(), r) {
		return
	}
	if p.g.chance(0.7) {
		if p.says(p.g.customerDelay(), msg{text: "D'accord pour l'échange, merci. Je dépose l'article reçu à la poste demain."}) {
			p.replies(p.g.agentDelay(), reply{status: desk.StatusWaitingCustomer,
				text: "Parfait. Le bon article est parti ce jour avec [transporteur], suivi [suivi]. Bonne réception !"})
		}
		return
	}
	if !p.says(p.g.customerDelay(), msg{text: "Je préfère être remboursé, je n'ai plus confiance. Je vous renvoie l'article."}) {
		return
	}
	p.replies(p.g.between(48*time.Hour, 110*time.Hour), reply{template: tplRefunded, status: desk.StatusClosed})
}

func playCancellation(p *ticketPlan) {
	p.topic("Annulation", "Annulation de commande", "Demande d'annulation")
	p.opens(msg{text: p.pick(
		"Bonjour, je me suis trompé de référence, pouvez-vous annuler ma commande [commande] svp ?",
		"Bonjour,\nMerci d'annuler ma commande, j'ai finalement trouvé le produit en magasin.\nCordialement",
	)})
	if p.g.chance(0.6) {
		p.replies(p.g.between(20*time.Minute, 3*time.Hour), reply{template: tplCancelled, status: desk.StatusClosed})
		return
	}
	if !p.replies(p.g.agentDelay(), reply{status: desk.StatusWaitingCustomer,
		text: "Votre commande est malheureusement déjà partie de notre entrepôt ([transporteur], suivi [suivi]). Vous pouvez refuser le colis à la livraison : il nous reviendra automatiquement et nous vous rembourserons dès son retour."}) {
		return
	}
	if !p.says(p.g.customerDelay(), msg{text: "D'accord, je refuserai le colis. Merci."}) {
		return
	}
	if p.notes(p.g.between(60*time.Hour, 140*time.Hour), "Colis revenu à l'entrepôt (refusé par le client).") {
		p.replies(p.g.soon(), reply{template: tplRefunded, status: desk.StatusClosed})
	}
}

func playRefundMissing(p *ticketPlan) {
	p.topic("Remboursement", "Remboursement non reçu", "Remboursement non reçu après retour")
	p.opens(msg{text: p.pick(
		"Bonjour, j'ai renvoyé [produit] il y a deux semaines et je n'ai toujours pas été remboursé. Pouvez-vous vérifier ?",
		"Mon retour vous a été livré la semaine dernière, toujours aucun remboursement sur mon compte. Merci de faire le nécessaire rapidement.",
	)})
	p.operatorNudge(0.25)
	if !p.notes(p.g.agentDelay(), "Retour bien reçu, remboursement bloqué en attente du contrôle qualité. Relancé l'entrepôt.") {
		return
	}
	if !p.replies(p.g.soon(), reply{template: tplRefunded, status: desk.StatusClosed}) {
		return
	}
	if p.g.chance(0.3) && p.says(p.g.customerDelay(), msg{text: "Je vois bien le remboursement, merci."}) {
		p.closes(p.g.agentDelay())
	}
}
