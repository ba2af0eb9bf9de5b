package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"guichet/internal/desk"
)

// replayer plays the plans against desk in time order, moving the Desk's
// clock to each step.
type replayer struct {
	d         *desk.Desk
	clock     *clock
	replies   int // sent so far, for deliver
	admin     desk.Actor
	templates map[string]int64
	messages  int // stored: incoming, replies and notes
}

// maxBatch bounds one Ingest call, as a connector's fetch would be.
const maxBatch = 200

// run merges every plan's steps on one timeline. Messages fetched in a row
// (a night's or a weekend's worth, while nobody works) go in one Ingest
// batch, as a connector would deliver them.
func (r *replayer) run(ctx context.Context, plans []*ticketPlan) error {
	var steps []step
	for _, p := range plans {
		steps = append(steps, p.steps...)
	}
	slices.SortStableFunc(steps, func(a, b step) int { return a.at.Compare(b.at) })
	for i := 0; i < len(steps); {
		if steps[i].in != nil {
			var batch []desk.Incoming
			for ; i < len(steps) && steps[i].in != nil && len(batch) < maxBatch; i++ {
				batch = append(batch, steps[i].in...)
			}
			if err := r.ingest(ctx, batch); err != nil {
				return err
			}
			continue
		}
		s := steps[i]
		r.clock.Set(s.at)
		if err := s.do(ctx, r); err != nil {
			return fmt.Errorf("commande %q (%s) à %s : %w", s.plan.order, s.plan.ch.Name, s.at.Format("2006-01-02 15:04"), explain(err))
		}
		i++
	}
	return nil
}

func (r *replayer) ingest(ctx context.Context, batch []desk.Incoming) error {
	res, err := r.d.Ingest(ctx, batch)
	if err != nil {
		return err
	}
	if len(res.Parked) > 0 {
		return fmt.Errorf("message %s mis en attente : %s", res.Parked[0].SourceID, res.Parked[0].Error)
	}
	if res.Duplicates > 0 {
		return fmt.Errorf("%d messages en double dans un lot", res.Duplicates)
	}
	r.messages += res.Stored
	return nil
}

// explain adds what desk's error carries beyond its message (the guard's findings).
func explain(err error) error {
	var e *desk.Error
	if errors.As(err, &e) && e.Details != nil {
		return fmt.Errorf("%w %+v", err, e.Details)
	}
	return err
}

// ticketID finds the ticket a plan's first messages opened. Ingest does not
// say which tickets it opened, so the order reference (unique in the demo)
// finds it, or, for a question without an order, its subject.
func (r *replayer) ticketID(ctx context.Context, p *ticketPlan) (int64, error) {
	if p.id != 0 {
		return p.id, nil
	}
	if p.order != "" {
		t, err := r.d.LookupTicket(ctx, r.admin, p.order)
		if err != nil {
			return 0, err
		}
		p.id = t.ID
		return p.id, nil
	}
	page, err := r.d.FindTickets(ctx, r.admin, desk.TicketFilter{ChannelID: p.ch.ID, Sort: desk.SortOpened, Limit: desk.MaxPageSize})
	if err != nil {
		return 0, err
	}
	for _, row := range page.Tickets {
		if row.OrderRef == "" && row.Subject == p.subject {
			p.id = row.ID
			return p.id, nil
		}
	}
	return 0, fmt.Errorf("ticket sans commande %q introuvable", p.subject)
}

// threadID is the thread of the given kind the plan's messages came on; 0
// when it does not exist yet and Reply is to create it.
func (r *replayer) threadID(ctx context.Context, p *ticketPlan, kind desk.ThreadKind) (int64, error) {
	if id, ok := p.threads[kind]; ok {
		return id, nil
	}
	ext := ""
	switch kind {
	case desk.ThreadCustomer:
		ext = p.conv
	case desk.ThreadOperator:
		ext = p.opConv
	}
	v, err := r.d.Ticket(ctx, r.admin, p.id)
	if err != nil {
		return 0, err
	}
	for _, th := range v.Threads {
		if th.Kind == kind && th.ExternalID == ext {
			p.threads[kind] = th.ID
			return th.ID, nil
		}
	}
	if ext != "" {
		return 0, fmt.Errorf("fil %s %q introuvable", kind, ext)
	}
	return 0, nil
}

