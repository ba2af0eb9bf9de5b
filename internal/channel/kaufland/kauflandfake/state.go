package kauflandfake

import (
	"fmt"
	"slices"
	"time"
)

// Order is an order of the fake, with its units.
type Order struct {
	ID         string
	Storefront string // "de" when empty
	Created    time.Time
	Buyer      Buyer
	Shipping   Address
	Units      []Unit
}

// Buyer is an order's buyer.
type Buyer struct {
	ID    int64
	Email string
}

// Address is a shipping address.
type Address struct {
	FirstName, LastName, Street, HouseNumber, Postcode, City, Country, Phone string
}

// Unit is one order unit (one item) of an order.
type Unit struct {
	ID       int64
	Title    string
	EAN      string
	Offer    string
	Price    int // cents
	Shipping int // cents
	Currency string
	// Status is an OrderUnitStatus; "need_to_be_sent" when empty.
	Status       string
	CancelReason string
	Refunded     int // cents refunded so far
	Updated      time.Time
}

// Ticket is a Kaufland ticket of the fake.
type Ticket struct {
	ID         string
	Units      []int64
	OrderID    string
	Status     string
	Reason     string
	Topic      string // "" for null
	Storefront string
	Created    time.Time
	Updated    time.Time
}

// Message is a ticket message.
type Message struct {
	ID       int64
	TicketID string
	Role     string // buyer, seller, system, customer_service
	Name     string
	Text     string
	Created  time.Time
}

// Posted is a message a seller posted (POST /tickets/{id}/messages), files
// decoded.
type Posted struct {
	ID       int64 // the message it became
	TicketID string
	Text     string
	Files    []File
}

// File is a posted attachment, decoded from its data URI.
type File struct {
	Name     string
	MimeType string
	Data     []byte
}

// Refund is a PATCH /order-units/{id}/refund the fake accepted.
type Refund struct {
	Unit   int64
	Amount int
	Reason string
}

// Cancel is a PATCH /order-units/{id}/cancel the fake accepted.
type Cancel struct {
	Unit   int64
	Reason string
}

// Opened is a POST /tickets the fake accepted.
type Opened struct {
	TicketID string
	Units    []int64
	Reason   string
	Message  string
}

// Request is what the fake saw of a request, for assertions on paging.
type Request struct {
	Method string
	Path   string // without the /v2 prefix
	Query  map[string][]string
	Status int
}

type state struct {
	orders    map[string]*Order
	unitOrder map[int64]string
	tickets   map[string]*Ticket
	messages  []Message // in id order
	posted    []Posted
	refunds   []Refund
	cancels   []Cancel
	closed    []string
	opened    []Opened
	requests  []Request
	nextUnit  int64
	nextTick  int64
	nextMsg   int64
}

func newState() *state {
	return &state{orders: map[string]*Order{}, unitOrder: map[int64]string{}, tickets: map[string]*Ticket{},
		nextUnit: 314567896580000, nextTick: 10000000, nextMsg: 64100000}
}

// AddOrder adds an order; units without an id get one, and empty fields
// sensible values. It returns the order as stored.
func (s *Server) AddOrder(o Order) Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if o.ID == "" {
		o.ID = fmt.Sprintf("M%06d", len(s.st.orders)+1)
	}
	if o.Storefront == "" {
		o.Storefront = "de"
	}
	if o.Created.IsZero() {
		o.Created = now.Add(-72 * time.Hour)
	}
	if o.Buyer.ID == 0 {
		o.Buyer.ID = int64(21000000 + len(s.st.orders))
	}
	if o.Shipping.LastName == "" {
		o.Shipping = Address{FirstName: "Anna", LastName: "Schmidt", Street: "Hauptstraße", HouseNumber: "12",
			Postcode: "10115", City: "Berlin", Country: "DE"}
	}
	if len(o.Units) == 0 {
		o.Units = []Unit{{}}
	}
	for i := range o.Units {
		u := &o.Units[i]
		if u.ID == 0 {
			s.st.nextUnit++
			u.ID = s.st.nextUnit
		}
		if u.Title == "" {
			u.Title = fmt.Sprintf("Produit %d", u.ID%1000)
		}
		if u.EAN == "" {
			u.EAN = fmt.Sprintf("40%011d", u.ID%100000000000)
		}
		if u.Price == 0 {
			u.Price = 1999
		}
		if u.Currency == "" {
			u.Currency = "EUR"
		}
		if u.Status == "" {
			u.Status = "need_to_be_sent"
		}
		if u.Updated.IsZero() {
			u.Updated = o.Created
		}
		s.st.unitOrder[u.ID] = o.ID
	}
	c := o
	c.Units = slices.Clone(o.Units)
	s.st.orders[o.ID] = &c
	return o
}

