package demo

import (
	"time"

	"guichet/internal/desk"
)

// Questions about delivery: the most frequent ones.

func playWhereIsMyOrder(p *ticketPlan) {
	p.topic("Où est ma commande ?", p.pick("Commande non reçue", "Où en est ma commande [commande] ?", "Toujours pas de colis"), "Colis non reçu")
	p.opens(msg{text: p.pick(
		"Bonjour,\nJ'ai commandé [produit] le [date_commande] et je n'ai toujours rien reçu. Pouvez-vous me dire où en est ma commande ?\nMerci,\n[prenom]",
		"Bonjour, ma commande [commande] devait arriver hier et le suivi n'indique rien depuis. Est-elle bien partie ? Cordialement",
		"Bonsoir, toujours pas de colis après [jours] jours... C'était pour un cadeau, pouvez-vous vérifier svp ?",
		"Bonjour,\nLe suivi indique « en cours d'acheminement » depuis une semaine. Pouvez-vous relancer le transporteur ?\n[nom_client]",
	)})
	tpl := tplTracking
	if p.ch.is(desk.ChannelAmazon) {
		tpl = tplTrackingAmazon
	}
	if !p.replies(p.g.agentDelay(), reply{template: tpl, status: desk.StatusWaitingCustomer}) {
		return
	}
	p.operatorNudge(0.15)
	switch r := p.g.rng.Float64(); {
	case r < 0.5:
		p.wrapsUp(0, p.pick("Reçu ce matin, merci beaucoup !", "C'est bon, le colis est arrivé. Merci pour votre réactivité.",
			"Bien reçu aujourd'hui, tout est en ordre. Bonne journée"))
	case r < 0.62:
		p.silence()
	case r < 0.85:
		p.stuckParcel()
	default:
		p.deliveredButMissing()
	}
}

// stuckParcel: the tracking has not moved for days; the ADV chases the carrier.
func (p *ticketPlan) stuckParcel() {
	if !p.says(p.g.customerDelay(), msg{text: p.pick(
		"Le suivi n'a pas bougé depuis 5 jours, le colis est bloqué à [depot]. Que se passe-t-il ?",
		"Bonjour, j'ai regardé le lien : dernier événement « colis en transit » il y a une semaine. Je commence à m'inquiéter.",
	)}) {
		return
	}
	if !p.notes(p.g.agentDelay(), p.pick(
		"Enquête ouverte chez [transporteur] (suivi [suivi]). Relance prévue dans 48 h.",
		"Appelé [transporteur] : colis bloqué au dépôt de [depot], étiquette illisible. Ils le ré-étiquettent.",
	)) {
		return
	}
	p.followsUp()
	if !p.replies(p.g.soon(), reply{status: desk.StatusWaitingAdmin,
		text: "Nous avons ouvert une enquête auprès de [transporteur] au sujet de votre colis, bloqué au dépôt de [depot]. Nous revenons vers vous sous 48 heures avec leur réponse."}) {
		return
	}
	if p.g.chance(0.6) {
		if p.replies(p.g.between(20*time.Hour, 60*time.Hour), reply{status: desk.StatusWaitingCustomer,
			text: "Bonne nouvelle : [transporteur] a retrouvé votre colis. Il a été remis en livraison et devrait vous parvenir d'ici deux jours ouvrés."}) {
			p.wrapsUp(30*time.Hour, p.pick("Colis enfin reçu, merci pour le suivi !", "Bien reçu, merci à vous."))
		}
		return
	}
	if p.notes(p.g.between(30*time.Hour, 70*time.Hour), "[transporteur] confirme la perte du colis. Remboursement validé par [admin].") {
		p.replies(p.g.soon(), reply{template: tplRefunded, status: desk.StatusClosed})
	}
}

