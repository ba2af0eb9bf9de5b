package mail_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"guichet/internal/blob"
	"guichet/internal/channel"
	"guichet/internal/channel/mail/mailtest"
	"guichet/internal/desk"
	"guichet/internal/store"
	gsync "guichet/internal/sync"
)

var ctx = context.Background()

// env is a desk over a real store, with mailboxes on real loopback IMAP
// and SMTP servers, synced and delivered by the real sync engine.
type env struct {
	t      *testing.T
	s      *store.Store
	d      *desk.Desk
	admin  desk.Actor
	agent  desk.Actor
	srv    servers
	conns  map[int64]channel.Connector
	runner *gsync.Runner
}

func newEnv(t *testing.T, s *store.Store) *env { return newEnvOn(t, s, "") }

// newEnvOn is newEnv; a tag makes its agent another one, for a second env
// on the same store.
func newEnvOn(t *testing.T, s *store.Store, tag string) *env {
	t.Helper()
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, s: s, d: desk.New(desk.Config{Store: s, Blobs: blobs}), conns: map[int64]channel.Connector{}}
	if _, err := e.d.EnsureAdmin(ctx, "admin@example.fr"); err != nil {
		t.Fatal(err)
	}
	agents, _ := e.d.Agents(ctx)
	e.admin = desk.ActorOf(agents[0])
	a, err := e.d.SaveAgent(ctx, e.admin, desk.AgentInput{Email: "lea" + tag + "@example.fr", Name: "Léa", Role: desk.RoleADV, Active: true, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	e.agent = desk.ActorOf(a)
	e.srv = startServers(t, mailtest.StartTLS, mailtest.TLS)
	e.setRunner()
	return e
}

// setRunner builds the env's sync runner, changed by opts.
func (e *env) setRunner(opts ...func(*gsync.Config)) {
	c := gsync.Config{Desk: e.d, Leases: e.s, Jitter: func() float64 { return 0.5 }, Tick: 10 * time.Millisecond,
		Connectors: gsync.ConnectorsFunc(func(_ context.Context, ch desk.Channel) (channel.Connector, error) {
			if c, ok := e.conns[ch.ID]; ok {
				return c, nil
			}
			return nil, fmt.Errorf("%s : %w", ch.Name, channel.ErrNotSupported)
		})}
	for _, o := range opts {
		o(&c)
	}
	e.runner = gsync.New(c)
}

// mailbox creates a channel of kind on the env's servers (settings
// overridden by extra) and its connector.
func (e *env) mailbox(kind desk.ChannelKind, name string, extra ...string) desk.Channel {
	e.t.Helper()
	ch, err := e.d.SaveChannel(ctx, e.admin, desk.Channel{Kind: kind, Name: name, GuardNames: []string{}, Active: true})
	if err != nil {
		e.t.Fatal(err)
	}
	e.conns[ch.ID] = connector(e.t, kind, e.srv.settings(extra...))
	return ch
}

// deliver puts a raw email into the mailbox's INBOX.
func (e *env) deliver(raw string) {
	e.t.Helper()
	e.srv.imap.Append(e.t, "sav", "INBOX", []byte(raw))
}

// sync runs the sync engine once on ch and returns its report.
func (e *env) sync(ch desk.Channel) gsync.ChannelReport {
	e.t.Helper()
	rep, err := e.runner.Once(ctx, ch.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range rep.Channels {
		if c.ChannelID == ch.ID {
			if len(c.Errors) > 0 {
				e.t.Logf("sync %s: %v", ch.Name, c.Errors)
			}
			return c
		}
	}
	e.t.Fatalf("no report for %s", ch.Name)
	return gsync.ChannelReport{}
}

// tickets are the channel's tickets, oldest first.
func (e *env) tickets(ch desk.Channel) []desk.Ticket {
	e.t.Helper()
	rows, err := e.s.DB().QueryContext(ctx, `SELECT id FROM tickets WHERE channel_id = $1 ORDER BY id`, ch.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			e.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	var ts []desk.Ticket
	for _, id := range ids {
		ts = append(ts, e.view(id).Ticket)
	}
	return ts
}

func (e *env) view(id int64) desk.TicketView {
	e.t.Helper()
	v, err := e.d.Ticket(ctx, e.admin, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// incoming are a ticket's incoming messages.
func (e *env) incoming(id int64) []desk.Message {
	var out []desk.Message
	for _, m := range e.view(id).Messages {
		if m.Direction == desk.In {
			out = append(out, m)
		}
	}
	return out
}

func (e *env) parked() []desk.ParkedMessage {
	e.t.Helper()
	ps, _, err := e.d.ParkedMessages(ctx, e.admin)
	if err != nil {
		e.t.Fatal(err)
	}
	return ps
}

// email is a raw message: headers (in order) and a plain UTF-8 body.
func email(body string, headers ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", headers[i], headers[i+1])
	}
	if !strings.Contains(b.String(), "Content-Type:") {
		b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n")
	}
	if !strings.Contains(b.String(), "Date:") {
		b.WriteString("Date: " + time.Now().Add(-time.Minute).Format(time.RFC1123Z) + "\r\n")
	}
	b.WriteString("\r\n")
	b.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	return b.String()
}
