package kaufland

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"guichet/internal/channel"
)

// maxText is the spec's maxLength of a message's text.
const maxText = 65535

// Send posts a reply to its Kaufland ticket. The API answers 201 with no
// body, so the message's id is read back from the ticket (the newest
// seller message with the same text); when that read fails the reply is
// still sent, and desk matches its echo by text.
func (k *Connector) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	if r.ThreadExternalID == "" {
		return channel.Sent{}, &channel.Error{Kind: channel.Refused,
			Message: "Ce ticket n'existe pas sur Kaufland : ouvrez d'abord un ticket Kaufland sur la commande pour écrire à l'acheteur."}
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
		return channel.Sent{}, false, nil
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
