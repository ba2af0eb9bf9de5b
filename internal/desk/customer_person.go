package desk

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Profile is what the shop's customer directory says of a person (seed
// « Gérer les clients »): filled from the shop (CSV import, the connector),
// split from the channel's name for the others.
type Profile struct {
	FirstName    string    `json:"first_name,omitempty"`
	LastName     string    `json:"last_name,omitempty"`
	Title        string    `json:"title,omitempty"` // the shop's civility title id (1 M., 2 Mme…), as given
	Age          int       `json:"age,omitempty"`   // 0: unknown (« - »)
	Enabled      bool      `json:"enabled"`
	Newsletter   bool      `json:"newsletter"`
	Optin        bool      `json:"optin"`
	RegisteredAt time.Time `json:"registered_at,omitzero"`
	LastVisitAt  time.Time `json:"last_visit_at,omitzero"`
	LastIP       string    `json:"last_ip,omitempty"`
	RealEmail    string    `json:"real_email,omitempty"` // the person's own address (« Email client »)
	// MergedInto is the person this record was linked to by an agent; 0: a
	// person of its own. Linking moves nothing: unlinking restores it.
	MergedInto int64 `json:"merged_into,omitempty"`
}

// PersonID is the person a customer record belongs to.
func (c Customer) PersonID() int64 {
	if c.MergedInto != 0 {
		return c.MergedInto
	}
	return c.ID
}

// DisplayName is « Prénom NOM » when known, else the channel's name.
func (c Customer) DisplayName() string {
	if n := strings.TrimSpace(c.FirstName + " " + c.LastName); n != "" {
		return n
	}
	if c.Name != "" {
		return c.Name
	}
	return "client n° " + strconv.FormatInt(c.ID, 10)
}

// IdentityKind says how a person is known.
type IdentityKind string

const (
	IdentityBuyer IdentityKind = "buyer" // a channel's customer id
	IdentityRelay IdentityKind = "relay" // an address a marketplace relays
	IdentityEmail IdentityKind = "email" // a real address
	IdentityPhone IdentityKind = "phone"
)

// Identity is one way a person is known: a channel's buyer id, an address,
// a phone. CustomerID is the record it came with.
type Identity struct {
	CustomerID int64        `json:"customer_id"`
	Kind       IdentityKind `json:"kind"`
	ChannelID  int64        `json:"channel_id,omitempty"`
	Value      string       `json:"value"`
}

// Customer sort keys of the directory.
const (
	SortCustomerID         = "id"
	SortCustomerLastName   = "last_name"
	SortCustomerFirstName  = "first_name"
	SortCustomerEmail      = "email"
	SortCustomerEnabled    = "enabled"
	SortCustomerNewsletter = "newsletter"
	SortCustomerOptin      = "optin"
	SortCustomerRegistered = "registered_at"
	SortCustomerLastVisit  = "last_visit_at"
)

// CustomerSorts are the directory's sort keys.
var CustomerSorts = []string{SortCustomerID, SortCustomerLastName, SortCustomerFirstName, SortCustomerEmail,
	SortCustomerEnabled, SortCustomerNewsletter, SortCustomerOptin, SortCustomerRegistered, SortCustomerLastVisit}

// CustomerFilter selects people of the directory: a filter per column
// (names and email: the start, any case), a search (one word: an id, the
// start of a first or last name, an email, an IP), a sort and a keyset.
type CustomerFilter struct {
	ID              int64
	LastName        string
	FirstName       string
	Email           string
	Title           string // the civility title's id, exactly
	Age             int    // exactly; -1: unknown
	Enabled         *bool
	Newsletter      *bool
	Optin           *bool
	RegisteredFrom  time.Time
	RegisteredTo    time.Time // exclusive
	LastVisitFrom   time.Time
	LastVisitTo     time.Time // exclusive
	Query           string
	Sort            string // one of CustomerSorts; default id
	Desc            bool
	After           *CustomerCursor // the last row of the previous page
	Limit           int
	ChannelID       int64 // only this channel's records (CSV export)
	IncludeMerged   bool  // records linked to another person too (CSV export)
	queryID         int64
	queryLower      string
	queryIsEmail    bool
	queryIsIP       bool
	queryIsOnlyName bool
}

// CustomerCursor is where a directory page ends: the sort column's value
// (as text) and the id.
type CustomerCursor struct {
	Value string
	ID    int64
}

// CustomerPage is one page of the directory.
type CustomerPage struct {
	Customers []Customer
	Next      *CustomerCursor // nil on the last page
}

