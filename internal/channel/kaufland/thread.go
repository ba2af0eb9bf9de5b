package kaufland

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// CloseThread closes the ticket on the seller's side.
func (k *Connector) CloseThread(ctx context.Context, t channel.ThreadRef) error {
	if t.ExternalID == "" {
		return &channel.Error{Kind: channel.Refused, Message: "Aucun ticket Kaufland à fermer."}
	}
	_, err := k.api.do(ctx, http.MethodPatch, "/tickets/"+url.PathEscape(t.ExternalID)+"/close", nil, nil, nil)
	return err
}

// Reasons are Kaufland's reasons to open a ticket (a fixed list).
func (k *Connector) Reasons(context.Context) ([]channel.Option, error) {
	return append([]channel.Option(nil), reasonLabels...), nil
}

// StartsThreads: a reply on an order without a Kaufland ticket opens one
// with the buyer; the operator is not written to through the API (« Faire
// appel au service client » is a link to the portal).
func (k *Connector) StartsThreads(withOrder bool) []desk.ThreadKind {
	if withOrder {
		return []desk.ThreadKind{desk.ThreadCustomer}
	}
	return nil
}

// startReason is the reason of a ticket a reply opens: the agent chose no
// reason, they answered.
const startReason = "contact_other"

// OpenThread opens a Kaufland ticket on one unit of the order, or on all
// of them when no unit is named.
func (k *Connector) OpenThread(ctx context.Context, nt channel.NewThread) (channel.ThreadRef, error) {
	if nt.Kind != "" && nt.Kind != desk.ThreadCustomer {
		return channel.ThreadRef{}, &channel.Error{Kind: channel.Refused,
			Message: "Kaufland n'ouvre de ticket qu'avec l'acheteur : pour le service client, passez par le portail."}
	}
	if !hasOption(reasonLabels, nt.Reason) {
		return channel.ThreadRef{}, &channel.Error{Kind: channel.Refused, Message: "Motif inconnu de Kaufland : " + nt.Reason}
	}
	body := strings.TrimSpace(nt.Body)
	if body == "" {
		return channel.ThreadRef{}, &channel.Error{Kind: channel.Refused, Message: "Kaufland demande un message pour ouvrir un ticket."}
	}
	if len(nt.Files) > 0 {
		return channel.ThreadRef{}, &channel.Error{Kind: channel.Refused,
			Message: "Kaufland n'accepte pas de pièce jointe à l'ouverture d'un ticket : joignez-la à une réponse."}
	}
	var units []int64
	if nt.Unit != "" {
		u, err := strconv.ParseInt(nt.Unit, 10, 64)
		if err != nil || u <= 0 {
			return channel.ThreadRef{}, &channel.Error{Kind: channel.Refused, Message: "Unité de commande invalide : " + nt.Unit}
		}
		units = []int64{u}
	} else {
		o, err := k.order(ctx, nt.OrderRef)
		if err != nil {
			return channel.ThreadRef{}, err
		}
		for _, u := range o.Units {
			units = append(units, u.ID)
		}
		if len(units) == 0 {
			return channel.ThreadRef{}, &channel.Error{Kind: channel.Refused, Message: "La commande " + nt.OrderRef + " n'a aucune unité sur Kaufland."}
		}
	}
	var out struct {
		Data struct {
			ID string `json:"id_ticket"`
		} `json:"data"`
	}
	h, err := k.api.do(ctx, http.MethodPost, "/tickets", nil, openTicket{Units: units, Reason: nt.Reason, Message: body}, &out)
	if err != nil {
		return channel.ThreadRef{}, err
	}
	id := out.Data.ID
	if id == "" && h != nil {
		if loc := h.Get("Location"); loc != "" {
			if u, err := url.Parse(loc); err == nil {
				id = path.Base(strings.TrimRight(u.Path, "/"))
			}
		}
	}
	if id == "" {
		return channel.ThreadRef{}, &channel.Error{Kind: channel.Transient, Message: "Kaufland n'a pas donné le numéro du ticket ouvert."}
	}
	k.remember(id, ticketInfo{order: nt.OrderRef, status: "opened", reason: nt.Reason})
	return channel.ThreadRef{OrderRef: nt.OrderRef, Kind: desk.ThreadCustomer, ExternalID: id, Status: "opened"}, nil
}
