package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store/storetest"
)

// The fault test, for real: `guichet serve` as a process of its
// own syncs a Kaufland fake holding thousands of messages over hundreds
// of orders while the fake fails one request in eight (429, 500, dropped
// connections, answers lost after the request was done, slow answers),
// and is killed (SIGKILL) and started again every 1 to 3.5 s; meanwhile
// the test queues a few hundred replies, some with a file. At the end
// every message of the fake is stored once, every reply was posted once
// and shows sent with its id, or shows failed or uncertain in the outbox;
// none was posted twice. On SQLite and on PostgreSQL.
//
// By default 400 messages over 60 orders and 80 replies; GUICHET_FAULT_HEAVY=1
// runs the size, 2 400 messages over 220 orders and 300 replies
// (several minutes per engine: go test -timeout 60m).
func TestSyncSurvivesKillsAgainstKaufland(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	t.Run("sqlite", func(t *testing.T) { killTest(t, "", kauflandTarget) })
	t.Run("postgres", func(t *testing.T) { killTest(t, storetest.PostgresSchemaURL(t), kauflandTarget) })
}

func killTest(t *testing.T, database string, newTarget func(t *testing.T, heavy bool) *killTarget) {
	ctx := context.Background()
	began := time.Now()
	tg := newTarget(t, os.Getenv("GUICHET_FAULT_HEAVY") == "1")
	orders, replies, span := tg.orders, tg.replies, tg.span
	srv := httptest.NewServer(tg)
	tg.setURL(srv.URL)
	defer srv.Close()
	want := tg.want() // the fake's messages, by source id

	data := t.TempDir()
	c := &common{data: data, database: database}
	s, d, _, err := c.openDesk(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	agent, err := d.SaveAgent(ctx, cliAdmin, desk.AgentInput{Email: "lea@example.fr", Name: "Léa", Role: desk.RoleADV, Active: true, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	rand.Read(key)
	env := append(os.Environ(), "GUICHET_TEST_MAIN=1", "GUICHET_SECRET_KEY="+hex.EncodeToString(key),
		"GUICHET_DATA="+data, "GUICHET_DATABASE="+database, "GUICHET_TEST_SYNC_TICK=50ms", "GUICHET_TEST_CHANNELS=")
	guichet := func(args ...string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = env
		return cmd
	}
	add := []string{"channel", "add", "--kind", tg.kind, "--name", tg.name}
	for _, kv := range tg.settings() {
		add = append(add, "--setting", kv)
	}
	if out, err := guichet(add...).CombinedOutput(); err != nil {
		t.Fatalf("channel add: %v\n%s", err, out)
	}
	chs, err := d.Channels(ctx)
	if err != nil || len(chs) != 1 {
		t.Fatalf("channels: %v %v", chs, err)
	}
	ch := chs[0]
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := s.DB().QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	stored := func() int {
		return count(`SELECT COUNT(*) FROM messages WHERE channel_id = $1 AND source_id IS NOT NULL AND direction = 'in'`, ch.ID) +
			count(`SELECT COUNT(*) FROM messages m WHERE channel_id = $1 AND direction = 'out' AND source_id IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id)`, ch.ID)
	}

	// serve runs `guichet serve` until stop; kill ends it with SIGKILL.
	type proc struct {
		cmd    *exec.Cmd
		stderr *bytes.Buffer
	}
	start := func() proc {
		t.Helper()
		cmd := guichet("serve", "--addr", "127.0.0.1:0")
		out, _ := cmd.StdoutPipe()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for lines := bufio.NewScanner(out); lines.Scan(); {
			if strings.HasPrefix(lines.Text(), "guichet écoute sur ") {
				go io.Copy(io.Discard, out)
				return proc{cmd, &stderr}
			}
		}
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("serve did not start: %s", stderr.String())
		return proc{}
	}
	// timePasses stands for the minutes a real desk would wait while no
	// process runs: the dead process's leases run out, the replies waiting
	// for a retry and the channel waiting after a failure are due.
	timePasses := func() {
		t.Helper()
		now := time.Now().UnixMilli()
		for _, q := range []string{
			`UPDATE channel_sync SET lease_until = $1 WHERE lease_owner <> '' AND lease_until > $1`,
			`UPDATE channel_sync SET next_run_at = $1`,
			`UPDATE deliveries SET lease_until = $1 WHERE lease_owner <> '' AND lease_until > $1`,
			`UPDATE deliveries SET next_at = $1 WHERE state IN ('queued', 'sending') AND next_at > $1`,
		} {
			if _, err := s.DB().ExecContext(ctx, q, now); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Replies, while the processes come and go: each text its own, one in
	// ten with a file.
	type queued struct {
		id   int64
		text string
	}
	var (
		qmu    gosync.Mutex
		queue  []queued
		stopQ  = make(chan struct{})
		qdone  = make(chan struct{})
		qerrs  atomic.Int64
		target = replies
	)
	go func() {
		defer close(qdone)
		r := mrand.New(mrand.NewPCG(3, 4))
		tick := time.NewTicker(40 * time.Millisecond)
		defer tick.Stop()
		for i := 0; i < target; {
			select {
			case <-stopQ:
				return
			case <-tick.C:
			}
			var ids []int64
			// Replies to the customer, in her conversation; where the
			// channel opens operator threads, one in five to the operator
			// of an order without such a thread yet (the reply opens it),
			// one in five to an operator thread we have, opened on the
			// channel or still on its way.
			kind := desk.ThreadCustomer
			q := `SELECT DISTINCT t.id FROM tickets t JOIN threads th ON th.ticket_id = t.id
				WHERE t.channel_id = $1 AND th.kind = 'customer' AND th.external_id <> '' ORDER BY t.id`
			switch {
			case tg.startsOperator && i%5 == 2:
				kind, q = desk.ThreadOperator, `SELECT t.id FROM tickets t WHERE t.channel_id = $1 AND t.order_ref <> ''
					AND NOT EXISTS (SELECT 1 FROM threads th WHERE th.ticket_id = t.id AND th.kind = 'operator') ORDER BY t.id`
			case tg.startsOperator && i%5 == 4:
				kind, q = desk.ThreadOperator, `SELECT DISTINCT t.id FROM tickets t JOIN threads th ON th.ticket_id = t.id
					WHERE t.channel_id = $1 AND t.order_ref <> '' AND th.kind = 'operator' ORDER BY t.id`
			}
			rows, err := s.DB().QueryContext(ctx, q, ch.ID)
			if err == nil {
				for rows.Next() {
					var id int64
					rows.Scan(&id)
					ids = append(ids, id)
				}
				rows.Close()
			}
			if len(ids) == 0 {
				continue
			}
			text := fmt.Sprintf("Réponse n° %d : nous regardons votre commande.", i)
			in := desk.ReplyInput{TicketID: ids[r.IntN(len(ids))], ThreadKind: kind, Body: text, Status: desk.StatusWaitingCustomer, Confirmed: true}
			if i%10 == 0 && !tg.noFiles {
				in.Attachments = []desk.NewAttachment{{Name: fmt.Sprintf("bon-%d.txt", i), ContentType: "text/plain",
					Data: strings.NewReader("Bon de retour " + strconv.Itoa(i))}}
			}
			m, err := d.Reply(ctx, desk.ActorOf(agent), in)
			if err != nil {
				qerrs.Add(1)
				continue
			}
			qmu.Lock()
			queue = append(queue, queued{m.ID, text})
			qmu.Unlock()
			i++
		}
	}()

	// « Synchroniser maintenant », again and again: a channel that failed
	// is fetched again at once rather than after its backoff (minutes).
	stopSync := make(chan struct{})
	go func() {
		for {
			select {
			case <-stopSync:
				return
			case <-time.After(100 * time.Millisecond):
				d.RequestSync(ctx, cliAdmin, ch.ID)
			}
		}
	}()
	// Faults on; kill and start again until every message is in and every
	// reply queued.
	tg.rate.Store(120)
	r := mrand.New(mrand.NewPCG(5, uint64(time.Now().UnixNano())))
	kills := 0
	deadline := time.Now().Add(span)
	for {
		p := start()
		time.Sleep(time.Second + time.Duration(r.Int64N(int64(2500*time.Millisecond))))
		p.cmd.Process.Kill()
		p.cmd.Wait()
		kills++
		timePasses()
		select {
		case <-qdone:
		default:
			if time.Now().Before(deadline) {
				continue
			}
		}
		if stored() >= len(want) || time.Now().After(deadline) {
			break
		}
	}
	close(stopQ)
	<-qdone
	close(stopSync)
	if time.Now().After(deadline) {
		t.Errorf("not all fetched before the deadline: %d of %d", stored(), len(want))
	}

	// Faults off: runs that end well, with SIGTERM, until all is quiet.
	tg.rate.Store(0)
	faultsLeft := tg.pending()
	for round := 0; ; round++ {
		timePasses()
		d.RequestSync(ctx, cliAdmin, ch.ID)
		p := start()
		quiet := time.Now().Add(10 * time.Second)
		for time.Now().Before(quiet) {
			if stored() >= len(want) && count(`SELECT COUNT(*) FROM deliveries WHERE state IN ('queued', 'sending')`) == 0 &&
				count(`SELECT COUNT(*) FROM channel_sync WHERE lease_owner <> ''`) == 0 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		p.cmd.Process.Signal(syscall.SIGTERM)
		if err := p.cmd.Wait(); err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, p.stderr.String())
		}
		if stored() >= len(want) && count(`SELECT COUNT(*) FROM deliveries WHERE state IN ('queued', 'sending')`) == 0 || round == 5 {
			break
		}
	}
	if n := count(`SELECT COUNT(*) FROM channel_sync WHERE lease_owner <> ''`) + count(`SELECT COUNT(*) FROM deliveries WHERE lease_owner <> '' AND state IN ('queued', 'sending')`); n != 0 {
		t.Errorf("%d leases left after a clean stop", n)
	}

	// Every message of the fake stored once.
	times := map[string]int{}
	rows, err := s.DB().QueryContext(ctx, `SELECT source_id FROM messages WHERE channel_id = $1 AND source_id IS NOT NULL`, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		times[id]++
	}
	rows.Close()
	missing, twice := 0, 0
	for _, id := range want {
		switch times[id] {
		case 0:
			missing++
		case 1:
		default:
			twice++
		}
	}
	if missing+twice > 0 {
		t.Errorf("of %d messages, %d not stored, %d stored more than once", len(want), missing, twice)
	}

	// Every reply posted once and shown sent, or shown failed or uncertain.
	posted := tg.posted() // a reply's text → the channel's ids of its posts
	visible := map[int64]bool{}
	list, err := d.Deliveries(ctx, cliAdmin, desk.DeliveryFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		visible[e.MessageID] = true
	}
	var sent, failed, unknown, sentTwice, failedButPosted, withFiles int
	for _, q := range queue {
		var state, delivery string
		var source *string
		if err := s.DB().QueryRowContext(ctx, `SELECT d.state, m.delivery, m.source_id FROM deliveries d JOIN messages m ON m.id = d.message_id
			WHERE d.message_id = $1`, q.id).Scan(&state, &delivery, &source); err != nil {
			t.Fatalf("reply %d: %v", q.id, err)
		}
		ids := posted[q.text]
		if len(ids) > 1 {
			sentTwice++
			t.Errorf("reply %d posted %d times", q.id, len(ids))
		}
		switch {
		case state == "sent" && len(ids) == 1 && source != nil && *source == ids[0] && delivery == string(desk.DeliverySent):
			sent++
		case (state == "failed" || state == "unknown") && visible[q.id] && delivery == string(desk.DeliveryFailed):
			if state == "failed" {
				failed++
			} else {
				unknown++
			}
			if len(ids) == 1 {
				failedButPosted++
			}
		default:
			src := "<nil>"
			if source != nil {
				src = *source
			}
			t.Errorf("reply %d: outbox %q, message %q, source id %s, posted %d times (%v); %s", q.id, state, delivery, src, len(ids), ids, whereEcho(t, s.DB(), q.id, ids))
		}
	}
	withFiles = tg.withFiles()
	// The channel's echo of a reply is the reply, never a message of its own.
	if n := count(`SELECT COUNT(*) FROM messages WHERE channel_id = $1 AND direction = 'out'`, ch.ID) -
		count(`SELECT COUNT(*) FROM deliveries WHERE channel_id = $1`, ch.ID); n != tg.fromSeller() {
		t.Errorf("%d outgoing messages not ours; want the fake's %d seller messages", n, tg.fromSeller())
	}
	// The same conversation never makes two tickets (nor two threads).
	if n := count(`SELECT COUNT(*) FROM (SELECT th.kind, th.external_id FROM threads th JOIN tickets t ON t.id = th.ticket_id
		WHERE t.channel_id = $1 AND th.external_id <> '' GROUP BY th.kind, th.external_id HAVING COUNT(*) > 1) x`, ch.ID); n != 0 {
		t.Errorf("%d conversations of the channel on more than one ticket or thread", n)
	}
	// Every thread a reply opened on the channel is named by it.
	if n := count(`SELECT COUNT(*) FROM threads th JOIN tickets t ON t.id = th.ticket_id
		WHERE t.channel_id = $1 AND th.external_id = '' AND EXISTS (SELECT 1 FROM messages m JOIN deliveries d ON d.message_id = m.id
			WHERE m.thread_id = th.id AND d.state = 'sent')`, ch.ID); n != 0 {
		t.Errorf("%d threads opened by a sent reply but not named by the channel", n)
	}
	if tg.conversations != nil {
		if n, want := count(`SELECT COUNT(*) FROM tickets WHERE channel_id = $1`, ch.ID), tg.conversations(); n != want {
			t.Errorf("%d tickets; want %d (one per order, one per conversation without an order)", n, want)
		}
	}
	for _, v := range tg.violations() {
		t.Errorf("%s : violation de la spec : %s", tg.kind, v)
	}
	requests, fetches := tg.requests()
	faults := tg.faults()
	retried := count(`SELECT COUNT(*) FROM deliveries WHERE state = 'sent' AND attempts > 1`) // MarkSending counts each try
	t.Logf("%s: %d messages over %d orders (%d stored); %d kills; faults injected: %s (%d never used); "+
		"%d replies queued (%d refused by desk): %d sent once (%d posted on a second try or later), %d failed, %d uncertain (%d of them on the channel), %d sent twice; "+
		"%d posted with a file; %d requests, %d message-list fetches; %s",
		tg.kind, len(want), orders, len(want)-missing, kills, strings.Join(faults, ", "), faultsLeft,
		len(queue), qerrs.Load(), sent, retried, failed, unknown, failedButPosted, sentTwice, withFiles,
		requests, fetches, time.Since(began).Round(time.Second))
}

// whereEcho says, for a failure's message, where a reply and the messages
// stored under its posts' ids are: ticket, thread, direction.
func whereEcho(t *testing.T, db *sql.DB, replyID int64, posts []string) string {
	t.Helper()
	describe := func(q string, args ...any) string {
		rows, err := db.QueryContext(context.Background(), `SELECT m.id, m.ticket_id, coalesce(th.kind, ''), coalesce(th.external_id, ''), m.direction, m.created_at
			FROM messages m LEFT JOIN threads th ON th.id = m.thread_id WHERE `+q, args...)
		if err != nil {
			return err.Error()
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id, ticket, at int64
			var kind, ext, dir string
			rows.Scan(&id, &ticket, &kind, &ext, &dir, &at)
			out = append(out, fmt.Sprintf("message %d on ticket %d, %s thread %q, %s, at %d", id, ticket, kind, ext, dir, at))
		}
		return strings.Join(out, "; ")
	}
	where := "reply: " + describe(`m.id = $1`, replyID)
	for _, p := range posts {
		where += "; post " + p + ": " + describe(`m.source_id = $1`, p)
	}
	return where
}
