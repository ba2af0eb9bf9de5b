package outmail_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/blob"
	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/outmail"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// mailbox is an email channel's connector as far as the worker sees it: it
// takes emails (Mailer), failing the first `fail` calls.
type mailbox struct {
	mu     sync.Mutex
	fail   int
	refuse bool
	got    []channel.Email
}

func (m *mailbox) Fetch(context.Context, string) (channel.Batch, error) { return channel.Batch{}, nil }
func (m *mailbox) Send(context.Context, channel.Reply) (channel.Sent, error) {
	return channel.Sent{}, errors.New("not used")
}

func (m *mailbox) Mail(_ context.Context, e channel.Email) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.refuse {
		return "", &channel.Error{Kind: channel.Refused, Status: 550, Message: "boîte inconnue"}
	}
	if m.fail > 0 {
		m.fail--
		return "", errors.New("dial tcp 127.0.0.1:25: connection refused")
	}
	m.got = append(m.got, e)
	return "<" + e.Subject + "@test>", nil
}

type connectors map[int64]channel.Connector

func (cs connectors) Connector(_ context.Context, ch desk.Channel) (channel.Connector, error) {
	if c, ok := cs[ch.ID]; ok {
		return c, nil
	}
	return nil, channel.ErrNotSupported
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// A forwarded ticket with its attachment, and a notification for an agent
// who wants them by email, leave through the email channel's Mailer; a
// failure is retried after its backoff, a refusal is given up, and nothing
// is sent twice.
func TestWorkerSendsRetriesAndGivesUp(t *testing.T) {
	ctx := context.Background()
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		blobs, err := blob.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
		d := desk.New(desk.Config{Store: s, Blobs: blobs, Now: c.now})
		if _, err := d.EnsureAdmin(ctx, "admin@example.fr"); err != nil {
			t.Fatal(err)
		}
		agents, _ := d.Agents(ctx)
		admin := desk.ActorOf(agents[0])
		lea, err := d.SaveAgent(ctx, admin, desk.AgentInput{Email: "lea@example.fr", Name: "Léa", Role: desk.RoleADV, Active: true, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		ch, err := d.SaveChannel(ctx, admin, desk.Channel{Kind: desk.ChannelEmail, Name: "SAV", GuardNames: []string{}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		r, err := d.Ingest(ctx, []desk.Incoming{{ChannelID: ch.ID, SourceID: "m1", OrderRef: "A-1", Body: "Voici la photo",
			Files: []desk.IncomingFile{{Name: "photo.png", ContentType: "image/png", Data: []byte("PNG bytes")}}}})
		if err != nil {
			t.Fatal(err)
		}
		box := &mailbox{fail: 1}
		w := &outmail.Worker{Desk: d, Connectors: connectors{ch.ID: box}, Blobs: blobs}
		if err := d.ForwardTicket(ctx, admin, desk.ForwardInput{TicketID: r.Tickets[0], Email: "transport@example.fr", Comment: "Litige"}); err != nil {
			t.Fatal(err)
		}
		if err := d.SetNotifyByEmail(ctx, desk.ActorOf(lea), true); err != nil {
			t.Fatal(err)
		}
		if err := d.ForwardTicket(ctx, admin, desk.ForwardInput{TicketID: r.Tickets[0], AgentID: lea.ID}); err != nil {
			t.Fatal(err)
		}

		res, err := w.RunOnce(ctx)
		if err != nil || res.Notifications != 1 || res.Sent != 1 || res.Retried != 1 {
			t.Fatalf("first run: %+v, %v", res, err)
		}
		if res, _ := w.RunOnce(ctx); res.Sent != 0 || res.Retried != 0 {
			t.Fatalf("ran again before the backoff: %+v", res)
		}
		c.t = c.t.Add(desk.EmailBackoff(1) + time.Second)
		if res, err := w.RunOnce(ctx); err != nil || res.Sent != 1 {
			t.Fatalf("after the backoff: %+v, %v", res, err)
		}
		if res, _ := w.RunOnce(ctx); res.Sent != 0 {
			t.Fatalf("sent twice: %+v", res)
		}
		var fwd, note *channel.Email
		for i, e := range box.got {
			switch e.To[0] {
			case "transport@example.fr":
				fwd = &box.got[i]
			case "lea@example.fr":
				note = &box.got[i]
			}
		}
		if fwd == nil || note == nil || len(box.got) != 2 {
			t.Fatalf("got %+v", box.got)
		}
		if !strings.HasPrefix(fwd.Text, "Litige") || len(fwd.Files) != 1 || string(fwd.Files[0].Data) != "PNG bytes" {
			t.Fatalf("forward: %+v", fwd)
		}
		if ns, _, _ := d.Notifications(ctx, desk.ActorOf(lea)); ns[0].EmailState != desk.EmailSent {
			t.Fatalf("notification: %+v", ns[0])
		}

		box.refuse = true
		if err := d.ForwardTicket(ctx, admin, desk.ForwardInput{TicketID: r.Tickets[0], Email: "inconnu@example.fr"}); err != nil {
			t.Fatal(err)
		}
		if res, err := w.RunOnce(ctx); err != nil || res.Failed != 1 {
			t.Fatalf("refused: %+v, %v", res, err)
		}
		es, _ := d.TicketEmails(ctx, admin, r.Tickets[0])
		if last := es[len(es)-1]; last.State != desk.EmailFailed || !strings.Contains(last.LastError, "boîte inconnue") {
			t.Fatalf("given up: %+v", last)
		}
	})
}
