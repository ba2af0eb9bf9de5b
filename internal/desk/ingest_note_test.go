package desk_test

import (
	"slices"
	"testing"

	"guichet/internal/desk"
)

// A seller's private note fetched from the channel becomes an internal
// note of its conversation's ticket: no thread, no change of status,
// stored once however often it is fetched; the conversation's next
// message goes to the same ticket.
func TestIngestInternalNote(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		first := desk.Incoming{ChannelID: f.shop.ID, SourceID: "m-1", ThreadExternalID: "th-9", Body: "Bonjour, où est mon colis ?"}
		res, err := f.d.Ingest(ctx, []desk.Incoming{first})
		if err != nil || res.Opened != 1 {
			t.Fatalf("first message: %+v %v", res, err)
		}
		id := res.Tickets[0]
		if _, err := f.d.UpdateTicket(ctx, f.marc, id, desk.TicketPatch{Status: ptr(desk.StatusWaitingCustomer)}); err != nil {
			t.Fatal(err)
		}
		note := desk.Incoming{ChannelID: f.shop.ID, SourceID: "m-2", ThreadExternalID: "th-9", Body: "Client difficile, voir avec Paul", Internal: true}
		for range 2 {
			if _, err := f.d.Ingest(ctx, []desk.Incoming{note}); err != nil {
				t.Fatal(err)
			}
		}
		v := f.view(t, id)
		var notes []desk.Message
		for _, m := range v.Messages {
			if m.Internal {
				notes = append(notes, m)
			}
		}
		if len(v.Messages) != 2 || len(notes) != 1 || notes[0].ThreadID != 0 || notes[0].Direction != desk.Out || notes[0].SourceID != "m-2" {
			t.Fatalf("messages %+v; want the note once, internal, without a thread", v.Messages)
		}
		if v.Ticket.Status != desk.StatusWaitingCustomer {
			t.Errorf("status %s after a note; want it unchanged", v.Ticket.Status)
		}
		if !slices.Contains(eventKinds(v), desk.EventNote) {
			t.Errorf("events %v; want a note event", eventKinds(v))
		}
		later := desk.Incoming{ChannelID: f.shop.ID, SourceID: "m-3", ThreadExternalID: "th-9", Body: "Alors ?"}
		res, err = f.d.Ingest(ctx, []desk.Incoming{later})
		if err != nil || res.Opened != 0 || res.Tickets[0] != id {
			t.Errorf("the conversation's next message: %+v %v; want ticket %d", res, err, id)
		}
	})
}
