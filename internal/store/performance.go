package store

import (
	"context"
	"database/sql"
	"fmt"
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
	const hour = int64(time.Hour / time.Millisecond)
	return (ms(from) + hour - 1) / hour, (ms(to) + hour - 1) / hour
}

func (t *tx) ActivityTotals(ctx context.Context, from, to time.Time) ([]desk.ActivityHour, error) {
	first, last := hourRange(from, to)
	rows, err := t.query(ctx, `SELECT channel_id, agent_id, sum(msgs_in), sum(msgs_out), sum(closed) FROM perf_hours
		WHERE hour >= $1 AND hour < $2 GROUP BY channel_id, agent_id`, first, last)
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

func (t *tx) ActivityByHour(ctx context.Context, from, to time.Time) ([]desk.ActivityHour, error) {
	const hour = int64(time.Hour / time.Millisecond)
	first, last := hourRange(from, to)
	rows, err := t.query(ctx, `SELECT hour, sum(msgs_in), sum(msgs_out), sum(closed) FROM perf_hours
		WHERE hour >= $1 AND hour < $2 GROUP BY hour`, first, last)
	if err != nil {
		return nil, fmt.Errorf("activity by hour: %w", err)
	}
	defer rows.Close()
	var out []desk.ActivityHour
	for rows.Next() {
		var h desk.ActivityHour
		var n int64
		if err := rows.Scan(&n, &h.In, &h.Out, &h.Closed); err != nil {
			return nil, err
		}
		h.Hour = fromMS(n * hour)
		out = append(out, h)
	}
	return out, rows.Err()
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
