package desk

import "time"

// Sort orders the inbox. Each has a matching index: never sorted in memory.
type Sort string

const (
	SortDeadline Sort = "deadline" // soonest first (default)
	SortActivity Sort = "activity" // latest activity first
	SortOpened   Sort = "opened"   // newest first
)

// Valid reports whether s is a known sort ("" means the default).
func (s Sort) Valid() bool {
	return s == "" || s == SortDeadline || s == SortActivity || s == SortOpened
}

// MaxPageSize caps the rows of one inbox page.
const MaxPageSize = 200

// TicketFilter selects inbox rows. Zero fields do not filter.
type TicketFilter struct {
	Statuses     []Status
	Priority     Priority
	ChannelID    int64
	AssigneeID   int64 // that agent's tickets
	Unassigned   bool  // nobody's tickets
	Overdue      bool  // waiting for us past the deadline (at Now)
	DueSoon      bool  // waiting for us, due within DueSoonWindow of Now, not late yet
	DeadlineFrom time.Time
	DeadlineTo   time.Time
	OpenedFrom   time.Time
	OpenedTo     time.Time
	Reason       string
	// Text searches message bodies, customer names and emails, order references
	// and ticket numbers, accents and case folded; results come newest ticket first.
	Text  string
	Sort  Sort
	After string // the Next cursor of the previous page
	Limit int
	Now   time.Time // set by desk
}

// TicketRow is one inbox line: the ticket and the names shown beside it.
type TicketRow struct {
	Ticket
	CustomerName string `json:"customer_name,omitempty"`
}

// TicketPage is one page of the inbox; Next is "" on the last page.
type TicketPage struct {
	Tickets []TicketRow `json:"tickets"`
	Next    string      `json:"next,omitempty"`
}

// CountFilter narrows the per-status counters.
type CountFilter struct {
	AssigneeID int64
	ChannelID  int64
	Now        time.Time // for the overdue count
}

// Counts are the inbox counters. Overdue and DueSoon are capped at OverdueCap.
type Counts struct {
	ByStatus map[Status]int `json:"by_status"`
	Overdue  int            `json:"overdue"`
	DueSoon  int            `json:"due_soon"` // « dans moins de 4 h »
}

// OverdueCap bounds the overdue count so it stays cheap ("1000+").
const OverdueCap = 1000
