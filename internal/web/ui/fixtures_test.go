package ui_test

import (
	"time"

	"guichet/internal/desk"
)

// tickets is a realistic morning: tickets on each channel, one late, one
// waiting for the customer, one with an operator thread, one with HTML.
type tickets struct {
	kauf, fnac, shop, late, waiting, html desk.Ticket
}

const hostileHTML = `<p>Bonjour,</p><p>Voici la photo <img src="x" onerror="alert('img')"> du carton abîmé.</p>` +
	`<script>alert('script')</script><a href="javascript:alert('link')">cliquez ici</a>` +
	`<p onclick="alert('click')">Merci d'avance</p><iframe src="javascript:alert('frame')"></iframe>`

func (e *env) seed() tickets {
	e.t.Helper()
	var ts tickets
	ts.kauf = e.customerMessage(e.kaufland, "KA-260311-0042", "Jean Dupont",
		"Bonjour,\nJ'ai commandé une perceuse il y a 10 jours et je n'ai toujours rien reçu. Pouvez-vous me donner le numéro de suivi ?\nCordialement, Jean Dupont")
	ts.fnac = e.customerMessage(e.fnac, "FN-88812", "Sophie Bernard", "Le produit reçu ne correspond pas à la photo, je souhaite le retourner.")
	e.ingest(desk.Incoming{ChannelID: e.fnac.ID, OrderRef: "FN-88812", SourceID: "op-1", ThreadKind: desk.ThreadOperator,
		AuthorKind: desk.AuthorOperator, AuthorName: "Service client Fnac", Body: "Merci de traiter la demande de retour du client sous 48 h."})
	ts.shop = e.customerMessage(e.shop, "XKBKNABJK", "Éloïse Martin", "Bonjour, puis-je modifier l'adresse de livraison de ma commande ?")
	ts.late = e.ingest(desk.Incoming{ChannelID: e.kaufland.ID, OrderRef: "KA-260301-0007", SourceID: "late-1",
		AuthorKind: desk.AuthorCustomer, AuthorName: "Paul Lefèvre", At: time.Now().Add(-5 * 24 * time.Hour),
		Body: "Toujours pas de réponse à ma demande de remboursement !", Customer: desk.CustomerInput{ExternalID: "c-late", Name: "Paul Lefèvre"}})
	ts.waiting = e.customerMessage(e.shop, "WAIT-5521", "Claire Petit", "Merci, j'attends votre retour.")
	st := desk.StatusWaitingCustomer
	e.must(e.d.UpdateTicket(ctx, e.marc, ts.waiting.ID, desk.TicketPatch{Status: &st}))
	ts.html = e.ingest(desk.Incoming{ChannelID: e.shop.ID, OrderRef: "HTML-777", SourceID: "html-1",
		AuthorKind: desk.AuthorCustomer, AuthorName: "Hugo Roux", BodyHTML: hostileHTML,
		Customer: desk.CustomerInput{ExternalID: "c-html", Name: "Hugo Roux"},
		Files:    []desk.IncomingFile{{Name: "carton.jpg", ContentType: "image/jpeg", Data: []byte("\xff\xd8\xff fake jpeg")}}})
	e.must(e.d.AddNote(ctx, e.marc, ts.fnac.ID, "Client déjà appelé : il renvoie le produit cette semaine."))
	return ts
}
