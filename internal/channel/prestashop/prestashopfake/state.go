package prestashopfake

import (
	"fmt"
	"strconv"
	"time"
)

// row is one item of a resource: its fields as PrestaShop stores them
// (strings; "0" and "" for none), multilingual fields with "@2" for the
// second language, and an order's rows.
type row struct {
	id   int
	f    map[string]string
	rows []map[string]string // orders: order_rows
}

type table struct {
	rows []*row
	byID map[int]*row
	next int
}

type state struct {
	tables map[string]*table
	// threadMessages lists each thread's messages, for the threads'
	// associations: scanning every message for each thread made a
	// display=full page of threads cost seconds at 40 000 messages.
	threadMessages map[string][]int
	posted         []Post
	requests       []Request
}

func newState() *state {
	st := &state{tables: map[string]*table{}, threadMessages: map[string][]int{}}
	for name := range resources {
		st.tables[name] = &table{byID: map[int]*row{}, next: 1}
	}
	return st
}

func (st *state) insert(resource string, f map[string]string) *row {
	t := st.tables[resource]
	r := &row{id: t.next, f: f}
	t.next++
	t.rows = append(t.rows, r)
	t.byID[r.id] = r
	if resource == "customer_messages" {
		th := f["id_customer_thread"]
		st.threadMessages[th] = append(st.threadMessages[th], r.id)
	}
	return r
}

func (st *state) get(resource string, id int) *row { return st.tables[resource].byID[id] }

// Post is a write the fake accepted: its resource, raw XML body, the
// fields read from it, and the created id.
type Post struct {
	Resource string
	Body     string
	Fields   map[string]string
	ID       int
}

// Request is a request the fake answered.
type Request struct {
	Method string
	Path   string
	Query  string
	Status int
}

// Standard order states of a French shop (PrestaShop's ids).
const (
	StateAwaitingCheque = 1
	StatePaid           = 2
	StatePreparing      = 3
	StateShipped        = 4
	StateDelivered      = 5
	StateCancelled      = 6
	StateRefunded       = 7
	StatePaymentError   = 8
)

// Contacts of a fresh shop, as PrestaShop installs them.
const (
	ContactWebmaster       = 1
	ContactCustomerService = 2
)

// EmployeeID is the employee of a fresh shop (the one replies are written as).
const EmployeeID = 1

func (s *Server) seed() {
	st := s.st
	for _, x := range []struct{ name, en, flags string }{
		{"En attente du paiement par chèque", "Awaiting check payment", ""},
		{"Paiement accepté", "Payment accepted", "paid"},
		{"En cours de préparation", "Processing in progress", "paid"},
		{"Expédié", "Shipped", "paid shipped"},
		{"Livré", "Delivered", "paid shipped delivery"},
		{"Annulé", "Canceled", ""},
		{"Remboursé", "Refunded", "paid"},
		{"Erreur de paiement", "Payment error", ""},
	} {
		f := map[string]string{"name": x.name, "name@2": x.en, "color": "#32CD32", "unremovable": "1", "logable": "1", "send_email": "1"}
		for _, fl := range []string{"paid", "shipped", "delivery"} {
			f[fl] = "0"
			if contains(x.flags, fl) {
				f[fl] = "1"
			}
		}
		st.insert("order_states", f)
	}
	st.insert("contacts", map[string]string{"name": "Webmaster", "email": "webmaster@boutique.example", "customer_service": "0",
		"description": "En cas de problème technique sur ce site"})
	st.insert("contacts", map[string]string{"name": "Service client", "name@2": "Customer service", "email": "contact@boutique.example",
		"customer_service": "1", "description": "Pour toute question sur un produit ou une commande"})
	st.insert("employees", map[string]string{"id_lang": "1", "lastname": "Martin", "firstname": "Léa", "email": "lea@boutique.example",
		"active": "1", "id_profile": "1", "passwd": "$2y$10$x"})
}

func contains(list, word string) bool {
	for _, w := range splitFields(list) {
		if w == word {
			return true
		}
	}
	return false
}

