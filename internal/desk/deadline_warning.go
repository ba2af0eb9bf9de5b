package desk

import (
	"context"
	"fmt"
	"time"
)

// WarningTx finds the deadlines to warn about and remembers the warnings sent.
type WarningTx interface {
	// DueForWarning lists, soonest deadline first, up to limit tickets
	// waiting for an ADV whose deadline falls in (now, until] and whose
	// deadline was not warned about yet.
	DueForWarning(ctx context.Context, now, until time.Time, limit int) ([]Ticket, error)
	// MarkWarned records the warning of the ticket's deadline; false when it
	// was recorded already (by another process).
	MarkWarned(ctx context.Context, ticketID int64, deadline time.Time, agentID int64, at time.Time) (bool, error)
}

// NotificationDeadline is the kind of a deadline warning.
const NotificationDeadline = "deadline"

const warningBatch = 200

// WarnDeadlines tells the responsible ADV of each ticket waiting for an ADV
// (its assignee, or its channel's responsible) that its deadline is near, at
// the rules' lead time: once per ticket and deadline, across processes
// (a new deadline, after a customer's message, is warned about again).
// Tickets waiting for the customer have no running deadline: never warned.
// The notification is also to go by email (EmailState "pending") for the
// agents who want it. It returns how many were sent.
func (d *Desk) WarnDeadlines(ctx context.Context) (int, error) {
	sent := 0
	for {
		var ns []Notification
		more := false
		err := d.store.Write(ctx, func(tx Tx) error {
			ns, more = nil, false
			rules, err := serviceRules(ctx, tx)
			if err != nil || rules.WarningLead <= 0 {
				return err
			}
			now := d.Now()
			due, err := tx.DueForWarning(ctx, now, now.Add(rules.WarningLead), warningBatch)
			if err != nil || len(due) == 0 {
				return err
			}
			more = len(due) == warningBatch
			channels, err := tx.Channels(ctx)
			if err != nil {
				return err
			}
			byID := map[int64]Channel{}
			for _, c := range channels {
				byID[c.ID] = c
			}
			for _, t := range due {
				c := byID[t.ChannelID]
				agent := t.AssigneeID
				if agent == 0 {
					agent = c.ResponsibleID
				}
				// Nobody to tell is still recorded (agent 0): assigning the
				// ticket later does not bring back a warning that is late.
				ok, err := tx.MarkWarned(ctx, t.ID, t.Deadline, agent, now)
				if err != nil {
					return err
				}
				if !ok || agent == 0 {
					continue
				}
				n := Notification{AgentID: agent, TicketID: t.ID, Kind: NotificationDeadline,
					Text: warningText(t, c, now), CreatedAt: now, EmailState: "pending"}
				if err := tx.InsertNotification(ctx, &n); err != nil {
					return err
				}
				ns = append(ns, n)
			}
			return nil
		})
		if err != nil {
			return sent, err
		}
		sent += len(ns)
		for _, n := range ns {
			d.notify(Change{TicketID: n.TicketID, Kind: EventNotified, AgentID: n.AgentID})
		}
		if !more {
			return sent, nil
		}
	}
}

// warningText reads « Ticket 42 (Kaufland, commande 4711) : deadline à
// 14:30, dans 1 h 45 ».
func warningText(t Ticket, c Channel, now time.Time) string {
	where := c.Name
	if t.OrderRef != "" {
		where += ", commande " + t.OrderRef
	}
	left := t.Deadline.Sub(now).Round(time.Minute)
	h, m := int(left.Hours()), int(left.Minutes())%60
	in := fmt.Sprintf("%d min", m)
	if h > 0 {
		in = fmt.Sprintf("%d h %02d", h, m)
	}
	return fmt.Sprintf("Ticket %s (%s) : deadline le %s, dans %s", TicketNumber(t.ID), where,
		t.Deadline.In(paris()).Format("02/01 à 15:04"), in)
}
