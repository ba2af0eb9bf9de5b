package desk

import (
	"context"
	"time"
)

// saveTx is what saveTicket writes.
type saveTx interface {
	UpdateTicket(ctx context.Context, t *Ticket) error
	InsertEvent(ctx context.Context, e *Event) error
	IndexTicket(ctx context.Context, id int64) error
}

// TicketPatch changes some of a ticket's fields; nil fields stay as they are.
type TicketPatch struct {
	Status       *Status    `json:"status,omitempty"`
	Priority     *Priority  `json:"priority,omitempty"`
	AssigneeID   *int64     `json:"assignee_id,omitempty"` // 0: nobody
	Deadline     *time.Time `json:"deadline,omitempty"`
	Problem      *string    `json:"customer_problem,omitempty"`
	RealEmail    *string    `json:"real_email,omitempty"`
	DeliveryDate *string    `json:"delivery_date,omitempty"`
}

// UpdateTicket applies a patch; every field that really changes is one event
// of the ticket's history, written in the same transaction.
func (d *Desk) UpdateTicket(ctx context.Context, actor Actor, id int64, p TicketPatch) (Ticket, error) {
	if err := p.check(); err != nil {
		return Ticket{}, err
	}
	now := d.Now()
	var t Ticket
	var events []Event
	err := d.store.Write(ctx, func(tx Tx) error {
		var err error
		if t, err = tx.TicketByID(ctx, id); err != nil {
			return err
		}
		if p.AssigneeID != nil && *p.AssigneeID != 0 && *p.AssigneeID != t.AssigneeID {
			a, err := tx.AgentByID(ctx, *p.AssigneeID)
			if IsNotFound(err) || (err == nil && !a.Active) {
				return Invalid("assignee_id", "responsable inconnu ou désactivé")
			}
			if err != nil {
				return err
			}
		}
		old := t.Status
		events = p.apply(&t, actor, now)
		if p.Deadline != nil && t.Status != StatusWaitingAdmin {
			return Invalid("deadline", "aucun délai ne court : le ticket n'attend pas d'action d'un ADV (%s)", t.Status)
		}
		if t.Status == StatusWaitingAdmin && old != StatusWaitingAdmin && p.Deadline == nil {
			ch, err := tx.ChannelByID(ctx, t.ChannelID)
			if err != nil {
				return err
			}
			dl, err := d.startDeadline(ctx, tx, ch, &t, now)
			if err != nil {
				return err
			}
			events = append(events, dl)
		}
		if len(events) == 0 {
			return nil
		}
		if err := saveTicket(ctx, tx, &t, events, p.Problem != nil || p.RealEmail != nil); err != nil {
			return err
		}
		return rememberRealEmail(ctx, tx, t, p.RealEmail)
	})
	if err != nil {
		return Ticket{}, err
	}
	d.notifyEvents(actor, events)
	return t, nil
}

// CloseTicket closes a ticket, recording who and when.
func (d *Desk) CloseTicket(ctx context.Context, actor Actor, id int64) (Ticket, error) {
	s := StatusClosed
	return d.UpdateTicket(ctx, actor, id, TicketPatch{Status: &s})
}

// ReopenTicket puts a closed ticket back in the ADVs' hands.
func (d *Desk) ReopenTicket(ctx context.Context, actor Actor, id int64) (Ticket, error) {
	s := StatusWaitingAdmin
	return d.UpdateTicket(ctx, actor, id, TicketPatch{Status: &s})
}