func splitFields(s string) []string {
	var out []string
	start := -1
	for i, c := range s + " " {
		if c == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
			}
			start = -1
		} else if start < 0 {
			start = i
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// date writes t as PrestaShop does: the shop's local time, no zone.
func (s *Server) date(t time.Time) string { return t.In(s.loc).Format(dateLayout) }

const dateLayout = "2006-01-02 15:04:05"

// Customer is a shop customer.
type Customer struct {
	FirstName, LastName, Email string
}

// AddCustomer adds a customer and returns its id.
func (s *Server) AddCustomer(c Customer) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.date(s.now())
	return s.st.insert("customers", map[string]string{"firstname": c.FirstName, "lastname": c.LastName, "email": c.Email,
		"id_lang": "1", "id_shop": "1", "id_shop_group": "1", "id_default_group": "3", "active": "1", "deleted": "0",
		"newsletter": "0", "optin": "0", "is_guest": "0", "passwd": "$2y$10$x", "secure_key": "b44a6d9efd7a0076a0fbce6b15eaf3b1",
		"date_add": now, "date_upd": now}).id
}

// Row is an order line.
type Row struct {
	Name, Reference, EAN string
	Quantity             int
	UnitPrice            string // tax included, "19.990000"
}

// StateAt is a state an order went through, and when.
type StateAt struct {
	State int
	At    time.Time
}

// Order is an order to add. Zero values get defaults: a customer, one
// row, paid by card, states paid then the last one given.
type Order struct {
	Reference string
	Customer  int // 0: a new one
	Rows      []Row
	Payment   string
	Total     string // total_paid_tax_incl, "24.990000"; default: the rows' sum
	History   []StateAt
	// Carrier, with its tracking URL (with @ for the number), and the
	// parcel's tracking number.
	Carrier, CarrierURL, Tracking string
	Address                       Address
	Note                          string // as a marketplace module writes it: « Commande Fnac n° … »
}

// Address is a delivery address.
type Address struct {
	FirstName, LastName, Company, Address1, Address2, Postcode, City, Phone string
}

// AddOrder adds an order with its rows, history, carrier and delivery
// address, and returns its id.
func (s *Server) AddOrder(o Order) int {
	if o.Customer == 0 {
		o.Customer = s.AddCustomer(Customer{FirstName: "Jeanne", LastName: "Dupont", Email: "jeanne.dupont@example.com"})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	now := s.now()
	if len(o.Rows) == 0 {
		o.Rows = []Row{{Name: "Cafetière italienne 6 tasses", Reference: "CAF-6", EAN: "3760123456789", Quantity: 1, UnitPrice: "24.990000"}}
	}
	if o.Payment == "" {
		o.Payment = "Carte bancaire"
	}
	if len(o.History) == 0 {
		o.History = []StateAt{{StatePaid, now}}
	}
	var total float64
	for _, r := range o.Rows {
		p, _ := strconv.ParseFloat(r.UnitPrice, 64)
		total += p * float64(r.Quantity)
	}
	if o.Total == "" {
		o.Total = fmt.Sprintf("%.6f", total)
	}
	a := o.Address
	if a.Address1 == "" {
		a = Address{FirstName: "Jeanne", LastName: "Dupont", Address1: "12 rue des Lilas", Postcode: "69003", City: "Lyon", Phone: "0601020304"}
	}
	addr := st.insert("addresses", map[string]string{"id_customer": itoa(o.Customer), "id_country": "8", "alias": "Mon adresse",
		"firstname": a.FirstName, "lastname": a.LastName, "company": a.Company, "address1": a.Address1, "address2": a.Address2,
		"postcode": a.Postcode, "city": a.City, "phone": a.Phone, "deleted": "0", "date_add": s.date(now), "date_upd": s.date(now)})
	carrierID := 0
	if o.Carrier != "" {
		carrierID = st.insert("carriers", map[string]string{"name": o.Carrier, "url": o.CarrierURL, "active": "1", "deleted": "0",
			"delay": "Livraison en 48 h", "id_reference": "1", "shipping_method": "1", "grade": "0"}).id
	}
	first := o.History[0].At
	last := o.History[len(o.History)-1]
	or := st.insert("orders", map[string]string{"id_address_delivery": itoa(addr.id), "id_address_invoice": itoa(addr.id),
		"id_cart": "1", "id_currency": "1", "id_lang": "1", "id_customer": itoa(o.Customer), "id_carrier": itoa(carrierID),
		"current_state": itoa(last.State), "module": "ps_checkout", "valid": "1", "date_add": s.date(first), "date_upd": s.date(last.At),
		"shipping_number": o.Tracking, "id_shop_group": "1", "id_shop": "1", "secure_key": "b44a6d9efd7a0076a0fbce6b15eaf3b1",
		"payment": o.Payment, "recyclable": "0", "gift": "0", "mobile_theme": "0", "total_discounts": "0.000000",
		"total_paid": o.Total, "total_paid_tax_incl": o.Total, "total_paid_real": o.Total, "total_products": o.Total,
		"total_products_wt": o.Total, "total_shipping": "0.000000", "conversion_rate": "1.000000", "round_mode": "2", "round_type": "2",
		"reference": o.Reference, "note": o.Note})
	if or.f["reference"] == "" {
		or.f["reference"] = fmt.Sprintf("XKBKNABJK%d", or.id)
	}
	for i, r := range o.Rows {
		or.rows = append(or.rows, map[string]string{"id": itoa(or.id*100 + i + 1), "product_id": itoa(i + 1), "product_attribute_id": "0",
			"product_quantity": itoa(r.Quantity), "product_name": r.Name, "product_reference": r.Reference, "product_ean13": r.EAN,
			"product_price": r.UnitPrice, "unit_price_tax_incl": r.UnitPrice, "unit_price_tax_excl": r.UnitPrice, "id_customization": "0"})
	}
	for _, h := range o.History {
		st.insert("order_histories", map[string]string{"id_employee": "0", "id_order_state": itoa(h.State), "id_order": itoa(or.id), "date_add": s.date(h.At)})
	}
	if carrierID != 0 {
		st.insert("order_carriers", map[string]string{"id_order": itoa(or.id), "id_carrier": itoa(carrierID), "id_order_invoice": "0",
			"weight": "1.200000", "tracking_number": o.Tracking, "date_add": s.date(first)})
	}
	return or.id
}

// OrderRef is an order's reference.
func (s *Server) OrderRef(id int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.st.get("orders", id); r != nil {
		return r.f["reference"]
	}
	return ""
}

// Thread is a customer-service thread to add.
type Thread struct {
	Order    int // 0: a question without an order (the contact form)
	Customer int // 0: a visitor without an account
	Email    string
	Contact  int    // default ContactCustomerService
	Status   string // open (default), closed, pending1, pending2
	At       time.Time
}

// AddThread adds a thread and returns its id.
func (s *Server) AddThread(t Thread) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.Contact == 0 {
		t.Contact = ContactCustomerService
	}
	if t.Status == "" {
		t.Status = "open"
	}
	if t.At.IsZero() {
		t.At = s.now()
	}
	if t.Email == "" && t.Customer != 0 {
		if c := s.st.get("customers", t.Customer); c != nil {
			t.Email = c.f["email"]
		}
	}
	at := s.date(t.At)
	return s.st.insert("customer_threads", map[string]string{"id_lang": "1", "id_shop": "1", "id_customer": itoa(t.Customer),
		"id_order": itoa(t.Order), "id_product": "0", "id_contact": itoa(t.Contact), "email": t.Email,
		"token": fmt.Sprintf("tok%09d", s.st.tables["customer_threads"].next), "status": t.Status, "date_add": at, "date_upd": at}).id
}

