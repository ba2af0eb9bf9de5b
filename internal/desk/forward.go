package desk

import (
	"context"
	"fmt"
	"strings"
)

// EventForwarded records in a ticket's history that an agent handed it to
// another (New: the other agent's name).
const EventForwarded EventKind = "forwarded"

// ForwardInput hands a ticket to another agent (« Transférer cette
// discussion à l'employé »), or sends it by email to someone outside.
type ForwardInput struct {
	TicketID int64
	AgentID  int64  // to an agent; or
	Email    string // to someone outside
	Comment  string
	Assign   bool // the agent becomes the ticket's responsible
}

// ForwardTicket hands a ticket to another agent, who gets a notification
// (by email too when they asked for it), and, with Assign, becomes its
// responsible; or, with Email, queues the ticket's conversation with the
// comment for someone outside, through the ticket's email channel or the
// desk's sending one. Either way the ticket's history records it.
func (d *Desk) ForwardTicket(ctx context.Context, actor Actor, in ForwardInput) error {
	if actor.AgentID == 0 {
		return Errorf(EForbidden, "réservé aux agents")
	}
	comment, err := checkBody("comment", in.Comment, 8<<10)
	if err != nil {
		return err
	}
	if in.AgentID == 0 {
		return d.forwardOutside(ctx, actor, in.TicketID, in.Email, comment)
	}
	if in.AgentID == actor.AgentID {
		return Invalid("agent_id", "choisissez un autre agent que vous-même")
	}
	now := d.Now()
	var events []Event
	var n Notification
	err = d.store.Write(ctx, func(tx Tx) error {
		events = nil
		t, err := tx.TicketByID(ctx, in.TicketID)
		if err != nil {
			return err
		}
		to, err := tx.AgentByID(ctx, in.AgentID)
		if IsNotFound(err) || (err == nil && !to.Active) {
			return Invalid("agent_id", "agent inconnu ou désactivé")
		}
		if err != nil {
			return err
		}
		if in.Assign {
			id := to.ID
			events = (&TicketPatch{AssigneeID: &id}).apply(&t, actor, now)
		}
		events = append(events, Event{TicketID: t.ID, At: now, AgentID: actor.AgentID, ActorName: actor.Name, Kind: EventForwarded, New: to.Name})
		if err := saveTicket(ctx, tx, &t, events, false); err != nil {
			return err
		}
		// The notification in the same transaction: a forward is never
		// recorded without its addressee being told.
		text := fmt.Sprintf("%s vous a transféré le ticket %s", actor.Name, t.Number)
		if comment != "" {
			text += " : " + strings.Join(strings.Fields(comment), " ")
		}
		n = Notification{AgentID: to.ID, TicketID: t.ID, Kind: "forward", Text: clip(text, 500), ByName: actor.Name,
			EmailState: "pending", CreatedAt: now}
		return tx.InsertNotification(ctx, &n)
	})
	if err != nil {
		return err
	}
	d.notifyEvents(actor, events)
	d.notify(Change{TicketID: n.TicketID, Kind: EventNotified, AgentID: n.AgentID})
	return nil
}

func (d *Desk) forwardOutside(ctx context.Context, actor Actor, ticketID int64, address, comment string) error {
	to, err := checkEmail("email", address)
	if err != nil {
		return err
	}
	if to == "" {
		return Invalid("email", "choisissez un agent ou donnez une adresse email")
	}
	now := d.Now()
	var events []Event
	err = d.store.Write(ctx, func(tx Tx) error {
		events = nil
		t, err := tx.TicketByID(ctx, ticketID)
		if err != nil {
			return err
		}
		ch, err := sendingChannel(ctx, tx, t.ChannelID)
		if err != nil {
			return err
		}
		ms, err := tx.Messages(ctx, t.ID)
		if err != nil {
			return err
		}
		e := OutgoingEmail{ChannelID: ch.ID, TicketID: t.ID, To: []string{to},
			Subject: forwardSubject(t), Body: forwardBody(actor, t, comment, ms)}
		for _, m := range ms {
			for _, a := range m.Attachments {
				if !m.Internal && len(e.Files) < maxFiles {
					e.Files = append(e.Files, EmailFile{Name: a.Name, ContentType: a.ContentType, BlobKey: a.BlobKey})
				}
			}
		}
		if err := d.queueEmail(ctx, tx, &e); err != nil {
			return err
		}
		ev := Event{TicketID: t.ID, At: now, AgentID: actor.AgentID, ActorName: actor.Name, Kind: EventEmailed, New: to}
		events = append(events, ev)
		return tx.InsertEvent(ctx, &ev)
	})
	if err == nil {
		d.notifyEvents(actor, events)
	}
	return err
}

