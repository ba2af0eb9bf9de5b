package miraklfake

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Order is an order of the fake (OR11). Amounts are in cents.
type Order struct {
	ID        string // "FNAC-000001-A" when left empty
	State     string // OR11's order_state; default SHIPPED
	CanCancel bool
	Currency  string // default EUR
	Created   time.Time
	Customer  Customer
	Lines     []Line
	// Shipping: OR11 gives one carrier and tracking per order.
	Carrier, Tracking, TrackingURL string
	Shipped, Received              time.Time
	Payment                        string
}

// Customer is an order's customer and shipping address.
type Customer struct {
	ID, FirstName, LastName string
	Street, Zip, City       string
	Country                 string // ISO 3166-1 alpha-3, default FRA
}

// Line is an order line. Price is the line's price (unit × quantity).
type Line struct {
	ID        string // "<order>-1" when left empty
	SKU       string
	Title     string
	Quantity  int
	Price     int64
	Shipping  int64
	State     string // default: the order's
	CanRefund bool   // set by the fake from the state unless NoRefund
	NoRefund  bool
	Refunded  int64
	Canceled  int
}

// Participant is a party of a thread: type OPERATOR, SHOP or CUSTOMER.
type Participant struct {
	Type, ID, Name string
}

// File is an attachment.
type File struct {
	ID   string
	Name string
	Data []byte
}

// Message is a message of a thread.
type Message struct {
	ID       string
	From     string // OPERATOR_USER, SHOP_USER, CUSTOMER_USER
	FromName string
	Body     string
	To       []Participant
	At       time.Time
	Files    []File
}

// Thread is a conversation: on an order (entity MMP_ORDER) or with the
// operator alone (entity SELLER_OPERATOR).
type Thread struct {
	ID           string
	EntityType   string
	EntityID     string
	EntityLabel  string
	Participants []Participant // authorized: SHOP and the others
	TopicType    string        // FREE_TEXT or REASON_CODE
	Topic        string
	Created      time.Time
	Updated      time.Time
	Messages     []Message
}

// Post is what the seller sent: a reply (M12) or a new thread's first
// message (OR43, M14), with its parts as received.
type Post struct {
	Op      string // M12, OR43, M14
	Thread  string
	Message string
	Body    string
	To      []Participant
	Topic   string
	Files   []File
	ShopID  string
}

// Refund is one refund asked with OR28.
type Refund struct {
	Order, Line string
	Amount      int64 // cents
	Shipping    int64
	Reason      string
}

// Cancelation is an order cancelled with OR29 (Line "") or a line with OR30.
type Cancelation struct {
	Order, Line string
	Quantity    int
	Amount      int64
	Reason      string
}

// Request is a request the fake answered.
type Request struct {
	Method, Path, Query string
	Status              int
}

type state struct {
	orders       map[string]*Order
	orderIDs     []string
	threads      map[string]*Thread
	attachments  map[string]File
	seq          int
	posts        []Post
	refunds      []Refund
	cancelations []Cancelation
	requests     []Request
}

func newState() *state {
	return &state{orders: map[string]*Order{}, threads: map[string]*Thread{}, attachments: map[string]File{}}
}

func (st *state) next() int { st.seq++; return st.seq }

// refundable states: the goods left the shop.
var refundable = []string{"SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"}

// AddOrder adds an order, filling what is left empty, and returns it.
func (s *Server) AddOrder(o Order) Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.addOrder(o)
}

func (s *Server) addOrder(o Order) *Order {
	st := s.st
	if o.ID == "" {
		o.ID = fmt.Sprintf("FNAC-%06d-A", st.next())
	}
	if o.State == "" {
		o.State = "SHIPPED"
	}
	if o.Currency == "" {
		o.Currency = "EUR"
	}
	if o.Created.IsZero() {
		o.Created = s.now().Add(-72 * time.Hour)
	}
	if o.Customer.ID == "" {
		o.Customer = Customer{ID: "C-" + o.ID, FirstName: "Camille", LastName: "Durand", Street: "12 rue des Lilas", Zip: "69003", City: "Lyon"}
	}
	if o.Customer.Country == "" {
		o.Customer.Country = "FRA"
	}
	if len(o.Lines) == 0 {
		o.Lines = []Line{{Title: "Casque audio sans fil", SKU: "CASQ-01", Quantity: 1, Price: 7990, Shipping: 490}}
	}
	for i := range o.Lines {
		l := &o.Lines[i]
		if l.ID == "" {
			l.ID = fmt.Sprintf("%s-%d", o.ID, i+1)
		}
		if l.State == "" {
			l.State = o.State
		}
		if l.Quantity == 0 {
			l.Quantity = 1
		}
		l.CanRefund = !l.NoRefund && slices.Contains(refundable, l.State)
	}
	if o.Payment == "" {
		o.Payment = "CB"
	}
	p := &o
	if _, ok := st.orders[o.ID]; !ok {
		st.orderIDs = append(st.orderIDs, o.ID)
	}
	st.orders[o.ID] = p
	return p
}

