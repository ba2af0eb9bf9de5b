package kaufland

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Connector is a Kaufland channel's connector; safe for concurrent use.
type Connector struct {
	api        *client
	storefront string
	channel    desk.Channel
	log        *slog.Logger
	now        func() time.Time

	mu      sync.Mutex
	tickets map[string]ticketInfo // id_ticket → what its messages need; bounded
}

// maxCachedTickets bounds the ticket cache: past it the cache starts anew
// (a miss costs one request, a leak costs the process).
const maxCachedTickets = 20000

// ticketInfo is what a message needs from its ticket.
type ticketInfo struct {
	order      string
	status     string
	reason     string
	topic      string
	storefront string
	buyer      desk.CustomerInput
	updated    time.Time
}

var (
	_ channel.Connector    = (*Connector)(nil)
	_ channel.Tester       = (*Connector)(nil)
	_ channel.Looker       = (*Connector)(nil)
	_ channel.Closer       = (*Connector)(nil)
	_ channel.ThreadOpener = (*Connector)(nil)
	_ channel.OrderReader  = (*Connector)(nil)
	_ channel.Actioner     = (*Connector)(nil)
)

// New builds a connector from checked settings (see Kind).
func New(c channel.Config) (*Connector, error) {
	s := c.Settings
	base := strings.TrimRight(s["base_url"], "/")
	if base == "" {
		base = DefaultBaseURL
	}
	if u, err := url.Parse(base); err != nil || u.Host == "" {
		return nil, desk.Invalid("base_url", "Adresse de l'API : adresse http(s):// attendue")
	}
	if s["client_key"] == "" || s["secret_key"] == "" {
		return nil, desk.Invalid("client_key", "Clés d'API Kaufland obligatoires")
	}
	if c.HTTP == nil {
		c.HTTP = channel.DefaultHTTPClient()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	sf := s["storefront"]
	if sf == "" {
		sf = "de"
	}
	return &Connector{
		api: &client{base: base, clientKey: s["client_key"], secretKey: s["secret_key"],
			http: c.HTTP, now: c.Now, log: c.Log, limit: limiterFor(s["client_key"])},
		storefront: sf,
		channel:    c.Channel,
		log:        c.Log,
		now:        c.Now,
		tickets:    map[string]ticketInfo{},
	}, nil
}

// Test checks the keys with a signed read: /status/ping answers without
// looking at the signature, so it would pass with wrong keys.
func (k *Connector) Test(ctx context.Context) error {
	q := url.Values{"limit": {"1"}}
	var p page
	_, err := k.api.do(ctx, http.MethodGet, "/tickets", q, nil, &p)
	return err
}

// ticket reads a ticket with what mapping its messages needs.
func (k *Connector) ticket(ctx context.Context, id string, embedded ...string) (ticket, error) {
	var out struct {
		Data *ticket `json:"data"`
	}
	q := url.Values{}
	if len(embedded) > 0 {
		// The spec declares embedded as a form-exploded array: one
		// parameter per value.
		q["embedded"] = embedded
	}
	if _, err := k.api.do(ctx, http.MethodGet, "/tickets/"+url.PathEscape(id), q, nil, &out); err != nil {
		return ticket{}, err
	}
	if out.Data == nil || out.Data.ID == "" {
		return ticket{}, &channel.Error{Kind: channel.Transient, Message: fmt.Sprintf("ticket %s : réponse de Kaufland incomplète", id)}
	}
	return *out.Data, nil
}

// ticketInfo returns a ticket's order, buyer and state, from the cache or
// the API.
func (k *Connector) ticketInfo(ctx context.Context, id string) (ticketInfo, error) {
	k.mu.Lock()
	ti, ok := k.tickets[id]
	k.mu.Unlock()
	if ok && ti.order != "" {
		return ti, nil
	}
	t, err := k.ticket(ctx, id, "order_units", "buyer")
	if err != nil {
		return ticketInfo{}, err
	}
	ti = infoOf(t)
	k.remember(id, ti)
	return ti, nil
}

func infoOf(t ticket) ticketInfo {
	ti := ticketInfo{status: t.Status, reason: t.OpenReason, topic: deref(t.Topic),
		storefront: strings.ToLower(t.Storefront), updated: parseTime(t.Updated)}
	for _, u := range t.OrderUnits {
		if u.IDOrder != "" {
			ti.order = u.IDOrder
			break
		}
	}
	if t.Buyer != nil {
		ti.buyer.ExternalID = fmt.Sprint(t.Buyer.ID)
		ti.buyer.Email = deref(t.Buyer.Email)
	} else if t.IDBuyer != nil {
		ti.buyer.ExternalID = fmt.Sprint(*t.IDBuyer)
	}
	for _, u := range t.OrderUnits {
		if u.Shipping != nil {
			ti.buyer.Name = strings.TrimSpace(u.Shipping.FirstName + " " + u.Shipping.LastName)
			ti.buyer.Phone = deref(u.Shipping.Phone)
			break
		}
	}
	return ti
}

// remember caches a ticket; a state from the /tickets list (no order)
// keeps the order and buyer learnt before.
func (k *Connector) remember(id string, ti ticketInfo) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if old, ok := k.tickets[id]; ok {
		if ti.order == "" {
			ti.order = old.order
		}
		if ti.buyer.Email == "" && ti.buyer.Name == "" && (ti.buyer.ExternalID == "" || ti.buyer.ExternalID == old.buyer.ExternalID) {
			ti.buyer = old.buyer
		}
		if ti.storefront == "" {
			ti.storefront = old.storefront
		}
	} else if len(k.tickets) >= maxCachedTickets {
		k.tickets = map[string]ticketInfo{}
	}
	k.tickets[id] = ti
}

// subject names a ticket's thread: its reason, and its topic when the
// buyer chose one that says more than the reason.
func (ti ticketInfo) subject() string {
	s := optionLabel(reasonLabels, ti.reason)
	if ti.topic != "" {
		topic := labelOr(topicLabels, ti.topic)
		switch {
		case s == "":
			s = topic
		case topic != s:
			s += " — " + topic
		}
	}
	return s
}

func (ti ticketInfo) state(id string) desk.ThreadState {
	return desk.ThreadState{
		OrderRef:     ti.order,
		Kind:         desk.ThreadCustomer,
		ExternalID:   id,
		Subject:      ti.subject(),
		Status:       ti.status,
		StatusLabel:  labelOr(statusLabels, ti.status),
		Reason:       optionLabel(reasonLabels, ti.reason),
		TicketStatus: ticketStatus(ti.status),
		UpdatedAt:    ti.updated,
	}
}

// ours says whether a ticket belongs to this channel's storefront; a
// ticket whose storefront the API did not say is kept.
func (k *Connector) ours(ti ticketInfo) bool {
	return ti.storefront == "" || ti.storefront == k.storefront
}
