package mirakl

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// recipient is one of M12's message_input.to.
type recipient struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
}

// Send posts a reply to its thread (M12) addressed to the thread's
// participants but the shop: the customer in the customer thread, the
// operator in the operator thread. A reply on an order without a thread
// yet opens one (OR43); one without an order goes to the operator (M14).
func (k *Connector) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	if r.ThreadExternalID == "" {
		ref, sent, err := k.open(ctx, r.OrderRef, r.ThreadKind, "", r.Body, r.Files)
		if err != nil {
			return channel.Sent{}, err
		}
		sent.ThreadExternalID = ref.ExternalID
		return sent, nil
	}
	t, err := k.thread(ctx, r.ThreadExternalID)
	if err != nil {
		return channel.Sent{}, err
	}
	to := recipients(t, r.ThreadKind)
	if len(to) == 0 {
		return channel.Sent{}, &channel.Error{Kind: channel.Refused, Message: "ce fil Mirakl n'a personne à qui répondre"}
	}
	var out created
	err = k.api.do(ctx, request{method: http.MethodPost, path: "/api/inbox/threads/" + url.PathEscape(t.ID) + "/message",
		form: &multipartBody{jsonName: "message_input", json: map[string]any{"body": r.Body, "to": to}, files: r.Files}}, &out)
	if err != nil {
		return channel.Sent{}, err
	}
	if out.MessageID == "" {
		// The spec makes message_id optional: find it as Lookup would.
		s, found, lerr := k.Lookup(ctx, r)
		if lerr == nil && found {
			return s, nil
		}
		return channel.Sent{}, &channel.Error{Kind: channel.Transient, Message: "Mirakl n'a pas donné l'identifiant du message envoyé"}
	}
	return channel.Sent{SourceID: out.MessageID, At: k.now()}, nil
}

// recipients are a thread's participants but the shop; for a customer
// thread, the customer (the operator reads every thread anyway and is
// addressed only in its own thread).
func recipients(t thread, kind desk.ThreadKind) []recipient {
	want := "OPERATOR"
	if kind == desk.ThreadCustomer || kind == "" && infoOf(t).kind == desk.ThreadCustomer {
		want = "CUSTOMER"
	}
	var to []recipient
	for _, p := range t.AuthorizedParticipants {
		if p.Type == want {
			rc := recipient{Type: p.Type}
			if p.Type != "OPERATOR" {
				rc.ID = p.ID
			}
			to = append(to, rc)
			break
		}
	}
	return to
}

// Lookup finds a reply on its thread: a shop's message with the same
// text, written at or after a minute before the reply was.
func (k *Connector) Lookup(ctx context.Context, r channel.Reply) (channel.Sent, bool, error) {
	ids := []string{r.ThreadExternalID}
	if r.ThreadExternalID == "" {
		if r.OrderRef == "" {
			return channel.Sent{}, false, channel.ErrCannotTell
		}
		var err error
		if ids, err = k.orderThreads(ctx, r.OrderRef); err != nil {
			return channel.Sent{}, false, err
		}
	}
	body := strings.TrimSpace(r.Body)
	from := r.CreatedAt.Add(-time.Minute)
	for _, id := range ids {
		t, err := k.thread(ctx, id)
		if err != nil {
			return channel.Sent{}, false, err
		}
		for _, m := range t.Messages {
			if m.From.Type == "SHOP_USER" && strings.TrimSpace(m.Body) == body && !m.DateCreated.Before(from) {
				return channel.Sent{SourceID: m.ID, ThreadExternalID: t.ID, At: m.DateCreated}, true, nil
			}
		}
	}
	return channel.Sent{}, false, nil
}

// orderThreads lists an order's thread ids (M11 on the order's entity).
func (k *Connector) orderThreads(ctx context.Context, orderRef string) ([]string, error) {
	var p threadPage
	q := url.Values{"entity_type": {"MMP_ORDER"}, "entity_id": {orderRef}, "limit": {"100"}}
	if err := k.api.do(ctx, request{method: http.MethodGet, path: "/api/inbox/threads", query: q}, &p); err != nil {
		return nil, err
	}
	var ids []string
	for _, raw := range p.Data {
		var t struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(raw, &t) == nil && t.ID != "" {
			ids = append(ids, t.ID)
		}
	}
	return ids, nil
}

// defaultTopic is a new thread's topic when the agent gives none: Mirakl
// asks for one (3 to 200 characters in free text).
const defaultTopic = "Contact vendeur"

