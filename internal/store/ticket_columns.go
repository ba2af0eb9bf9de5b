package store

import (
	"database/sql"
	"math"
	"strconv"
	"strings"
	"time"

	"guichet/internal/desk"
)

// ticketColumn is one column of the tickets table: how a ticket's field is
// stored there (value, as the driver gives it back, which UpdateTicket on
// SQLite compares), where a scan puts it (dest), its PostgreSQL type (for
// the casts of a VALUES list) and whether UpdateTicket writes it. The
// statements and argument lists below are all built from ticketTable, so a
// new column is one line here (and a migration).
type ticketColumn struct {
	name       string
	pgType     string
	changeable bool
	value      func(*desk.Ticket) any
	dest       func(*desk.Ticket) any
}

var ticketTable = []ticketColumn{
	{"id", "bigint", false, func(t *desk.Ticket) any { return t.ID }, func(t *desk.Ticket) any { return &t.ID }},
	{"channel_id", "bigint", false, func(t *desk.Ticket) any { return t.ChannelID }, func(t *desk.Ticket) any { return &t.ChannelID }},
	{"order_ref", "text", false, func(t *desk.Ticket) any { return nullString(t.OrderRef) }, func(t *desk.Ticket) any { return nullText{&t.OrderRef} }},
	{"customer_id", "bigint", true, func(t *desk.Ticket) any { return nullID(t.CustomerID) }, func(t *desk.Ticket) any { return nullInt{&t.CustomerID} }},
	{"status", "text", true, func(t *desk.Ticket) any { return string(t.Status) }, func(t *desk.Ticket) any { return &t.Status }},
	{"priority", "text", true, func(t *desk.Ticket) any { return string(t.Priority) }, func(t *desk.Ticket) any { return &t.Priority }},
	{"assignee_id", "bigint", true, func(t *desk.Ticket) any { return nullID(t.AssigneeID) }, func(t *desk.Ticket) any { return nullInt{&t.AssigneeID} }},
	{"deadline_at", "bigint", true, func(t *desk.Ticket) any { return deadlineMS(t.Deadline) }, func(t *desk.Ticket) any { return deadlineTime{&t.Deadline} }},
	{"opened_at", "bigint", false, func(t *desk.Ticket) any { return ms(t.OpenedAt) }, func(t *desk.Ticket) any { return msTime{&t.OpenedAt} }},
	{"last_activity_at", "bigint", true, func(t *desk.Ticket) any { return ms(t.LastActivityAt) }, func(t *desk.Ticket) any { return msTime{&t.LastActivityAt} }},
	{"closed_at", "bigint", true, func(t *desk.Ticket) any { return nullMS(t.ClosedAt) }, func(t *desk.Ticket) any { return msTime{&t.ClosedAt} }},
	{"closed_by", "bigint", true, func(t *desk.Ticket) any { return nullID(t.ClosedBy) }, func(t *desk.Ticket) any { return nullInt{&t.ClosedBy} }},
	{"problem", "text", true, func(t *desk.Ticket) any { return t.Problem }, func(t *desk.Ticket) any { return &t.Problem }},
	{"real_email", "text", true, func(t *desk.Ticket) any { return t.RealEmail }, func(t *desk.Ticket) any { return &t.RealEmail }},
	{"delivery_date", "text", true, func(t *desk.Ticket) any { return t.DeliveryDate }, func(t *desk.Ticket) any { return &t.DeliveryDate }},
	{"reason", "text", true, func(t *desk.Ticket) any { return t.Reason }, func(t *desk.Ticket) any { return &t.Reason }},
	{"subject", "text", true, func(t *desk.Ticket) any { return t.Subject }, func(t *desk.Ticket) any { return &t.Subject }},
	{"message_count", "integer", true, func(t *desk.Ticket) any { return int64(t.MessageCount) }, func(t *desk.Ticket) any { return &t.MessageCount }},
	{"preview", "text", true, func(t *desk.Ticket) any { return t.Preview }, func(t *desk.Ticket) any { return &t.Preview }},
	{"waiting_since", "bigint", true, func(t *desk.Ticket) any { return nullMS(t.WaitingSince) }, func(t *desk.Ticket) any { return msTime{&t.WaitingSince} }},
}

