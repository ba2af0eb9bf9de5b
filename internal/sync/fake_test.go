package sync_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	gosync "sync"
	"testing"
	"time"

	"guichet/internal/blob"
	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/store"
	gsync "guichet/internal/sync"
)

// fakeChannel is a marketplace in memory: its messages in order (the
// cursor is an index), the replies it received, and faults to inject.
type fakeChannel struct {
	mu       gosync.Mutex
	msgs     []desk.Incoming
	page     int
	received map[int64]int          // our message id → times the channel got it
	sent     map[int64]channel.Sent // what it answered
	fetching bool
	overlaps int // Fetch calls that began while another was running
	fetches  int
	sends    int

	// fault, when set, is asked before each call ("fetch", "send"); an
	// error it returns is the call's.
	fault func(op string) error
	// crashAfter, when set and true for a reply, makes Send take the reply
	// and fail all the same (the answer lost on the way back).
	crashAfter func(r channel.Reply) bool
	// pause, when set, is how long a call lingers (to be caught by a stop).
	pause func() time.Duration
	echo  bool // received replies come back in later fetches
}

func newFake(page int) *fakeChannel {
	return &fakeChannel{page: page, received: map[int64]int{}, sent: map[int64]channel.Sent{}}
}

func (f *fakeChannel) add(ms ...desk.Incoming) {
	f.mu.Lock()
	f.msgs = append(f.msgs, ms...)
	f.mu.Unlock()
}

func (f *fakeChannel) linger(ctx context.Context) {
	if f.pause == nil {
		return
	}
	select {
	case <-time.After(f.pause()):
	case <-ctx.Done():
	}
}

func (f *fakeChannel) Fetch(ctx context.Context, cursor string) (channel.Batch, error) {
	f.mu.Lock()
	if f.fetching {
		f.overlaps++
	}
	f.fetching = true
	f.fetches++
	fault := f.fault
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.fetching = false; f.mu.Unlock() }()
	if fault != nil {
		if err := fault("fetch"); err != nil {
			return channel.Batch{}, err
		}
	}
	f.linger(ctx)
	if err := ctx.Err(); err != nil {
		return channel.Batch{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	from := 0
	if cursor != "" {
		from, _ = strconv.Atoi(cursor)
	}
	// Re-read one message of the boundary, as real connectors do.
	start := max(from-1, 0)
	end := min(from+f.page, len(f.msgs))
	b := channel.Batch{Cursor: strconv.Itoa(end), More: end < len(f.msgs)}
	for _, m := range f.msgs[start:end] {
		m.Files = nil
		b.Messages = append(b.Messages, m)
	}
	return b, nil
}

func (f *fakeChannel) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	f.mu.Lock()
	f.sends++
	fault, crash := f.fault, f.crashAfter
	f.mu.Unlock()
	if fault != nil {
		if err := fault("send"); err != nil {
			return channel.Sent{}, err
		}
	}
	f.mu.Lock()
	f.received[r.MessageID]++
	s := channel.Sent{SourceID: fmt.Sprintf("out-%d-%d", r.MessageID, f.received[r.MessageID]), At: r.CreatedAt}
	f.sent[r.MessageID] = s
	if f.echo {
		f.msgs = append(f.msgs, desk.Incoming{OrderRef: r.OrderRef, SourceID: s.SourceID, FromSeller: true, Body: r.Body})
	}
	f.mu.Unlock()
	f.linger(ctx)
	if crash != nil && crash(r) {
		return channel.Sent{}, &channel.Error{Kind: channel.Transient, Status: 502, Message: "passerelle en panne"}
	}
	if err := ctx.Err(); err != nil {
		return channel.Sent{}, err
	}
	return s, nil
}

func (f *fakeChannel) Lookup(ctx context.Context, r channel.Reply) (channel.Sent, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.sent[r.MessageID]
	return s, ok, nil
}

func (f *fakeChannel) counts() (received map[int64]int, overlaps, fetches int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rc := map[int64]int{}
	for k, v := range f.received {
		rc[k] = v
	}
	return rc, f.overlaps, f.fetches
}

// blind is a connector that cannot look a reply up.
type blind struct{ f *fakeChannel }

func (b blind) Fetch(ctx context.Context, cursor string) (channel.Batch, error) {
	return b.f.Fetch(ctx, cursor)
}
func (b blind) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	return b.f.Send(ctx, r)
}