// deliveredButMissing: the carrier says delivered, the customer has nothing.
func (p *ticketPlan) deliveredButMissing() {
	if !p.says(p.g.customerDelay(), msg{text: p.pick(
		"Le suivi indique que le colis a été livré mais je n'ai rien reçu ! Personne n'est passé.",
		"Bonjour, le site du transporteur dit « livré » depuis hier, mais rien dans ma boîte aux lettres ni chez le gardien.",
	)}) {
		return
	}
	if !p.next(p.g.agentDelay(), true) {
		return
	}
	p.firstTouch()
	p.delivered(p.cursor.Add(-p.g.between(20*time.Hour, 50*time.Hour)))
	if !p.replies(p.g.soon(), reply{template: tplDelivered, status: desk.StatusWaitingCustomer}) {
		return
	}
	if !p.says(p.g.customerDelay(), msg{text: "J'ai demandé aux voisins et au gardien : personne n'a vu le colis."}) {
		return
	}
	if !p.notes(p.g.agentDelay(), "Enquête livraison ouverte chez [transporteur] : demande de preuve de livraison (signature, photo).") {
		return
	}
	p.followsUp()
	if p.replies(p.g.soon(), reply{status: desk.StatusWaitingAdmin,
		text: "Merci pour ces vérifications. Nous avons demandé à [transporteur] la preuve de livraison ; nous revenons vers vous dès leur réponse, sous 3 jours ouvrés au plus tard."}) {
		p.replies(p.g.between(40*time.Hour, 80*time.Hour), reply{template: tplRefunded, status: desk.StatusClosed})
	}
}

func playLate(p *ticketPlan) {
	p.topic("Délai de livraison", "Retard de livraison", "Retard de livraison")
	p.opens(msg{text: p.pick(
		"Bonjour,\nLa livraison de [produit] était annoncée pour hier. Toujours rien, et aucune nouvelle. Pouvez-vous me donner une date ?",
		"Bonjour, j'avais choisi la livraison express et ma commande n'est toujours pas là. Je suis déçu.",
		"Commande [commande] passée le [date_commande], délai annoncé 3 jours, on en est à [jours]. Merci de me tenir au courant.",
	)})
	if !p.replies(p.g.agentDelay(), reply{template: tplDelay, status: desk.StatusWaitingCustomer}) {
		return
	}
	p.operatorNudge(0.2)
	switch r := p.g.rng.Float64(); {
	case r < 0.55:
		p.wrapsUp(0, p.pick("Colis reçu enfin ! Merci.", "Livré ce midi, merci de votre suivi.", "C'est arrivé, merci."))
	case r < 0.78:
		if !p.says(p.g.customerDelay(), msg{text: "Tant pis, je ne peux plus attendre : annulez ma commande et remboursez-moi."}) {
			return
		}
		if !p.notes(p.g.agentDelay(), "Demande de retour à l'expéditeur faite auprès de [transporteur] (suivi [suivi]).") {
			return
		}
		p.followsUp()
		if p.replies(p.g.soon(), reply{status: desk.StatusWaitingAdmin,
			text: "C'est entendu. Nous avons demandé au transporteur de nous retourner le colis ; le remboursement sera effectué dès son retour à l'entrepôt."}) {
			p.replies(p.g.between(48*time.Hour, 120*time.Hour), reply{template: tplRefunded, status: desk.StatusClosed})
		}
	default:
		p.silence()
	}
}

