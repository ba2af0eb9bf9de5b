package demo

import (
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"guichet/internal/deadline"
	"guichet/internal/desk"
)

// generator writes the tickets' plans. It draws everything from one seeded
// source, so the same seed gives the same data.
type generator struct {
	rng       *rand.Rand
	now       time.Time
	cal       *deadline.Calendar
	team      *team
	channels  []*channelSpec
	usedRefs  map[string]bool
	regulars  map[*channelSpec][]person // customers who come back with another order
	strangers int                       // tickets without an order written so far
}

// span is how far back the tickets go.
const span = 45 * 24 * time.Hour

// unknownSenders is how many tickets without an order the Email channel gets.
const unknownSenders = 3

func newGenerator(rng *rand.Rand, now time.Time, t *team, chans []*channelSpec) *generator {
	return &generator{rng: rng, now: now, cal: deadline.France(), team: t, channels: chans,
		usedRefs: map[string]bool{}, regulars: map[*channelSpec][]person{}}
}

// plans writes n tickets' lives.
func (g *generator) plans(n int) []*ticketPlan {
	plans := make([]*ticketPlan, 0, n)
	for i := range n {
		c := g.channelFor(i)
		p := g.newPlan(c)
		if c.is(desk.ChannelEmail) && g.strangers < unknownSenders {
			playUnknownSender(p)
		} else {
			g.scenarioFor(c).play(p)
		}
		plans = append(plans, p)
	}
	g.handBack(plans)
	return plans
}

// channelFor picks the channel of the i-th ticket: each channel once first, so
// that every one has tickets, then by weight.
func (g *generator) channelFor(i int) *channelSpec {
	if i < len(g.channels) {
		return g.channels[i]
	}
	total := 0
	for _, c := range g.channels {
		total += c.weight
	}
	n := g.rng.IntN(total)
	for _, c := range g.channels {
		if n < c.weight {
			return c
		}
		n -= c.weight
	}
	return g.channels[0]
}

// openingTime draws when a ticket opens: any time in the span, a little more
// often recently (the shop grows), always in the customers' waking hours.
func (g *generator) openingTime() time.Time {
	for {
		back := time.Duration(float64(span) * math.Pow(g.rng.Float64(), 1.7))
		t := g.wakingTime(g.now.Add(-back))
		if t.Before(g.now.Add(-10 * time.Minute)) {
			return t
		}
	}
}

func pick[T any](g *generator, xs []T) T { return xs[g.rng.IntN(len(xs))] }

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// between draws a duration in [a, b).
func (g *generator) between(a, b time.Duration) time.Duration {
	return a + time.Duration(g.rng.Int64N(int64(b-a)))
}

func (g *generator) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.rng.IntN(10))
	}
	b[0] = byte('1' + g.rng.IntN(9)) // no leading zero: ids are numbers
	return string(b)
}

func (g *generator) letters(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + g.rng.IntN(26))
	}
	return string(b)
}

func (g *generator) alnum(n int) string {
	const chars = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[g.rng.IntN(len(chars))]
	}
	return string(b)
}

// orderRef draws an order reference of channel c no other ticket has, so
// that each ticket can be found again by its reference.
func (g *generator) orderRef(c *channelSpec, orderedAt time.Time) string {
	for {
		ref := c.orderRef(g, orderedAt)
		if !g.usedRefs[strings.ToUpper(ref)] {
			g.usedRefs[strings.ToUpper(ref)] = true
			return ref
		}
	}
}

// frenchDate writes a day as people do: "3 mars".
func (g *generator) frenchDate(t time.Time) string {
	t = t.In(g.cal.Location())
	return itoa(t.Day()) + " " + months[t.Month()-1]
}
