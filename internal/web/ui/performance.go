package ui

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet/internal/desk"
)

// performancePage is « Performance du service »: first-response times, the
// share answered in time, the backlog by age, messages in and out and
// closings over a period, overall, per channel and per agent, with charts
// and the same figures as CSV (UTF-8 with a byte-order mark and « ; »
// between fields, decimal commas: what French Excel opens as columns).
type performancePage struct {
	desk  *desk.Desk
	views *views
}

type performanceData struct {
	page
	From, To                    string // the period's first and last days, YYYY-MM-DD
	Presets                     []periodLink
	Error                       string
	Shown                       bool
	Overall                     perfRow
	Channels                    []perfRow
	Agents                      []perfRow
	Buckets                     []string
	CSVURL                      string
	Daily, FRT, InTime, Backlog template.HTML
}

type periodLink struct {
	Label, URL string
	Current    bool
}

type perfRow struct {
	Name               string
	Opened, Answered   int
	Median, P90, Share string
	InTime, Late       int
	In, Out, Closed    int
	Backlog            []int
	BacklogTotal       int
	AgentLine          bool // messages in belong to no agent
}

func (h *performancePage) serve(w http.ResponseWriter, r *http.Request, s session) error {
	tr := translator(s.lang())
	d := performanceData{page: h.views.base(s, tr.T("perf.title"), "performance")}
	now := h.desk.Now().In(paris)
	q, from, to, err := periodOf(r, now)
	d.From, d.To = from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly)
	d.Presets = presets(tr, now, d.From, d.To)
	status := http.StatusOK
	var p desk.Performance
	if err == nil {
		p, err = h.desk.Performance(r.Context(), s.actor(), q)
	}
	switch {
	case desk.ErrorCode(err) == desk.EInvalid:
		d.Error, status = desk.ErrorMessage(err), http.StatusBadRequest
	case err != nil:
		return err
	default:
		h.fill(&d, tr, p)
	}
	h.views.render(w, r, status, s.lang(), "performance", d)
	return nil
}

// periodOf reads ?from=YYYY-MM-DD&to=YYYY-MM-DD (days in Paris, to
// included); default: the current month up to today.
func periodOf(r *http.Request, now time.Time) (desk.PerformanceQuery, time.Time, time.Time, error) {
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, paris)
	to := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, paris)
	var err error
	if v := strings.TrimSpace(r.URL.Query().Get("from")); v != "" {
		t, perr := time.ParseInLocation(time.DateOnly, v, paris)
		if perr != nil {
			err = desk.Invalid("from", "date de début attendue au format AAAA-MM-JJ")
		} else {
			from = t
		}
	}
	if v := strings.TrimSpace(r.URL.Query().Get("to")); v != "" {
		t, perr := time.ParseInLocation(time.DateOnly, v, paris)
		if perr != nil && err == nil {
			err = desk.Invalid("to", "date de fin attendue au format AAAA-MM-JJ")
		} else if perr == nil {
			to = t.AddDate(0, 0, 1)
		}
	}
	return desk.PerformanceQuery{From: from, To: to, Location: paris}, from, to, err
}

func presets(tr translator, now time.Time, from, to string) []periodLink {
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, paris)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, paris)
	var out []periodLink
	for _, p := range []struct {
		key      string
		from, to time.Time
	}{
		{"perf.this_month", month, today},
		{"perf.last_month", month.AddDate(0, -1, 0), month.AddDate(0, 0, -1)},
		{"perf.last_30", today.AddDate(0, 0, -29), today},
		{"perf.last_7", today.AddDate(0, 0, -6), today},
	} {
		out = append(out, periodLink{Label: tr.T(p.key), URL: "/performance?" + url.Values{"from": {day(p.from)}, "to": {day(p.to)}}.Encode(),
			Current: day(p.from) == from && day(p.to) == to})
	}
	return out
}

func (h *performancePage) fill(d *performanceData, tr translator, p desk.Performance) {
	d.Shown = true
	d.CSVURL = "/performance.csv?" + url.Values{"from": {d.From}, "to": {d.To}}.Encode()
	d.Buckets = bucketLabels(tr)
	d.Overall = rowOf(tr, p.Overall, tr.T("perf.overall"), false)
	for _, l := range p.Channels {
		d.Channels = append(d.Channels, rowOf(tr, l, l.Name, false))
	}
	for _, l := range p.Agents {
		d.Agents = append(d.Agents, rowOf(tr, l, l.Name, true))
	}

	in := series{Name: tr.T("perf.in"), Class: "chart-a"}
	out := series{Name: tr.T("perf.out"), Class: "chart-b"}
	closed := series{Name: tr.T("perf.closed"), Class: "chart-c"}
	for _, day := range p.Days {
		label := day.Day.Format("02/01")
		in.Bars = append(in.Bars, bar{label, float64(day.In), strconv.Itoa(day.In)})
		out.Bars = append(out.Bars, bar{label, float64(day.Out), strconv.Itoa(day.Out)})
		closed.Bars = append(closed.Bars, bar{label, float64(day.Closed), strconv.Itoa(day.Closed)})
	}
	d.Daily = columnChart("chart-daily", tr.T("perf.chart_daily"), tr.T("perf.chart_daily_desc", p.Overall.In, p.Overall.Out, p.Overall.Closed), []series{in, out, closed})

	median := series{Name: tr.T("perf.median"), Class: "chart-a"}
	p90 := series{Name: tr.T("perf.p90"), Class: "chart-b"}
	share := series{Name: tr.T("perf.share"), Class: "chart-a"}
	for _, l := range p.Channels {
		median.Bars = append(median.Bars, bar{l.Name, l.Median.Hours(), showDuration(tr, l.Median, l.Answered)})
		p90.Bars = append(p90.Bars, bar{l.Name, l.P90.Hours(), showDuration(tr, l.P90, l.Answered)})
		v, ok := l.InTimeShare()
		share.Bars = append(share.Bars, bar{l.Name, v * 100, showShare(v, ok)})
	}
	d.FRT = hbarChart("chart-frt", tr.T("perf.chart_frt"), tr.T("perf.chart_frt_desc", showDuration(tr, p.Overall.Median, p.Overall.Answered), showDuration(tr, p.Overall.P90, p.Overall.Answered)), []series{median, p90})
	v, ok := p.Overall.InTimeShare()
	d.InTime = hbarChart("chart-intime", tr.T("perf.chart_intime"), tr.T("perf.chart_intime_desc", showShare(v, ok)), []series{share})

	backlog := series{Name: tr.T("perf.backlog"), Class: "chart-c"}
	for i, n := range p.Overall.Backlog {
		backlog.Bars = append(backlog.Bars, bar{d.Buckets[i], float64(n), strconv.Itoa(n)})
	}
	d.Backlog = columnChart("chart-backlog", tr.T("perf.chart_backlog"), tr.T("perf.chart_backlog_desc", p.Overall.BacklogTotal()), []series{backlog})
}