func playDamaged(p *ticketPlan) {
	p.topic("Produit endommagé", p.pick("Colis abîmé", "Produit arrivé cassé"), p.pick("Produit reçu cassé", "Carton écrasé, produit abîmé"))
	withPhotos := p.g.chance(0.55)
	m := msg{text: p.pick(
		"Bonjour, j'ai reçu ma commande aujourd'hui mais le carton était éventré et [produit] est rayé sur tout le côté. Que faites-vous ?",
		"Livraison ce matin : le produit est cassé, impossible de l'utiliser. Je veux une solution rapidement.",
	)}
	if withPhotos {
		m.text = p.pick(
			"Bonjour,\nLe colis est arrivé complètement écrasé et [produit] est cassé. Je vous joins les photos.\n[prenom]",
			"Produit reçu abîmé (photos jointes). Je souhaite un remplacement rapidement svp.",
		)
		m.files = p.customerPhotos(1 + p.g.rng.IntN(2))
	}
	p.opens(m)
	if !withPhotos {
		if !p.replies(p.g.agentDelay(), reply{template: tplDamaged, status: desk.StatusWaitingCustomer}) {
			return
		}
		if p.g.chance(0.15) {
			p.silence()
			return
		}
		if !p.says(p.g.customerDelay(), msg{text: p.pick("Voici les photos demandées.",
			"Photos en pièces jointes. J'avais bien noté « colis abîmé » sur le bon du livreur."), files: p.customerPhotos(2)}) {
			return
		}
	}
	if !p.next(p.g.agentDelay(), true) {
		return
	}
	p.firstTouch()
	p.delivered(p.opened) // customers write the day the parcel arrives broken
	if !p.notes(p.g.soon(), "Litige ouvert chez [transporteur] avec les photos du client, réf. LIT-"+p.g.digits(6)+".") {
		return
	}
	if p.g.chance(0.65) {
		r := reply{status: desk.StatusWaitingCustomer,
			text: "Merci pour les photos. Nous vous renvoyons [produit] dès aujourd'hui, sans frais ; inutile de nous retourner l'article abîmé. Le nouveau colis part avec [transporteur], suivi [suivi]."}
		if p.g.chance(0.35) {
			r.text += "\n\nCi-joint une photo du colis préparé par notre entrepôt, renforcé cette fois."
			r.files = []file{p.packedPhoto()}
		}
		if p.replies(p.g.soon(), r) {
			p.operatorNudge(0.1)
			p.wrapsUp(40*time.Hour, p.pick("Bien reçu le nouveau colis, intact cette fois. Merci !",
				"Produit de remplacement reçu, tout fonctionne. Merci pour votre efficacité."))
		}
		return
	}
	if p.replies(p.g.soon(), reply{template: tplRefunded, status: desk.StatusClosed}) && p.g.chance(0.3) {
		// A thank-you after closing reopens the ticket: the ADV closes it again.
		if p.says(p.g.customerDelay(), msg{text: "Merci pour le remboursement rapide, c'est appréciable."}) {
			p.closes(p.g.agentDelay())
		}
	}
}

func playMissingPart(p *ticketPlan) {
	p.topic("Produit manquant", "Il manque une pièce", "Pièce manquante : [piece]")
	p.opens(msg{text: p.pick(
		"Bonjour,\nJ'ai bien reçu [produit] mais il manque [piece]. Pouvez-vous faire le nécessaire ?\nMerci",
		"Colis reçu incomplet : pas de trace de [piece] dans le carton. Je ne peux pas utiliser le produit sans.",
	)})
	if p.g.chance(0.3) {
		if !p.notes(p.g.agentDelay(), "Vu avec l'entrepôt : la commande est partie en 2 colis, le second est chez [transporteur].") {
			return
		}
		if p.replies(p.g.soon(), reply{status: desk.StatusWaitingCustomer,
			text: "Votre commande a été expédiée en deux colis : [piece] se trouve dans le second, en cours de livraison chez [transporteur] (suivi [suivi])."}) {
			p.wrapsUp(10*time.Hour, "Le second colis est arrivé, tout est complet. Merci.")
		}
		return
	}
	if !p.replies(p.g.agentDelay(), reply{template: tplMissing, status: desk.StatusWaitingCustomer}) {
		return
	}
	if p.g.chance(0.25) {
		p.silence()
		return
	}
	p.wrapsUp(50*time.Hour, p.pick("Pièce bien reçue, merci !", "Reçu ce jour, le produit est enfin complet. Merci"))
}