// SetThreadStatus changes a thread's status, as an employee does in the
// back office (its date_upd moves).
func (s *Server) SetThreadStatus(id int, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.st.get("customer_threads", id); r != nil {
		r.f["status"], r.f["date_upd"] = status, s.date(s.now())
	}
}

// AddMessage adds a message to a thread, by the customer or (fromEmployee)
// by EmployeeID in the back office, written at at (zero: now); it returns
// its id.
func (s *Server) AddMessage(thread int, fromEmployee bool, text string, at time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addMessage(thread, fromEmployee, false, text, at)
}

// AddNote adds a private message (an employees' note) to a thread.
func (s *Server) AddNote(thread int, text string, at time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addMessage(thread, true, true, text, at)
}

func (s *Server) addMessage(thread int, fromEmployee, private bool, text string, at time.Time) int {
	if at.IsZero() {
		at = s.now()
	}
	emp, priv := "0", "0"
	if fromEmployee {
		emp = itoa(EmployeeID)
	}
	if private {
		priv = "1"
	}
	d := s.date(at)
	if t := s.st.get("customer_threads", thread); t != nil && d > t.f["date_upd"] {
		t.f["date_upd"] = d
	}
	return s.st.insert("customer_messages", map[string]string{"id_employee": emp, "id_customer_thread": itoa(thread),
		"ip_address": "2130706433", "message": text, "file_name": "", "user_agent": "Mozilla/5.0", "private": priv,
		"date_add": d, "date_upd": d, "read": "0"}).id
}

// Posted returns the writes the fake accepted, oldest first.
func (s *Server) Posted() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post(nil), s.st.posted...)
}

// Requests returns the requests answered, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.st.requests...)
}

// Messages returns the number of customer messages the shop holds.
func (s *Server) Messages() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.tables["customer_messages"].rows)
}
