package desk_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"guichet/internal/blob"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
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

// recorder keeps the changes desk announces.
type recorder struct {
	mu      sync.Mutex
	changes []desk.Change
}

func (r *recorder) Notify(cs ...desk.Change) {
	r.mu.Lock()
	r.changes = append(r.changes, cs...)
	r.mu.Unlock()
}

// fixture is a desk over a real store with a small team and three channels.
type fixture struct {
	d                    *desk.Desk
	s                    *store.Store
	clock                *clock
	notes                *recorder
	admin                desk.Actor
	lea, marc            desk.Actor
	kaufland, fnac, shop desk.Channel
}

var ctx = context.Background()

// Monday 23 November 2026, 10:00 in Paris.
var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newFixture(t testing.TB, s *store.Store) *fixture {
	t.Helper()
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{s: s, clock: &clock{t: monday}, notes: &recorder{}}
	f.d = desk.New(desk.Config{Store: s, Blobs: blobs, Notifier: f.notes, Now: f.clock.Now})
	if _, err := f.d.EnsureAdmin(ctx, "admin@example.fr"); err != nil {
		t.Fatal(err)
	}
	agents, _ := f.d.Agents(ctx)
	f.admin = desk.ActorOf(agents[0])
	f.lea = f.agent(t, "lea@example.fr", "Léa Martin")
	f.marc = f.agent(t, "marc@example.fr", "Marc Durand")
	f.kaufland = f.channel(t, desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", ResponsibleID: f.marc.AgentID,
		DeadlinePolicy: "48h business", GuardNames: []string{"Kaufland", "real.de"}, Active: true})
	f.fnac = f.channel(t, desk.Channel{Kind: desk.ChannelMirakl, Name: "Fnac", ResponsibleID: f.lea.AgentID,
		DeadlinePolicy: "24h", GuardNames: []string{"Fnac", "Fnac Darty"}, ForbidContact: true, Active: true})
	f.shop = f.channel(t, desk.Channel{Kind: desk.ChannelPrestaShop, Name: "Boutique", OrderURL: "https://shop.example/admin/orders/{order}",
		GuardNames: []string{}, Active: true})
	return f
}

func (f *fixture) agent(t testing.TB, email, name string) desk.Actor {
	t.Helper()
	a, err := f.d.SaveAgent(ctx, f.admin, desk.AgentInput{Email: email, Name: name, Role: desk.RoleADV, Active: true, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return desk.ActorOf(a)
}

func (f *fixture) channel(t testing.TB, c desk.Channel) desk.Channel {
	t.Helper()
	c, err := f.d.SaveChannel(ctx, f.admin, c)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) view(t testing.TB, id int64) desk.TicketView {
	t.Helper()
	v, err := f.d.Ticket(ctx, f.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// incoming is a customer message on an order of the channel.
func incoming(ch desk.Channel, order, source, body string) desk.Incoming {
	return desk.Incoming{ChannelID: ch.ID, OrderRef: order, SourceID: source, Body: body,
		AuthorKind: desk.AuthorCustomer, AuthorName: "Jean Client",
		Customer: desk.CustomerInput{ExternalID: "c-" + order, Name: "Jean Client", Email: "relay-" + order + "@kaufland.example"}}
}

func eventKinds(v desk.TicketView) []desk.EventKind {
	var ks []desk.EventKind
	for _, e := range v.Events {
		ks = append(ks, e.Kind)
	}
	return ks
}

func wantCode(t testing.TB, err error, code, field string) {
	t.Helper()
	if desk.ErrorCode(err) != code || (field != "" && desk.ErrorField(err) != field) {
		t.Fatalf("err = %v; want code %s field %q", err, code, field)
	}
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) { fn(t, newFixture(t, s)) })
}
