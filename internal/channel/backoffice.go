package channel

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"guichet/internal/desk"
)

// orderFinder finds an order by one of its fields: a back office (the
// PrestaShop shop) where marketplace modules import marketplace orders.
type orderFinder interface {
	FindOrder(ctx context.Context, field, value string) (Order, error)
}

// Backoffice finds tickets' orders in the back office: a PrestaShop
// ticket's own order, a marketplace ticket's by its channel's rule
// (desk.BackofficeRule). What it finds (found or not) is kept for TTL, so
// that opening the ticket again does not ask the shop again, and the page
// can tell without waiting whether the order was found last time
// (Remembered). Safe for concurrent use.
type Backoffice struct {
	cs  *Connectors
	ttl time.Duration
	max int
	now func() time.Time

	mu      sync.Mutex
	entries map[lookupKey]lookup
}

// BackofficeTTL is how long an order read from the back office is kept.
const BackofficeTTL = 2 * time.Minute

// NewBackoffice returns a back-office lookup over the connectors, keeping
// at most 2 048 orders for ttl (0: BackofficeTTL).
func NewBackoffice(cs *Connectors, ttl time.Duration) *Backoffice {
	if ttl <= 0 {
		ttl = BackofficeTTL
	}
	now := cs.c.Now
	if now == nil {
		now = time.Now
	}
	return &Backoffice{cs: cs, ttl: ttl, max: 2048, now: now, entries: map[lookupKey]lookup{}}
}

// lookupKey is a ticket's order: its channel and reference, and the rule
// it was looked up by (a changed rule looks again).
type lookupKey struct {
	channelID int64
	ref       string
	rule      desk.BackofficeRule
}

type lookup struct {
	at    time.Time
	order Order
	err   error // nil or not found: channel failures are not kept
}

// TicketOrders is what the integrations panel shows of a ticket's order.
type TicketOrders struct {
	Ticket  desk.Ticket
	Channel desk.Channel // the ticket's
	// Order is the order on the ticket's channel; OrderErr wraps
	// ErrNotSupported when the channel cannot tell.
	Order    Order
	OrderErr error
	// Backoffice is the order in the back office: Order itself on a
	// PrestaShop ticket, the one its channel's rule finds on a
	// marketplace's. BackofficeErr: ErrNotSupported when no back office
	// applies, a not-found error, or the back office's failure.
	Backoffice      Order
	BackofficeErr   error
	BackofficeOwn   bool // the back office is the ticket's own channel
	BackofficeCache bool // Backoffice came from the cache
}

// Found reports whether the order exists in the back office.
func (o TicketOrders) Found() bool { return o.BackofficeErr == nil }

// Orders reads a ticket's order on its channel and in the back office, at
// the same time.
func (b *Backoffice) Orders(ctx context.Context, actor desk.Actor, ticketID int64) (TicketOrders, error) {
	tt, err := b.cs.c.Desk.TicketThreads(ctx, actor, ticketID)
	if err != nil {
		return TicketOrders{}, err
	}
	out := TicketOrders{Ticket: tt.Ticket, Channel: tt.Channel}
	ref := tt.Ticket.OrderRef
	if tt.Channel.Kind == desk.ChannelPrestaShop {
		out.BackofficeOwn = true
		out.Backoffice, out.BackofficeErr, out.BackofficeCache = b.cached(ctx, tt.Channel, ref, func() (Order, error) {
			return b.cs.Order(ctx, actor, ticketID)
		})
		out.Order, out.OrderErr = out.Backoffice, out.BackofficeErr
		return out, nil
	}
	var wg sync.WaitGroup
	wg.Go(func() { out.Order, out.OrderErr = b.cs.Order(ctx, actor, ticketID) })
	out.Backoffice, out.BackofficeErr, out.BackofficeCache = b.cached(ctx, tt.Channel, ref, func() (Order, error) {
		return b.find(ctx, tt.Channel.Backoffice, ref)
	})
	wg.Wait()
	return out, nil
}

// Test runs a rule as the admin typed it on a marketplace order
// reference (« Tester »), without the cache.
func (b *Backoffice) Test(ctx context.Context, rule desk.BackofficeRule, ref string) (Order, error) {
	if ref == "" {
		return Order{}, desk.Invalid("backoffice_test_ref", "référence de commande attendue")
	}
	return b.find(ctx, rule, ref)
}

func (b *Backoffice) find(ctx context.Context, rule desk.BackofficeRule, ref string) (Order, error) {
	if !rule.Set() {
		return Order{}, fmt.Errorf("pas de back-office pour ce canal : %w", ErrNotSupported)
	}
	if ref == "" {
		return Order{}, desk.NotFound("commande")
	}
	bo, err := b.cs.c.Desk.Channel(ctx, rule.ChannelID)
	if err != nil {
		return Order{}, err
	}
	conn, err := b.cs.Connector(ctx, bo)
	if err != nil {
		return Order{}, err
	}
	f, ok := conn.(orderFinder)
	if !ok {
		return Order{}, fmt.Errorf("recherche de commande dans %s : %w", bo.Name, ErrNotSupported)
	}
	return f.FindOrder(ctx, rule.Field, rule.Value(ref))
}

// cached returns the order kept for the ticket's channel and reference, or
// reads it and keeps it (found or not found; a failure is not kept).
func (b *Backoffice) cached(ctx context.Context, ch desk.Channel, ref string, read func() (Order, error)) (Order, error, bool) {
	key := lookupKey{ch.ID, ref, ch.Backoffice}
	now := b.now()
	b.mu.Lock()
	e, ok := b.entries[key]
	b.mu.Unlock()
	if ok && now.Sub(e.at) < b.ttl {
		return e.order, e.err, true
	}
	o, err := read()
	if err != nil && !desk.IsNotFound(err) {
		if errors.Is(err, ErrNotSupported) {
			b.forget(key)
		}
		return o, err, false
	}
	b.keep(key, lookup{at: now, order: o, err: err})
	return o, err, false
}

func (b *Backoffice) keep(key lookupKey, l lookup) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.entries[key]; !ok && len(b.entries) >= b.max {
		b.evict()
	}
	b.entries[key] = l
}

func (b *Backoffice) forget(key lookupKey) {
	b.mu.Lock()
	delete(b.entries, key)
	b.mu.Unlock()
}

// evict drops the oldest entry (kept past their TTL, entries still tell
// Remembered what was found, until room is needed). b.mu is held.
func (b *Backoffice) evict() {
	var oldest lookupKey
	var at time.Time
	first := true
	for k, e := range b.entries {
		if first || e.at.Before(at) {
			oldest, at, first = k, e.at, false
		}
	}
	delete(b.entries, oldest)
}

// Remembered says what the last lookup of a ticket's order in the back
// office found, without asking anyone: known is false when there was none
// (or it failed). The ticket page uses it to offer the Email thread at
// once; the integrations fragment tells it otherwise.
func (b *Backoffice) Remembered(ch desk.Channel, ref string) (o Order, found, known bool) {
	b.mu.Lock()
	e, ok := b.entries[lookupKey{ch.ID, ref, ch.Backoffice}]
	b.mu.Unlock()
	if !ok {
		return Order{}, false, false
	}
	return e.order, e.err == nil, true
}
