package demo

import (
	"context"
	"time"

	"guichet/internal/desk"
)

// scenario is a kind of customer question and how its ticket usually goes.
type scenario struct {
	weight int
	only   desk.ChannelKind // "" for every channel
	play   func(p *ticketPlan)
}

var scenarios = []scenario{
	{22, "", playWhereIsMyOrder},
	{12, "", playDamaged},
	{11, "", playWithdrawal},
	{11, "", playInvoice},
	{8, "", playWrongItem},
	{7, "", playMissingPart},
	{9, "", playLate},
	{6, "", playCancellation},
	{6, "", playBreakdown},
	{5, "", playRefundMissing},
	{7, desk.ChannelPrestaShop, playOutOfStock},
}

func (g *generator) scenarioFor(c *channelSpec) scenario {
	var fit []scenario
	total := 0
	for _, s := range scenarios {
		if s.only == "" || s.only == c.Kind {
			fit = append(fit, s)
			total += s.weight
		}
	}
	n := g.rng.IntN(total)
	for _, s := range fit {
		if n < s.weight {
			return s
		}
		n -= s.weight
	}
	return fit[0]
}

// handBack: the admin puts a few tickets waiting for an answer back in the
// common pot, to spread the load; the inbox then shows unassigned tickets.
func (g *generator) handBack(plans []*ticketPlan) {
	handed := 0
	for _, p := range plans {
		if handed == 5 {
			return
		}
		last := p.steps[len(p.steps)-1].at
		if p.status != desk.StatusWaitingAdmin || !last.Before(g.now.Add(-3*time.Hour)) || !g.chance(0.25) {
			continue
		}
		p.cursor = g.now.Add(-g.between(30*time.Minute, 3*time.Hour))
		if !p.cursor.After(last) {
			continue
		}
		nobody := int64(0)
		admin := g.team.admin
		body := p.owner.Name + " a déjà beaucoup de tickets aujourd'hui : ticket remis à répartir, à prendre par la première personne disponible."
		p.patch(admin, desk.TicketPatch{AssigneeID: &nobody})
		p.add(step{do: func(ctx context.Context, r *replayer) error { return r.note(ctx, p, admin, body) }})
		handed++
	}
}