func (p *TicketPatch) check() error {
	if p.Status != nil && !p.Status.Valid() {
		return Invalid("status", "statut inconnu : %q", *p.Status)
	}
	if p.Priority != nil && !p.Priority.Valid() {
		return Invalid("priority", "priorité inconnue : %q (P1 ou P2)", *p.Priority)
	}
	if p.AssigneeID != nil && *p.AssigneeID < 0 {
		return Invalid("assignee_id", "responsable inconnu")
	}
	if p.Deadline != nil && p.Deadline.IsZero() {
		return Invalid("deadline", "date obligatoire")
	}
	var err error
	if p.Problem != nil {
		s, err := checkLine("customer_problem", *p.Problem, maxLine, false)
		if err != nil {
			return err
		}
		p.Problem = &s
	}
	if p.RealEmail != nil {
		s, err := checkEmail("real_email", *p.RealEmail)
		if err != nil {
			return err
		}
		p.RealEmail = &s
	}
	if p.DeliveryDate != nil {
		s := *p.DeliveryDate
		if err = validDate(s); err != nil {
			return Invalid("delivery_date", "%v", err)
		}
	}
	return nil
}

// apply changes t and returns one event per field that changed.
func (p *TicketPatch) apply(t *Ticket, actor Actor, now time.Time) []Event {
	var events []Event
	add := func(kind EventKind, old, new string) {
		if old != new {
			events = append(events, Event{TicketID: t.ID, At: now, AgentID: actor.AgentID, ActorName: actor.Name, Kind: kind, Old: old, New: new})
		}
	}
	if p.Status != nil && *p.Status != t.Status {
		add(EventStatus, string(t.Status), string(*p.Status))
		events = append(events, setStatus(t, *p.Status, actor, actor.Name, now)...)
	}
	if p.Priority != nil {
		add(EventPriority, string(t.Priority), string(*p.Priority))
		t.Priority = *p.Priority
	}
	if p.AssigneeID != nil {
		add(EventAssignee, idText(t.AssigneeID), idText(*p.AssigneeID))
		t.AssigneeID = *p.AssigneeID
	}
	if p.Deadline != nil {
		dl := p.Deadline.Truncate(time.Millisecond).UTC()
		add(EventDeadline, timeText(t.Deadline), timeText(dl))
		t.Deadline = dl
	}
	if p.Problem != nil {
		add(EventProblem, t.Problem, *p.Problem)
		t.Problem = *p.Problem
	}
	if p.RealEmail != nil {
		add(EventRealEmail, t.RealEmail, *p.RealEmail)
		t.RealEmail = *p.RealEmail
	}
	if p.DeliveryDate != nil {
		add(EventDeliveryDate, t.DeliveryDate, *p.DeliveryDate)
		t.DeliveryDate = *p.DeliveryDate
	}
	if len(events) > 0 {
		t.LastActivityAt = now
	}
	return events
}

// setStatus moves t to s, keeping the closing fields and the time it waits
// for the customer right, and stops its deadline when no ADV must act: it
// returns that deadline's event, by actorName. Moving to waiting_admin is
// followed by startDeadline.
func setStatus(t *Ticket, s Status, actor Actor, actorName string, now time.Time) []Event {
	if s == StatusClosed && t.Status != StatusClosed {
		t.ClosedAt, t.ClosedBy = now, actor.AgentID
	}
	if s != StatusClosed {
		t.ClosedAt, t.ClosedBy = time.Time{}, 0
	}
	if s == StatusWaitingCustomer && t.Status != StatusWaitingCustomer {
		t.WaitingSince = now
	}
	if s != StatusWaitingCustomer {
		t.WaitingSince = time.Time{}
	}
	t.Status = s
	return stopDeadline(t, actor, actorName, now)
}

// saveTicket writes t, its events and, when asked, its search entry.
func saveTicket(ctx context.Context, tx saveTx, t *Ticket, events []Event, reindex bool) error {
	if err := tx.UpdateTicket(ctx, t); err != nil {
		return err
	}
	for i := range events {
		if err := tx.InsertEvent(ctx, &events[i]); err != nil {
			return err
		}
	}
	if reindex {
		return tx.IndexTicket(ctx, t.ID)
	}
	return nil
}

func (d *Desk) notifyEvents(actor Actor, events []Event) {
	changes := make([]Change, len(events))
	for i, e := range events {
		changes[i] = Change{TicketID: e.TicketID, Kind: e.Kind, AgentID: actor.AgentID}
	}
	d.notify(changes...)
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return TicketNumber(id)
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
