package desk

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Status is where a ticket stands: who must act next.
type Status string

const (
	StatusWaitingAdmin    Status = "waiting_admin"    // "Attente Admin": an ADV must act
	StatusWaitingCustomer Status = "waiting_customer" // "Attente Client"
	StatusClosed          Status = "closed"           // "Fermé"
)

// Statuses lists every status in display order.
var Statuses = []Status{StatusWaitingAdmin, StatusWaitingCustomer, StatusClosed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == StatusWaitingAdmin || s == StatusWaitingCustomer || s == StatusClosed
}

// Open reports whether a ticket in this status still needs work.
func (s Status) Open() bool { return s != StatusClosed }

// Priority: P1 for new and urgent tickets, P2 for follow-ups.
type Priority string

const (
	P1 Priority = "P1"
	P2 Priority = "P2"
)

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return p == P1 || p == P2 }

// Ticket is one order's conversation with a customer: one order = one ticket.
type Ticket struct {
	ID         int64    `json:"id"`
	Number     string   `json:"number"` // shown to people
	ChannelID  int64    `json:"channel_id"`
	OrderRef   string   `json:"order_ref,omitempty"` // "" only for questions without an order
	CustomerID int64    `json:"customer_id,omitempty"`
	Status     Status   `json:"status"`
	Priority   Priority `json:"priority"`
	AssigneeID int64    `json:"assignee_id,omitempty"` // 0: nobody
	// Deadline runs only while an ADV must act (waiting_admin); it is zero
	// (absent in JSON) while the ticket waits for the customer or is closed.
	Deadline       time.Time `json:"deadline,omitzero"`
	OpenedAt       time.Time `json:"opened_at"`
	LastActivityAt time.Time `json:"last_activity_at"`
	ClosedAt       time.Time `json:"closed_at,omitzero"`
	ClosedBy       int64     `json:"closed_by,omitempty"`
	WaitingSince   time.Time `json:"waiting_since,omitzero"`     // since when it waits for the customer
	Problem        string    `json:"customer_problem,omitempty"` // one-line summary
	RealEmail      string    `json:"real_email,omitempty"`       // the customer's own address
	DeliveryDate   string    `json:"delivery_date,omitempty"`    // YYYY-MM-DD
	Reason         string    `json:"reason,omitempty"`           // the marketplace's topic
	Subject        string    `json:"subject,omitempty"`
	MessageCount   int       `json:"message_count"`
	Preview        string    `json:"preview,omitempty"` // the start of the last message
}

// previewLen is how much of the last message the inbox shows.
const previewLen = 160

// setPreview keeps the start of a message's text as the ticket's preview.
func (t *Ticket) setPreview(body string) {
	t.Preview = clip(strings.Join(strings.Fields(body), " "), previewLen)
}

// TicketNumber is the short number people read and type: the ticket's id.
func TicketNumber(id int64) string { return strconv.FormatInt(id, 10) }

// ParseTicketNumber accepts "123", "#123" or "T-123".
func ParseTicketNumber(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "#")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "T-"), "t-")
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// Overdue reports whether the ticket waits for us past its deadline.
func (t *Ticket) Overdue(now time.Time) bool {
	return t.Status == StatusWaitingAdmin && !t.Deadline.IsZero() && now.After(t.Deadline)
}

// DueSoon reports whether the ticket must be answered within DueSoonWindow
// and is not late yet.
func (t *Ticket) DueSoon(now time.Time) bool {
	return t.Status == StatusWaitingAdmin && !t.Deadline.IsZero() && !now.After(t.Deadline) && t.Deadline.Before(now.Add(DueSoonWindow))
}

// DueSoonWindow is « dans moins de 4 h ».
const DueSoonWindow = 4 * time.Hour

// AgeDays is the number of whole days since the ticket was opened.
func (t *Ticket) AgeDays(now time.Time) int {
	if t.OpenedAt.IsZero() {
		return 0
	}
	return int(now.Sub(t.OpenedAt).Hours() / 24)
}

// validDate checks a YYYY-MM-DD date.
func validDate(s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return fmt.Errorf("date attendue au format AAAA-MM-JJ")
	}
	return nil
}
