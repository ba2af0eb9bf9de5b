package deadline

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // calendars name their zone, wherever guichet runs

	"github.com/rickar/cal/v2"
)

// Range is one opening period of a day, in minutes after midnight, wall
// clock: {540, 720} is 09:00–12:00.
type Range struct{ From, To int }

func (r Range) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", r.From/60, r.From%60, r.To/60, r.To%60)
}

// Closure is a period the company is closed, days included, in the
// calendar's zone: « fermeture du 24 au 26 décembre ».
type Closure struct {
	From, To string // YYYY-MM-DD
	Label    string
}

// Spec is a calendar as an admin writes it and as it is stored.
type Spec struct {
	TimeZone string    // IANA, e.g. "Europe/Paris"
	Hours    [7]string // per time.Weekday (Sunday first): "09:00-12:00, 14:00-18:00", "" closed
	Country  string    // holiday set, see Countries ("" none)
	Closures []Closure
}

// Calendar is a checked Spec, ready to count. It is safe for concurrent use.
type Calendar struct {
	loc      *time.Location
	hours    [7][]Range
	holidays *cal.Calendar
	closed   []dayRange
}

type dayRange struct{ from, to civil }

// civil is a date without a zone, comparable.
type civil struct {
	y int
	m time.Month
	d int
}

func (a civil) before(b civil) bool {
	if a.y != b.y {
		return a.y < b.y
	}
	if a.m != b.m {
		return a.m < b.m
	}
	return a.d < b.d
}

// New checks a spec; each error is in French and names what is wrong.
func New(s Spec) (*Calendar, error) {
	c := &Calendar{holidays: &cal.Calendar{}}
	var err error
	if strings.TrimSpace(s.TimeZone) == "" {
		return nil, fmt.Errorf("fuseau horaire obligatoire (par exemple Europe/Paris)")
	}
	if c.loc, err = time.LoadLocation(strings.TrimSpace(s.TimeZone)); err != nil {
		return nil, fmt.Errorf("fuseau horaire inconnu : %q", s.TimeZone)
	}
	open := false
	for wd, text := range s.Hours {
		if c.hours[wd], err = ParseRanges(text); err != nil {
			return nil, fmt.Errorf("%s : %v", weekdayFR[wd], err)
		}
		open = open || len(c.hours[wd]) > 0
	}
	if !open {
		return nil, fmt.Errorf("horaires : au moins une plage d'ouverture dans la semaine")
	}
	country, ok := CountryByCode(s.Country)
	if !ok {
		return nil, fmt.Errorf("jours fériés : pays inconnu %q", s.Country)
	}
	c.holidays.AddHoliday(country.list...)
	for _, cl := range s.Closures {
		from, err1 := time.Parse(time.DateOnly, cl.From)
		to, err2 := time.Parse(time.DateOnly, cl.To)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("fermeture %q : dates attendues au format AAAA-MM-JJ", cl.Label)
		}
		if to.Before(from) {
			return nil, fmt.Errorf("fermeture %q : la fin (%s) précède le début (%s)", cl.Label, cl.To, cl.From)
		}
		if to.Sub(from) > 366*24*time.Hour {
			return nil, fmt.Errorf("fermeture %q : un an au plus", cl.Label)
		}
		c.closed = append(c.closed, dayRange{civilOf(from), civilOf(to)})
	}
	return c, nil
}

var weekdayFR = [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

// ParseRanges reads "09:00-12:00, 14:00-18:00" ("" is closed all day).
// Ranges are in order and do not overlap; "24:00" ends a day.
func ParseRanges(s string) ([]Range, error) {
	var out []Range
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, b, ok := strings.Cut(part, "-")
		from, err1 := parseClock(a)
		to, err2 := parseClock(b)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("plage %q : attendu par exemple « 09:00-12:00 »", part)
		}
		if to <= from {
			return nil, fmt.Errorf("plage %q : la fin doit suivre le début", part)
		}
		if len(out) > 0 && from < out[len(out)-1].To {
			return nil, fmt.Errorf("plage %q : les plages se suivent sans se chevaucher", part)
		}
		out = append(out, Range{from, to})
	}
	return out, nil
}

func parseClock(s string) (int, error) {
	var h, m int
	s = strings.TrimSpace(s)
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("bad clock")
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("bad clock")
	}
	return h*60 + m, nil
}

func civilOf(t time.Time) civil { y, m, d := t.Date(); return civil{y, m, d} }

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Holiday names the public holiday of t's day in the calendar's zone, or "".
func (c *Calendar) Holiday(t time.Time) string {
	actual, observed, h := c.holidays.IsHoliday(t.In(c.loc))
	if (actual || observed) && h != nil {
		return h.Name
	}
	return ""
}

// Closed reports whether t's day is in one of the company's closures.
func (c *Calendar) Closed(t time.Time) bool {
	d := civilOf(t.In(c.loc))
	for _, r := range c.closed {
		if !d.before(r.from) && !r.to.before(d) {
			return true
		}
	}
	return false
}

