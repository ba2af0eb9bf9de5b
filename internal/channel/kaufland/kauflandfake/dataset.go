package kauflandfake

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Dataset describes a generated history: Orders orders with one to three
// units and a ticket each (a tenth of them a second one), and Messages
// messages over those tickets, PerSecond of them sharing each second, the
// last one a minute before the clock.
type Dataset struct {
	Orders    int // default 200
	Messages  int // default 3000
	PerSecond int // default 7: messages that share a timestamp
	Seed      uint64
}

var reasons = []string{"product_not_as_described", "product_defect", "product_not_delivered", "product_return", "contact_other"}
var topics = []string{"", "delivery_delayed", "delivery_not_received", "order_product_defect", "return_request_label", "invoice_needed"}
var roles = []string{"buyer", "buyer", "buyer", "buyer", "seller", "customer_service", "system"}

func (s *Server) generate(d Dataset) {
	if d.Orders <= 0 {
		d.Orders = 200
	}
	if d.Messages <= 0 {
		d.Messages = 3000
	}
	if d.PerSecond <= 0 {
		d.PerSecond = 7
	}
	r := rand.New(rand.NewPCG(d.Seed, d.Seed+1))
	end := s.now().Add(-time.Minute)
	start := end.Add(-time.Duration(d.Messages/d.PerSecond+1) * time.Second)
	var tickets []string
	for i := range d.Orders {
		var units []Unit
		for range 1 + r.IntN(3) {
			units = append(units, Unit{Price: 500 + r.IntN(20000), Shipping: 390})
		}
		o := s.AddOrder(Order{ID: fmt.Sprintf("D%05d", i+1), Created: start.Add(-48 * time.Hour),
			Buyer: Buyer{Email: fmt.Sprintf("acheteur%d@example.de", i+1)}, Units: units})
		s.mu.Lock()
		tickets = append(tickets, s.openTicket(o.ID, reasons[r.IntN(len(reasons))], topics[r.IntN(len(topics))], start.Add(-time.Hour)))
		if i%10 == 0 {
			tickets = append(tickets, s.openTicket(o.ID, "contact_other", "", start.Add(-time.Hour), o.Units[0].ID))
		}
		s.mu.Unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range d.Messages {
		at := start.Add(time.Duration(i/d.PerSecond) * time.Second)
		t := tickets[r.IntN(len(tickets))]
		s.addMessage(t, roles[r.IntN(len(roles))], fmt.Sprintf("Message %d du ticket %s", i+1, t), at)
	}
}
