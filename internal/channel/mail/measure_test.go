package mail_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// Opt-in measurements (figures in the README):
//
//	GUICHET_MEASURE=mail go test ./internal/channel/mail -run TestMeasure -v -timeout 30m
//
// TestMeasureMailIntake: emails/s imported in one run of the sync engine
// from one IMAP server (STARTTLS) with 10 mailboxes of 1 000 messages.
// TestMeasureBrokenMailboxCost: the time a good mailbox of 1 000 messages
// takes alone, and beside three broken ones (wrong password, server down,
// a server that never answers).
func measure(t *testing.T) {
	if os.Getenv("GUICHET_MEASURE") != "mail" {
		t.Skip("opt-in: GUICHET_MEASURE=mail")
	}
}

func fill(e *env, user string, n int) {
	body := strings.Repeat("Bonjour, je n'ai toujours pas reçu ma commande et le suivi ne bouge plus depuis lundi. ", 12)
	for i := range n {
		e.srv.imap.Append(e.t, user, "INBOX", []byte(email(fmt.Sprintf("%s\nMessage %d.", body, i),
			"From", fmt.Sprintf("Client %d <client%d@%s.test>", i%200, i%200, user), "To", user+"@boutique.test",
			"Subject", fmt.Sprintf("Question %d", i), "Message-ID", fmt.Sprintf("<%s-%d@client.test>", user, i))))
	}
}

func storedCount(t *testing.T, s *store.Store) int {
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM messages`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func runUntil(t *testing.T, e *env, n int) time.Duration {
	start := time.Now()
	c, stop := context.WithCancel(ctx)
	done := e.runner.Start(c)
	for storedCount(t, e.s) < n {
		if time.Since(start) > 20*time.Minute {
			t.Fatalf("%d of %d stored", storedCount(t, e.s), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(start)
	stop()
	<-done
	return took
}

func TestMeasureMailIntake(t *testing.T) {
	measure(t)
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		const boxes, per = 10, 1000
		for b := range boxes {
			user := fmt.Sprintf("box%d", b)
			e.srv.imap.AddUser(t, user, "pw")
			fill(e, user, per)
			e.mailbox(desk.ChannelEmail, user, "username", user, "password", "pw")
		}
		took := runUntil(t, e, boxes*per)
		t.Logf("%s: %d emails from %d mailboxes in %v: %.0f emails/s", t.Name(), boxes*per, boxes, took.Round(time.Millisecond), float64(boxes*per)/took.Seconds())
	})
}

func TestMeasureBrokenMailboxCost(t *testing.T) {
	measure(t)
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		for _, broken := range []bool{false, true} {
			e := newEnvOn(t, s, fmt.Sprintf("m%v", broken))
			if broken {
				brokenMailboxes(t, e, "30")
			}
			user := fmt.Sprintf("good%v", broken)
			e.srv.imap.AddUser(t, user, "pw")
			fill(e, user, 1000)
			e.mailbox(desk.ChannelEmail, "good "+user, "username", user, "password", "pw")
			before := storedCount(t, s)
			took := runUntil(t, e, before+1000)
			t.Logf("%s: 1000 emails of a good mailbox, broken ones beside it: %v → %v", t.Name(), broken, took.Round(time.Millisecond))
		}
	})
}
