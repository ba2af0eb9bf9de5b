package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
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

	"guichet/internal/channel/kaufland/kauflandfake"
	"guichet/internal/desk"
	"guichet/internal/store/storetest"
)

// killFake is a kauflandfake behind a handler that fails a share of the
// requests on purpose (through the fake's own Inject, so that each fault
// is the fake's), counting them by kind.
type killFake struct {
	*kauflandfake.Server
	rate     atomic.Int64 // per mille of the requests that fail
	mu       gosync.Mutex
	rnd      *mrand.Rand
	injected map[kauflandfake.FaultKind]int
}

var killFaultKinds = []kauflandfake.FaultKind{kauflandfake.RateLimit, kauflandfake.ServerError, kauflandfake.Drop,
	kauflandfake.DropAfter, kauflandfake.Slow}

var faultNames = map[kauflandfake.FaultKind]string{kauflandfake.RateLimit: "429", kauflandfake.ServerError: "500",
	kauflandfake.Drop: "drop", kauflandfake.DropAfter: "drop-after", kauflandfake.Slow: "slow"}

func (f *killFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rate := f.rate.Load(); rate > 0 {
		f.mu.Lock()
		if f.rnd.Int64N(1000) < rate {
			k := killFaultKinds[f.rnd.IntN(len(killFaultKinds))]
			f.injected[k]++
			f.Inject(kauflandfake.Fault{Kind: k, RetryAfter: "1", Delay: 2 * time.Second})
		}
		f.mu.Unlock()
	}
	f.Server.ServeHTTP(w, r)
}

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
	t.Run("sqlite", func(t *testing.T) { killTest(t, "") })
	t.Run("postgres", func(t *testing.T) { killTest(t, storetest.PostgresSchemaURL(t)) })
}

func killTest(t *testing.T, database string) {
	ctx := context.Background()
	began := time.Now()
	// The default keeps `go test ./...` within a minute or two per engine;
	// under these faults and kills a process makes a few messages' progress
	// a second (each 429 pauses the seller's requests for a second, each
	// slow answer takes two, each kill loses the tickets read).
	orders, messages, replies, span := 60, 400, 80, 3*time.Minute
	if os.Getenv("GUICHET_FAULT_HEAVY") == "1" {
		orders, messages, replies, span = 220, 2400, 300, 30*time.Minute
	}
	fake, err := kauflandfake.New(kauflandfake.WithRealClock(),
		kauflandfake.WithDataset(kauflandfake.Dataset{Orders: orders, Messages: messages, PerSecond: 12, Seed: 42}))
	if err != nil {
		t.Fatal(err)
	}
	kf := &killFake{Server: fake, rnd: mrand.New(mrand.NewPCG(7, uint64(time.Now().UnixNano()))), injected: map[kauflandfake.FaultKind]int{}}
	srv := httptest.NewServer(kf)
	fake.SetURL(srv.URL)
	defer srv.Close()
	var want []string // the fake's messages, by source id
	for _, m := range fake.Messages() {
		want = append(want, "m"+strconv.FormatInt(m.ID, 10))
	}

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
	settings := fake.Settings()
	if out, err := guichet("channel", "add", "--kind", "kaufland", "--name", "Kaufland",
		"--setting", "base_url="+settings["base_url"], "--setting", "client_key="+settings["client_key"],
		"--setting", "secret_key="+settings["secret_key"], "--setting", "storefront=de").CombinedOutput(); err != nil {
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
			rows, err := s.DB().QueryContext(ctx, `SELECT DISTINCT t.id FROM tickets t JOIN threads th ON th.ticket_id = t.id
				WHERE t.channel_id = $1 AND th.kind = 'customer' AND th.external_id <> '' ORDER BY t.id`, ch.ID)
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
			in := desk.ReplyInput{TicketID: ids[r.IntN(len(ids))], Body: text, Status: desk.StatusWaitingCustomer, Confirmed: true}
			if i%10 == 0 {
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
	kf.rate.Store(120)
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
	kf.rate.Store(0)
	faultsLeft := fake.Pending()
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
	posted := map[string][]int64{}
	for _, p := range fake.Posted() {
		posted[p.Text] = append(posted[p.Text], p.ID)
	}
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
		case state == "sent" && len(ids) == 1 && source != nil && *source == "m"+strconv.FormatInt(ids[0], 10) && delivery == string(desk.DeliverySent):
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
			t.Errorf("reply %d: outbox %q, message %q, source id %s, posted %d times (%v)", q.id, state, delivery, src, len(ids), ids)
		}
	}
	for _, p := range fake.Posted() {
		if len(p.Files) > 0 {
			withFiles++
		}
	}
	// The channel's echo of a reply is the reply, never a message of its own.
	if n := count(`SELECT COUNT(*) FROM messages WHERE channel_id = $1 AND direction = 'out'`, ch.ID) -
		count(`SELECT COUNT(*) FROM deliveries WHERE channel_id = $1`, ch.ID); n != wantSeller(fake) {
		t.Errorf("%d outgoing messages not ours; want the fake's %d seller messages", n, wantSeller(fake))
	}
	for _, v := range fake.Violations() {
		t.Errorf("kauflandfake: violation de la spec : %s", v)
	}
	fetches := 0
	for _, rq := range fake.Requests() {
		if rq.Method == "GET" && rq.Path == "/tickets/messages" {
			fetches++
		}
	}
	faults := []string{}
	for _, k := range killFaultKinds {
		faults = append(faults, fmt.Sprintf("%s %d", faultNames[k], kf.injected[k]))
	}
	retried := count(`SELECT COUNT(*) FROM deliveries WHERE state = 'sent' AND attempts > 1`) // MarkSending counts each try
	t.Logf("%d messages over %d orders (%d stored); %d kills; faults injected: %s (%d never used); "+
		"%d replies queued (%d refused by desk): %d sent once (%d posted on a second try or later), %d failed, %d uncertain (%d of them on the channel), %d sent twice; "+
		"%d posted with a file; %d requests, %d message-list fetches; %s",
		len(want), orders, len(want)-missing, kills, strings.Join(faults, ", "), faultsLeft,
		len(queue), qerrs.Load(), sent, retried, failed, unknown, failedButPosted, sentTwice, withFiles,
		len(fake.Requests()), fetches, time.Since(began).Round(time.Second))
}

// wantSeller counts the fake's seller messages that are not replies of ours.
func wantSeller(f *kauflandfake.Server) int {
	ours := map[int64]bool{}
	for _, p := range f.Posted() {
		ours[p.ID] = true
	}
	n := 0
	for _, m := range f.Messages() {
		if m.Role == "seller" && !ours[m.ID] {
			n++
		}
	}
	return n
}
