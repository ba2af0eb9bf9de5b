package desk

import (
	"context"
	"strings"
)

// TicketTx reads and writes tickets.
type TicketTx interface {
	TicketByID(ctx context.Context, id int64) (Ticket, error)
	TicketByOrder(ctx context.Context, channelID int64, orderRef string) (Ticket, error)
	// TicketsByReference finds tickets whose number or order reference is exactly ref.
	TicketsByReference(ctx context.Context, ref string, limit int) ([]Ticket, error)
	// InsertTicket stores t and sets its ID; when the (channel, order) pair already
	// has a ticket it stores nothing and returns created == false.
	InsertTicket(ctx context.Context, t *Ticket) (created bool, err error)
	UpdateTicket(ctx context.Context, t *Ticket) error
	// IndexTicket refreshes the search entry for the ticket's own fields.
	IndexTicket(ctx context.Context, id int64) error
	FindTickets(ctx context.Context, f TicketFilter) (TicketPage, error)
	CountTickets(ctx context.Context, f CountFilter) (Counts, error)
	// NextUnanswered: waiting_admin, the agent's then nobody's, oldest deadline first.
	NextUnanswered(ctx context.Context, agentID, exclude int64) (Ticket, error)
}

// TicketView is a ticket with everything its page shows.
type TicketView struct {
	Ticket    Ticket    `json:"ticket"`
	Channel   Channel   `json:"channel"`
	Customer  *Customer `json:"customer,omitempty"`
	OrderLink string    `json:"order_link,omitempty"`
	Threads   []Thread  `json:"threads"`
	Messages  []Message `json:"messages"` // every message and note, in order
	Events    []Event   `json:"events"`
}

// Ticket returns a ticket with its threads, messages and history.
func (d *Desk) Ticket(ctx context.Context, actor Actor, id int64) (TicketView, error) {
	var v TicketView
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		if v.Ticket, err = tx.TicketByID(ctx, id); err != nil {
			return err
		}
		if v.Channel, err = tx.ChannelByID(ctx, v.Ticket.ChannelID); err != nil {
			return err
		}
		if v.Ticket.CustomerID != 0 {
			c, err := tx.CustomerByID(ctx, v.Ticket.CustomerID)
			if err != nil {
				return err
			}
			if c.MergedInto != 0 { // linked by an agent: the person
				if c, err = tx.CustomerByID(ctx, c.MergedInto); err != nil {
					return err
				}
			}
			v.Customer = &c
		}
		if v.Threads, err = tx.Threads(ctx, id); err != nil {
			return err
		}
		if v.Messages, err = tx.Messages(ctx, id); err != nil {
			return err
		}
		v.Events, err = tx.Events(ctx, id)
		return err
	})
	if err != nil {
		return TicketView{}, err
	}
	v.OrderLink = v.Channel.OrderLink(v.Ticket.OrderRef)
	return v, nil
}

// FindTickets returns one page of the inbox.
func (d *Desk) FindTickets(ctx context.Context, actor Actor, f TicketFilter) (TicketPage, error) {
	for _, s := range f.Statuses {
		if !s.Valid() {
			return TicketPage{}, Invalid("status", "statut inconnu : %q", s)
		}
	}
	switch {
	case f.Priority != "" && !f.Priority.Valid():
		return TicketPage{}, Invalid("priority", "priorité inconnue : %q", f.Priority)
	case !f.Sort.Valid():
		return TicketPage{}, Invalid("sort", "tri inconnu : %q (deadline, activity, opened)", f.Sort)
	case f.Limit < 0:
		return TicketPage{}, Invalid("limit", "nombre de lignes invalide")
	case len(f.Text) > maxLine:
		return TicketPage{}, Invalid("q", "recherche trop longue")
	case len(f.After) > 200:
		return TicketPage{}, Invalid("after", "curseur invalide")
	}
	for _, p := range []struct{ field, text string }{{"q", f.Text}, {"reason", f.Reason}, {"after", f.After}} {
		if err := checkText(p.field, p.text); err != nil {
			return TicketPage{}, err
		}
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, MaxPageSize)
	if f.Sort == "" {
		f.Sort = SortDeadline
	}
	f.Text = strings.TrimSpace(f.Text)
	f.Now = d.Now()
	var page TicketPage
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		page, err = tx.FindTickets(ctx, f)
		return err
	})
	return page, err
}

// LookupTicket finds the one ticket whose number or order reference is
// exactly q, for a search box that jumps straight to it. It returns
// ENotFound when there is none, EConflict when several orders match.
func (d *Desk) LookupTicket(ctx context.Context, actor Actor, q string) (Ticket, error) {
	if err := checkText("q", q); err != nil {
		return Ticket{}, err
	}
	q = strings.TrimSpace(q)
	if q == "" || len(q) > maxOrderRef {
		return Ticket{}, NotFound("ticket")
	}
	var ts []Ticket
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		ts, err = tx.TicketsByReference(ctx, q, 2)
		return err
	})
	switch {
	case err != nil:
		return Ticket{}, err
	case len(ts) == 0:
		return Ticket{}, NotFound("ticket")
	case len(ts) > 1:
		return Ticket{}, Errorf(EConflict, "plusieurs tickets pour %q", q)
	}
	return ts[0], nil
}

// Counts returns the inbox counters, for one agent when agentID is not 0.
func (d *Desk) Counts(ctx context.Context, actor Actor, agentID int64) (Counts, error) {
	var c Counts
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		c, err = tx.CountTickets(ctx, CountFilter{AssigneeID: agentID, Now: d.Now()})
		return err
	})
	return c, err
}

// NextUnanswered is the ticket an agent should take next: among those waiting
// for us, the oldest deadline first, the agent's own, then nobody's.
// The ticket the agent is on (exclude) is skipped.
func (d *Desk) NextUnanswered(ctx context.Context, actor Actor, exclude int64) (Ticket, error) {
	var t Ticket
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		t, err = tx.NextUnanswered(ctx, actor.AgentID, exclude)
		return err
	})
	return t, err
}

// FilledTemplate is a default reply made ready for one ticket.
type FilledTemplate struct {
	Template
	Text    string   `json:"text"`
	Missing []string `json:"missing,omitempty"` // variables with no value on this ticket
}

// TicketTemplates returns the default replies allowed on a ticket's channel,
// with their variables filled from the ticket.
func (d *Desk) TicketTemplates(ctx context.Context, actor Actor, ticketID int64) ([]FilledTemplate, error) {
	var out []FilledTemplate
	err := d.store.Read(ctx, func(tx Tx) error {
		t, err := tx.TicketByID(ctx, ticketID)
		if err != nil {
			return err
		}
		ch, err := tx.ChannelByID(ctx, t.ChannelID)
		if err != nil {
			return err
		}
		var cust Customer
		if t.CustomerID != 0 {
			if cust, err = tx.CustomerByID(ctx, t.CustomerID); err != nil {
				return err
			}
		}
		all, err := tx.Templates(ctx)
		if err != nil {
			return err
		}
		values := variableValues(t, ch, cust, actor)
		for _, tpl := range all {
			if !tpl.AllowedOn(ch.ID) {
				continue
			}
			text, missing := FillVariables(tpl.Body, values)
			out = append(out, FilledTemplate{Template: tpl, Text: text, Missing: missing})
		}
		return nil
	})
	return out, err
}
