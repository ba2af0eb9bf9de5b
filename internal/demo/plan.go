package demo

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"guichet/internal/desk"
)

// ticketPlan is the life of one ticket, written before it is replayed: who
// the customer is, what they ordered, and every step of the ticket with its time.
type ticketPlan struct {
	g         *generator
	ch        *channelSpec
	cust      person
	item      product
	ship      carrier
	tracking  string
	depot     string
	order     string // "" for a question without an order
	orderedAt time.Time
	opened    time.Time // when the customer first wrote
	reason    string
	subject   string
	problem   string
	conv      string // the channel's id of the conversation with the customer
	opConv    string // of the conversation with the channel's operators
	htmlMail  bool   // the customer's mailer sends HTML

	owner   desk.Actor  // the ADV working the ticket
	status  desk.Status // where the ticket stands after the steps so far
	touched bool        // an ADV has already acted on it
	cursor  time.Time   // when the last step happened
	ended   bool        // the story reached now: nothing more happens
	steps   []step
	src     string // prefix of the source ids of incoming messages
	sources int    // numbers them

	// Known once replayed.
	id      int64
	threads map[desk.ThreadKind]int64
}

// step is one thing that happens to a ticket.
type step struct {
	at   time.Time
	plan *ticketPlan
	in   []desk.Incoming // fetched from the channel, ingested together
	do   func(ctx context.Context, r *replayer) error
}

func (g *generator) newPlan(c *channelSpec) *ticketPlan {
	p := &ticketPlan{g: g, ch: c, cursor: g.openingTime(), owner: g.team.byEmail[c.owner],
		src: strings.ToLower(g.alnum(12)), threads: map[desk.ThreadKind]int64{}}
	if regulars := g.regulars[c]; len(regulars) > 0 && g.chance(0.06) {
		p.cust = pick(g, regulars)
	} else {
		p.cust = g.newPerson(c)
		g.regulars[c] = append(g.regulars[c], p.cust)
	}
	p.opened = p.cursor
	p.item = pick(g, products)
	p.ship = g.carrierFor(p.item)
	p.tracking = p.ship.number(g)
	p.depot = pick(g, p.ship.depots)
	p.orderedAt = p.cursor.Add(-g.between(36*time.Hour, 12*24*time.Hour))
	p.order = g.orderRef(c, p.orderedAt)
	p.conv = g.conversationID(c)
	p.opConv = "op-" + g.conversationID(c)
	p.htmlMail = c.is(desk.ChannelEmail) && g.chance(0.6)
	return p
}

// conversationID is the channel's own id of a conversation.
func (g *generator) conversationID(c *channelSpec) string {
	switch c.Kind {
	case desk.ChannelKaufland:
		return g.digits(11) // Kaufland's ticket numbers have 11 digits
	case desk.ChannelMirakl:
		h := strings.ToLower(g.alnum(32))
		return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	case desk.ChannelEmail:
		return "<" + strings.ToLower(g.alnum(20)) + "@mail.example.com>"
	case desk.ChannelPrestaShop:
		return g.digits(5) // PrestaShop's customer_thread id
	}
	return g.alnum(14)
}

// topic sets what the ticket is about.
func (p *ticketPlan) topic(reason, subject, problem string) {
	p.reason, p.subject, p.problem = reason, p.fill(subject, ""), p.fill(problem, "")
	if p.ch.is(desk.ChannelEmail) || p.ch.is(desk.ChannelPrestaShop) {
		p.reason = "" // the shop and the mailbox give no topic: the ADV sums it up
	}
}

// fill replaces the plan's placeholders in a text; adv is who signs.
func (p *ticketPlan) fill(s, adv string) string {
	days := int(p.cursor.Sub(p.orderedAt).Hours() / 24)
	r := strings.NewReplacer(
		"[prenom]", p.cust.first, "[nom_client]", p.cust.name(),
		"[produit]", p.item.name, "[Produit]", capitalize(p.item.name), "[article]", p.item.short,
		"[prix]", p.item.priceText(), "[commande]", p.order, "[date_commande]", p.g.frenchDate(p.orderedAt),
		"[jours]", itoa(days), "[transporteur]", p.ship.name, "[suivi]", p.tracking, "[depot]", p.depot,
		"[motif]", p.reason, "[piece]", p.item.pieces, "[email]", p.cust.email, "[canal]", p.ch.Name,
		"[adv]", adv, "[admin]", p.g.team.admin.Name, "[lien_suivi]", p.trackingLink(),
	)
	return r.Replace(s)
}

func (p *ticketPlan) trackingLink() string { return fmt.Sprintf(p.ship.url, p.tracking) }

// letter wraps an ADV's text in the greeting and signature they always use.
func (p *ticketPlan) letter(body string, by desk.Actor) string {
	return p.fill("Bonjour [nom_client],\n\n"+body+"\n\nBien cordialement,\n[adv]\nService client", by.Name)
}

func (p *ticketPlan) pick(texts ...string) string { return pick(p.g, texts) }

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// add appends a step at the plan's cursor.
func (p *ticketPlan) add(s step) {
	s.at, s.plan = p.cursor, p
	p.steps = append(p.steps, s)
}

// next moves the plan's clock by d, into office hours (an ADV or an operator
// acts) or waking hours (a customer writes). It reports false, and ends the
// story, when that moment has not come yet.
func (p *ticketPlan) next(d time.Duration, office bool) bool {
	if p.ended {
		return false
	}
	t := p.cursor.Add(d)
	if office {
		t = p.g.officeTime(t)
	} else {
		t = p.g.wakingTime(t)
	}
	if !t.Before(p.g.now.Add(-time.Minute)) {
		p.ended = true
		return false
	}
	p.cursor = t
	return true
}
