package ui

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"guichet/internal/deadline"
	"guichet/internal/desk"
)

// adminCalendars manages the calendars deadlines are counted on: time
// zone, opening hours per weekday, public holidays, closures.
type adminCalendars struct {
	desk  *desk.Desk
	views *views
}

type calendarsData struct {
	page
	Calendars []calendarRow
}

type calendarRow struct {
	desk.Calendar
	Country  string
	Channels []string
	Problem  string // what is wrong with it, as stored
}

type calendarData struct {
	page
	Form      desk.Calendar
	Closures  string // one a line: "2026-12-24 2026-12-26 fermeture de Noël"
	Countries []deadline.Country
	Days      []calendarDay
	Errors    map[string]string
}

type calendarDay struct {
	Index int
	Label string
	Hours string
}

// weekOrder shows Monday first.
var weekOrder = []int{1, 2, 3, 4, 5, 6, 0}

func (h *adminCalendars) list(w http.ResponseWriter, r *http.Request, s session) error {
	cs, err := h.desk.Calendars(r.Context())
	if err != nil {
		return err
	}
	chs, err := h.desk.Channels(r.Context())
	if err != nil {
		return err
	}
	rows := make([]calendarRow, len(cs))
	for i, c := range cs {
		rows[i] = calendarRow{Calendar: c}
		if country, ok := deadline.CountryByCode(c.Country); ok {
			rows[i].Country = country.Name
		}
		if err := c.Check(); err != nil {
			rows[i].Problem = err.Error()
		}
		for _, ch := range chs {
			if ch.CalendarID == c.ID {
				rows[i].Channels = append(rows[i].Channels, ch.Name)
			}
		}
	}
	d := calendarsData{page: adminPage(r, h.desk, h.views, s, translator(s.lang()).T("admin.calendars"), "calendars"), Calendars: rows}
	d.Notice = noticeOf(r, s)
	h.views.render(w, r, http.StatusOK, s.lang(), "admin_calendars", d)
	return nil
}

func (h *adminCalendars) edit(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil {
		return err
	}
	form := desk.Calendar{TimeZone: deadline.FranceSpec.TimeZone, Hours: deadline.FranceSpec.Hours, Country: "fr"}
	if id != 0 {
		if form, err = h.desk.Calendar(r.Context(), id); err != nil {
			return err
		}
	}
	return h.render(w, r, s, http.StatusOK, form, closuresText(form.Closures), map[string]string{})
}

func (h *adminCalendars) render(w http.ResponseWriter, r *http.Request, s session, status int, form desk.Calendar, closures string, errs map[string]string) error {
	tr := translator(s.lang())
	title := tr.T("calendar.new")
	if form.ID != 0 {
		title = form.Name
	}
	d := calendarData{page: adminPage(r, h.desk, h.views, s, title, "calendars"), Form: form, Closures: closures,
		Countries: deadline.Countries, Errors: errs}
	for _, i := range weekOrder {
		d.Days = append(d.Days, calendarDay{Index: i, Label: tr.T(fmt.Sprintf("weekday.%d", i)), Hours: form.Hours[i]})
	}
	h.views.render(w, r, status, s.lang(), "admin_calendar", d)
	return nil
}

func (h *adminCalendars) save(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil {
		return err
	}
	c := desk.Calendar{ID: id, Name: r.PostFormValue("name"), TimeZone: r.PostFormValue("time_zone"), Country: r.PostFormValue("country")}
	for i := range c.Hours {
		c.Hours[i] = r.PostFormValue(fmt.Sprintf("hours_%d", i))
	}
	text := r.PostFormValue("closures")
	if c.Closures, err = parseClosures(text); err == nil {
		_, err = h.desk.SaveCalendar(r.Context(), s.actor(), c)
	}
	if err != nil {
		if desk.ErrorCode(err) != desk.EInvalid {
			return err
		}
		return h.render(w, r, s, http.StatusBadRequest, c, text, map[string]string{desk.ErrorField(err): desk.ErrorMessage(err)})
	}
	redirect(w, r, "/admin/calendars?ok=saved")
	return nil
}

// parseClosures reads one closure a line: "2026-12-24 2026-12-26 label" or
// "2026-05-15 label" for a single day.
func parseClosures(text string) ([]deadline.Closure, error) {
	var out []deadline.Closure
	for n, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		c := deadline.Closure{From: fields[0], To: fields[0]}
		rest := fields[1:]
		if len(rest) > 0 {
			if _, err := time.Parse(time.DateOnly, rest[0]); err == nil {
				c.To, rest = rest[0], rest[1:]
			}
		}
		if _, err := time.Parse(time.DateOnly, c.From); err != nil {
			return nil, desk.Invalid("closures", "ligne %d : « début fin libellé » attendu, par exemple « 2026-12-24 2026-12-26 fermeture de Noël »", n+1)
		}
		c.Label = strings.Join(rest, " ")
		out = append(out, c)
	}
	return out, nil
}

func closuresText(cs []deadline.Closure) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s %s %s\n", c.From, c.To, c.Label)
	}
	return b.String()
}
