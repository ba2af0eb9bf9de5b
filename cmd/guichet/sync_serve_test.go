package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
	gsync "guichet/internal/sync"
)

// fileChannel is a channel that test processes share through files: its
// messages are fixed, a Fetch holds a lock file (a second one while it
// exists is an overlap, written down), and each reply it takes is a line.
type fileChannel struct{ dir, name string }

const fileChannelMessages = 100

func useFileChannels(dir string) {
	syncTick = 20 * time.Millisecond
	testConnectors = gsync.ConnectorsFunc(func(ctx context.Context, ch desk.Channel) (channel.Connector, error) {
		return fileChannel{dir: dir, name: ch.Name}, nil
	})
}

func appendLine(path, line string) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err == nil {
		f.WriteString(line + "\n")
		f.Close()
	}
}

func (c fileChannel) Fetch(ctx context.Context, cursor string) (channel.Batch, error) {
	lock := filepath.Join(c.dir, c.name+".fetching")
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		appendLine(filepath.Join(c.dir, "overlaps"), c.name)
	} else {
		f.Close()
		defer os.Remove(lock)
	}
	appendLine(filepath.Join(c.dir, "fetchers"), strconv.Itoa(os.Getpid()))
	time.Sleep(10 * time.Millisecond) // a window for an overlap to show
	from, _ := strconv.Atoi(cursor)
	end := min(from+20, fileChannelMessages)
	b := channel.Batch{Cursor: strconv.Itoa(end), More: end < fileChannelMessages}
	for i := from; i < end; i++ {
		order := fmt.Sprintf("%s-%d", c.name, i%20)
		b.Messages = append(b.Messages, desk.Incoming{OrderRef: order, SourceID: fmt.Sprintf("%s-%d", c.name, i), Body: "Message " + strconv.Itoa(i)})
	}
	return b, nil
}

func (c fileChannel) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	appendLine(filepath.Join(c.dir, "sent"), strconv.FormatInt(r.MessageID, 10))
	appendLine(filepath.Join(c.dir, "senders"), strconv.Itoa(os.Getpid()))
	return channel.Sent{SourceID: "sent-" + strconv.FormatInt(r.MessageID, 10), At: time.Now()}, nil
}

// Two `guichet serve` processes on one PostgreSQL database fetch the same
// channels and deliver the same replies: each channel is fetched by one at
// a time, each reply sent once.
func TestTwoServeProcessesShareTheSync(t *testing.T) {
	url := storetest.PostgresSchemaURL(t)
	ctx := context.Background()
	s, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	d := desk.New(desk.Config{Store: s})
	if _, err := d.EnsureAdmin(ctx, adminEmail); err != nil {
		t.Fatal(err)
	}
	agent, err := d.SaveAgent(ctx, cliAdmin, desk.AgentInput{Email: "lea@example.fr", Name: "Léa", Role: desk.RoleADV, Active: true, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	var channels []desk.Channel
	for _, name := range []string{"A", "B", "C"} {
		ch, err := d.SaveChannel(ctx, cliAdmin, desk.Channel{Kind: desk.ChannelKaufland, Name: name, DeadlinePolicy: "48h business", GuardNames: []string{}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		channels = append(channels, ch)
	}
	dir := t.TempDir()
	var stops []func() string
	for range 2 {
		cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--database", url, "--data", t.TempDir())
		cmd.Env = append(os.Environ(), "GUICHET_TEST_MAIN=1", "GUICHET_TEST_CHANNELS="+dir)
		out, _ := cmd.StdoutPipe()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Process.Kill()
		started := false
		for lines := bufio.NewScanner(out); lines.Scan(); {
			if strings.HasPrefix(lines.Text(), "guichet écoute sur ") {
				started = true
				break
			}
		}
		if !started {
			t.Fatalf("serve did not start: %s", stderr.String())
		}
		stops = append(stops, func() string {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
			return stderr.String()
		})
	}
	count := func(q string, args ...any) int {
		var n int
		if err := s.DB().QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	want := fileChannelMessages * len(channels)
	deadline := time.Now().Add(30 * time.Second)
	for count(`SELECT COUNT(*) FROM messages WHERE direction = 'in'`) < want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	// Replies, and « Synchroniser maintenant » again and again: both
	// processes race for the same channels and the same replies.
	var replies []int64
	for i := range 30 {
		ch := channels[i%len(channels)]
		tk, err := d.FindTickets(ctx, desk.ActorOf(agent), desk.TicketFilter{ChannelID: ch.ID})
		if err != nil || len(tk.Tickets) == 0 {
			t.Fatalf("tickets of %s: %v %v", ch.Name, len(tk.Tickets), err)
		}
		m, err := d.Reply(ctx, desk.ActorOf(agent), desk.ReplyInput{TicketID: tk.Tickets[i%len(tk.Tickets)].ID, Body: fmt.Sprintf("Réponse %d", i), Status: desk.StatusWaitingCustomer})
		if err != nil {
			t.Fatal(err)
		}
		replies = append(replies, m.ID)
		if err := d.RequestSync(ctx, cliAdmin, ch.ID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for time.Now().Before(deadline) {
		if count(`SELECT COUNT(*) FROM deliveries WHERE state <> 'sent'`) == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, stop := range stops {
		if log := stop(); strings.Contains(log, "level=ERROR") {
			t.Errorf("serve logged errors: %s", log)
		}
	}
	if n := count(`SELECT COUNT(*) FROM messages WHERE direction = 'in'`); n != want {
		t.Errorf("%d messages stored; want %d", n, want)
	}
	if n := count(`SELECT COUNT(*) FROM deliveries WHERE state <> 'sent'`); n != 0 {
		t.Errorf("%d replies not sent", n)
	}
	sent, _ := os.ReadFile(filepath.Join(dir, "sent"))
	times := map[string]int{}
	for _, l := range strings.Fields(string(sent)) {
		times[l]++
	}
	for _, id := range replies {
		if n := times[strconv.FormatInt(id, 10)]; n != 1 {
			t.Errorf("reply %d sent %d times", id, n)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "overlaps")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("overlapping fetches: %q", b)
	}
	if n := count(`SELECT COUNT(*) FROM channel_sync WHERE lease_owner <> ''`); n != 0 {
		t.Errorf("%d leases left after both stopped", n)
	}
	perProcess := func(file string) map[string]int {
		b, _ := os.ReadFile(filepath.Join(dir, file))
		m := map[string]int{}
		for _, pid := range strings.Fields(string(b)) {
			m[pid]++
		}
		return m
	}
	t.Logf("two processes: %d messages stored once, %d replies sent once each; fetches by process %v, sends by process %v",
		want, len(replies), perProcess("fetchers"), perProcess("senders"))
}
