package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"guichet/internal/bench"
	"guichet/internal/blob"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// TestTicketViewAttachments reads messages with and without attachments back
// in order (Messages reads them in one query).
func TestTicketViewAttachments(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := bench.LoadData(ctx, s, bench.DataSpec{Tickets: 3}, nil); err != nil {
			t.Fatal(err)
		}
		blobs, err := blob.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		d := desk.New(desk.Config{Store: s, Blobs: blobs})
		agents, _ := d.Agents(ctx)
		agent := desk.ActorOf(agents[1])
		files := func(names ...string) []desk.NewAttachment {
			var out []desk.NewAttachment
			for _, n := range names {
				out = append(out, desk.NewAttachment{Name: n, ContentType: "text/plain", Kind: "photo", Data: strings.NewReader(n)})
			}
			return out
		}
		for _, names := range [][]string{{"a.txt", "b.txt"}, nil, {"c.txt"}} {
			_, err := d.Reply(ctx, agent, desk.ReplyInput{TicketID: 2, Body: "Voici", Status: desk.StatusWaitingCustomer, Attachments: files(names...), Confirmed: true})
			if err != nil {
				t.Fatal(err)
			}
		}
		v, err := d.Ticket(ctx, agent, 2)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range v.Messages {
			got = append(got, strconv.Itoa(m.Seq)+":")
			for _, a := range m.Attachments {
				if a.MessageID != m.ID || a.Kind != "photo" || a.Size != int64(len(a.Name)) {
					t.Errorf("attachment %+v of message %d", a, m.ID)
				}
				got[len(got)-1] += a.Name
			}
		}
		want := "1: 2: 3: 4: 5: 6: 7: 8: 9: 10: 11:a.txtb.txt 12: 13:c.txt"
		if strings.Join(got, " ") != want {
			t.Errorf("messages = %s\nwant %s", strings.Join(got, " "), want)
		}
	})
}
