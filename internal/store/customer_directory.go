package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"guichet/internal/desk"
)

// customerSortColumns are the directory's sort keys and their columns;
// each has an index (column, id). Names and addresses sort without regard
// to case, on the search's lower() indexes (migration 0015).
var customerSortColumns = map[string]struct {
	column  string
	numeric bool
}{
	desk.SortCustomerID:         {"id", true},
	desk.SortCustomerLastName:   {"lower(last_name)", false},
	desk.SortCustomerFirstName:  {"lower(first_name)", false},
	desk.SortCustomerEmail:      {"lower(email)", false},
	desk.SortCustomerEnabled:    {"enabled", true},
	desk.SortCustomerNewsletter: {"newsletter", true},
	desk.SortCustomerOptin:      {"optin", true},
	desk.SortCustomerRegistered: {"registered_at", true},
	desk.SortCustomerLastVisit:  {"last_visit_at", true},
}

// prefixEnd is past every string that starts with a prefix: a prefix match
// is a range on an index, on both engines (binary order: SQLite, C.UTF-8).
const prefixEnd = "\U0010FFFF"

// customerQuery builds a directory query's WHERE with numbered parameters.
type customerQuery struct {
	where []string
	args  []any
}

func (q *customerQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *customerQuery) add(cond string) { q.where = append(q.where, cond) }

func (q *customerQuery) clone() customerQuery {
	return customerQuery{where: slices.Clone(q.where), args: slices.Clone(q.args)}
}

// prefix keeps the rows whose column starts with p, any case: the ids
// come from the lower() index alone (no row read), so that a page in id
// order walks them in order and stops at its size, even when a prefix
// matches a hundred thousand people.
func (q *customerQuery) prefix(expr, p string) {
	p = strings.ToLower(p)
	q.add("id IN (SELECT id FROM customers WHERE " + expr + " >= " + q.arg(p) + " AND " + expr + " < " + q.arg(p+prefixEnd) + ")")
}

func (t *tx) FindCustomers(ctx context.Context, f desk.CustomerFilter) ([]desk.Customer, error) {
	sc, ok := customerSortColumns[f.Sort]
	if !ok {
		sc = customerSortColumns[desk.SortCustomerID]
	}
	var q customerQuery
	if !f.IncludeMerged {
		q.add("merged_into IS NULL")
	}
	if f.ChannelID != 0 {
		q.add("channel_id = " + q.arg(f.ChannelID))
	}
	if f.ID != 0 {
		q.add("id = " + q.arg(f.ID))
	}
	if f.LastName != "" {
		q.prefix("lower(last_name)", f.LastName)
	}
	if f.FirstName != "" {
		q.prefix("lower(first_name)", f.FirstName)
	}
	if f.Email != "" {
		q.prefix("lower(email)", f.Email)
	}
	if f.Title != "" {
		q.add("title = " + q.arg(f.Title))
	}
	switch {
	case f.Age > 0:
		q.add("age = " + q.arg(f.Age))
	case f.Age < 0:
		q.add("age = 0")
	}
	for _, b := range []struct {
		column string
		v      *bool
	}{{"enabled", f.Enabled}, {"newsletter", f.Newsletter}, {"optin", f.Optin}} {
		if b.v == nil {
			continue
		}
		column := b.column
		if t.s.dialect.name() != "postgres" && sc.column != "id" && sc.column != column {
			// SQLite has no statistics and takes the flag's index for a
			// few rows, then sorts the hundreds of thousands it finds. A
			// flag keeps a large share of the customers: walking the sort's
			// index and skipping the others stops at the page's size.
			column = "+" + column
		}
		q.add(column + " = " + q.arg(boolInt(*b.v)))
	}
	for _, r := range []struct {
		column string
		from   int64
		to     int64
	}{{"registered_at", ms(f.RegisteredFrom), ms(f.RegisteredTo)}, {"last_visit_at", ms(f.LastVisitFrom), ms(f.LastVisitTo)}} {
		if r.from != 0 {
			q.add(r.column + " >= " + q.arg(r.from))
		}
		if r.to != 0 {
			q.add(r.column + " < " + q.arg(r.to))
		}
	}
	if f.Query != "" {
		q.add("id IN (" + t.customerSearch(&q, f) + ")")
	}
	dir, op := "ASC", ">"
	if f.Desc {
		dir, op = "DESC", "<"
	}
	order := "id " + dir
	if sc.column != "id" {
		order = sc.column + " " + dir + ", id " + dir
	}
	if f.After == nil || sc.column == "id" {
		if f.After != nil {
			q.add("id " + op + " " + q.arg(f.After.ID))
		}
		return t.customerPage(ctx, q, order, f.Limit+1)
	}
	// Past (v, id0) in (column, id) order, as two seeks on the column's
	// index: the rest of v's rows, then the rows past v. SQLite does not
	// seek on a row value over an expression, and a name repeats by the
	// thousand, so one condition would read them all on every page.
	after := func(q *customerQuery) string {
		if sc.numeric {
			n, _ := strconv.ParseInt(f.After.Value, 10, 64)
			return q.arg(n)
		}
		return "lower(CAST(" + q.arg(f.After.Value) + " AS TEXT))" // the same lower() as the column's
	}
	same := q.clone()
	same.add(sc.column + " = " + after(&same) + " AND id " + op + " " + same.arg(f.After.ID))
	out, err := t.customerPage(ctx, same, "id "+dir, f.Limit+1) // one value: in id order (SQLite would sort on the expression)
	if err != nil || len(out) > f.Limit {
		return out, err
	}
	past := q.clone()
	past.add(sc.column + " " + op + " " + after(&past))
	rest, err := t.customerPage(ctx, past, order, f.Limit+1-len(out))
	return append(out, rest...), err
}