// clock is a settable test clock.
type clock struct {
	mu gosync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a desk over a real store, its channels and their fakes.
type env struct {
	s        *store.Store
	d        *desk.Desk
	clock    *clock
	admin    desk.Actor
	agent    desk.Actor
	channels []desk.Channel
	fakes    map[int64]channel.Connector
}

var ctx = context.Background()

func newEnv(t testing.TB, s *store.Store, clk *clock, names ...string) *env {
	t.Helper()
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := &env{s: s, clock: clk, fakes: map[int64]channel.Connector{}}
	e.d = desk.New(desk.Config{Store: s, Blobs: blobs, Now: clk.Now})
	if _, err := e.d.EnsureAdmin(ctx, "admin@example.fr"); err != nil {
		t.Fatal(err)
	}
	agents, _ := e.d.Agents(ctx)
	e.admin = desk.ActorOf(agents[0])
	a, err := e.d.SaveAgent(ctx, e.admin, desk.AgentInput{Email: "marc@example.fr", Name: "Marc", Role: desk.RoleADV, Active: true, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	e.agent = desk.ActorOf(a)
	for _, n := range names {
		ch, err := e.d.SaveChannel(ctx, e.admin, desk.Channel{Kind: desk.ChannelKaufland, Name: n, ResponsibleID: a.ID,
			DeadlinePolicy: "48h business", GuardNames: []string{}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		e.channels = append(e.channels, ch)
	}
	return e
}

// attach makes another desk (another process) over store s, sharing e's
// channels and fakes.
func (e *env) attach(t testing.TB, s *store.Store) *env {
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := *e
	o.s = s
	o.d = desk.New(desk.Config{Store: s, Blobs: blobs, Now: e.clock.Now})
	return &o
}

func (e *env) connectors() gsync.Connectors {
	return gsync.ConnectorsFunc(func(ctx context.Context, ch desk.Channel) (channel.Connector, error) {
		if c, ok := e.fakes[ch.ID]; ok {
			return c, nil
		}
		return nil, fmt.Errorf("%s : %w", ch.Name, channel.ErrNotSupported)
	})
}

func (e *env) runner(owner string, opts ...func(*gsync.Config)) *gsync.Runner {
	c := gsync.Config{Desk: e.d, Leases: e.s, Connectors: e.connectors(), Owner: owner, Now: e.clock.Now,
		Jitter: func() float64 { return 0.5 }, Tick: time.Millisecond}
	for _, o := range opts {
		o(&c)
	}
	return gsync.New(c)
}

// customerMessages are n messages over orders orders of the channel.
func customerMessages(prefix string, n, orders int) []desk.Incoming {
	out := make([]desk.Incoming, n)
	for i := range out {
		order := fmt.Sprintf("%s-%d", prefix, i%orders)
		out[i] = desk.Incoming{OrderRef: order, SourceID: fmt.Sprintf("%s-m%d", prefix, i), AuthorKind: desk.AuthorCustomer,
			AuthorName: "Client", Body: fmt.Sprintf("Message %d sur %s", i, order),
			Customer: desk.CustomerInput{ExternalID: "c-" + order, Name: "Client " + order}}
	}
	return out
}

func (e *env) countMessages(t testing.TB, ch desk.Channel, direction string) int {
	t.Helper()
	var n int
	if err := e.s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE channel_id = $1 AND direction = $2`, ch.ID, direction).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// replyTo answers the ticket of an order, queued for delivery.
func (e *env) replyTo(t testing.TB, ch desk.Channel, order, body string) desk.Message {
	t.Helper()
	var id int64
	if err := e.s.DB().QueryRowContext(ctx, `SELECT id FROM tickets WHERE channel_id = $1 AND order_ref = $2`, ch.ID, order).Scan(&id); err != nil {
		t.Fatalf("ticket of %s: %v", order, err)
	}
	m, err := e.d.Reply(ctx, e.agent, desk.ReplyInput{TicketID: id, Body: body, Status: desk.StatusWaitingCustomer, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// deliveryStates maps each reply to its outbox state and the message's outline.
func (e *env) deliveryStates(t testing.TB) map[int64][2]string {
	t.Helper()
	rows, err := e.s.DB().QueryContext(ctx, `SELECT d.message_id, d.state, m.delivery FROM deliveries d JOIN messages m ON m.id = d.message_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][2]string{}
	for rows.Next() {
		var id int64
		var st, del string
		if err := rows.Scan(&id, &st, &del); err != nil {
			t.Fatal(err)
		}
		out[id] = [2]string{st, del}
	}
	return out
}

func randomFault(r *rand.Rand, mu *gosync.Mutex, rate float64) func(string) error {
	return func(op string) error {
		mu.Lock()
		x := r.Float64()
		mu.Unlock()
		switch {
		case x < rate/3:
			return &channel.Error{Kind: channel.Transient, Err: fmt.Errorf("connexion réinitialisée")}
		case x < 2*rate/3:
			return &channel.Error{Kind: channel.RateLimited, Status: 429, RetryAfter: 30 * time.Second, Message: "trop de requêtes"}
		case x < rate:
			return &channel.Error{Kind: channel.Transient, Status: 503, Message: "service indisponible"}
		}
		return nil
	}
}

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
