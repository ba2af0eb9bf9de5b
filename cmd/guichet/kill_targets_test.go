package main

import (
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet/internal/channel/kaufland/kauflandfake"
	"guichet/internal/channel/mirakl/miraklfake"
	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/store/storetest"
)

// killTarget is a channel's fake as the kill test drives it: served behind
// a handler that fails a share of the requests on purpose (through the
// fake's own Inject, so that each fault is the fake's), counting them by
// kind; and what the test asks of it at the end.
type killTarget struct {
	kind, name      string
	orders, replies int
	span            time.Duration
	noFiles         bool // the channel takes no attachment: replies go without
	startsOperator  bool // a reply to an order's operator opens a thread (Mirakl's OR43)
	fake            http.Handler
	setURL          func(string)
	settings        func() []string // key=value, for `guichet channel add`
	want            func() []string // the source ids of the fake's messages
	posted          func() map[string][]string
	withFiles       func() int
	fromSeller      func() int // the fake's seller messages that are not replies of ours
	conversations   func() int // tickets expected (nil: not checked)
	violations      func() []string
	pending         func() int
	requests        func() (all, fetches int)
	kinds           []string // fault names, in inject's order
	inject          func(kind int)
	rate            atomic.Int64 // per mille of the requests that fail
	mu              gosync.Mutex
	rnd             *mrand.Rand
	injected        map[int]int
}

func (tg *killTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rate := tg.rate.Load(); rate > 0 {
		tg.mu.Lock()
		if tg.rnd.Int64N(1000) < rate {
			k := tg.rnd.IntN(len(tg.kinds))
			tg.injected[k]++
			tg.inject(k)
		}
		tg.mu.Unlock()
	}
	tg.fake.ServeHTTP(w, r)
}

func (tg *killTarget) faults() []string {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	var out []string
	for i, name := range tg.kinds {
		out = append(out, fmt.Sprintf("%s %d", name, tg.injected[i]))
	}
	return out
}

func newKillTarget() *killTarget {
	return &killTarget{rnd: mrand.New(mrand.NewPCG(7, uint64(time.Now().UnixNano()))), injected: map[int]int{}}
}

func settingsOf(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}

// kauflandTarget: by default 400 messages over 60 orders and 80 replies;
// heavy, the contract issue's size, 2 400 messages over 220 orders and
// 300 replies. Under these faults and kills a process makes a few
// messages' progress a second (each 429 pauses the seller's requests for a
// second, each slow answer takes two, each kill loses the tickets read).
func kauflandTarget(t *testing.T, heavy bool) *killTarget {
	tg := newKillTarget()
	tg.kind, tg.name, tg.orders, tg.replies, tg.span = "kaufland", "Kaufland", 60, 80, 3*time.Minute
	messages := 400
	if heavy {
		tg.orders, messages, tg.replies, tg.span = 220, 2400, 300, 30*time.Minute
	}
	fake, err := kauflandfake.New(kauflandfake.WithRealClock(),
		kauflandfake.WithDataset(kauflandfake.Dataset{Orders: tg.orders, Messages: messages, PerSecond: 12, Seed: 42}))
	if err != nil {
		t.Fatal(err)
	}
	kinds := []kauflandfake.FaultKind{kauflandfake.RateLimit, kauflandfake.ServerError, kauflandfake.Drop, kauflandfake.DropAfter, kauflandfake.Slow}
	tg.kinds = []string{"429", "500", "drop", "drop-after", "slow"}
	tg.inject = func(k int) { fake.Inject(kauflandfake.Fault{Kind: kinds[k], RetryAfter: "1", Delay: 2 * time.Second}) }
	tg.fake, tg.setURL = fake, fake.SetURL
	tg.settings = func() []string { return settingsOf(fake.Settings()) }
	tg.want = func() []string {
		var ids []string
		for _, m := range fake.Messages() {
			ids = append(ids, "m"+strconv.FormatInt(m.ID, 10))
		}
		return ids
	}
	tg.posted = func() map[string][]string {
		out := map[string][]string{}
		for _, p := range fake.Posted() {
			out[p.Text] = append(out[p.Text], "m"+strconv.FormatInt(p.ID, 10))
		}
		return out
	}
	tg.withFiles = func() int {
		n := 0
		for _, p := range fake.Posted() {
			if len(p.Files) > 0 {
				n++
			}
		}
		return n
	}
	tg.fromSeller = func() int {
		ours := map[int64]bool{}
		for _, p := range fake.Posted() {
			ours[p.ID] = true
		}
		n := 0
		for _, m := range fake.Messages() {
			if m.Role == "seller" && !ours[m.ID] {
				n++
			}
		}
		return n
	}
	tg.violations, tg.pending = fake.Violations, fake.Pending
	tg.requests = func() (int, int) {
		rs, fetches := fake.Requests(), 0
		for _, rq := range rs {
			if rq.Method == "GET" && rq.Path == "/tickets/messages" {
				fetches++
			}
		}
		return len(rs), fetches
	}
	return tg
}