func rowOf(tr translator, l desk.PerfLine, name string, agent bool) perfRow {
	v, ok := l.InTimeShare()
	return perfRow{Name: name, Opened: l.Opened, Answered: l.Answered, Median: showDuration(tr, l.Median, l.Answered),
		P90: showDuration(tr, l.P90, l.Answered), Share: showShare(v, ok), InTime: l.InTime, Late: l.Late,
		In: l.In, Out: l.Out, Closed: l.Closed, Backlog: l.Backlog, BacklogTotal: l.BacklogTotal(), AgentLine: agent}
}

func bucketLabels(tr translator) []string {
	return []string{tr.T("perf.age0"), tr.T("perf.age1"), tr.T("perf.age2"), tr.T("perf.age3"), tr.T("perf.age4")}
}

// showDuration reads « 4 h 05 », « 35 min », « 2 j 3 h »; « — » without answers.
func showDuration(tr translator, d time.Duration, n int) string {
	if n == 0 {
		return "—"
	}
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return tr.T("perf.minutes", m)
	case m < 48*60:
		return tr.T("perf.hours", m/60, m%60)
	}
	return tr.T("perf.days", m/(24*60), (m/60)%24)
}

func showShare(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return strings.ReplaceAll(strconv.FormatFloat(v*100, 'f', 1, 64), ".", ",") + " %"
}

// csv is the same figures, one line per scope (overall, channels, agents).
func (h *performancePage) csv(w http.ResponseWriter, r *http.Request, s session) error {
	tr := translator(s.lang())
	q, from, to, err := periodOf(r, h.desk.Now().In(paris))
	if err != nil {
		return err
	}
	p, err := h.desk.Performance(r.Context(), s.actor(), q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // Excel reads UTF-8 only after a byte-order mark
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	header := []string{tr.T("perf.csv_scope"), tr.T("perf.csv_name"), tr.T("perf.opened"), tr.T("perf.answered"),
		tr.T("perf.csv_median"), tr.T("perf.csv_p90"), tr.T("perf.in_time"), tr.T("perf.late"), tr.T("perf.csv_share"),
		tr.T("perf.in"), tr.T("perf.out"), tr.T("perf.closed")}
	for _, b := range bucketLabels(tr) {
		header = append(header, tr.T("perf.backlog")+" "+b)
	}
	cw.Write(header)
	line := func(scope, name string, l desk.PerfLine) {
		hours := func(d time.Duration) string {
			if l.Answered == 0 {
				return ""
			}
			return strings.ReplaceAll(strconv.FormatFloat(d.Hours(), 'f', 2, 64), ".", ",")
		}
		share := ""
		if v, ok := l.InTimeShare(); ok {
			share = strings.ReplaceAll(strconv.FormatFloat(v*100, 'f', 1, 64), ".", ",")
		}
		rec := []string{scope, name, strconv.Itoa(l.Opened), strconv.Itoa(l.Answered), hours(l.Median), hours(l.P90),
			strconv.Itoa(l.InTime), strconv.Itoa(l.Late), share, strconv.Itoa(l.In), strconv.Itoa(l.Out), strconv.Itoa(l.Closed)}
		for _, n := range l.Backlog {
			rec = append(rec, strconv.Itoa(n))
		}
		cw.Write(rec)
	}
	line(tr.T("perf.overall"), "", p.Overall)
	for _, l := range p.Channels {
		line(tr.T("perf.csv_channel"), l.Name, l)
	}
	for _, l := range p.Agents {
		line(tr.T("perf.csv_agent"), l.Name, l)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	name := fmt.Sprintf("performance-%s-%s.csv", from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

// perfTableData is one table of the dashboard (the "perf_table" template).
type perfTableData struct {
	Buckets   []string
	Title, ID string
	Rows      []perfRow
	Total     perfRow
}

func perfTableOf(buckets []string, title, id string, rows []perfRow, total perfRow) perfTableData {
	return perfTableData{Buckets: buckets, Title: title, ID: id, Rows: rows, Total: total}
}
