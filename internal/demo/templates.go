package demo

import (
	"context"
	"fmt"

	"guichet/internal/desk"
)

const signature = "\n\nBien cordialement,\n{adv}\nService client"

// templateSpec is a default reply; channels lists the channel names where it
// may be used (none: everywhere).
type templateSpec struct {
	name, body string
	channels   []string
}

// Default reply names, used by the ticket scripts.
const (
	tplTracking       = "Suivi de colis"
	tplTrackingAmazon = "Suivi de colis (Amazon)"
	tplDamaged        = "Colis endommagé – demande de photos"
	tplWithdrawal     = "Rétractation – procédure de retour"
	tplReturnAccount  = "Retour – demande depuis votre compte"
	tplInvoice        = "Facture jointe"
	tplDelay          = "Retard de livraison"
	tplDelivered      = "Colis livré – vérifications"
	tplRefunded       = "Remboursement effectué"
	tplMissing        = "Produit manquant"
	tplExchange       = "Produit non conforme – échange"
	tplCancelled      = "Annulation confirmée"
	tplNoNews         = "Clôture – sans nouvelles du client"
)

var marketplacesWithoutAmazon = []string{"Kaufland", "Fnac", "Darty", "Carrefour", "Cdiscount", "ManoMano", "Boutique", "Email"}

var templateSpecs = []templateSpec{
	{tplTracking, "Bonjour {nom_client},\n\nVotre commande {commande} a bien été expédiée. Vous pouvez suivre votre colis à cette adresse : {lien_suivi}\n\nLa livraison intervient en général 2 à 4 jours ouvrés après l'expédition." + signature,
		marketplacesWithoutAmazon},
	{tplTrackingAmazon, "Bonjour {nom_client},\n\nVotre commande {commande} a bien été expédiée. Le numéro de suivi est disponible dans votre compte, rubrique « Vos commandes ».\n\nLa livraison intervient en général 2 à 4 jours ouvrés après l'expédition." + signature,
		[]string{"Amazon"}},
	{tplDamaged, "Bonjour {nom_client},\n\nNous sommes désolés d'apprendre que votre colis est arrivé endommagé. Afin d'ouvrir un litige auprès du transporteur, pourriez-vous nous transmettre :\n- une photo du carton et de l'étiquette de transport ;\n- une photo du produit abîmé ;\n- le bordereau de livraison si vous avez émis des réserves.\n\nDès réception, nous vous proposerons un renvoi ou un remboursement." + signature,
		nil},
	{tplWithdrawal, "Bonjour {nom_client},\n\nNous avons bien reçu votre demande de rétractation pour la commande {commande}. Vous trouverez ci-joint l'étiquette de retour prépayée.\n\nMerci de renvoyer le produit complet, dans son emballage d'origine, sous 14 jours. Le remboursement est effectué sous 5 jours ouvrés après réception et contrôle du retour." + signature,
		[]string{"Kaufland", "Cdiscount", "ManoMano", "Boutique", "Email"}},
	{tplReturnAccount, "Bonjour {nom_client},\n\nPour retourner votre commande {commande}, il vous suffit d'ouvrir une demande de retour depuis votre compte client {canal}, rubrique « Mes commandes ». Une étiquette de retour vous sera alors proposée.\n\nLe remboursement est déclenché dès réception du colis dans notre entrepôt." + signature,
		[]string{"Fnac", "Darty", "Carrefour", "Amazon"}},
	{tplInvoice, "Bonjour {nom_client},\n\nVeuillez trouver ci-joint la facture de votre commande {commande}.\n\nNous restons à votre disposition pour toute question." + signature,
		marketplacesWithoutAmazon},
	{tplDelay, "Bonjour {nom_client},\n\nNous vous prions de nous excuser pour ce retard. Votre commande {commande} est toujours en cours d'acheminement chez notre transporteur et devrait vous être livrée dans les prochains jours.\n\nNous suivons votre colis de près et revenons vers vous si besoin." + signature,
		nil},
	{tplDelivered, "Bonjour {nom_client},\n\nLe transporteur nous indique que votre commande {commande} a été livrée le {date_livraison}. Pourriez-vous vérifier auprès de vos voisins, de votre gardien ou dans votre boîte aux lettres ?\n\nSi vous ne retrouvez pas le colis, merci de nous le confirmer en réponse à ce message : nous ouvrirons une enquête auprès du transporteur." + signature,
		nil},
	{tplRefunded, "Bonjour {nom_client},\n\nNous vous confirmons le remboursement de votre commande {commande}. Selon votre banque, le montant apparaîtra sur votre compte sous 3 à 5 jours ouvrés.\n\nNous vous souhaitons une bonne journée." + signature,
		nil},
	{tplMissing, "Bonjour {nom_client},\n\nNous sommes désolés qu'il manque un élément dans votre commande {commande}. Nous venons de vous expédier l'élément manquant en envoi suivi : vous le recevrez sous 3 à 5 jours ouvrés." + signature,
		nil},
	{tplExchange, "Bonjour {nom_client},\n\nNous sommes désolés : le produit reçu ne correspond pas à votre commande {commande}. Nous vous proposons un échange : nous vous expédions le bon article dès aujourd'hui, et vous pourrez nous retourner celui reçu avec l'étiquette prépayée ci-jointe." + signature,
		marketplacesWithoutAmazon},
	{tplCancelled, "Bonjour {nom_client},\n\nNous vous confirmons l'annulation de votre commande {commande}. Le remboursement est déclenché sur votre moyen de paiement d'origine." + signature,
		nil},
	{tplNoNews, "Bonjour {nom_client},\n\nSans nouvelles de votre part, nous clôturons votre demande n° {numero_ticket}. Si besoin, il vous suffit de répondre à ce message." + signature,
		nil},
}

// setUpTemplates saves the default replies and returns their IDs by name.
func setUpTemplates(ctx context.Context, d *desk.Desk, admin desk.Actor, chans []*channelSpec) (map[string]int64, error) {
	existing, err := d.Templates(ctx)
	if err != nil {
		return nil, err
	}
	channelID := map[string]int64{}
	for _, c := range chans {
		channelID[c.Name] = c.ID
	}
	ids := map[string]int64{}
	for _, spec := range templateSpecs {
		t := desk.Template{Name: spec.name, Body: spec.body, Lang: "fr"}
		for _, name := range spec.channels {
			t.ChannelIDs = append(t.ChannelIDs, channelID[name])
		}
		for _, e := range existing {
			if e.Name == spec.name {
				t.ID = e.ID
			}
		}
		saved, err := d.SaveTemplate(ctx, admin, t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.name, err)
		}
		ids[saved.Name] = saved.ID
	}
	return ids, nil
}