// miraklTarget: by default 1 200 messages over 80 orders (one in five
// with an operator thread too) and 12 operator threads without an order,
// 250 replies; heavy, 6 000 messages over 400 orders, 60 without an
// order, 1 000 replies.
func miraklTarget(t *testing.T, heavy bool) *killTarget {
	tg := newKillTarget()
	tg.kind, tg.name, tg.orders, tg.replies, tg.span = "mirakl", "Fnac", 80, 250, 2*time.Minute
	tg.startsOperator = true
	messages, orderLess := 1200, 12
	if heavy {
		tg.orders, messages, orderLess, tg.replies, tg.span = 400, 6000, 60, 1000, 30*time.Minute
	}
	fake, err := miraklfake.New(miraklfake.WithRealClock(), miraklfake.WithOperator("Fnac"),
		miraklfake.WithDataset(miraklfake.Dataset{Orders: tg.orders, Messages: messages, OperatorEvery: 5, OrderLess: orderLess, Seed: 42}))
	if err != nil {
		t.Fatal(err)
	}
	kinds := []miraklfake.FaultKind{miraklfake.RateLimit, miraklfake.ServerError, miraklfake.Drop, miraklfake.DropAfter, miraklfake.Slow}
	tg.kinds = []string{"429", "500", "drop", "drop-after", "slow"}
	tg.inject = func(k int) { fake.Inject(miraklfake.Fault{Kind: kinds[k], RetryAfter: "1", Delay: 2 * time.Second}) }
	tg.fake, tg.setURL = fake, fake.SetURL
	tg.settings = func() []string { return settingsOf(fake.Settings()) }
	tg.want = func() []string {
		var ids []string
		for _, m := range fake.Messages() {
			ids = append(ids, m.ID)
		}
		return ids
	}
	tg.posted = func() map[string][]string {
		out := map[string][]string{}
		for _, p := range fake.Posted() {
			out[p.Body] = append(out[p.Body], p.Message)
		}
		return out
	}
	tg.withFiles = func() int {
		n := 0
		for _, p := range fake.Posted() {
			if len(p.Files) > 0 {
				n++
			}
		}
		return n
	}
	tg.fromSeller = func() int {
		ours := map[string]bool{}
		for _, p := range fake.Posted() {
			ours[p.Message] = true
		}
		n := 0
		for _, m := range fake.Messages() {
			if m.From == "SHOP_USER" && !ours[m.ID] {
				n++
			}
		}
		return n
	}
	// One ticket per order with messages, one per operator thread without
	// an order.
	tg.conversations = func() int {
		seen := map[string]bool{}
		for _, th := range fake.Threads() {
			if len(th.Messages) == 0 {
				continue
			}
			key := "order " + th.EntityID
			if th.EntityType != "MMP_ORDER" {
				key = "thread " + th.ID
			}
			seen[key] = true
		}
		return len(seen)
	}
	tg.violations, tg.pending = fake.Violations, fake.Pending
	tg.requests = func() (int, int) {
		rs, fetches := fake.Requests(), 0
		for _, rq := range rs {
			if rq.Method == "GET" && rq.Path == "/api/inbox/threads" {
				fetches++
			}
		}
		return len(rs), fetches
	}
	return tg
}

