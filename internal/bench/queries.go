package bench

import (
	"context"
	"strings"

	"guichet/internal/desk"
)

// defaultInbox is the target's page: open tickets (or waiting for an ADV)
// by deadline, 50 rows, with one filter: the first five mixes.
const defaultInbox = "DEFAULT first pages (one filter)"

var (
	waitingAdmin = []desk.Status{desk.StatusWaitingAdmin}
	open         = []desk.Status{desk.StatusWaitingAdmin, desk.StatusWaitingCustomer}
)

// inboxMixes are the inbox pages people ask for: a status tab and a filter.
// Each function makes a fresh filter with random choices.
func (b *bench) inboxMixes() []struct {
	name   string
	filter func() desk.TicketFilter
} {
	return []struct {
		name   string
		filter func() desk.TicketFilter
	}{
		{"waiting_admin, assignee", func() desk.TicketFilter {
			return desk.TicketFilter{Statuses: waitingAdmin, AssigneeID: b.agent().ID}
		}},
		{"waiting_admin, channel", func() desk.TicketFilter {
			return desk.TicketFilter{Statuses: waitingAdmin, ChannelID: b.channel().ID}
		}},
		{"waiting_admin, priority P1", func() desk.TicketFilter {
			return desk.TicketFilter{Statuses: waitingAdmin, Priority: desk.P1}
		}},
		{"open, assignee", func() desk.TicketFilter {
			return desk.TicketFilter{Statuses: open, AssigneeID: b.agent().ID}
		}},
		{"open, channel", func() desk.TicketFilter {
			return desk.TicketFilter{Statuses: open, ChannelID: b.channel().ID}
		}},
		{"waiting_admin, assignee + channel", func() desk.TicketFilter {
			return desk.TicketFilter{Statuses: waitingAdmin, AssigneeID: b.agent().ID, ChannelID: b.channel().ID}
		}},
		{"waiting_admin, unassigned", func() desk.TicketFilter {
			return desk.TicketFilter{Statuses: waitingAdmin, Unassigned: true}
		}},
		{"overdue, assignee", func() desk.TicketFilter {
			return desk.TicketFilter{Statuses: waitingAdmin, Overdue: true, AssigneeID: b.agent().ID}
		}},
		{"waiting_customer, channel, activity", func() desk.TicketFilter {
			return desk.TicketFilter{Statuses: []desk.Status{desk.StatusWaitingCustomer}, ChannelID: b.channel().ID, Sort: desk.SortActivity}
		}},
		{"all statuses, assignee, opened", func() desk.TicketFilter {
			return desk.TicketFilter{AssigneeID: b.agent().ID, Sort: desk.SortOpened}
		}},
	}
}

// inbox times first pages of 50 rows, and deep pages reached by following
// Next from the first (pages 5 to 60).
func (b *bench) inbox(ctx context.Context) ([]Result, error) {
	var out []Result
	var firsts, deeps []*timings
	for _, mix := range b.inboxMixes() {
		first, err := measure(ctx, b.opt.Samples, func(int) (int, error) {
			p, err := b.d.FindTickets(ctx, b.actor, mix.filter())
			return len(p.Tickets), err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, first.result("inbox", mix.name))
		firsts = append(firsts, first)

		var cursors []desk.TicketFilter
		for range 5 {
			f := mix.filter()
			for page := 1; page <= 60; page++ {
				p, err := b.d.FindTickets(ctx, b.actor, f)
				if err != nil {
					return nil, err
				}
				if p.Next == "" {
					break
				}
				f.After = p.Next
				if page >= 4 {
					cursors = append(cursors, f)
				}
			}
		}
		if len(cursors) == 0 {
			continue
		}
		deep, err := measure(ctx, b.opt.Samples/2, func(int) (int, error) {
			p, err := b.d.FindTickets(ctx, b.actor, cursors[b.r.IntN(len(cursors))])
			return len(p.Tickets), err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, deep.result("inbox", mix.name+" (deep)"))
		deeps = append(deeps, deep)
	}
	counts, err := measure(ctx, b.opt.Samples, func(int) (int, error) {
		_, err := b.d.Counts(ctx, b.actor, b.agent().ID)
		return 1, err
	})
	if err != nil {
		return nil, err
	}
	out = append(out, merge("inbox", defaultInbox, firsts[:5]...),
		merge("inbox", "ALL first pages", firsts...), merge("inbox", "ALL deep pages", deeps...),
		merge("inbox", "ALL pages", append(firsts, deeps...)...), counts.result("inbox", "counters (desk.Counts)"))
	return out, nil
}

// search times desk.FindTickets with Text: words of every frequency, names,
// order references and numbers, with and without a status filter.
func (b *bench) search(ctx context.Context) ([]Result, error) {
	vocab := Vocabulary()
	word := func(lo, hi int) string { return vocab[lo+b.r.IntN(min(hi, len(vocab))-lo)] }
	kinds := []struct {
		name string
		text func() string
	}{
		{"common word (rank 30-100)", func() string { return word(30, 100) }},
		{"frequent word (rank 100-1000)", func() string { return word(100, 1000) }},
		{"rare word (rank 1000-30000)", func() string { return word(1000, 30000) }},
		{"word prefix (4 letters)", func() string {
			for {
				if w := []rune(word(30, 3000)); len(w) >= 6 {
					return string(w[:4])
				}
			}
		}},
		{"two words", func() string { return word(30, 300) + " " + word(100, 3000) }},
		{"customer full name", func() string { return b.ticket().Customer.Name }},
		{"customer last name", func() string {
			name := b.ticket().Customer.Name
			return name[strings.LastIndex(name, " ")+1:]
		}},
		{"order reference", func() string {
			for {
				if t := b.ticket(); t.Ticket.OrderRef != "" {
					return t.Ticket.OrderRef
				}
			}
		}},
		{"ticket number", func() string { return b.ticket().Ticket.Number }},
	}
	var out []Result
	var all []*timings
	for _, k := range kinds {
		for _, statuses := range [][]desk.Status{nil, waitingAdmin} {
			name := k.name
			if statuses != nil {
				name += ", waiting_admin"
			}
			t, err := measure(ctx, b.opt.Samples, func(int) (int, error) {
				p, err := b.d.FindTickets(ctx, b.actor, desk.TicketFilter{Text: k.text(), Statuses: statuses})
				return len(p.Tickets), err
			})
			if err != nil {
				return nil, err
			}
			out = append(out, t.result("search", name))
			all = append(all, t)
		}
	}
	return append(out, merge("search", "ALL", all...)), nil
}

// views times opening a ticket with its threads, messages and history.
func (b *bench) views(ctx context.Context) ([]Result, error) {
	t, err := measure(ctx, 4*b.opt.Samples, func(int) (int, error) {
		v, err := b.d.Ticket(ctx, b.actor, 1+b.r.Int64N(int64(b.tickets)))
		if desk.IsNotFound(err) {
			return 0, nil
		}
		return len(v.Messages), err
	})
	if err != nil {
		return nil, err
	}
	return []Result{t.result("view", "desk.Ticket")}, nil
}
