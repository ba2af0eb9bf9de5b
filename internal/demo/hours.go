package demo

import (
	"strconv"
	"time"
)

// The ADVs work on business days, 8:30–12:30 and 13:30–18:00 in Paris:
// replies at three in the morning would give the demo away.
const (
	morningStart = 8*time.Hour + 30*time.Minute
	lunchStart   = 12*time.Hour + 30*time.Minute
	lunchEnd     = 13*time.Hour + 30*time.Minute
	eveningEnd   = 18 * time.Hour
)

// officeTime is t when an ADV is at work then, else a moment soon after the
// next working slot opens.
func (g *generator) officeTime(t time.Time) time.Time {
	loc := g.cal.Location()
	l := t.In(loc)
	for range 30 {
		day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
		at := func(d time.Duration) time.Time {
			return time.Date(day.Year(), day.Month(), day.Day(), int(d.Hours()), int(d.Minutes())%60, 0, 0, loc)
		}
		if g.cal.WorkingDay(day) {
			switch {
			case l.Before(at(morningStart)):
				return at(morningStart).Add(g.between(2*time.Minute, 50*time.Minute))
			case l.Before(at(lunchStart)):
				return l
			case l.Before(at(lunchEnd)):
				return at(lunchEnd).Add(g.between(2*time.Minute, 30*time.Minute))
			case l.Before(at(eveningEnd)):
				return l
			}
		}
		l = day.AddDate(0, 0, 1)
	}
	return l
}

// wakingTime is t when customers write (7:00–23:30, every day), else the
// next morning.
func (g *generator) wakingTime(t time.Time) time.Time {
	loc := g.cal.Location()
	l := t.In(loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	wake := time.Date(l.Year(), l.Month(), l.Day(), 7, 0, 0, 0, loc)
	sleep := time.Date(l.Year(), l.Month(), l.Day(), 23, 30, 0, 0, loc)
	switch {
	case l.Before(wake):
		return wake.Add(g.between(time.Minute, 3*time.Hour))
	case l.After(sleep):
		next := day.AddDate(0, 0, 1)
		return time.Date(next.Year(), next.Month(), next.Day(), 7, 0, 0, 0, loc).Add(g.between(time.Minute, 3*time.Hour))
	}
	return l
}

// agentDelay is how long an ADV takes to act on a ticket, before office hours
// are applied. Most are quick; a few are forgotten for days: the overdue ones.
func (g *generator) agentDelay() time.Duration {
	switch r := g.rng.Float64(); {
	case r < 0.68:
		return g.between(10*time.Minute, 5*time.Hour)
	case r < 0.93:
		return g.between(5*time.Hour, 30*time.Hour)
	default:
		return g.between(50*time.Hour, 140*time.Hour)
	}
}

// customerDelay is how long a customer takes to answer.
func (g *generator) customerDelay() time.Duration {
	switch r := g.rng.Float64(); {
	case r < 0.35:
		return g.between(10*time.Minute, 3*time.Hour)
	case r < 0.75:
		return g.between(3*time.Hour, 30*time.Hour)
	default:
		return g.between(30*time.Hour, 120*time.Hour)
	}
}

// soon is a moment later for a step that follows another at once.
func (g *generator) soon() time.Duration { return g.between(time.Minute, 12*time.Minute) }

func itoa(n int) string { return strconv.Itoa(n) }