// customerPage reads up to limit customers matching q in that order.
func (t *tx) customerPage(ctx context.Context, q customerQuery, order string, limit int) ([]desk.Customer, error) {
	where := "1 = 1"
	if len(q.where) > 0 {
		where = strings.Join(q.where, " AND ")
	}
	rows, err := t.queryOnce(ctx, `SELECT `+customerColumns+` FROM customers WHERE `+where+` ORDER BY `+order+` LIMIT `+q.arg(limit), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// customerSearch is the ids one search word finds, each branch a lookup
// on an index: the id, an address (the record's, the real one, or any
// identity), the last IP, or the start of a first or last name. A record
// linked to a person finds that person.
func (t *tx) customerSearch(q *customerQuery, f desk.CustomerFilter) string {
	id, lower, isEmail, isIP := f.SearchTerms()
	var parts []string
	if id != 0 {
		parts = append(parts, "SELECT id FROM customers WHERE id = "+q.arg(id))
	}
	switch {
	case isEmail:
		p := q.arg(lower)
		parts = append(parts,
			"SELECT id FROM customers WHERE lower(email) = "+p,
			"SELECT id FROM customers WHERE lower(real_email) = "+p,
			"SELECT customer_id FROM customer_identities WHERE value = "+p)
	case isIP:
		parts = append(parts, "SELECT id FROM customers WHERE last_ip = "+q.arg(f.Query)+" AND last_ip <> ''")
	default:
		lo, hi := q.arg(lower), q.arg(lower+prefixEnd)
		parts = append(parts,
			"SELECT id FROM customers WHERE lower(last_name) >= "+lo+" AND lower(last_name) < "+hi,
			"SELECT id FROM customers WHERE lower(first_name) >= "+lo+" AND lower(first_name) < "+hi)
	}
	found := strings.Join(parts, " UNION ")
	// the records found, and the people those linked to one are linked to
	// (few rows: the merged index), without reading the rows found
	return found + " UNION SELECT m.merged_into FROM customers m WHERE m.merged_into IS NOT NULL AND m.id IN (" + found + ")"
}

func (t *tx) CustomerRecords(ctx context.Context, personID int64) ([]desk.Customer, error) {
	rows, err := t.query(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = $1 OR merged_into = $1
		ORDER BY CASE WHEN id = $1 THEN 0 ELSE 1 END, id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CustomerIdentities are the records' identities: their current ones,
// read from the rows (the buyer id, the address, relayed or not by the
// channel's kind, the phone, the real address), then the earlier ones
// kept in customer_identities (migration 0015), each (record, kind, value)
// once, by kind and value.
func (t *tx) CustomerIdentities(ctx context.Context, customerIDs []int64) ([]desk.Identity, error) {
	if len(customerIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(customerIDs))
	for i, id := range customerIDs {
		args[i] = id
	}
	list := t.listSQL(len(args))
	type key struct {
		customer int64
		kind     desk.IdentityKind
		value    string
	}
	seen := map[key]bool{}
	var out []desk.Identity
	add := func(i desk.Identity) {
		if i.Value == "" || seen[key{i.CustomerID, i.Kind, i.Value}] {
			return
		}
		seen[key{i.CustomerID, i.Kind, i.Value}] = true
		out = append(out, i)
	}
	rows, err := t.queryOnce(ctx, `SELECT c.id, coalesce(c.channel_id, 0), coalesce(c.external_id, ''), lower(c.email), c.phone, lower(c.real_email),
		coalesce(ch.kind, '') FROM customers c LEFT JOIN channels ch ON ch.id = c.channel_id WHERE c.id IN (`+list+`)`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, channel int64
		var external, email, phone, real string
		var kind desk.ChannelKind
		if err := rows.Scan(&id, &channel, &external, &email, &phone, &real, &kind); err != nil {
			rows.Close()
			return nil, err
		}
		address := desk.IdentityRelay
		if channel == 0 || kind == desk.ChannelPrestaShop || kind == desk.ChannelEmail {
			address = desk.IdentityEmail
		}
		add(desk.Identity{CustomerID: id, Kind: desk.IdentityBuyer, ChannelID: channel, Value: external})
		add(desk.Identity{CustomerID: id, Kind: address, ChannelID: channel, Value: email})
		add(desk.Identity{CustomerID: id, Kind: desk.IdentityPhone, ChannelID: channel, Value: phone})
		add(desk.Identity{CustomerID: id, Kind: desk.IdentityEmail, Value: real})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = t.queryOnce(ctx, `SELECT customer_id, kind, channel_id, value FROM customer_identities WHERE customer_id IN (`+list+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var i desk.Identity
		var ch sql.NullInt64
		if err := rows.Scan(&i.CustomerID, &i.Kind, &ch, &i.Value); err != nil {
			return nil, err
		}
		i.ChannelID = ch.Int64
		add(i)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b desk.Identity) int {
		return cmp.Or(strings.Compare(string(a.Kind), string(b.Kind)), strings.Compare(a.Value, b.Value), cmp.Compare(a.CustomerID, b.CustomerID))
	})
	return out, nil
}

func (t *tx) TicketsOfCustomers(ctx context.Context, customerIDs []int64, limit int) ([]desk.Ticket, error) {
	if len(customerIDs) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(customerIDs)+1)
	for _, id := range customerIDs {
		args = append(args, id)
	}
	args = append(args, limit)
	rows, err := t.queryOnce(ctx, `SELECT `+ticketColumns+` FROM tickets t WHERE t.customer_id IN (`+t.listSQL(len(customerIDs))+`)
		ORDER BY t.id DESC LIMIT `+t.param(len(args)), args...)
	if err != nil {
		return nil, err
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

func (t *tx) SetCustomerMerged(ctx context.Context, id, into int64) error {
	_, err := t.exec(ctx, `UPDATE customers SET merged_into = $2 WHERE id = $1`, id, nullID(into))
	return err
}

func (t *tx) SetCustomerNote(ctx context.Context, id int64, note string) error {
	_, err := t.exec(ctx, `UPDATE customers SET note = $2 WHERE id = $1`, id, note)
	return err
}

func (t *tx) SetCustomerRealEmail(ctx context.Context, id int64, email string) error {
	_, err := t.exec(ctx, `UPDATE customers SET real_email = $2 WHERE id = $1`, id, email)
	return err
}
