package live

import (
	"testing"

	"guichet/internal/desk"
)

func TestPublishFansOutAndResyncsSlowSubscribers(t *testing.T) {
	h := New()
	fast, slow := h.Subscribe(), h.Subscribe()
	for i := range 200 {
		h.Notify(desk.Change{TicketID: int64(i), Kind: desk.EventStatus})
		for len(fast.Events) > 0 {
			<-fast.Events
		}
	}
	var got []Event
	for len(slow.Events) > 0 {
		got = append(got, <-slow.Events)
	}
	if len(got) == 0 || len(got) > cap(slow.Events) {
		t.Fatalf("slow subscriber got %d events", len(got))
	}
	if got[len(got)-1].Type != "resync" {
		t.Errorf("slow subscriber's last event %+v; want a resync", got[len(got)-1])
	}
	h.Unsubscribe(fast)
	h.Close()
	if _, ok := <-slow.Events; ok {
		// drain what is left; the channel must end closed
		for range slow.Events {
		}
	}
	late := h.Subscribe()
	if _, ok := <-late.Events; ok {
		t.Error("subscribing to a closed hub gives an open channel")
	}
}
