// Package deadline computes when a ticket must be answered, as each
// marketplace counts it: around the clock (Amazon: 24 h, weekends included),
// on working days (Kaufland: 48 h, weekends and public holidays not counted)
// or in the seller's opening hours. A Calendar holds a time zone, opening
// hours per weekday, a country's public holidays and the company's closures.
// The package imports nothing of guichet.
package deadline

import (
	"fmt"
	"strconv"
	"strings"
)

// Mode is how the hours of a policy are counted.
type Mode string

const (
	Clock        Mode = "clock"         // every hour, nights, weekends and holidays included
	WorkingDays  Mode = "working_days"  // every hour of the days the calendar opens
	OpeningHours Mode = "opening_hours" // only the calendar's opening hours
)

// Modes lists the modes in the order they are offered.
var Modes = []Mode{Clock, WorkingDays, OpeningHours}

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return m == Clock || m == WorkingDays || m == OpeningHours }

// Policy is a channel's answer delay: Hours counted as Mode says.
type Policy struct {
	Mode  Mode
	Hours int
}

// Default is used for channels that say nothing: 48 hours of working days.
var Default = Policy{Mode: WorkingDays, Hours: 48}

// MaxHours bounds a policy: 90 days.
const MaxHours = 24 * 90

// ParsePolicy reads "48h working_days", "24h clock", "8h opening_hours", the
// older "48h business" and "24h" (around the clock), or "" (the default).
func ParsePolicy(s string) (Policy, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return Default, nil
	}
	fields := strings.Fields(s)
	if len(fields) > 2 || !strings.HasSuffix(fields[0], "h") {
		return Policy{}, fmt.Errorf("délai %q : attendu par exemple « 48h working_days », « 24h clock » ou « 8h opening_hours »", s)
	}
	n, err := strconv.Atoi(strings.TrimSuffix(fields[0], "h"))
	if err != nil || n <= 0 || n > MaxHours {
		return Policy{}, fmt.Errorf("délai %q : nombre d'heures entre 1 et %d", s, MaxHours)
	}
	p := Policy{Mode: Clock, Hours: n}
	if len(fields) == 2 {
		switch fields[1] {
		case "clock", "calendaires":
			p.Mode = Clock
		case "working_days", "business", "ouvrées", "ouvrables":
			p.Mode = WorkingDays
		case "opening_hours", "ouverture":
			p.Mode = OpeningHours
		default:
			return Policy{}, fmt.Errorf("délai %q : après le nombre d'heures, « clock », « working_days » ou « opening_hours »", s)
		}
	}
	return p, nil
}

// String is the form ParsePolicy reads.
func (p Policy) String() string { return fmt.Sprintf("%dh %s", p.Hours, p.Mode) }