// WorkingDay reports whether t's day counts: the calendar opens that
// weekday, and it is neither a public holiday nor a closure.
func (c *Calendar) WorkingDay(t time.Time) bool {
	t = t.In(c.loc)
	return len(c.hours[t.Weekday()]) > 0 && c.Holiday(t) == "" && !c.Closed(t)
}

// Open reports whether t is within opening hours.
func (c *Calendar) Open(t time.Time) bool {
	for _, sp := range c.spans(t, OpeningHours) {
		if !t.Before(sp.from) && t.Before(sp.to) {
			return true
		}
	}
	return false
}

// span is a period of real time that counts.
type span struct{ from, to time.Time }

// spans are the periods of t's day (in the calendar's zone) that mode m
// counts. Wall-clock ranges become real instants, so a day that changes to
// or from summer time counts 23 or 25 hours, and an opening range keeps its
// wall-clock hours.
func (c *Calendar) spans(t time.Time, m Mode) []span {
	t = t.In(c.loc)
	y, mo, d := t.Date()
	day := time.Date(y, mo, d, 0, 0, 0, 0, c.loc)
	next := time.Date(y, mo, d+1, 0, 0, 0, 0, c.loc)
	switch m {
	case Clock:
		return []span{{day, next}}
	case WorkingDays:
		if c.WorkingDay(t) {
			return []span{{day, next}}
		}
		return nil
	}
	if !c.WorkingDay(t) {
		return nil
	}
	out := make([]span, 0, len(c.hours[t.Weekday()]))
	for _, r := range c.hours[t.Weekday()] {
		from := time.Date(y, mo, d, r.From/60, r.From%60, 0, 0, c.loc)
		to := time.Date(y, mo, d, r.To/60, r.To%60, 0, 0, c.loc)
		if r.To == 24*60 {
			to = next
		}
		if to.After(from) {
			out = append(out, span{from, to})
		}
	}
	return out
}

// maxDays bounds the walks: a policy holds at most 90 days of hours, and a
// calendar open one hour a week needs at most MaxHours weeks for them.
const maxDays = MaxHours * 7

// Due is the deadline of a message received at from under policy p: the
// instant when p.Hours counted as p.Mode have passed. It is in UTC.
func (c *Calendar) Due(from time.Time, p Policy) time.Time {
	left := time.Duration(p.Hours) * time.Hour
	if p.Mode == Clock || !p.Mode.Valid() {
		return from.Add(left).UTC()
	}
	t := from
	for range maxDays {
		for _, sp := range c.spans(t, p.Mode) {
			if !sp.to.After(from) {
				continue
			}
			start := sp.from
			if start.Before(from) {
				start = from
			}
			if avail := sp.to.Sub(start); left <= avail {
				return start.Add(left).UTC()
			} else {
				left -= avail
			}
		}
		t = c.nextDay(t)
	}
	return t.UTC()
}

// Counted is the time between from and to as mode m counts it: what has
// run of a deadline, or a first response's delay in the channel's counting.
func (c *Calendar) Counted(from, to time.Time, m Mode) time.Duration {
	if !to.After(from) {
		return 0
	}
	if m == Clock || !m.Valid() {
		return to.Sub(from)
	}
	var n time.Duration
	t := from
	for range maxDays {
		for _, sp := range c.spans(t, m) {
			a, b := sp.from, sp.to
			if a.Before(from) {
				a = from
			}
			if b.After(to) {
				b = to
			}
			if b.After(a) {
				n += b.Sub(a)
			}
		}
		t = c.nextDay(t)
		if !t.Before(to) {
			return n
		}
	}
	return n
}

// nextDay is the midnight that starts the day after t's, in the zone.
func (c *Calendar) nextDay(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, c.loc)
}

// France is a French calendar: Europe/Paris, open Monday to Friday 09:00–12:00
// and 14:00–18:00, French public holidays.
func France() *Calendar { return must(New(FranceSpec)) }

// Germany is a German calendar (Europe/Berlin, national holidays), the
// default of Kaufland channels.
func Germany() *Calendar { return must(New(GermanySpec)) }

var weekdays = [7]string{"", "09:00-12:00, 14:00-18:00", "09:00-12:00, 14:00-18:00", "09:00-12:00, 14:00-18:00", "09:00-12:00, 14:00-18:00", "09:00-12:00, 14:00-18:00", ""}

// FranceSpec and GermanySpec are the calendars guichet starts with.
var (
	FranceSpec  = Spec{TimeZone: "Europe/Paris", Hours: weekdays, Country: "fr"}
	GermanySpec = Spec{TimeZone: "Europe/Berlin", Hours: weekdays, Country: "de"}
)

func must(c *Calendar, err error) *Calendar {
	if err != nil {
		panic(err) // only for the built-in specs, checked by the tests
	}
	return c
}