// freeTopics are the topics guichet offers for a new thread when the
// operator lists no reason of its own for messages.
var freeTopics = []channel.Option{
	{Value: "Contact vendeur", Label: "Contact vendeur"},
	{Value: "Suivi de livraison", Label: "Suivi de livraison"},
	{Value: "Produit défectueux", Label: "Produit défectueux"},
	{Value: "Retour produit", Label: "Retour produit"},
	{Value: "Remboursement", Label: "Remboursement"},
}

// reasonCodePrefix marks a Reasons value that is one of the operator's
// reason codes (a REASON_CODE topic) rather than free text.
const reasonCodePrefix = "code:"

// Reasons are the topics of a new thread: the operator's own message
// reasons (RE01's ORDER_MESSAGING, each operator has its list), else free
// text. A failed read is an error: the form says the channel is down.
func (k *Connector) Reasons(ctx context.Context) ([]channel.Option, error) {
	var out struct {
		Reasons []reason `json:"reasons"`
	}
	if err := k.api.do(ctx, request{method: http.MethodGet, path: "/api/reasons"}, &out); err != nil {
		return nil, err
	}
	var opts []channel.Option
	for _, r := range out.Reasons {
		if r.Type == "ORDER_MESSAGING" && r.IsShopRight && r.Code != "" {
			opts = append(opts, channel.Option{Value: reasonCodePrefix + r.Code, Label: r.Label})
		}
	}
	if len(opts) == 0 {
		return slices.Clone(freeTopics), nil
	}
	return opts, nil
}

// StartsThreads: a reply without a thread opens one with OR43 on an order
// (the customer's or the operator's), with M14 without an order (the
// operator's only).
func (k *Connector) StartsThreads(withOrder bool) []desk.ThreadKind {
	if withOrder {
		return []desk.ThreadKind{desk.ThreadCustomer, desk.ThreadOperator}
	}
	return []desk.ThreadKind{desk.ThreadOperator}
}

// OpenThread starts a thread of t.Kind: on an order with OR43 (with the
// customer by default, or with the operator), or, without an order, with
// the operator (M14).
func (k *Connector) OpenThread(ctx context.Context, t channel.NewThread) (channel.ThreadRef, error) {
	kind := t.Kind
	if kind == "" {
		kind = desk.ThreadCustomer
	}
	if t.OrderRef == "" {
		kind = desk.ThreadOperator
	}
	if kind != desk.ThreadCustomer && kind != desk.ThreadOperator {
		return channel.ThreadRef{}, &channel.Error{Kind: channel.Refused, Message: "Mirakl n'ouvre de fil qu'avec le client ou l'opérateur"}
	}
	ref, _, err := k.open(ctx, t.OrderRef, kind, t.Reason, t.Body, t.Files)
	return ref, err
}

func (k *Connector) open(ctx context.Context, orderRef string, kind desk.ThreadKind, reason, body string, files []channel.File) (channel.ThreadRef, channel.Sent, error) {
	topicValue := strings.TrimSpace(reason)
	tp := topic{Type: "FREE_TEXT", Value: topicValue}
	if code, ok := strings.CutPrefix(topicValue, reasonCodePrefix); ok && code != "" {
		tp = topic{Type: "REASON_CODE", Value: code}
	} else if len([]rune(topicValue)) < 3 {
		tp.Value = defaultTopic
	}
	var out created
	var err error
	switch {
	case orderRef != "":
		to := []string{"CUSTOMER"}
		if kind == desk.ThreadOperator {
			to = []string{"OPERATOR"}
		}
		err = k.api.do(ctx, request{method: http.MethodPost, path: "/api/orders/" + url.PathEscape(orderRef) + "/threads",
			form: &multipartBody{jsonName: "thread_input", json: map[string]any{"body": body, "to": to, "topic": tp}, files: files}}, &out)
	case kind == desk.ThreadOperator:
		err = k.api.do(ctx, request{method: http.MethodPost, path: "/api/inbox/threads",
			form: &multipartBody{jsonName: "thread_input", json: map[string]any{"body": body, "entity": map[string]string{"type": "SELLER_OPERATOR"}, "topic": tp}, files: files}}, &out)
	default:
		return channel.ThreadRef{}, channel.Sent{}, &channel.Error{Kind: channel.Refused, Message: "sans commande, on ne peut écrire qu'à l'opérateur"}
	}
	if err != nil {
		return channel.ThreadRef{}, channel.Sent{}, err
	}
	if out.ThreadID == "" || out.MessageID == "" {
		return channel.ThreadRef{}, channel.Sent{}, &channel.Error{Kind: channel.Transient, Message: "Mirakl n'a pas donné l'identifiant du fil créé"}
	}
	return channel.ThreadRef{OrderRef: orderRef, Kind: kind, ExternalID: out.ThreadID},
		channel.Sent{SourceID: out.MessageID, ThreadExternalID: out.ThreadID, At: k.now()}, nil
}
