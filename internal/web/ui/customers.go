package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet/internal/desk"
)

// customersPage is the directory (/customers): a filter per column, a
// search word, a sort per column, pages by keyset.
type customersPage struct {
	desk  *desk.Desk
	views *views
}

type customersData struct {
	page
	F        url.Values // the filters as typed
	Rows     []customerRow
	Error    string
	NextURL  string
	FirstURL string
	Sorts    map[string]string // sort key → its header's link
	SortKey  string
	Desc     bool
	Shops    []desk.Channel
	Flags    []flagFilter
}

// flagFilter is a yes/no column's filter.
type flagFilter struct{ Key, Label, Value string }

type customerRow struct {
	ID                          int64
	Title, Last, First, Email   string
	Age                         string
	Enabled, Newsletter, Optin  bool
	Registered, LastVisit, Link string
}

var customerFilterKeys = []string{"id", "title", "age", "last_name", "first_name", "email", "enabled", "newsletter", "optin",
	"reg_from", "reg_to", "visit_from", "visit_to", "q"}

func (h *customersPage) serve(w http.ResponseWriter, r *http.Request, s session) error {
	tr := translator(s.lang())
	q := r.URL.Query()
	d := customersData{page: h.views.base(s, tr.T("customers.title"), "customers"), F: url.Values{}, Sorts: map[string]string{}}
	for _, k := range customerFilterKeys {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			d.F.Set(k, v)
		}
	}
	for _, k := range []string{"enabled", "newsletter", "optin"} {
		d.Flags = append(d.Flags, flagFilter{Key: k, Label: tr.T("col." + k), Value: d.F.Get(k)})
	}
	d.SortKey, d.Desc = q.Get("sort"), q.Get("desc") == "1"
	if d.SortKey == "" {
		d.SortKey = desk.SortCustomerID
	}
	for _, k := range desk.CustomerSorts {
		v := copyQuery(d.F)
		v.Set("sort", k)
		if k == d.SortKey && !d.Desc {
			v.Set("desc", "1")
		}
		d.Sorts[k] = "/customers?" + v.Encode()
	}
	first := copyQuery(d.F)
	first.Set("sort", d.SortKey)
	if d.Desc {
		first.Set("desc", "1")
	}
	d.FirstURL = "/customers?" + first.Encode()
	if chs, err := h.desk.Channels(r.Context()); err == nil {
		for _, c := range chs {
			if c.Kind == desk.ChannelPrestaShop {
				d.Shops = append(d.Shops, c)
			}
		}
	}
	f, err := parseCustomerFilter(q)
	if err == nil {
		f.Sort, f.Desc = d.SortKey, d.Desc
		var p desk.CustomerPage
		if p, err = h.desk.Customers(r.Context(), s.actor(), f); err == nil {
			for _, c := range p.Customers {
				d.Rows = append(d.Rows, customerRowOf(c))
			}
			if p.Next != nil {
				next := copyQuery(first)
				next.Set("after", p.Next.Value)
				next.Set("after_id", strconv.FormatInt(p.Next.ID, 10))
				d.NextURL = "/customers?" + next.Encode()
			}
		}
	}
	status := http.StatusOK
	if err != nil {
		if desk.ErrorCode(err) != desk.EInvalid {
			return err
		}
		d.Error, status = desk.ErrorMessage(err), http.StatusBadRequest
	}
	h.views.render(w, r, status, s.lang(), "customers", d)
	return nil
}

// copyQuery copies a query (inbox.go has its own: the two pages change apart).
func copyQuery(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func customerRowOf(c desk.Customer) customerRow {
	age := "-"
	if c.Age > 0 {
		age = strconv.Itoa(c.Age)
	}
	return customerRow{ID: c.ID, Title: civility(c.Title), Last: c.LastName, First: c.FirstName, Email: c.Email, Age: age,
		Enabled: c.Enabled, Newsletter: c.Newsletter, Optin: c.Optin,
		Registered: showDate(c.RegisteredAt), LastVisit: showTime(c.LastVisitAt), Link: "/customers/" + strconv.FormatInt(c.ID, 10)}
}

// civility is PrestaShop's default titles (1 M., 2 Mme, 3 Mlle).
func civility(id string) string {
	switch id {
	case "1":
		return "M."
	case "2":
		return "Mme"
	case "3":
		return "Mlle"
	}
	return id
}

func showDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(paris).Format(dateLayout)
}

// parseCustomerFilter reads the directory's filters; a value that cannot
// be read is an EInvalid naming it.
func parseCustomerFilter(q url.Values) (desk.CustomerFilter, error) {
	var f desk.CustomerFilter
	if v := strings.TrimSpace(q.Get("id")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return f, desk.Invalid("id", "l'ID est un nombre")
		}
		f.ID = n
	}
	f.Title = strings.TrimSpace(q.Get("title"))
	switch v := strings.TrimSpace(q.Get("age")); v {
	case "":
	case "-":
		f.Age = -1
	default:
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 150 {
			return f, desk.Invalid("age", "un âge, ou « - » pour inconnu")
		}
		f.Age = n
	}
	f.LastName, f.FirstName, f.Email, f.Query = q.Get("last_name"), q.Get("first_name"), q.Get("email"), q.Get("q")
	for _, b := range []struct {
		key string
		v   **bool
	}{{"enabled", &f.Enabled}, {"newsletter", &f.Newsletter}, {"optin", &f.Optin}} {
		switch q.Get(b.key) {
		case "1":
			t := true
			*b.v = &t
		case "0":
			t := false
			*b.v = &t
		}
	}
	for _, dt := range []struct {
		key  string
		v    *time.Time
		next bool // an end date includes its day
	}{{"reg_from", &f.RegisteredFrom, false}, {"reg_to", &f.RegisteredTo, true}, {"visit_from", &f.LastVisitFrom, false}, {"visit_to", &f.LastVisitTo, true}} {
		v := strings.TrimSpace(q.Get(dt.key))
		if v == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", v, paris)
		if err != nil {
			return f, desk.Invalid(dt.key, "date attendue comme 2012-10-25")
		}
		if dt.next {
			t = t.AddDate(0, 0, 1)
		}
		*dt.v = t
	}
	if id := q.Get("after_id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return f, desk.Invalid("after_id", "page inconnue")
		}
		f.After = &desk.CustomerCursor{Value: q.Get("after"), ID: n}
	}
	return f, nil
}

// exportCustomers sends a shop's customers as PrestaShop's CSV.
type exportCustomers struct {
	desk *desk.Desk
}

func (h *exportCustomers) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("channel"), 10, 64)
	if err != nil {
		return desk.Invalid("channel", "choisissez la boutique à exporter")
	}
	ch, err := h.desk.Channel(r.Context(), id)
	if err != nil {
		return err
	}
	if ch.Kind != desk.ChannelPrestaShop {
		return desk.Invalid("channel", "seuls les clients d'une boutique PrestaShop s'exportent dans ce format")
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="clients.csv"`)
	started := false
	err = h.desk.ExportCustomers(r.Context(), s.actor(), id, func(cs []desk.Customer) error {
		if !started {
			started = true
			return desk.WriteCustomerCSV(w, cs)
		}
		return desk.WriteCustomerCSVRows(w, cs)
	})
	if err != nil && started {
		// The file is half sent: nothing else can be said to the browser,
		// which sees a broken download.
		panic(http.ErrAbortHandler)
	}
	return err
}
