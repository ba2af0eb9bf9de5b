// Package deadline computes when a ticket must be answered: a number of hours,
// either on the calendar or on business days only (weekends and public holidays
// skipped), as each marketplace counts them.
package deadline

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/fr"
)

// Policy is a channel's answer delay.
type Policy struct {
	Hours    int
	Business bool // count only hours of business days
}

// Default is used for channels that say nothing: two business days.
var Default = Policy{Hours: 48, Business: true}

// Parse reads "48h business", "24h" or "" (the default).
func Parse(s string) (Policy, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return Default, nil
	}
	fields := strings.Fields(s)
	if len(fields) > 2 || !strings.HasSuffix(fields[0], "h") {
		return Policy{}, fmt.Errorf("délai %q : attendu par exemple « 48h business » ou « 24h »", s)
	}
	n, err := strconv.Atoi(strings.TrimSuffix(fields[0], "h"))
	if err != nil || n <= 0 || n > 24*90 {
		return Policy{}, fmt.Errorf("délai %q : nombre d'heures entre 1 et 2160", s)
	}
	p := Policy{Hours: n}
	if len(fields) == 2 {
		if fields[1] != "business" && fields[1] != "ouvrées" && fields[1] != "ouvrables" {
			return Policy{}, fmt.Errorf("délai %q : seul « business » peut suivre le nombre d'heures", s)
		}
		p.Business = true
	}
	return p, nil
}

// String is the form Parse reads.
func (p Policy) String() string {
	if p.Business {
		return fmt.Sprintf("%dh business", p.Hours)
	}
	return fmt.Sprintf("%dh", p.Hours)
}

// Calendar knows the business days of one country in one time zone.
type Calendar struct {
	loc *time.Location
	bc  *cal.BusinessCalendar
}

// France is the calendar of French business days, in Europe/Paris.
func France() *Calendar {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		loc = time.UTC
	}
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(fr.Holidays...)
	return &Calendar{loc: loc, bc: bc}
}

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// IsBusinessDay reports whether the day of t is worked.
func (c *Calendar) IsBusinessDay(t time.Time) bool {
	return c.bc.IsWorkday(t.In(c.loc))
}

// Deadline is from plus the policy's hours. Business hours run only on business
// days: a message on Saturday with 48 business hours is due Tuesday midnight.
func (c *Calendar) Deadline(from time.Time, p Policy) time.Time {
	if !p.Business {
		return from.Add(time.Duration(p.Hours) * time.Hour)
	}
	t := from.In(c.loc)
	left := time.Duration(p.Hours) * time.Hour
	for range 3660 { // bounded: at most ten years of days
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.loc)
		next := day.AddDate(0, 0, 1)
		if c.bc.IsWorkday(day) {
			avail := next.Sub(t)
			if left <= avail {
				return t.Add(left)
			}
			left -= avail
		}
		t = next
	}
	return t
}
