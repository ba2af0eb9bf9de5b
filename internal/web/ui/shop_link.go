package ui

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/shoplink"
)

// shopOrderLink is where the shop's order-page button leads: a link the
// guichet module signed for one order, opening that order's ticket (made
// once if it has none) for the signed-in agent. The sign-in page comes
// first when needed, then straight back here.
type shopOrderLink struct {
	desk *desk.Desk
	cs   *channel.Connectors
	now  func() time.Time
}

// shopButtonSecret is the PrestaShop channel's setting the links are signed with.
const shopButtonSecret = "button_secret"

func (h *shopOrderLink) serve(w http.ResponseWriter, r *http.Request, s session) error {
	q := r.URL.Query()
	shop, order := q.Get("shop"), q.Get("order")
	refuse := func(why string) error {
		return desk.Errorf(desk.EForbidden, "Bouton de la boutique : %s. Recliquez sur le bouton guichet de la commande dans le back-office ; si cela persiste, vérifiez le secret du module et celui du canal dans guichet.", why)
	}
	channelID, err := strconv.ParseInt(shop, 10, 64)
	if err != nil || channelID <= 0 {
		return refuse("lien incomplet (boutique inconnue)")
	}
	ch, err := h.desk.Channel(r.Context(), channelID)
	if desk.IsNotFound(err) || (err == nil && ch.Kind != desk.ChannelPrestaShop) {
		return refuse("ce canal n'est pas une boutique PrestaShop de guichet")
	}
	if err != nil {
		return err
	}
	secret := ""
	if h.cs != nil {
		if secret, err = h.cs.SecretSetting(r.Context(), ch.ID, shopButtonSecret); err != nil {
			return err
		}
	}
	if secret == "" {
		return refuse("aucun secret n'est réglé pour " + ch.Name + " (Administration › Canaux › Connexion au canal)")
	}
	if err := shoplink.Verify(secret, shop, order, q.Get("ts"), q.Get("sig"), h.now()); err != nil {
		if errors.Is(err, shoplink.ErrMissing) {
			return refuse("lien incomplet")
		}
		return refuse(err.Error())
	}
	t, _, err := h.desk.OpenTicket(r.Context(), s.actor(), desk.OpenInput{ChannelID: ch.ID, OrderRef: order})
	if err != nil {
		return err
	}
	redirect(w, r, "/tickets/"+strconv.FormatInt(t.ID, 10))
	return nil
}
