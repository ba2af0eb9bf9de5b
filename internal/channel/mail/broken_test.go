package mail_test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"guichet/internal/channel/mail/mailtest"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// brokenMailboxes adds to e three mailboxes that cannot be read: a wrong
// password, a server that is down, a server that accepts and never
// answers (with a timeout of timeout seconds).
func brokenMailboxes(t *testing.T, e *env, timeout string) *mailtest.Hang {
	e.mailbox(desk.ChannelEmail, "Mot de passe faux", "password", "faux")
	host, port, _ := net.SplitHostPort(mailtest.Closed(t))
	e.mailbox(desk.ChannelEmail, "Serveur arrêté", "host", host, "port", port)
	hang := mailtest.Hanging(t)
	host, port, _ = net.SplitHostPort(hang.Addr)
	e.mailbox(desk.ChannelEmail, "Serveur muet", "host", host, "port", port, "timeout", timeout)
	return hang
}

// waitStored waits until n messages of ch are stored, the runner polling.
func waitStored(t *testing.T, e *env, ch desk.Channel, n int, limit time.Duration) {
	t.Helper()
	end := time.Now().Add(limit)
	for {
		var got int
		if err := e.s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE channel_id = $1`, ch.ID).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got >= n {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%s: %d messages stored, want %d", ch.Name, got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Broken mailboxes polled beside a good one hold nothing back: the good
// one's messages are all stored while the hanging server still holds its
// connection (its fetch is not over), and each broken one says why.
func TestBrokenMailboxesCostTheOthersNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		hang := brokenMailboxes(t, e, "60")
		good := e.mailbox(desk.ChannelEmail, "Bonne boîte")
		for i := range 30 {
			e.deliver(email(fmt.Sprintf("Message %d", i), "From", fmt.Sprintf("c%d@client.test", i), "To", "sav@boutique.test",
				"Subject", "x", "Message-ID", fmt.Sprintf("<good-%d@client.test>", i)))
		}
		c, stop := context.WithCancel(ctx)
		done := e.runner.Start(c)
		waitStored(t, e, good, 30, time.Minute)
		for end := time.Now().Add(time.Minute); hang.Accepted() == 0 && time.Now().Before(end); {
			time.Sleep(5 * time.Millisecond) // the good one may be done before the hanging one is dialed
		}
		if hang.Accepted() == 0 || hang.Open() == 0 {
			t.Errorf("the hanging server's fetch is over (accepted %d, open %d): the good mailbox may have waited for it", hang.Accepted(), hang.Open())
		}
		stop()
		<-done
		for end := time.Now().Add(10 * time.Second); hang.Open() != 0 && time.Now().Before(end); {
			time.Sleep(5 * time.Millisecond) // the server sees the close a moment later
		}
		if hang.Open() != 0 {
			t.Errorf("%d connections to the hanging server left open after the runner stopped", hang.Open())
		}
		states, err := e.d.SyncStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		failures := 0
		for _, st := range states {
			if st.LastError != "" {
				failures++
			}
		}
		if failures != 2 { // the wrong password and the server down; the hanging one was stopped before its timeout
			t.Errorf("%d channels report an error, want 2: %+v", failures, states)
		}
	})
}
