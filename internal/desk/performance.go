package desk

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// PerformanceTx is what the service's figures, the priority rules and the
// deadline warnings ask of storage.
type PerformanceTx interface {
	FactsTx
	ServiceRulesTx
	WarningTx
	// ResponseFacts returns the facts of the tickets a customer opened in
	// [from, to), with, for those not answered, whether they are late at now.
	ResponseFacts(ctx context.Context, from, to, now time.Time) ([]ResponseFact, error)
	// ActivityTotals returns the counts of [from, to) per channel and
	// agent (Hour zero); ActivityBySpan, those of each [bounds[i],
	// bounds[i+1]) for all of them (Hour bounds[i], ChannelID and AgentID
	// zero). An hour counts where it starts; bounds are in order.
	ActivityTotals(ctx context.Context, from, to time.Time) ([]ActivityHour, error)
	ActivityBySpan(ctx context.Context, bounds []time.Time) ([]ActivityHour, error)
	// OpenBacklog counts the tickets waiting for an ADV by channel, assignee
	// and age: bucket i holds those opened in (now-ages[i], now-ages[i-1]],
	// the last bucket those older than every age.
	OpenBacklog(ctx context.Context, now time.Time, ages []time.Duration) ([]BacklogCount, error)
	Agents(ctx context.Context) ([]Agent, error)
	Channels(ctx context.Context) ([]Channel, error)
}

// ResponseFact is one ticket of a period's figures.
type ResponseFact struct {
	ChannelID int64
	AgentID   int64 // who answered first; not answered: the assignee (0: nobody)
	Answered  bool
	Response  time.Duration
	// Deadline: DeadlineMet, DeadlineMissed, or DeadlineOpen (not answered
	// and not late yet, closed without an answer, or answered before the
	// facts were kept): not counted in the share.
	Deadline DeadlineOutcome
}

// DeadlineOutcome says how a ticket stands against its first deadline.
type DeadlineOutcome int

const (
	DeadlineOpen DeadlineOutcome = iota
	DeadlineMet
	DeadlineMissed
)

// ActivityHour is the messages and closings of one hour, channel and agent.
type ActivityHour struct {
	Hour      time.Time
	ChannelID int64
	AgentID   int64 // the author of messages out, who closed; 0: none
	In        int
	Out       int
	Closed    int
}

// BacklogCount is how many open tickets of a channel and assignee are of one age.
type BacklogCount struct {
	ChannelID  int64
	AssigneeID int64
	Bucket     int
	N          int
}

// BacklogAges are the bounds of the backlog's age buckets: less than a
// day, 1 to 2 days, 2 to 7, 7 to 30, more than 30 days.
var BacklogAges = []time.Duration{24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}

// PerfLine is the figures of the whole desk, one channel or one agent over
// a period. First response times are nearest-rank percentiles (each is a
// response time that happened): the median is the ⌈n/2⌉-th of the n sorted
// times, p90 the ⌈0.9 n⌉-th.
type PerfLine struct {
	ID       int64         `json:"id,omitempty"`
	Name     string        `json:"name"`
	Opened   int           `json:"opened"`   // tickets a customer opened in the period
	Answered int           `json:"answered"` // of which an agent answered
	Median   time.Duration `json:"frt_median"`
	P90      time.Duration `json:"frt_p90"`
	InTime   int           `json:"in_time"` // answered before their deadline
	Late     int           `json:"late"`    // answered after it, or not answered and past it
	In       int           `json:"messages_in"`
	Out      int           `json:"messages_out"`
	Closed   int           `json:"closed"`
	Backlog  []int         `json:"backlog"` // open tickets waiting for an ADV, by BacklogAges bucket (now, not the period)

	responses []time.Duration
}

// InTimeShare is the share of tickets answered before their deadline, and
// false when no ticket counts yet.
func (l PerfLine) InTimeShare() (float64, bool) {
	n := l.InTime + l.Late
	if n == 0 {
		return 0, false
	}
	return float64(l.InTime) / float64(n), true
}

// BacklogTotal is the open tickets of the line.
func (l PerfLine) BacklogTotal() int {
	n := 0
	for _, b := range l.Backlog {
		n += b
	}
	return n
}

// PerfDay is one day's activity, in the report's time zone.
type PerfDay struct {
	Day    time.Time `json:"day"`
	In     int       `json:"messages_in"`
	Out    int       `json:"messages_out"`
	Closed int       `json:"closed"`
}

// Performance is the service's figures over a period.
type Performance struct {
	From     time.Time  `json:"from"` // [From, To)
	To       time.Time  `json:"to"`
	Now      time.Time  `json:"now"`
	Overall  PerfLine   `json:"overall"`
	Channels []PerfLine `json:"channels"`
	Agents   []PerfLine `json:"agents"`
	Days     []PerfDay  `json:"days"`
}

// PerformanceQuery chooses the period: [From, To), days cut in Location
// (default Europe/Paris).
type PerformanceQuery struct {
	From, To time.Time
	Location *time.Location
}

// maxPeriod bounds a report's period.
const maxPeriod = 800 * 24 * time.Hour