func (r *replayer) reply(ctx context.Context, p *ticketPlan, by desk.Actor, rp reply, body string) error {
	id, err := r.ticketID(ctx, p)
	if err != nil {
		return err
	}
	kind := rp.thread
	if kind == "" {
		kind = desk.ThreadCustomer
	}
	threadID, err := r.threadID(ctx, p, kind)
	if err != nil {
		return err
	}
	var tplID int64
	if rp.template != "" {
		tplID = r.templates[rp.template]
		if body, err = r.templateText(ctx, p, by, tplID); err != nil {
			return err
		}
	}
	in := desk.ReplyInput{TicketID: id, ThreadID: threadID, ThreadKind: kind, Body: body, Status: rp.status, TemplateID: tplID}
	for _, f := range rp.files {
		in.Attachments = append(in.Attachments, desk.NewAttachment{Name: f.name, ContentType: f.contentType, Kind: f.kind, Data: bytes.NewReader(f.data)})
	}
	m, err := r.d.Reply(ctx, by, in)
	if err != nil {
		return err
	}
	p.threads[kind] = m.ThreadID
	r.messages++
	return r.deliver(ctx, m)
}

// deliver plays the channel's part for a reply: the demo's channels are
// not connected, so without it every reply would stay queued for ever.
// Most arrive a few seconds later; one in demoRefusedEvery is refused, as
// a marketplace refuses a reply now and then, so that « Envois en échec »
// and « Réessayer » have something to show.
func (r *replayer) deliver(ctx context.Context, m desk.Message) error {
	r.replies++
	at := r.clock.Now().Add(4 * time.Second)
	if r.replies%demoRefusedEvery == 0 {
		return r.d.DeliveryFailed(ctx, m.ID, demoRefusal, true, time.Time{})
	}
	return r.d.DeliverySucceeded(ctx, m.ID, fmt.Sprintf("demo-%d", m.ID), at)
}

const (
	demoRefusedEvery = 120
	demoRefusal      = "400 : le message contient une adresse email, interdite par la place de marché"
)

// templateText fills a default reply for the ticket as the reply page does;
// the tracking link, which only the ADV knows, is filled by hand.
func (r *replayer) templateText(ctx context.Context, p *ticketPlan, by desk.Actor, tplID int64) (string, error) {
	filled, err := r.d.TicketTemplates(ctx, by, p.id)
	if err != nil {
		return "", err
	}
	for _, f := range filled {
		if f.ID != tplID {
			continue
		}
		text, missing := desk.FillVariables(f.Text, map[string]string{"lien_suivi": p.trackingLink()})
		if len(missing) > 0 {
			return "", fmt.Errorf("réponse %q : variables sans valeur %v", f.Name, missing)
		}
		return text, nil
	}
	return "", fmt.Errorf("réponse par défaut %d non disponible sur %s", tplID, p.ch.Name)
}

func (r *replayer) note(ctx context.Context, p *ticketPlan, by desk.Actor, body string) error {
	id, err := r.ticketID(ctx, p)
	if err != nil {
		return err
	}
	if _, err := r.d.AddNote(ctx, by, id, body); err != nil {
		return err
	}
	r.messages++
	return nil
}

func (r *replayer) update(ctx context.Context, p *ticketPlan, by desk.Actor, patch desk.TicketPatch) error {
	id, err := r.ticketID(ctx, p)
	if err != nil {
		return err
	}
	_, err = r.d.UpdateTicket(ctx, by, id, patch)
	return err
}

// open is a ticket an ADV opens themself, from the shop's order page.
func (r *replayer) open(ctx context.Context, p *ticketPlan, by desk.Actor) error {
	t, created, err := r.d.OpenTicket(ctx, by, desk.OpenInput{
		ChannelID: p.ch.ID, OrderRef: p.order, Customer: p.cust.customer(), Subject: p.subject, Problem: p.problem,
	})
	if err != nil {
		return err
	}
	if !created {
		return fmt.Errorf("la commande %s a déjà un ticket", p.order)
	}
	p.id = t.ID
	return nil
}
