package demo

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/desk"
)

// channelSpec is a demo channel and what the tickets generator needs to know
// about it: how its orders are numbered, who its operators are, how its
// customers send things back.
type channelSpec struct {
	desk.Channel
	owner  string // email of the responsible ADV
	weight int    // share of the tickets
	// operator signs the messages of the channel's own customer service; ""
	// when the channel never writes to sellers.
	operator string
	relay    string // domain of the customers' relay addresses; "" when we see the real one
	// returnsByAccount: customers open returns from their account on the channel,
	// not through a label of ours.
	returnsByAccount bool
	// notices are the channel's automatic messages when a customer complains.
	notices  []string
	orderRef func(g *generator, orderedAt time.Time) string
}

func (c *channelSpec) is(kind desk.ChannelKind) bool { return c.Kind == kind }

// channelSpecs: the seller's shop, its marketplaces and its mailbox.
func channelSpecs() []*channelSpec {
	return []*channelSpec{
		{Channel: desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", DeadlinePolicy: "48h business",
			OrderURL: "https://sellerportal.kaufland.de/order/{order}", GuardNames: []string{"Kaufland", "real.de"}},
			owner: "lea.martin@example.com", weight: 10, operator: "Service client Kaufland", relay: "kunden.kaufland.example",
			notices: []string{"Ticket ouvert par le client. Motif : « [motif] ». Merci de répondre sous 48 heures ouvrées."},
			orderRef: func(g *generator, _ time.Time) string {
				return fmt.Sprintf("%d", 3_000_000_000+g.rng.Int64N(999_999_999))
			}},
		{Channel: desk.Channel{Kind: desk.ChannelMirakl, Name: "Fnac", DeadlinePolicy: "48h business",
			OrderURL: "https://fnac-prod.mirakl.net/mmp/shop/order/{order}", GuardNames: []string{"Fnac", "Fnac.com", "Fnac Darty"}},
			owner: "karim.benali@example.com", weight: 11, operator: "Service client Fnac", relay: "messagerie.fnac.example", returnsByAccount: true,
			notices:  []string{"Incident ouvert par le client : « [motif] ». Sans réponse de votre part sous 48 h, l'incident sera transmis au service client."},
			orderRef: func(g *generator, _ time.Time) string { return g.letters(1) + g.alnum(12) + "-A" }},
		{Channel: desk.Channel{Kind: desk.ChannelMirakl, Name: "Darty", DeadlinePolicy: "48h business",
			OrderURL: "https://darty-prod.mirakl.net/mmp/shop/order/{order}", GuardNames: []string{"Darty", "Darty.com", "Fnac Darty"}},
			owner: "karim.benali@example.com", weight: 8, operator: "Service client Darty", relay: "messagerie.darty.example", returnsByAccount: true,
			notices:  []string{"Incident ouvert par le client : « [motif] »."},
			orderRef: func(g *generator, _ time.Time) string { return g.digits(11) + "-A" }},
		{Channel: desk.Channel{Kind: desk.ChannelMirakl, Name: "Carrefour", DeadlinePolicy: "48h business",
			OrderURL: "https://carrefourfr-prod.mirakl.net/mmp/shop/order/{order}", GuardNames: []string{"Carrefour", "Carrefour.fr"}},
			owner: "camille.lefevre@example.com", weight: 8, operator: "Service client Carrefour.fr", relay: "messagerie.carrefour.example", returnsByAccount: true,
			notices:  []string{"Le client a ouvert un incident sur la commande : « [motif] »."},
			orderRef: func(g *generator, _ time.Time) string { return g.digits(10) + "-A" }},
		{Channel: desk.Channel{Kind: desk.ChannelCdiscount, Name: "Cdiscount", DeadlinePolicy: "48h business",
			OrderURL: "https://seller.cdiscount.com/Orders/Details/{order}", GuardNames: []string{"Cdiscount", "Cdiscount.com"}},
			owner: "camille.lefevre@example.com", weight: 12, operator: "Service client Cdiscount", relay: "messagerie.cdiscount.example",
			notices:  []string{"Nouvelle réclamation client. Motif : [motif]. Délai de réponse : 48 heures."},
			orderRef: func(g *generator, at time.Time) string { return at.Format("0601021504") + g.letters(4) }},
		{Channel: desk.Channel{Kind: desk.ChannelManoMano, Name: "ManoMano", DeadlinePolicy: "48h business",
			OrderURL: "https://toolbox.manomano.com/orders/{order}", GuardNames: []string{"ManoMano", "Mano Mano"}},
			owner: "thomas.girard@example.com", weight: 10, relay: "contact.manomano.example",
			notices:  []string{"Le client a ouvert une réclamation depuis son espace ManoMano : « [motif] »."},
			orderRef: func(g *generator, _ time.Time) string { return "M" + g.digits(12) }},
		{Channel: desk.Channel{Kind: desk.ChannelAmazon, Name: "Amazon", DeadlinePolicy: "24h", ForbidContact: true,
			OrderURL: "https://sellercentral.amazon.fr/orders-v3/order/{order}", GuardNames: []string{"Amazon", "Amazon.fr"}},
			owner: "thomas.girard@example.com", weight: 19, relay: "marketplace.amazon.example", returnsByAccount: true,
			notices: []string{"Demande de retour autorisée automatiquement. Motif du client : « [motif] ».",
				"Réclamation A à Z ouverte par l'acheteur. Motif : « [motif] »."},
			orderRef: func(g *generator, _ time.Time) string {
				prefixes := []string{"171", "402", "403", "405", "406", "407", "408"}
				return pick(g, prefixes) + "-" + g.digits(7) + "-" + g.digits(7)
			}},
		{Channel: desk.Channel{Kind: desk.ChannelPrestaShop, Name: "Boutique", DeadlinePolicy: "48h business",
			OrderURL:   "https://boutique.example.fr/admin/index.php?controller=AdminOrders&id_order={order}",
			GuardNames: []string{"boutique.example.fr"}},
			owner: "ines.moreau@example.com", weight: 17,
			orderRef: func(g *generator, _ time.Time) string { return g.letters(9) }},
		{Channel: desk.Channel{Kind: desk.ChannelEmail, Name: "Email", DeadlinePolicy: "48h business", GuardNames: []string{}},
			owner: "lea.martin@example.com", weight: 5,
			orderRef: func(g *generator, _ time.Time) string { return g.letters(9) }},
	}
}

// setUpChannels saves the demo channels; one left by an interrupted load is updated.
func setUpChannels(ctx context.Context, d *desk.Desk, t *team) ([]*channelSpec, error) {
	existing, err := d.Channels(ctx)
	if err != nil {
		return nil, err
	}
	specs := channelSpecs()
	for _, c := range specs {
		c.ResponsibleID = t.byEmail[c.owner].AgentID
		c.Active = true
		for _, e := range existing {
			if e.Name == c.Name {
				c.ID = e.ID
			}
		}
		saved, err := d.SaveChannel(ctx, t.admin, c.Channel)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		c.Channel = saved
	}
	return specs, nil
}