// What is built from ticketTable, once: the statements' texts stay the same
// from call to call, so that the statement caches keep them.
var (
	// ticketColumns is the SELECT list of a ticket, from tickets t, in scanTicket's order.
	ticketColumns = strings.Join(ticketNames(func(c ticketColumn) bool { return true }, "t."), ", ")
	// ticketAllColumns are the names of all the columns, id first (bulk loads).
	ticketAllColumns = ticketNames(func(c ticketColumn) bool { return true }, "")
	// ticketInsertColumns are the columns an INSERT writes: all but id, in
	// appendTicketInsert's order.
	ticketInsertColumns = strings.Join(ticketNames(func(c ticketColumn) bool { return c.name != "id" }, ""), ", ")
	ticketInsertWidth   = len(ticketTable) - 1
	ticketInsertSQL     = `INSERT INTO tickets (` + ticketInsertColumns + `) VALUES (` + placeholders(ticketInsertWidth) + `)
		ON CONFLICT (channel_id, order_ref) DO NOTHING`
	// ticketChangeable are the columns UpdateTicket writes, in ticketValues'
	// order, and ticketChangeableTypes their PostgreSQL types.
	ticketChangeable      = ticketNames(func(c ticketColumn) bool { return c.changeable }, "")
	ticketChangeableTypes = ticketTypes(func(c ticketColumn) bool { return c.changeable })
	ticketChangeableAt    = ticketIndexes(func(c ticketColumn) bool { return c.changeable })
)

func ticketNames(keep func(ticketColumn) bool, prefix string) []string {
	var out []string
	for _, c := range ticketTable {
		if keep(c) {
			out = append(out, prefix+c.name)
		}
	}
	return out
}

func ticketTypes(keep func(ticketColumn) bool) []string {
	var out []string
	for _, c := range ticketTable {
		if keep(c) {
			out = append(out, c.pgType)
		}
	}
	return out
}

func ticketIndexes(keep func(ticketColumn) bool) []int {
	var out []int
	for i, c := range ticketTable {
		if keep(c) {
			out = append(out, i)
		}
	}
	return out
}

// placeholders is "$1, $2, ..., $n".
func placeholders(n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = "$" + strconv.Itoa(i+1)
	}
	return strings.Join(ps, ", ")
}

// scanTicket reads ticketColumns, then extra.
func scanTicket(r scanner, extra ...any) (desk.Ticket, error) {
	var t desk.Ticket
	dest := make([]any, len(ticketTable), len(ticketTable)+len(extra))
	for i, c := range ticketTable {
		dest[i] = c.dest(&t)
	}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return t, err
	}
	t.Number = desk.TicketNumber(t.ID)
	return t, nil
}

// appendTicketInsert appends the values of ticketInsertColumns.
func appendTicketInsert(args []any, tk *desk.Ticket) []any {
	for _, c := range ticketTable[1:] {
		args = append(args, c.value(tk))
	}
	return args
}

// appendTicketRow appends the values of all the columns, id first.
func appendTicketRow(args []any, tk *desk.Ticket) []any {
	for _, c := range ticketTable {
		args = append(args, c.value(tk))
	}
	return args
}

// ticketValues are a ticket's changeable columns as the driver gives them back.
func ticketValues(tk *desk.Ticket) []any {
	values := make([]any, len(ticketChangeableAt))
	for k, i := range ticketChangeableAt {
		values[k] = ticketTable[i].value(tk)
	}
	return values
}

// Scan destinations for columns stored otherwise than their field.

// nullText scans a NULL as "".
type nullText struct{ p *string }

func (d nullText) Scan(src any) error {
	var n sql.NullString
	err := n.Scan(src)
	*d.p = n.String
	return err
}

// nullInt scans a NULL as 0.
type nullInt struct{ p *int64 }

func (d nullInt) Scan(src any) error {
	var n sql.NullInt64
	err := n.Scan(src)
	*d.p = n.Int64
	return err
}

// noDeadline is the deadline_at of a ticket whose deadline does not run
// (it waits for the customer, or is closed): after every running deadline
// in the inbox's order, and never overdue.
const noDeadline = math.MaxInt64

func deadlineMS(t time.Time) int64 {
	if t.IsZero() {
		return noDeadline
	}
	return t.UnixMilli()
}

// deadlineTime scans a deadline_at, noDeadline being the zero time.
type deadlineTime struct{ p *time.Time }

func (d deadlineTime) Scan(src any) error {
	var n sql.NullInt64
	err := n.Scan(src)
	if n.Int64 == noDeadline {
		*d.p = time.Time{}
		return err
	}
	*d.p = fromMS(n.Int64)
	return err
}

// msTime scans Unix milliseconds, 0 or NULL being the zero time.
type msTime struct{ p *time.Time }

func (d msTime) Scan(src any) error {
	var n sql.NullInt64
	err := n.Scan(src)
	*d.p = fromMS(n.Int64)
	return err
}
