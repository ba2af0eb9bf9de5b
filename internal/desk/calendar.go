package desk

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"guichet/internal/deadline"
)

// CalendarTx reads and stores calendars.
type CalendarTx interface {
	Calendars(ctx context.Context) ([]Calendar, error)
	CalendarByID(ctx context.Context, id int64) (Calendar, error)
	InsertCalendar(ctx context.Context, c *Calendar) error
	UpdateCalendar(ctx context.Context, c *Calendar) error
}

// Calendar is when the company works, as a channel counts its deadlines:
// a time zone, opening hours per weekday, public holidays and closures.
type Calendar struct {
	ID        int64              `json:"id"`
	Name      string             `json:"name"`
	TimeZone  string             `json:"time_zone"`
	Hours     [7]string          `json:"hours"`   // Sunday first: "09:00-12:00, 14:00-18:00"
	Country   string             `json:"country"` // public holidays: deadline.Countries
	Closures  []deadline.Closure `json:"closures"`
	UpdatedAt time.Time          `json:"updated_at"`
}

// Spec is the calendar in the deadline package's terms.
func (c Calendar) Spec() deadline.Spec {
	return deadline.Spec{TimeZone: c.TimeZone, Hours: c.Hours, Country: c.Country, Closures: c.Closures}
}

// Check reports what is wrong with a stored calendar, for the admin.
func (c Calendar) Check() error {
	_, err := deadline.New(c.Spec())
	return err
}

// Calendars lists the calendars, by name.
func (d *Desk) Calendars(ctx context.Context) ([]Calendar, error) {
	var cs []Calendar
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		cs, err = tx.Calendars(ctx)
		return err
	})
	return cs, err
}

// Calendar returns one calendar.
func (d *Desk) Calendar(ctx context.Context, id int64) (Calendar, error) {
	var c Calendar
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		c, err = tx.CalendarByID(ctx, id)
		return err
	})
	return c, err
}

// SaveCalendar creates a calendar (ID 0) or updates one. Admins only. The
// deadlines already set stay; the next ones are counted on the new hours.
func (d *Desk) SaveCalendar(ctx context.Context, actor Actor, c Calendar) (Calendar, error) {
	if err := requireAdmin(actor); err != nil {
		return Calendar{}, err
	}
	var err error
	if c.Name, err = checkLine("name", c.Name, maxNameChars, true); err != nil {
		return Calendar{}, err
	}
	c.TimeZone, c.Country = strings.TrimSpace(c.TimeZone), strings.TrimSpace(c.Country)
	for i := range c.Hours {
		if c.Hours[i], err = checkLine("hours", c.Hours[i], maxLine, false); err != nil {
			return Calendar{}, err
		}
		rs, err := deadline.ParseRanges(c.Hours[i])
		if err != nil {
			return Calendar{}, Invalid(fmt.Sprintf("hours.%d", i), "%v", err)
		}
		c.Hours[i] = rangesText(rs)
	}
	if len(c.Closures) > 100 {
		return Calendar{}, Invalid("closures", "100 fermetures au plus")
	}
	for i := range c.Closures {
		if c.Closures[i].Label, err = checkLine("closures", c.Closures[i].Label, maxLine, false); err != nil {
			return Calendar{}, err
		}
	}
	if err := c.Check(); err != nil {
		return Calendar{}, Invalid(calendarField(err), "%v", err)
	}
	if c.Closures == nil {
		c.Closures = []deadline.Closure{}
	}
	c.UpdatedAt = d.Now()
	err = d.store.Write(ctx, func(tx Tx) error {
		if c.ID == 0 {
			return tx.InsertCalendar(ctx, &c)
		}
		if _, err := tx.CalendarByID(ctx, c.ID); err != nil {
			return err
		}
		return tx.UpdateCalendar(ctx, &c)
	})
	return c, err
}

func calendarField(err error) string {
	switch s := err.Error(); {
	case strings.HasPrefix(s, "fuseau"):
		return "time_zone"
	case strings.HasPrefix(s, "jours fériés"):
		return "country"
	case strings.HasPrefix(s, "fermeture"):
		return "closures"
	}
	return "hours"
}

func rangesText(rs []deadline.Range) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return strings.Join(parts, ", ")
}

// calendars keeps the checked calendars, by id and version, so that
// counting a deadline reads one row and parses nothing.
type calendarCache struct {
	mu sync.Mutex
	m  map[int64]cachedCalendar
}

type cachedCalendar struct {
	version time.Time
	cal     *deadline.Calendar
}

func (cc *calendarCache) get(c Calendar) (*deadline.Calendar, error) {
	cc.mu.Lock()
	hit, ok := cc.m[c.ID]
	cc.mu.Unlock()
	if ok && hit.version.Equal(c.UpdatedAt) {
		return hit.cal, nil
	}
	cal, err := deadline.New(c.Spec())
	if err != nil {
		return nil, err
	}
	cc.mu.Lock()
	if cc.m == nil {
		cc.m = map[int64]cachedCalendar{}
	}
	cc.m[c.ID] = cachedCalendar{c.UpdatedAt, cal}
	cc.mu.Unlock()
	return cal, nil
}

// defaultCalendarID is the calendar a new channel gets: a German one for
// Kaufland, else a French one, else the first.
func defaultCalendarID(cs []Calendar, kind ChannelKind) int64 {
	want := "fr"
	if kind == ChannelKaufland {
		want = "de"
	}
	for _, c := range cs {
		if c.Country == want || strings.HasPrefix(c.Country, want+"-") {
			return c.ID
		}
	}
	if len(cs) > 0 {
		return cs[0].ID
	}
	return 0
}

// checkChannelCalendar gives a channel without a calendar the default one,
// and refuses one that does not exist.
func checkChannelCalendar(ctx context.Context, tx CalendarTx, c *Channel) error {
	if c.CalendarID != 0 {
		if _, err := tx.CalendarByID(ctx, c.CalendarID); IsNotFound(err) {
			return Invalid("calendar_id", "calendrier inconnu")
		} else if err != nil {
			return err
		}
		return nil
	}
	cs, err := tx.Calendars(ctx)
	if err != nil {
		return err
	}
	c.CalendarID = defaultCalendarID(cs, c.Kind)
	return nil
}

// Languages are those of the automatic messages; French is the fallback.
var Languages = []string{"fr", "de", "en", "it", "es", "nl"}

func validLanguage(l string) bool {
	for _, x := range Languages {
		if x == l {
			return true
		}
	}
	return false
}
