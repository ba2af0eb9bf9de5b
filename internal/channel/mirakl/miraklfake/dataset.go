package miraklfake

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Dataset describes a generated history: Orders orders, each with a
// customer thread (and one in OperatorEvery with an operator thread too),
// Messages messages spread over them within Span before the clock, and
// OrderLess threads with the operator alone.
type Dataset struct {
	Orders        int
	Messages      int
	OperatorEvery int // 0: no operator threads
	OrderLess     int
	Span          time.Duration // default 30 days
	Seed          uint64
}

func (s *Server) generate(d Dataset) {
	if d.Span == 0 {
		d.Span = 30 * 24 * time.Hour
	}
	rnd := rand.New(rand.NewPCG(d.Seed, d.Seed+1))
	s.mu.Lock()
	defer s.mu.Unlock()
	start := s.now().Add(-d.Span)
	var threads []*Thread
	for i := range d.Orders {
		o := s.addOrder(Order{ID: fmt.Sprintf("DS-%06d-A", i+1), Carrier: "Colissimo", Tracking: fmt.Sprintf("6A%011d", i),
			TrackingURL: fmt.Sprintf("https://www.laposte.fr/outils/suivre-vos-envois?code=6A%011d", i)})
		t := s.addThread(o.ID, []string{"CUSTOMER", "OPERATOR"}, "FREE_TEXT", "Suivi de commande")
		t.Created, t.Updated = start, start
		threads = append(threads, t)
		if d.OperatorEvery > 0 && i%d.OperatorEvery == 0 {
			t := s.addThread(o.ID, []string{"OPERATOR"}, "FREE_TEXT", "Réclamation client")
			t.Created, t.Updated = start, start
			threads = append(threads, t)
		}
	}
	for range d.OrderLess {
		t := s.addThread("", []string{"OPERATOR"}, "FREE_TEXT", "Question de l'opérateur")
		t.Created, t.Updated = start, start
		threads = append(threads, t)
	}
	if len(threads) == 0 {
		return
	}
	step := d.Span / time.Duration(max(1, d.Messages))
	for i := range d.Messages {
		t := threads[rnd.IntN(len(threads))]
		sender := "CUSTOMER"
		if t.Participants[len(t.Participants)-1].Type == "OPERATOR" && len(t.Participants) == 2 {
			sender = "OPERATOR"
		}
		if rnd.IntN(4) == 0 {
			sender = "SHOP"
		}
		// Some messages share a second, as on a busy instance.
		at := start.Add(time.Duration(i) * step).Truncate(time.Second)
		s.addMessage(t, sender, fmt.Sprintf("message %d du jeu de données", i), at, nil, nil)
	}
}