// Order returns an order as the fake holds it now (units' status and
// refunds included).
func (s *Server) Order(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.st.orders[id]
	if !ok {
		return Order{}, false
	}
	c := *o
	c.Units = slices.Clone(o.Units)
	return c, true
}

// OpenTicket opens a buyer's ticket on units of an order (all of them
// when none is given), with a reason (TicketReason) and a topic
// (TicketTopic, "" for none), and returns its id.
func (s *Server) OpenTicket(orderID, reason, topic string, units ...int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.openTicket(orderID, reason, topic, s.now(), units...)
}

func (s *Server) openTicket(orderID, reason, topic string, at time.Time, units ...int64) string {
	o := s.st.orders[orderID]
	if o == nil {
		panic("kauflandfake: OpenTicket on an unknown order " + orderID)
	}
	if len(units) == 0 {
		for _, u := range o.Units {
			units = append(units, u.ID)
		}
	}
	s.st.nextTick++
	id := fmt.Sprintf("001%08d", s.st.nextTick)
	at = at.UTC().Truncate(time.Second)
	s.st.tickets[id] = &Ticket{ID: id, Units: units, OrderID: orderID, Status: "opened", Reason: reason, Topic: topic,
		Storefront: o.Storefront, Created: at, Updated: at}
	return id
}

// Ticket returns a ticket as the fake holds it now.
func (s *Server) Ticket(id string) (Ticket, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.st.tickets[id]
	if !ok {
		return Ticket{}, false
	}
	return *t, true
}

// AddMessage adds a message by role (buyer, customer_service, system,
// seller) to a ticket, now by the fake's clock, and returns its id.
func (s *Server) AddMessage(ticketID, role, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addMessage(ticketID, role, text, s.now())
}

// AddMessageAt is AddMessage at a given time (to the second, as the API).
func (s *Server) AddMessageAt(ticketID, role, text string, at time.Time) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addMessage(ticketID, role, text, at)
}

func (s *Server) addMessage(ticketID, role, text string, at time.Time) int64 {
	t := s.st.tickets[ticketID]
	if t == nil {
		panic("kauflandfake: message on an unknown ticket " + ticketID)
	}
	at = at.UTC().Truncate(time.Second)
	s.st.nextMsg++
	name := map[string]string{"buyer": "Anna Schmidt", "seller": "Vendeur", "system": "System",
		"customer_service": "Kaufland Kundenservice"}[role]
	s.st.messages = append(s.st.messages, Message{ID: s.st.nextMsg, TicketID: ticketID, Role: role, Name: name, Text: text, Created: at})
	if at.After(t.Updated) {
		t.Updated = at
	}
	return s.st.nextMsg
}

// SetStatus changes a ticket's status (TicketStatus), now.
func (s *Server) SetStatus(ticketID, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.tickets[ticketID]
	if t == nil {
		panic("kauflandfake: status of an unknown ticket " + ticketID)
	}
	t.Status = status
	if now := s.now().UTC().Truncate(time.Second); now.After(t.Updated) {
		t.Updated = now
	}
}

// Messages returns every message, in id order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.messages)
}

// Posted returns what sellers posted to tickets.
func (s *Server) Posted() []Posted {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.posted)
}

// Refunds returns the refunds accepted.
func (s *Server) Refunds() []Refund {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.refunds)
}

// Cancels returns the unit cancellations accepted.
func (s *Server) Cancels() []Cancel {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.cancels)
}

// Closed returns the tickets the seller closed, in order.
func (s *Server) Closed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.closed)
}

// Opened returns the tickets sellers opened.
func (s *Server) Opened() []Opened {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.opened)
}

// Requests returns every request the fake answered (faults included).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.requests)
}
