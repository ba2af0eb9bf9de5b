package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet/internal/desk"
)

// The service's figures (see migration 0011): the tickets' facts, the
// hourly counts, the backlog, the rules and the deadline warnings.

func (t *tx) InsertTicketFacts(ctx context.Context, fs []desk.TicketFact) error {
	return chunks(fs, batchRows, func(fs []desk.TicketFact) error {
		const width = 3
		args := make([]any, 0, width*len(fs))
		for _, f := range fs {
			args = append(args, f.TicketID, f.ChannelID, ms(f.OpenedAt))
		}
		q := `INSERT INTO ticket_facts (ticket_id, channel_id, opened_at) VALUES ` + t.rowsSQL(len(fs), width) + ` ON CONFLICT (ticket_id) DO NOTHING`
		if _, err := t.execOnce(ctx, q, args...); err != nil {
			return fmt.Errorf("insert ticket facts: %w", t.s.dialect.mapError(err))
		}
		return nil
	})
}

func (t *tx) RecordFirstResponse(ctx context.Context, f desk.TicketFact) (bool, error) {
	res, err := t.exec(ctx, `UPDATE ticket_facts SET first_response_at = $1, responder_id = $2, response_ms = $3, in_time = $4
		WHERE ticket_id = $5 AND first_response_at IS NULL`,
		ms(f.FirstResponseAt), nullID(f.ResponderID), f.Response.Milliseconds(), boolInt(f.InTime), f.TicketID)
	if err != nil {
		return false, fmt.Errorf("record first response: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ResponseFacts reads the answered tickets from the facts' index alone, and
// looks up the tickets of the others (few) for who holds them and whether
// they are late.
func (t *tx) ResponseFacts(ctx context.Context, from, to, now time.Time) ([]desk.ResponseFact, error) {
	var out []desk.ResponseFact
	rows, err := t.query(ctx, `SELECT channel_id, responder_id, response_ms, in_time FROM ticket_facts
		WHERE opened_at >= $1 AND opened_at < $2 AND first_response_at IS NOT NULL`, ms(from), ms(to))
	if err != nil {
		return nil, fmt.Errorf("response facts: %w", err)
	}
	for rows.Next() {
		f := desk.ResponseFact{Answered: true}
		var responder sql.NullInt64
		var responseMS int64
		var inTime sql.NullInt64
		if err := rows.Scan(&f.ChannelID, &responder, &responseMS, &inTime); err != nil {
			rows.Close()
			return nil, err
		}
		f.AgentID, f.Response = responder.Int64, time.Duration(responseMS)*time.Millisecond
		switch {
		case inTime.Valid && inTime.Int64 == 1:
			f.Deadline = desk.DeadlineMet
		case inTime.Valid:
			f.Deadline = desk.DeadlineMissed
		}
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = t.query(ctx, `SELECT f.channel_id, coalesce(tk.assignee_id, 0),
		CASE WHEN tk.status = 'waiting_admin' AND tk.deadline_at < $3 THEN 1 ELSE 0 END
		FROM ticket_facts f JOIN tickets tk ON tk.id = f.ticket_id
		WHERE f.opened_at >= $1 AND f.opened_at < $2 AND f.first_response_at IS NULL`, ms(from), ms(to), ms(now))
	if err != nil {
		return nil, fmt.Errorf("unanswered facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f desk.ResponseFact
		var late int
		if err := rows.Scan(&f.ChannelID, &f.AgentID, &late); err != nil {
			return nil, err
		}
		if late == 1 {
			f.Deadline = desk.DeadlineMissed
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// hourRange is the Unix hours that start in [from, to).
func hourRange(from, to time.Time) (first, last int64) {
	return hourOf(from), hourOf(to)
}

// hourOf is the first Unix hour that starts at or after t.
func hourOf(t time.Time) int64 {
	const hour = int64(time.Hour / time.Millisecond)
	return floorDiv(ms(t)+hour-1, hour)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// The activity is read from perf_days (migration 0013) for the whole UTC
// days of a period and from perf_hours for the hours at its edges.

// ActivityTotals sums the UTC days wholly inside the hours [first, last)
// and the hours before the first and after the last of them.
func (t *tx) ActivityTotals(ctx context.Context, from, to time.Time) ([]desk.ActivityHour, error) {
	first, last := hourRange(from, to)
	d0, d1 := floorDiv(first+23, 24), floorDiv(last, 24)
	edges := [4]int64{first, d0 * 24, d1 * 24, last}
	if d0 >= d1 { // no whole day: the hours alone
		d0, d1 = 0, 0
		edges = [4]int64{first, last, 0, 0}
	}
	rows, err := t.query(ctx, `SELECT channel_id, agent_id, sum(i), sum(o), sum(c) FROM (
		SELECT channel_id, agent_id, msgs_in AS i, msgs_out AS o, closed AS c FROM perf_days WHERE day >= $1 AND day < $2
		UNION ALL
		SELECT channel_id, agent_id, msgs_in, msgs_out, closed FROM perf_hours WHERE hour >= $3 AND hour < $4
		UNION ALL
		SELECT channel_id, agent_id, msgs_in, msgs_out, closed FROM perf_hours WHERE hour >= $5 AND hour < $6
		) x GROUP BY channel_id, agent_id`, d0, d1, edges[0], edges[1], edges[2], edges[3])
	if err != nil {
		return nil, fmt.Errorf("activity totals: %w", err)
	}
	defer rows.Close()
	var out []desk.ActivityHour
	for rows.Next() {
		var h desk.ActivityHour
		if err := rows.Scan(&h.ChannelID, &h.AgentID, &h.In, &h.Out, &h.Closed); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// activitySpan is how one span of ActivityBySpan is counted: the UTC days
// [day0, day1) (the nearest to its edges), plus the hours in plus, minus
// those in minus.
type activitySpan struct {
	day0, day1  int64
	plus, minus [][2]int64 // hour ranges [a, b)
}

func spanOf(first, last int64) activitySpan {
	u0, u1 := floorDiv(first+12, 24), floorDiv(last+12, 24)
	if u1 <= u0 { // shorter than a day: its hours
		return activitySpan{plus: [][2]int64{{first, last}}}
	}
	sp := activitySpan{day0: u0, day1: u1}
	edge := func(a, b int64) { // hours [a, b) in the span when a < b, out of it otherwise
		switch {
		case a < b:
			sp.plus = append(sp.plus, [2]int64{a, b})
		case a > b:
			sp.minus = append(sp.minus, [2]int64{b, a})
		}
	}
	edge(first, u0*24)
	edge(u1*24, last)
	return sp
}

// ActivityBySpan reads the days once, grouped by day, and the edges'
// hours, grouped by hour: for a month in Paris, about thirty days and
// sixty hours of rows.
func (t *tx) ActivityBySpan(ctx context.Context, bounds []time.Time) ([]desk.ActivityHour, error) {
	if len(bounds) < 2 {
		return nil, nil
	}
	spans := make([]activitySpan, len(bounds)-1)
	var hours []int64
	var dayFrom, dayTo int64 // the days any span reads: [dayFrom, dayTo)
	haveDays := false
	for i := range spans {
		sp := spanOf(hourOf(bounds[i]), hourOf(bounds[i+1]))
		spans[i] = sp
		if sp.day1 > sp.day0 {
			if !haveDays {
				dayFrom, dayTo, haveDays = sp.day0, sp.day1, true
			}
			dayFrom, dayTo = min(dayFrom, sp.day0), max(dayTo, sp.day1)
		}
		for _, rs := range [][][2]int64{sp.plus, sp.minus} {
			for _, r := range rs {
				for h := r[0]; h < r[1]; h++ {
					hours = append(hours, h)
				}
			}
		}
	}
	type counts struct{ in, out, closed int }
	days := map[int64]counts{}
	if haveDays {
		rows, err := t.query(ctx, `SELECT day, sum(msgs_in), sum(msgs_out), sum(closed) FROM perf_days
			WHERE day >= $1 AND day < $2 GROUP BY day`, dayFrom, dayTo)
		if err != nil {
			return nil, fmt.Errorf("activity by day: %w", err)
		}
		for rows.Next() {
			var d int64
			var c counts
			if err := rows.Scan(&d, &c.in, &c.out, &c.closed); err != nil {
				rows.Close()
				return nil, err
			}
			days[d] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	byHour := map[int64]counts{}
	if len(hours) > 0 {
		slices.Sort(hours)
		hours = slices.Compact(hours)
		var b strings.Builder
		b.WriteString(`SELECT hour, sum(msgs_in), sum(msgs_out), sum(closed) FROM perf_hours WHERE hour IN (`)
		for i, h := range hours { // integers of ours, not input: written in the query, which no parameter limit bounds
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatInt(h, 10))
		}
		b.WriteString(`) GROUP BY hour`)
		rows, err := t.query(ctx, b.String())
		if err != nil {
			return nil, fmt.Errorf("activity by hour: %w", err)
		}
		for rows.Next() {
			var h int64
			var c counts
			if err := rows.Scan(&h, &c.in, &c.out, &c.closed); err != nil {
				rows.Close()
				return nil, err
			}
			byHour[h] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]desk.ActivityHour, len(spans))
	for i, sp := range spans {
		h := desk.ActivityHour{Hour: bounds[i]}
		add := func(c counts, sign int) {
			h.In, h.Out, h.Closed = h.In+sign*c.in, h.Out+sign*c.out, h.Closed+sign*c.closed
		}
		for d := sp.day0; d < sp.day1; d++ {
			add(days[d], 1)
		}
		for _, r := range sp.plus {
			for x := r[0]; x < r[1]; x++ {
				add(byHour[x], 1)
			}
		}
		for _, r := range sp.minus {
			for x := r[0]; x < r[1]; x++ {
				add(byHour[x], -1)
			}
		}
		out[i] = h
	}
	return out, nil
}

// OpenBacklog reads the young tickets by the index on (status, opened_at)
// and takes the oldest bucket as what the per-status counters hold beyond
// them: never a scan of every open ticket.
func (t *tx) OpenBacklog(ctx context.Context, now time.Time, ages []time.Duration) ([]desk.BacklogCount, error) {
	type key struct{ channel, assignee int64 }
	oldest := len(ages)
	var b strings.Builder
	b.WriteString(`SELECT channel_id, coalesce(assignee_id, 0), CASE`)
	args := []any{}
	for i, a := range ages {
		args = append(args, ms(now.Add(-a)))
		fmt.Fprintf(&b, ` WHEN opened_at > $%d THEN %d`, len(args), i)
	}
	fmt.Fprintf(&b, ` END AS bucket, count(*) FROM tickets WHERE status = 'waiting_admin' AND opened_at > $%d
		GROUP BY channel_id, coalesce(assignee_id, 0), bucket`, len(args))
	young := map[key]int{}
	var out []desk.BacklogCount
	rows, err := t.query(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("open backlog: %w", err)
	}
	for rows.Next() {
		var c desk.BacklogCount
		if err := rows.Scan(&c.ChannelID, &c.AssigneeID, &c.Bucket, &c.N); err != nil {
			rows.Close()
			return nil, err
		}
		young[key{c.ChannelID, c.AssigneeID}] += c.N
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = t.query(ctx, `SELECT channel_id, assignee_id, sum(n) FROM ticket_counts WHERE status = 'waiting_admin'
		GROUP BY channel_id, assignee_id`)
	if err != nil {
		return nil, fmt.Errorf("open backlog totals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c desk.BacklogCount
		if err := rows.Scan(&c.ChannelID, &c.AssigneeID, &c.N); err != nil {
			return nil, err
		}
		c.Bucket, c.N = oldest, c.N-young[key{c.ChannelID, c.AssigneeID}]
		if c.N > 0 {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

func (t *tx) ServiceRuleValues(ctx context.Context) (map[string]string, error) {
	rows, err := t.query(ctx, `SELECT key, value FROM service_rules`)
	if err != nil {
		return nil, fmt.Errorf("service rules: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

func (t *tx) SetServiceRuleValues(ctx context.Context, values map[string]string) error {
	for k, v := range values {
		if _, err := t.exec(ctx, `INSERT INTO service_rules (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return fmt.Errorf("set service rule %s: %w", k, err)
		}
	}
	return nil
}

func (t *tx) DueForWarning(ctx context.Context, now, until time.Time, limit int) ([]desk.Ticket, error) {
	rows, err := t.query(ctx, `SELECT `+ticketColumns+` FROM tickets t
		WHERE t.status = 'waiting_admin' AND t.deadline_at > $1 AND t.deadline_at <= $2
		AND NOT EXISTS (SELECT 1 FROM deadline_warnings w WHERE w.ticket_id = t.id AND w.deadline_at = t.deadline_at)
		ORDER BY t.deadline_at, t.id LIMIT $3`, ms(now), ms(until), limit)
	if err != nil {
		return nil, fmt.Errorf("deadlines to warn about: %w", err)
	}
	defer rows.Close()
	var out []desk.Ticket
	for rows.Next() {
		tk, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, tk)
	}
	return out, rows.Err()
}

func (t *tx) MarkWarned(ctx context.Context, ticketID int64, deadline time.Time, agentID int64, at time.Time) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO deadline_warnings (ticket_id, deadline_at, agent_id, sent_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (ticket_id, deadline_at) DO NOTHING`, ticketID, ms(deadline), agentID, ms(at))
	if err != nil {
		return false, fmt.Errorf("mark warned: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
