package kaufland

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// maxText is the spec's maxLength of a message's text.
const maxText = 65535

// Send posts a reply to its Kaufland ticket. The API answers 201 with no
// body, so the message's id is read back from the ticket (the newest
// seller message with the same text); when that read fails the reply is
// still sent, and desk matches its echo by text.
func (k *Connector) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	if r.ThreadExternalID == "" {
		return k.sendOpening(ctx, r)
	}
	text := strings.TrimSpace(r.Body)
	if text == "" {
		return channel.Sent{}, &channel.Error{Kind: channel.Refused, Message: "Kaufland n'accepte pas de message sans texte."}
	}
	if utf8.RuneCountInString(text) > maxText {
		return channel.Sent{}, &channel.Error{Kind: channel.Refused, Message: "Message trop long pour Kaufland (65 535 caractères au plus)."}
	}
	req := createMessage{Text: text}
	for _, f := range r.Files {
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		req.Files = append(req.Files, messageFile{Filename: f.Name, MimeType: ct,
			Data: "data:" + ct + ";base64," + base64.StdEncoding.EncodeToString(f.Data)})
	}
	path := "/tickets/" + url.PathEscape(r.ThreadExternalID) + "/messages"
	if _, err := k.api.do(ctx, http.MethodPost, path, nil, req, nil); err != nil {
		return channel.Sent{}, err
	}
	sent := channel.Sent{At: k.now()}
	m, found, err := k.findSellerMessage(ctx, r.ThreadExternalID, text, time.Time{})
	if err != nil {
		k.log.Warn("kaufland: id du message envoyé inconnu", "ticket", r.ThreadExternalID, "error", err)
		return sent, nil
	}
	if found {
		sent.SourceID = sourceID(m.ID)
		if at := parseTime(m.Created); !at.IsZero() {
			sent.At = at
		}
	}
	return sent, nil
}

// Lookup finds a reply whose delivery is in doubt: a seller message of
// the ticket with the same text, written at most a minute before the
// reply (clocks differ) or after.
func (k *Connector) Lookup(ctx context.Context, r channel.Reply) (channel.Sent, bool, error) {
	if r.ThreadExternalID == "" {
		return k.lookupOpening(ctx, r)
	}
	since := time.Time{}
	if !r.CreatedAt.IsZero() {
		since = r.CreatedAt.Add(-time.Minute)
	}
	m, found, err := k.findSellerMessage(ctx, r.ThreadExternalID, r.Body, since)
	if err != nil || !found {
		return channel.Sent{}, false, err
	}
	return channel.Sent{SourceID: sourceID(m.ID), At: parseTime(m.Created)}, true, nil
}

// findSellerMessage returns the ticket's newest seller message with text,
// created at or after since.
func (k *Connector) findSellerMessage(ctx context.Context, ticketID, text string, since time.Time) (ticketMessage, bool, error) {
	t, err := k.ticket(ctx, ticketID, "messages")
	if err != nil {
		return ticketMessage{}, false, err
	}
	want := normalise(text)
	var best ticketMessage
	found := false
	for _, raw := range t.Messages {
		var m ticketMessage
		if json.Unmarshal(raw, &m) != nil || m.Author.Role != "seller" || normalise(m.Text) != want {
			continue
		}
		at := parseTime(m.Created)
		if !since.IsZero() && at.Before(since.Truncate(time.Second)) {
			continue
		}
		if !found || m.ID > best.ID {
			best, found = m, true
		}
	}
	return best, found, nil
}

// normalise compares texts as the marketplace may have reflowed them.
func normalise(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// sendOpening writes a reply on an order that has no Kaufland ticket yet:
// it opens one with the buyer (on all the order's units), the reply as its
// first message. The message and the ticket are created by one call.
func (k *Connector) sendOpening(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	if r.ThreadKind != "" && r.ThreadKind != desk.ThreadCustomer {
		return channel.Sent{}, &channel.Error{Kind: channel.Refused,
			Message: "Kaufland n'ouvre de ticket qu'avec l'acheteur : pour le service client, passez par le portail."}
	}
	if r.OrderRef == "" {
		return channel.Sent{}, &channel.Error{Kind: channel.Refused, Message: "Sans commande, il n'y a pas de ticket Kaufland où écrire."}
	}
	ref, err := k.OpenThread(ctx, channel.NewThread{OrderRef: r.OrderRef, Kind: desk.ThreadCustomer, Reason: startReason, Body: r.Body, Files: r.Files})
	if err != nil {
		return channel.Sent{}, err
	}
	sent := channel.Sent{ThreadExternalID: ref.ExternalID, At: k.now()}
	if m, found, err := k.findSellerMessage(ctx, ref.ExternalID, r.Body, time.Time{}); err == nil && found {
		sent.SourceID = sourceID(m.ID)
		if at := parseTime(m.Created); !at.IsZero() {
			sent.At = at
		}
	}
	return sent, nil
}

// lookupOpening finds a reply that was to open a ticket: a ticket on the
// order's units created since a minute before the reply, holding it.
func (k *Connector) lookupOpening(ctx context.Context, r channel.Reply) (channel.Sent, bool, error) {
	if r.OrderRef == "" || r.CreatedAt.IsZero() {
		return channel.Sent{}, false, channel.ErrCannotTell
	}
	o, err := k.order(ctx, r.OrderRef)
	if err != nil {
		return channel.Sent{}, false, err
	}
	units := map[int64]bool{}
	for _, u := range o.Units {
		units[u.ID] = true
	}
	since := r.CreatedAt.Add(-time.Minute)
	q := url.Values{"limit": {strconv.Itoa(pageSize)}, "sort": {"ts_created_iso:desc"}, "storefront": {k.storefront},
		"ts_created_from_iso": {since.UTC().Format(time.RFC3339)}}
	var p page
	if _, err := k.api.do(ctx, http.MethodGet, "/tickets", q, nil, &p); err != nil {
		return channel.Sent{}, false, err
	}
	for _, raw := range p.Data {
		var t ticket
		if json.Unmarshal(raw, &t) != nil || t.ID == "" || !slices.ContainsFunc(t.Units, func(u int64) bool { return units[u] }) {
			continue
		}
		m, found, err := k.findSellerMessage(ctx, t.ID, r.Body, since)
		if err != nil {
			return channel.Sent{}, false, err
		}
		if found {
			return channel.Sent{SourceID: sourceID(m.ID), ThreadExternalID: t.ID, At: parseTime(m.Created)}, true, nil
		}
	}
	return channel.Sent{}, false, nil
}
