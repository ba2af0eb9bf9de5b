package ui

import (
	"context"
	"strconv"

	"guichet/internal/desk"
)

// serviceBox is the ticket page's customer-service card (the seeds' thread
// actions): mark handled or reopen, forward to another agent or outside,
// answer the next unread message; what the contact form knew of its
// messages, and the emails the ticket went out with.
type serviceBox struct {
	TicketID  int64
	Closed    bool
	Agents    []desk.Agent // the others, active
	Form      []formInfo
	Emails    []emailLine
	Timeline  string // the fragment of the order's timeline ("": no order)
	Forward   forwardForm
	CSRF      string
	HasMailer bool
}

type forwardForm struct {
	AgentID        int64
	Email, Comment string
	Assign         bool
	Error          string
}

type formInfo struct {
	MessageID                                int64
	Contact, Email, Product, Browser, Client string
	At                                       string
}

type emailLine struct {
	To, State, Error, At string
}

// loadServiceBox fills the card, and pre-fills the reply box of a form
// ticket with the default reply (« Message prédéfini »).
func loadServiceBox(ctx context.Context, dk *desk.Desk, tr translator, s session, tv desk.TicketView, d *ticketData) error {
	box := serviceBox{TicketID: tv.Ticket.ID, Closed: tv.Ticket.Status == desk.StatusClosed, CSRF: s.CSRF}
	for _, a := range d.Agents {
		if a.ID != s.Agent.ID {
			box.Agents = append(box.Agents, a)
		}
	}
	forms, err := dk.TicketFormMessages(ctx, s.actor(), tv.Ticket.ID)
	if err != nil {
		return err
	}
	if len(forms) > 0 {
		contacts, err := dk.Contacts(ctx)
		if err != nil {
			return err
		}
		names := map[int64]string{}
		for _, c := range contacts {
			names[c.ID] = c.Name
		}
		for _, m := range tv.Messages {
			if f, ok := forms[m.ID]; ok {
				box.Form = append(box.Form, formInfo{MessageID: m.ID, Contact: names[f.ContactID], Email: f.Email, Product: f.Product,
					Browser: f.UserAgent, Client: f.Address, At: showTime(f.CreatedAt)})
			}
		}
		if d.Reply.Body == "" {
			if o, err := dk.ServiceOptions(ctx); err == nil {
				d.Reply.Body = o.DefaultReply
			}
		}
	}
	emails, err := dk.TicketEmails(ctx, s.actor(), tv.Ticket.ID)
	if err != nil {
		return err
	}
	for _, e := range emails {
		box.Emails = append(box.Emails, emailLine{To: joinComma(e.To), State: tr.T("email.state." + e.State), Error: e.LastError, At: showTime(e.CreatedAt)})
	}
	if tv.Ticket.OrderRef != "" {
		box.Timeline = "/tickets/" + strconv.FormatInt(tv.Ticket.ID, 10) + "/timeline"
	}
	d.Service = box
	d.Scripts = append(d.Scripts, "service.js")
	return nil
}

func joinComma(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
