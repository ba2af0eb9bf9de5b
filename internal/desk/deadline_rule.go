package desk

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/deadline"
)

// calendarReader is what counting a channel's deadline reads.
type calendarReader interface {
	CalendarByID(ctx context.Context, id int64) (Calendar, error)
}

// channelClock is a channel's deadline policy on its calendar. Problem is
// set when the stored policy or calendar is wrong: the deadline is then
// counted on the defaults (48 h of French working days), and the history
// and the admin's page say why.
type channelClock struct {
	policy   deadline.Policy
	calendar *deadline.Calendar
	calName  string
	problem  string
}

func (d *Desk) clockOf(ctx context.Context, tx calendarReader, ch Channel) (channelClock, error) {
	c := channelClock{calendar: d.calendar, calName: "France"}
	var err error
	if c.policy, err = deadline.ParsePolicy(ch.DeadlinePolicy); err != nil {
		c.policy, c.problem = deadline.Default, fmt.Sprintf("délai du canal invalide : %v", err)
	}
	if ch.CalendarID == 0 {
		return c, nil
	}
	cal, err := tx.CalendarByID(ctx, ch.CalendarID)
	if IsNotFound(err) {
		c.problem = join(c.problem, "calendrier du canal introuvable")
		return c, nil
	}
	if err != nil {
		return c, err
	}
	compiled, err := d.calendars.get(cal)
	if err != nil {
		c.problem = join(c.problem, fmt.Sprintf("calendrier « %s » invalide : %v", cal.Name, err))
		return c, nil
	}
	c.calendar, c.calName = compiled, cal.Name
	return c, nil
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + " ; " + b
}

// rule names what set a deadline, for the history.
func (c channelClock) rule(ch Channel) string {
	s := fmt.Sprintf("Règle du canal %s : %s, calendrier %s", ch.Name, PolicyText(c.policy), c.calName)
	if c.problem != "" {
		s = fmt.Sprintf("Règle par défaut (%s) : %s, calendrier %s", c.problem, PolicyText(c.policy), c.calName)
	}
	return clip(s, maxLine)
}

// PolicyText is a policy as people read it: « 48 h de jours ouvrés ».
func PolicyText(p deadline.Policy) string {
	switch p.Mode {
	case deadline.WorkingDays:
		return fmt.Sprintf("%d h de jours ouvrés", p.Hours)
	case deadline.OpeningHours:
		return fmt.Sprintf("%d h d'ouverture", p.Hours)
	}
	return fmt.Sprintf("%d h calendaires", p.Hours)
}

// startDeadline sets t's deadline from the channel's rule, counted from at,
// and returns the history's event naming the rule.
func (d *Desk) startDeadline(ctx context.Context, tx calendarReader, ch Channel, t *Ticket, at time.Time) (Event, error) {
	c, err := d.clockOf(ctx, tx, ch)
	if err != nil {
		return Event{}, err
	}
	old := t.Deadline
	t.Deadline = c.calendar.Due(at, c.policy).Truncate(time.Millisecond)
	return Event{TicketID: t.ID, At: at, ActorName: c.rule(ch), Kind: EventDeadline, Old: timeText(old), New: timeText(t.Deadline)}, nil
}

// stopDeadline clears the deadline of a ticket no ADV must act on: while it
// waits for the customer, or once closed, nothing runs and nothing is late.
func stopDeadline(t *Ticket, actor Actor, actorName string, now time.Time) []Event {
	if t.Status == StatusWaitingAdmin || t.Deadline.IsZero() {
		return nil
	}
	old := t.Deadline
	t.Deadline = time.Time{}
	return []Event{{TicketID: t.ID, At: now, AgentID: actor.AgentID, ActorName: actorName, Kind: EventDeadline, Old: timeText(old)}}
}

// DeadlineProblems says, per channel, what is wrong with its stored
// deadline policy or calendar (none: the channel is absent).
func (d *Desk) DeadlineProblems(ctx context.Context) (map[int64]string, error) {
	out := map[int64]string{}
	err := d.store.Read(ctx, func(tx Tx) error {
		chs, err := tx.Channels(ctx)
		if err != nil {
			return err
		}
		for _, ch := range chs {
			c, err := d.clockOf(ctx, tx, ch)
			if err != nil {
				return err
			}
			if c.problem != "" {
				out[ch.ID] = c.problem
			}
		}
		return nil
	})
	return out, err
}

// ChannelCalendar is the calendar a channel counts on, checked (the
// built-in French one when the channel has none or its own is wrong).
func (d *Desk) ChannelCalendar(ctx context.Context, ch Channel) (*deadline.Calendar, deadline.Policy, error) {
	var c channelClock
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		c, err = d.clockOf(ctx, tx, ch)
		return err
	})
	return c.calendar, c.policy, err
}