// Performance computes the service's figures over a period, per channel,
// per agent and overall; for agents and admins.
func (d *Desk) Performance(ctx context.Context, actor Actor, q PerformanceQuery) (Performance, error) {
	if actor.AgentID == 0 {
		return Performance{}, Errorf(EForbidden, "réservé aux agents")
	}
	switch {
	case q.From.IsZero() || q.To.IsZero():
		return Performance{}, Invalid("from", "période obligatoire")
	case !q.To.After(q.From):
		return Performance{}, Invalid("to", "la fin de la période doit suivre son début")
	case q.To.Sub(q.From) > maxPeriod:
		return Performance{}, Invalid("to", "période de 800 jours au plus")
	}
	loc := q.Location
	if loc == nil {
		loc = paris()
	}
	p := Performance{From: q.From, To: q.To, Now: d.Now()}
	var facts []ResponseFact
	var totals, hours []ActivityHour
	var backlog []BacklogCount
	var agents []Agent
	var channels []Channel
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		if facts, err = tx.ResponseFacts(ctx, q.From, q.To, p.Now); err != nil {
			return err
		}
		if totals, err = tx.ActivityTotals(ctx, q.From, q.To); err != nil {
			return err
		}
		if hours, err = tx.ActivityBySpan(ctx, dayBounds(q.From, q.To, loc)); err != nil {
			return err
		}
		if backlog, err = tx.OpenBacklog(ctx, p.Now, BacklogAges); err != nil {
			return err
		}
		if agents, err = tx.Agents(ctx); err != nil {
			return err
		}
		channels, err = tx.Channels(ctx)
		return err
	})
	if err != nil {
		return Performance{}, err
	}
	p.build(facts, totals, hours, backlog, agents, channels, loc)
	return p, nil
}

func (p *Performance) build(facts []ResponseFact, totals, hours []ActivityHour, backlog []BacklogCount, agents []Agent, channels []Channel, loc *time.Location) {
	nb := len(BacklogAges) + 1
	newLine := func(id int64, name string) *PerfLine { return &PerfLine{ID: id, Name: name, Backlog: make([]int, nb)} }
	overall := newLine(0, "")
	byChannel := map[int64]*PerfLine{}
	for _, c := range channels {
		byChannel[c.ID] = newLine(c.ID, c.Name)
	}
	byAgent := map[int64]*PerfLine{}
	for _, a := range agents {
		byAgent[a.ID] = newLine(a.ID, a.Name)
	}
	lines := func(channelID, agentID int64) []*PerfLine {
		out := []*PerfLine{overall}
		if l := byChannel[channelID]; l != nil {
			out = append(out, l)
		}
		if l := byAgent[agentID]; l != nil {
			out = append(out, l)
		}
		return out
	}
	for _, f := range facts {
		for _, l := range lines(f.ChannelID, f.AgentID) {
			l.Opened++
			if f.Answered {
				l.Answered++
				l.responses = append(l.responses, f.Response)
			}
			switch f.Deadline {
			case DeadlineMet:
				l.InTime++
			case DeadlineMissed:
				l.Late++
			}
		}
	}
	days := map[time.Time]*PerfDay{}
	for day := startOfDay(p.From.In(loc)); day.Before(p.To); day = day.AddDate(0, 0, 1) {
		p.Days = append(p.Days, PerfDay{Day: day})
	}
	for i := range p.Days {
		days[p.Days[i].Day] = &p.Days[i]
	}
	for _, h := range totals {
		for _, l := range lines(h.ChannelID, h.AgentID) {
			l.In, l.Out, l.Closed = l.In+h.In, l.Out+h.Out, l.Closed+h.Closed
		}
	}
	for _, h := range hours {
		if d := days[startOfDay(h.Hour.In(loc))]; d != nil {
			d.In, d.Out, d.Closed = d.In+h.In, d.Out+h.Out, d.Closed+h.Closed
		}
	}
	for _, b := range backlog {
		if b.Bucket < 0 || b.Bucket >= nb {
			continue
		}
		for _, l := range lines(b.ChannelID, b.AssigneeID) {
			l.Backlog[b.Bucket] += b.N
		}
	}
	finish := func(l *PerfLine) PerfLine {
		slices.Sort(l.responses)
		l.Median, l.P90 = nearestRank(l.responses, 50), nearestRank(l.responses, 90)
		l.responses = nil
		return *l
	}
	p.Overall = finish(overall)
	for _, c := range channels {
		p.Channels = append(p.Channels, finish(byChannel[c.ID]))
	}
	for _, a := range agents {
		l := byAgent[a.ID]
		if !a.Active && l.Answered == 0 && l.Out == 0 && l.Closed == 0 && l.BacklogTotal() == 0 && l.Late == 0 {
			continue
		}
		p.Agents = append(p.Agents, finish(l))
	}
	slices.SortStableFunc(p.Agents, func(a, b PerfLine) int { return cmp.Compare(a.Name, b.Name) })
}

// nearestRank is the pct-th percentile of sorted by nearest rank; 0 for none.
func nearestRank(sorted []time.Duration, pct int) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	k := (pct*n + 99) / 100 // ⌈pct·n/100⌉
	return sorted[max(k, 1)-1]
}

// dayBounds cuts [from, to) at the midnights of loc: from, each midnight
// after it and before to, and to.
func dayBounds(from, to time.Time, loc *time.Location) []time.Time {
	out := []time.Time{from}
	for day := startOfDay(from.In(loc)).AddDate(0, 0, 1); day.Before(to); day = day.AddDate(0, 0, 1) {
		if day.After(from) {
			out = append(out, day)
		}
	}
	return append(out, to)
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// paris is the desk's time zone for days; UTC when the zone database is missing.
func paris() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}