// prestashopTarget: by default 1 200 messages over 120 threads (a third
// of them from the contact form, without an order), 250 replies; heavy,
// 6 000 messages over 600 threads, 1 000 replies.
func prestashopTarget(t *testing.T, heavy bool) *killTarget {
	tg := newKillTarget()
	tg.kind, tg.name, tg.orders, tg.replies, tg.span = "prestashop", "Boutique", 120, 250, 2*time.Minute
	messages := 1200
	if heavy {
		tg.orders, messages, tg.replies, tg.span = 600, 6000, 1000, 30*time.Minute
	}
	fake := prestashopfake.New(prestashopfake.WithRealClock(),
		prestashopfake.WithDataset(prestashopfake.Dataset{Threads: tg.orders, Messages: messages, Seed: 42}))
	kinds := []prestashopfake.FaultKind{prestashopfake.RateLimit, prestashopfake.Unavailable, prestashopfake.ServerError,
		prestashopfake.Drop, prestashopfake.DropAfter, prestashopfake.Slow}
	tg.kinds = []string{"429", "503", "500", "drop", "drop-after", "slow"}
	tg.inject = func(k int) {
		fake.Inject(prestashopfake.Fault{Kind: kinds[k], RetryAfter: "1", Delay: 2 * time.Second})
	}
	tg.fake, tg.setURL = fake, fake.SetURL
	tg.settings = func() []string { return settingsOf(fake.Settings()) }
	tg.want = func() []string {
		var ids []string
		for _, m := range fake.MessageRows() {
			ids = append(ids, "cm"+strconv.Itoa(m.ID))
		}
		return ids
	}
	replies := func() []prestashopfake.Post {
		var out []prestashopfake.Post
		for _, p := range fake.Posted() {
			if p.Resource == "customer_messages" {
				out = append(out, p)
			}
		}
		return out
	}
	tg.posted = func() map[string][]string {
		out := map[string][]string{}
		for _, p := range replies() {
			out[p.Fields["message"]] = append(out[p.Fields["message"]], "cm"+strconv.Itoa(p.ID))
		}
		return out
	}
	tg.noFiles, tg.withFiles = true, func() int { return 0 } // the webservice takes no file
	tg.fromSeller = func() int {
		ours := map[int]bool{}
		for _, p := range replies() {
			ours[p.ID] = true
		}
		n := 0
		for _, m := range fake.MessageRows() {
			if (m.Employee || m.Private) && !ours[m.ID] {
				n++
			}
		}
		return n
	}
	// One ticket per thread that has messages: the dataset gives each
	// order one thread, and each question without an order its own.
	tg.conversations = func() int {
		seen := map[int]bool{}
		for _, m := range fake.MessageRows() {
			seen[m.Thread] = true
		}
		return len(seen)
	}
	tg.violations = func() []string { return nil } // the fake answers 400 to what the webservice refuses
	tg.pending = fake.Pending
	tg.requests = func() (int, int) {
		rs, fetches := fake.Requests(), 0
		for _, rq := range rs {
			if rq.Method == "GET" && rq.Path == "/api/customer_messages" {
				fetches++
			}
		}
		return len(rs), fetches
	}
	return tg
}

// The kill test against Mirakl and PrestaShop: the same faults, kills and
// exactly-once checks as against Kaufland, and one ticket per order or
// conversation.
func TestSyncSurvivesKillsAgainstMiraklAndShop(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	for _, c := range []struct {
		name   string
		target func(*testing.T, bool) *killTarget
	}{{"mirakl", miraklTarget}, {"prestashop", prestashopTarget}} {
		t.Run(c.name, func(t *testing.T) {
			t.Run("sqlite", func(t *testing.T) { killTest(t, "", c.target) })
			t.Run("postgres", func(t *testing.T) { killTest(t, storetest.PostgresSchemaURL(t), c.target) })
		})
	}
}
