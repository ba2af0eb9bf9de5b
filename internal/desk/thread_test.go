package desk_test

import (
	"slices"
	"testing"

	"guichet/internal/desk"
)

// A follow-up in an email conversation without an order, fetched later,
// goes to the ticket of that conversation.
func TestConversationWithoutOrderStaysOneTicket(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		first := desk.Incoming{ChannelID: f.shop.ID, SourceID: "<a@mail>", ThreadExternalID: "conv-1", Body: "Bonjour, une question"}
		res, err := f.d.Ingest(ctx, []desk.Incoming{first})
		if err != nil || res.Opened != 1 || len(res.Tickets) != 1 {
			t.Fatalf("first message: %+v, %v", res, err)
		}
		later := desk.Incoming{ChannelID: f.shop.ID, SourceID: "<b@mail>", ThreadExternalID: "conv-1", Body: "Vous avez vu ?"}
		other := desk.Incoming{ChannelID: f.shop.ID, SourceID: "<c@mail>", ThreadExternalID: "conv-2", Body: "Autre personne"}
		res2, err := f.d.Ingest(ctx, []desk.Incoming{later, other})
		if err != nil || res2.Opened != 1 || res2.Stored != 2 {
			t.Fatalf("follow-up: %+v, %v", res2, err)
		}
		if !slices.Contains(res2.Tickets, res.Tickets[0]) || len(res2.Tickets) != 2 {
			t.Errorf("follow-up went to tickets %v; want %d among them", res2.Tickets, res.Tickets[0])
		}
		if n := len(f.view(t, res.Tickets[0]).Messages); n != 2 {
			t.Errorf("conversation ticket has %d messages; want 2", n)
		}
	})
}

// A reply without a thread goes into the marketplace's conversation.
func TestReplyGoesToTheExistingConversation(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		in := incoming(f.kaufland, "K-55", "m-1", "Bonjour")
		in.ThreadExternalID = "kaufland-ticket-12345678901"
		res, err := f.d.Ingest(ctx, []desk.Incoming{in})
		if err != nil {
			t.Fatal(err)
		}
		m, err := f.d.Reply(ctx, f.marc, desk.ReplyInput{TicketID: res.Tickets[0], Body: "Bonjour !", Status: desk.StatusWaitingCustomer})
		if err != nil {
			t.Fatal(err)
		}
		v := f.view(t, res.Tickets[0])
		if len(v.Threads) != 1 || m.ThreadID != v.Threads[0].ID {
			t.Errorf("reply in thread %d; threads %+v; want the marketplace's one", m.ThreadID, v.Threads)
		}
	})
}
