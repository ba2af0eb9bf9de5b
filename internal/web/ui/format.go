package ui

import (
	"fmt"
	"time"

	"guichet/internal/desk"
)

// paris is the time zone of the team: every date shown is in it.
var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

const (
	dateTimeLayout = "02/01/2006 15:04"
	dateLayout     = "02/01/2006"
	inputDateTime  = "2006-01-02T15:04" // <input type="datetime-local">
)

func showTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(paris).Format(dateTimeLayout)
}

// shortTime is a message's time: the hour today, the date otherwise.
func shortTime(t, now time.Time) string {
	lt, ln := t.In(paris), now.In(paris)
	if lt.YearDay() == ln.YearDay() && lt.Year() == ln.Year() {
		return lt.Format("15:04")
	}
	return lt.Format(dateTimeLayout)
}

// deadlineLabel says how long is left ("dans 3 h") or how late the ticket is
// ("en retard de 5 h", with the class "late" that shows it in red).
type deadlineLabel struct {
	Text  string
	Class string // "late", "soon" (under 4 h), "" or "muted" (not waiting for us)
	Title string // the exact date
}

func deadlineOf(tr translator, t desk.Ticket, now time.Time) deadlineLabel {
	if t.Deadline.IsZero() || t.Status == desk.StatusClosed {
		return deadlineLabel{Text: "—", Class: "muted"}
	}
	l := deadlineLabel{Title: showTime(t.Deadline)}
	left := t.Deadline.Sub(now)
	switch {
	case left < 0:
		l.Text = tr.T("deadline.late", span(tr, -left))
		l.Class = "late"
	default:
		l.Text = tr.T("deadline.in", span(tr, left))
		if left < 4*time.Hour {
			l.Class = "soon"
		}
	}
	if t.Status != desk.StatusWaitingAdmin { // the clock is paused while the customer must act
		l.Class = "muted"
	}
	return l
}

// span is a rounded duration: minutes under an hour, hours under two days, then days.
func span(tr translator, d time.Duration) string {
	switch {
	case d < time.Hour:
		return tr.T("unit.min", max(1, int(d.Minutes())))
	case d < 48*time.Hour:
		return tr.T("unit.hours", int(d.Hours()))
	}
	return tr.T("unit.days", int(d.Hours()/24))
}

func sizeText(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d o", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d Ko", (n+512)/1024)
	}
	return fmt.Sprintf("%.1f Mo", float64(n)/(1024*1024))
}