// SearchTerms is how a search word reads: an id, an email, an IP, a name.
func (f CustomerFilter) SearchTerms() (id int64, lower string, isEmail, isIP bool) {
	return f.queryID, f.queryLower, f.queryIsEmail, f.queryIsIP
}

// CustomerDirectoryTx is what the directory and the customer page need.
type CustomerDirectoryTx interface {
	FindCustomers(ctx context.Context, f CustomerFilter) ([]Customer, error)
	// CustomerRecords returns the person and the records linked to it, person first.
	CustomerRecords(ctx context.Context, personID int64) ([]Customer, error)
	CustomerIdentities(ctx context.Context, customerIDs []int64) ([]Identity, error)
	// TicketsOfCustomers lists the tickets of these records, newest first.
	TicketsOfCustomers(ctx context.Context, customerIDs []int64, limit int) ([]Ticket, error)
	SetCustomerMerged(ctx context.Context, id, into int64) error
	SetCustomerNote(ctx context.Context, id int64, note string) error
	SetCustomerRealEmail(ctx context.Context, id int64, email string) error
}

const maxCustomerPage = 200

// Customers returns a page of the directory (people, not the records linked to them).
func (d *Desk) Customers(ctx context.Context, actor Actor, f CustomerFilter) (CustomerPage, error) {
	if actor.AgentID == 0 {
		return CustomerPage{}, Errorf(EForbidden, "réservé aux agents")
	}
	f, err := checkCustomerFilter(f)
	if err != nil {
		return CustomerPage{}, err
	}
	var page CustomerPage
	err = d.store.Read(ctx, func(tx Tx) error {
		cs, err := tx.FindCustomers(ctx, f)
		if err != nil {
			return err
		}
		if len(cs) > f.Limit {
			cs = cs[:f.Limit]
			last := cs[len(cs)-1]
			page.Next = &CustomerCursor{Value: CustomerSortValue(last, f.Sort), ID: last.ID}
		}
		page.Customers = cs
		return nil
	})
	return page, err
}

func checkCustomerFilter(f CustomerFilter) (CustomerFilter, error) {
	if f.Sort == "" {
		f.Sort = SortCustomerID
	}
	known := false
	for _, s := range CustomerSorts {
		known = known || s == f.Sort
	}
	if !known {
		return f, Invalid("sort", "tri inconnu")
	}
	if f.Limit <= 0 || f.Limit > maxCustomerPage {
		f.Limit = 50
	}
	var err error
	for _, p := range []struct {
		field string
		v     *string
	}{{"last_name", &f.LastName}, {"first_name", &f.FirstName}, {"email", &f.Email}, {"q", &f.Query}} {
		if *p.v, err = checkLine(p.field, *p.v, maxLine, false); err != nil {
			return f, err
		}
		*p.v = strings.TrimSpace(*p.v)
	}
	if q := f.Query; q != "" {
		if strings.ContainsAny(q, " \t") {
			return f, Invalid("q", "un seul mot : « john » ou « doe », pas « john doe »")
		}
		f.queryLower = strings.ToLower(q)
		if n, err := strconv.ParseInt(strings.TrimLeft(q, "#"), 10, 64); err == nil && n > 0 {
			f.queryID = n
		}
		f.queryIsEmail = strings.Contains(q, "@")
		f.queryIsIP = looksLikeIP(q)
	}
	return f, nil
}

func looksLikeIP(s string) bool {
	if strings.Count(s, ".") == 3 {
		for _, p := range strings.Split(s, ".") {
			if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 255 {
				return false
			}
		}
		return true
	}
	return strings.Count(s, ":") >= 2
}

// CustomerSortValue is a record's value of a sort column, as the cursor keeps it.
func CustomerSortValue(c Customer, sort string) string {
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	switch sort {
	case SortCustomerLastName:
		return c.LastName
	case SortCustomerFirstName:
		return c.FirstName
	case SortCustomerEmail:
		return c.Email
	case SortCustomerEnabled:
		return b(c.Enabled)
	case SortCustomerNewsletter:
		return b(c.Newsletter)
	case SortCustomerOptin:
		return b(c.Optin)
	case SortCustomerRegistered:
		return strconv.FormatInt(c.RegisteredAt.UnixMilli(), 10)
	case SortCustomerLastVisit:
		if c.LastVisitAt.IsZero() {
			return "0"
		}
		return strconv.FormatInt(c.LastVisitAt.UnixMilli(), 10)
	}
	return strconv.FormatInt(c.ID, 10)
}