// AddThread opens a thread on order (or with the operator alone when order
// is "") between the shop and participants (CUSTOMER, OPERATOR) about
// topic (a free text), and returns its id.
func (s *Server) AddThread(order string, participants []string, topic string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addThread(order, participants, "FREE_TEXT", topic).ID
}

func (s *Server) addThread(order string, participants []string, topicType, topic string) *Thread {
	st := s.st
	n := st.next()
	t := &Thread{ID: fmt.Sprintf("3f1c%04x-7a2b-4c1d-9e0f-%012d", n%0xffff, n), TopicType: topicType, Topic: topic,
		Created: s.now(), Updated: s.now()}
	t.Participants = []Participant{{Type: "SHOP", ID: "2001", Name: "Ma Boutique"}}
	if order != "" {
		t.EntityType, t.EntityID, t.EntityLabel = "MMP_ORDER", order, order
	} else {
		t.EntityType, t.EntityID, t.EntityLabel = "SELLER_OPERATOR", "2001", "Ma Boutique"
	}
	for _, p := range participants {
		switch strings.ToUpper(p) {
		case "CUSTOMER":
			c := Customer{ID: "C-" + order, FirstName: "Camille", LastName: "Durand"}
			if o := st.orders[order]; o != nil {
				c = o.Customer
			}
			t.Participants = append(t.Participants, Participant{Type: "CUSTOMER", ID: c.ID, Name: c.FirstName + " " + c.LastName})
		case "OPERATOR":
			t.Participants = append(t.Participants, Participant{Type: "OPERATOR", Name: s.operator})
		}
	}
	st.threads[t.ID] = t
	return t
}

// AddMessage adds a message to thread from sender (CUSTOMER, OPERATOR or
// SHOP) at at, with files, and returns its id. The thread's date_updated
// moves up to at.
func (s *Server) AddMessage(thread, sender, body string, at time.Time, files ...File) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.threads[thread]
	if t == nil {
		panic("miraklfake: unknown thread " + thread)
	}
	return s.addMessage(t, strings.TrimSuffix(strings.ToUpper(sender), "_USER"), body, at, nil, files).ID
}

func (s *Server) addMessage(t *Thread, sender, body string, at time.Time, to []Participant, files []File) *Message {
	n := s.st.next()
	m := Message{ID: fmt.Sprintf("8c2e%04x-51d0-4b7a-a1c3-%012d", n%0xffff, n), From: sender + "_USER", Body: body, At: at.UTC()}
	for _, p := range t.Participants {
		if p.Type == sender {
			m.FromName = p.Name
		} else if to == nil {
			m.To = append(m.To, p)
		}
	}
	if to != nil {
		m.To = to
	}
	if m.FromName == "" {
		m.FromName = strings.ToLower(sender)
	}
	for _, f := range files {
		f.ID = fmt.Sprintf("att-%d", s.st.next())
		s.st.attachments[f.ID] = f
		m.Files = append(m.Files, f)
	}
	if len(t.Messages) == 0 {
		t.Created, t.Updated = m.At, m.At // a thread starts with its first message
	}
	t.Messages = append(t.Messages, m)
	if m.At.After(t.Updated) {
		t.Updated = m.At
	}
	return &t.Messages[len(t.Messages)-1]
}

// Thread returns a copy of a thread.
func (s *Server) Thread(id string) (Thread, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.st.threads[id]
	if !ok {
		return Thread{}, false
	}
	c := *t
	c.Messages = slices.Clone(t.Messages)
	return c, true
}

// Order returns an order as it is now.
func (s *Server) Order(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.st.orders[id]
	if !ok {
		return Order{}, false
	}
	c := *o
	c.Lines = slices.Clone(o.Lines)
	return c, true
}

// Posted returns what the seller sent (M12, OR43, M14), oldest first.
func (s *Server) Posted() []Post { s.mu.Lock(); defer s.mu.Unlock(); return slices.Clone(s.st.posts) }

// Refunds returns the refunds asked (OR28).
func (s *Server) Refunds() []Refund {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.refunds)
}

// Cancelations returns the cancellations done (OR29, OR30).
func (s *Server) Cancelations() []Cancelation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.cancelations)
}

// Requests returns the requests answered, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.requests)
}

// Count is how many requests went to path (method and path, "GET /api/inbox/threads").
func (s *Server) Count(methodPath string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method+" "+r.Path == methodPath {
			n++
		}
	}
	return n
}
