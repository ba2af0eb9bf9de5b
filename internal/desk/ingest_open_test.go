package desk_test

import (
	"testing"

	"guichet/internal/desk"
)

// TestIngestOpensTicketsWithTheirCustomers: a batch opens its tickets
// together. A customer with two new orders is one customer; a known
// customer is brought up to date; messages with neither an order nor a
// conversation are a ticket each; messages of one conversation without an
// order are one ticket.
func TestIngestOpensTicketsWithTheirCustomers(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		if _, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-0", "s-0", "Bonjour")}); err != nil {
			t.Fatal(err)
		}
		anne := desk.CustomerInput{ExternalID: "anne", Name: "Anne Roy", Email: "anne@relay.example"}
		known := desk.CustomerInput{ExternalID: "c-K-0", Name: "Jean Client-Martin", Phone: "0601020304"}
		msg := func(order, source, thread string, c desk.CustomerInput) desk.Incoming {
			return desk.Incoming{ChannelID: f.kaufland.ID, OrderRef: order, SourceID: source, ThreadExternalID: thread, Body: "Question " + source, Customer: c}
		}
		res, err := f.d.Ingest(ctx, []desk.Incoming{
			msg("K-1", "s-1", "", anne),
			msg("K-2", "s-2", "", anne),
			msg("K-1", "s-3", "", anne),
			msg("K-3", "s-4", "", known),
			msg("", "s-5", "", desk.CustomerInput{Name: "Sans commande"}),
			msg("", "s-6", "", desk.CustomerInput{Name: "Sans commande"}),
			msg("", "s-7", "conv-9", desk.CustomerInput{Name: "Conversation"}),
			msg("", "s-8", "conv-9", desk.CustomerInput{Name: "Conversation"}),
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored != 8 || res.Opened != 6 || len(res.Tickets) != 6 {
			t.Fatalf("ingest: %+v; want 8 stored, 6 tickets opened", res)
		}
		customer := func(id int64) *desk.Customer {
			t.Helper()
			v := f.view(t, id)
			if v.Customer == nil {
				t.Fatalf("ticket %d has no customer", id)
			}
			return v.Customer
		}
		k1, _ := f.d.LookupTicket(ctx, f.admin, "K-1")
		k2, _ := f.d.LookupTicket(ctx, f.admin, "K-2")
		k3, _ := f.d.LookupTicket(ctx, f.admin, "K-3")
		k0, _ := f.d.LookupTicket(ctx, f.admin, "K-0")
		if c1, c2 := customer(k1.ID), customer(k2.ID); c1.ID != c2.ID || c1.Name != "Anne Roy" || c1.Email != "anne@relay.example" {
			t.Errorf("Anne's two orders: customers %+v and %+v; want one", c1, c2)
		}
		if k1.MessageCount != 2 {
			t.Errorf("K-1 has %d messages; want 2", k1.MessageCount)
		}
		c3, c0 := customer(k3.ID), customer(k0.ID)
		if c3.ID != c0.ID || c3.Name != "Jean Client-Martin" || c3.Phone != "0601020304" || c3.Email != "relay-k-0@kaufland.example" {
			t.Errorf("known customer: %+v (was %+v); want the same one, brought up to date", c3, c0)
		}
		var withoutOrder, conversation []int64
		for _, id := range res.Tickets {
			v := f.view(t, id)
			if v.Ticket.OrderRef != "" {
				continue
			}
			if v.Customer != nil && v.Customer.Name == "Conversation" {
				conversation = append(conversation, id)
				if len(v.Messages) != 2 {
					t.Errorf("the conversation's ticket has %d messages; want 2", len(v.Messages))
				}
			} else {
				withoutOrder = append(withoutOrder, id)
			}
		}
		if len(withoutOrder) != 2 || len(conversation) != 1 {
			t.Errorf("tickets without an order: %d of a message each (want 2), %d for the conversation (want 1)", len(withoutOrder), len(conversation))
		}
	})
}
