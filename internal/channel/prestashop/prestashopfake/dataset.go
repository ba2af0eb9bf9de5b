package prestashopfake

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Dataset is a generated customer-service history: Messages messages over
// Threads threads (a third of them without an order, as the contact form
// makes them), PerSecond of them sharing each second, the oldest Span
// before the clock.
type Dataset struct {
	Threads int
	// Orders is how many orders the shop holds in all: those of the
	// threads, and as many more without one (a shop has far more orders
	// than customer-service threads).
	Orders    int
	Messages  int
	PerSecond int
	Span      time.Duration
	Seed      uint64
}

func (s *Server) generate(d Dataset) {
	if d.Threads <= 0 {
		d.Threads = 300
	}
	if d.PerSecond <= 0 {
		d.PerSecond = 7
	}
	if d.Span <= 0 {
		d.Span = 48 * time.Hour
	}
	rnd := rand.New(rand.NewPCG(d.Seed, d.Seed+1))
	start := s.now().Add(-d.Span)
	threads := make([]int, d.Threads)
	for i := range threads {
		t := Thread{Email: fmt.Sprintf("client%d@example.com", i), At: start, Status: []string{"open", "closed", "pending1", "pending2"}[rnd.IntN(4)]}
		if i%3 != 0 {
			c := s.AddCustomer(Customer{FirstName: "Client", LastName: fmt.Sprint(i), Email: t.Email})
			t.Order, t.Customer = s.AddOrder(Order{Customer: c, Reference: fmt.Sprintf("DS%06d", i)}), c
		}
		threads[i] = s.AddThread(t)
	}
	for i := d.Threads - d.Threads/3; i < d.Orders; i++ {
		s.AddOrder(Order{Customer: 1, Reference: fmt.Sprintf("DO%07d", i)})
	}
	step := d.Span / time.Duration(max(1, d.Messages/d.PerSecond))
	for i := range d.Messages {
		at := start.Add(time.Duration(i/d.PerSecond) * step).Truncate(time.Second)
		s.AddMessage(threads[rnd.IntN(len(threads))], rnd.IntN(4) == 0, fmt.Sprintf("message %d du jeu de données", i), at)
	}
}