func forwardSubject(t Ticket) string {
	s := "Ticket " + t.Number
	if t.OrderRef != "" {
		s += " – commande " + t.OrderRef
	}
	if t.Subject != "" {
		s += " – " + t.Subject
	}
	return clip(s, maxLine)
}

// forwardBody is the comment, then the conversation, oldest first, without
// the internal notes.
func forwardBody(actor Actor, t Ticket, comment string, ms []Message) string {
	var b strings.Builder
	if comment != "" {
		b.WriteString(comment + "\n\n")
	}
	fmt.Fprintf(&b, "-- %s vous transfère le ticket %s", actor.Name, t.Number)
	if t.OrderRef != "" {
		fmt.Fprintf(&b, " (commande %s)", t.OrderRef)
	}
	b.WriteString(" --\n")
	for _, m := range ms {
		if m.Internal {
			continue
		}
		fmt.Fprintf(&b, "\n%s, %s :\n%s\n", or(m.AuthorName, string(m.AuthorKind)), m.CreatedAt.Format("02/01/2006 15:04"), m.Body)
		if b.Len() > maxBody {
			break
		}
	}
	return b.String()
}

// NotifyByEmail says whether the actor gets their notifications by email.
func (d *Desk) NotifyByEmail(ctx context.Context, actor Actor) (bool, error) {
	if actor.AgentID == 0 {
		return false, Errorf(EForbidden, "réservé aux agents")
	}
	var on bool
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		on, err = tx.AgentNotifyByEmail(ctx, actor.AgentID)
		return err
	})
	return on, err
}

// SetNotifyByEmail sets the actor's « recevoir mes notifications par email ».
func (d *Desk) SetNotifyByEmail(ctx context.Context, actor Actor, on bool) error {
	if actor.AgentID == 0 {
		return Errorf(EForbidden, "réservé aux agents")
	}
	return d.store.Write(ctx, func(tx Tx) error { return tx.SetAgentNotifyByEmail(ctx, actor.AgentID, on) })
}

// QueueNotificationEmails turns pending notifications into emails for the
// agents who want them by email (the others' go back to app only); it
// returns how many it queued. Run by a worker.
func (d *Desk) QueueNotificationEmails(ctx context.Context, limit int) (int, error) {
	queued := 0
	err := d.store.Write(ctx, func(tx Tx) error {
		queued = 0
		ns, err := tx.PendingNotificationEmails(ctx, limit)
		if err != nil || len(ns) == 0 {
			return err
		}
		var ch Channel
		for _, n := range ns {
			a, err := tx.AgentByID(ctx, n.AgentID)
			if err != nil {
				return err
			}
			wants, err := tx.AgentNotifyByEmail(ctx, n.AgentID)
			if err != nil {
				return err
			}
			if !wants || !a.Active {
				if err := tx.SetNotificationEmailState(ctx, n.ID, ""); err != nil {
					return err
				}
				continue
			}
			if ch.ID == 0 {
				if ch, err = sendingChannel(ctx, tx, 0); ErrorCode(err) == EConflict {
					return nil // no email channel yet: they stay pending
				} else if err != nil {
					return err
				}
			}
			body := n.Text
			if n.TicketID != 0 {
				body += "\n\nTicket " + TicketNumber(n.TicketID)
			}
			e := OutgoingEmail{ChannelID: ch.ID, TicketID: n.TicketID, NotificationID: n.ID, To: []string{a.Email},
				Subject: clip("[guichet] "+n.Text, 200), Body: body}
			if err := d.queueEmail(ctx, tx, &e); err != nil {
				return err
			}
			queued++
		}
		return nil
	})
	return queued, err
}
