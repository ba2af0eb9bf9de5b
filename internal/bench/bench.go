// Package bench measures the ticket core on a generated data set: it fills a
// database with LoadData, then times the inbox, search, ticket views and
// ingestion through desk, as the web pages and connectors call them.
package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store"
)

// Options say what to measure, and on what.
type Options struct {
	// DSN is the database: a SQLite file path (created if missing) or a
	// postgres:// URL. Required.
	DSN string
	// Tickets is the size of the generated set; each ticket has 10 messages.
	// Default 1 000 000.
	Tickets int
	// SpanDays packs the tickets into that many days before the data's end
	// (default 730, two years): 80 000 tickets over 60 days give a month as
	// dense as a million over two years, generated in a twelfth of the time.
	// A reused database must have been made with the same span.
	SpanDays int
	// Reuse measures a database filled by an earlier run instead of refusing
	// one that is not empty: a set loaded in part is finished, a full one is
	// used as it is. Generating a million tickets takes a while.
	Reuse bool
	// Seed makes the data and the samples; default 1. A reused database must
	// have been made with the same seed.
	Seed uint64
	// Samples is the number of timed calls of each kind of query; default 500.
	Samples int
	// IngestBatches of BatchSize messages are ingested at the end; defaults
	// 20 and 500. Zero batches (negative) skips ingestion, which changes the data.
	IngestBatches int
	BatchSize     int
	// SkipQueries measures ingestion only.
	SkipQueries bool
	// Only names the queries to measure (inbox, search, view, dashboard,
	// comma-separated); empty: all of them.
	Only string
	// Profile, when set, is started once the data is there and stopped
	// after the measures (a CPU profile, say).
	Profile func() (stop func(), err error)
}

func (o *Options) defaults() error {
	if o.DSN == "" {
		return fmt.Errorf("bench: no database given")
	}
	if o.Tickets <= 0 {
		o.Tickets = 1_000_000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Samples <= 0 {
		o.Samples = 500
	}
	if o.IngestBatches == 0 {
		o.IngestBatches = 20
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	return nil
}

// Report is what a run measured.
type Report struct {
	Machine   Machine       `json:"machine"`
	Engine    string        `json:"engine"`
	Tickets   int           `json:"tickets"`  // in the database when measured
	Messages  int64         `json:"messages"` // in the database when measured
	DBBytes   int64         `json:"db_bytes"` // on disk, before ingestion
	Generated time.Duration `json:"generated"`
	Results   []Result      `json:"results"`
	Ingest    IngestResult  `json:"ingest"`
}

// Machine is where the figures were measured.
type Machine struct {
	CPUs      int    `json:"cpus"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	GoVersion string `json:"go_version"`
	LoadAvg   string `json:"load_avg,omitempty"` // at the start, from /proc/loadavg: other work on the machine
}

// Run opens (and migrates) the database, fills it to opt.Tickets tickets,
// measures, and writes its progress and a summary to out.
func Run(ctx context.Context, opt Options, out io.Writer) (Report, error) {
	if err := opt.defaults(); err != nil {
		return Report{}, err
	}
	rep := Report{Machine: Machine{CPUs: runtime.NumCPU(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, GoVersion: runtime.Version()}}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		rep.Machine.LoadAvg = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	s, err := store.Open(ctx, opt.DSN)
	if err != nil {
		return rep, err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return rep, err
	}
	rep.Engine = s.Dialect()
	fmt.Fprintf(out, "guichet bench: %s, %d CPUs, %s/%s, %s, load average %s\n", rep.Engine, rep.Machine.CPUs, rep.Machine.GOOS, rep.Machine.GOARCH, rep.Machine.GoVersion, rep.Machine.LoadAvg)

	d := desk.New(desk.Config{Store: s})
	if rep.Generated, err = fill(ctx, s, d, opt, out); err != nil {
		return rep, err
	}
	b, err := newBench(ctx, s, d, opt)
	if err != nil {
		return rep, err
	}
	rep.Tickets = b.tickets
	// Sizes are not measures: plain SQL will do.
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM messages`).Scan(&rep.Messages); err != nil {
		return rep, err
	}
	if rep.DBBytes, err = dbSize(ctx, s, opt.DSN); err != nil {
		return rep, err
	}
	fmt.Fprintf(out, "%d tickets, %d messages, %.2f GB on disk\n", rep.Tickets, rep.Messages, float64(rep.DBBytes)/1e9)
	if opt.Profile != nil {
		stop, err := opt.Profile()
		if err != nil {
			return rep, err
		}
		defer stop()
	}
	if !opt.SkipQueries {
		// The counters' delta rows folded, as serve does every minute (a set
		// whose load was cut short was not folded).
		if err := s.Compact(ctx); err != nil {
			return rep, err
		}
		for _, m := range []struct {
			name string
			run  func(context.Context) ([]Result, error)
		}{{"inbox", b.inbox}, {"search", b.search}, {"view", b.views}, {"dashboard", b.dashboard}} {
			if opt.Only != "" && !slices.Contains(strings.Split(opt.Only, ","), m.name) {
				continue
			}
			rs, err := m.run(ctx)
			if err != nil {
				return rep, err
			}
			for _, r := range rs {
				fmt.Fprintln(out, r)
			}
			rep.Results = append(rep.Results, rs...)
		}
	}
	if opt.IngestBatches > 0 {
		if rep.Ingest, err = b.ingest(ctx, opt.IngestBatches, opt.BatchSize); err != nil {
			return rep, err
		}
		fmt.Fprintln(out, rep.Ingest)
	}
	rep.summary(out)
	return rep, nil
}

// summary sets the figures beside the targets of the ticket core.
func (rep *Report) summary(out io.Writer) {
	find := func(group, name string) (Result, bool) {
		for _, r := range rep.Results {
			if r.Group == group && r.Name == name {
				return r, true
			}
		}
		return Result{}, false
	}
	fmt.Fprintf(out, "summary (%s, %d tickets, %.2f GB):\n", rep.Engine, rep.Tickets, float64(rep.DBBytes)/1e9)
	if r, ok := find("inbox", defaultInbox); ok {
		fmt.Fprintf(out, "  default inbox page  p50 %s  p99 %s   (target p99 <= 5 ms)\n", ms(r.P50), ms(r.P99))
	}
	if r, ok := find("search", "ALL"); ok {
		fmt.Fprintf(out, "  search              p50 %s  p95 %s   (target p95 <= 50 ms)\n", ms(r.P50), ms(r.P95))
	}
	if r, ok := find("view", "desk.Ticket"); ok {
		fmt.Fprintf(out, "  ticket view         p50 %s  p99 %s   (target <= 2 ms)\n", ms(r.P50), ms(r.P99))
	}
	if r, ok := find("dashboard", monthDashboard); ok {
		fmt.Fprintf(out, "  a month's dashboard p50 %s  max %s   (target <= 200 ms)\n", ms(r.P50), ms(r.Max))
	}
	if rep.Ingest.Batches > 0 {
		// The channels' own rate limits cap what a sync brings well below
		// what the former 10 000/s assumed.
		target := "5 000"
		if rep.Engine == "postgres" {
			target = "3 000"
		}
		fmt.Fprintf(out, "  ingest              %.0f messages/s in batches of %d   (target >= %s)\n", rep.Ingest.PerSecond, rep.Ingest.BatchSize, target)
	}
	if rep.Generated > 0 {
		fmt.Fprintf(out, "  generated in        %s\n", rep.Generated.Round(time.Second))
	}
}

// fill loads the data set unless the database holds it already.
func fill(ctx context.Context, s *store.Store, d *desk.Desk, opt Options, out io.Writer) (time.Duration, error) {
	have, err := ticketCount(ctx, d)
	if err != nil {
		return 0, err
	}
	if have >= opt.Tickets && opt.Reuse {
		fmt.Fprintf(out, "reusing %d tickets\n", have)
		return 0, nil
	}
	if have > 0 && !opt.Reuse {
		return 0, fmt.Errorf("bench: the database holds %d tickets already; pass Reuse (--reuse) or name a new one", have)
	}
	spec := DataSpec{Tickets: opt.Tickets, First: have, Seed: opt.Seed, Span: time.Duration(opt.SpanDays) * 24 * time.Hour}
	fmt.Fprintf(out, "generating tickets %d to %d (10 messages each)...\n", have, opt.Tickets)
	start := time.Now()
	last := start
	err = LoadData(ctx, s, spec, func(done int) {
		if time.Since(last) > 10*time.Second || done == opt.Tickets {
			last = time.Now()
			el := time.Since(start)
			rate := float64(done-have) / el.Seconds()
			fmt.Fprintf(out, "  %d tickets, %s, %.0f tickets/s (%.0f messages/s)\n", done, el.Round(time.Second), rate, 10*rate)
		}
	})
	took := time.Since(start)
	if err != nil {
		return took, err
	}
	fmt.Fprintf(out, "generated %d tickets in %s\n", opt.Tickets-have, took.Round(time.Second))
	return took, nil
}

// ticketCount is the tickets in the database, from desk's counters.
func ticketCount(ctx context.Context, d *desk.Desk) (int, error) {
	c, err := d.Counts(ctx, desk.System, 0)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, v := range c.ByStatus {
		n += v
	}
	return n, nil
}

// dbSize is the database's size on disk.
func dbSize(ctx context.Context, s *store.Store, dsn string) (int64, error) {
	if s.Dialect() == "postgres" {
		var n int64
		err := s.DB().QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
		return n, err
	}
	var n int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(dsn + suffix); err == nil {
			n += fi.Size()
		}
	}
	return n, nil
}

// bench holds what the measures pick their inputs from.
type bench struct {
	s        *store.Store
	d        *desk.Desk
	opt      Options
	r        *rand.Rand
	actor    desk.Actor
	agents   []desk.Agent
	channels []desk.Channel
	tickets  int
	sample   []desk.TicketView // random tickets, for names, orders and ingestion
}

func newBench(ctx context.Context, s *store.Store, d *desk.Desk, opt Options) (*bench, error) {
	b := &bench{s: s, d: d, opt: opt, r: rand.New(rand.NewPCG(opt.Seed, 99))}
	var err error
	if b.agents, err = d.Agents(ctx); err != nil {
		return nil, err
	}
	for _, a := range b.agents {
		if a.Role == desk.RoleAdmin {
			b.actor = desk.ActorOf(a)
			break
		}
	}
	if b.channels, err = d.Channels(ctx); err != nil {
		return nil, err
	}
	if b.tickets, err = ticketCount(ctx, d); err != nil {
		return nil, err
	}
	for len(b.sample) < 2000 {
		v, err := d.Ticket(ctx, b.actor, 1+b.r.Int64N(int64(min(b.tickets, opt.Tickets))))
		if desk.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if v.Customer != nil {
			b.sample = append(b.sample, v)
		}
	}
	return b, nil
}

func (b *bench) agent() desk.Agent {
	for {
		if a := b.agents[b.r.IntN(len(b.agents))]; a.Role == desk.RoleADV {
			return a
		}
	}
}

func (b *bench) channel() desk.Channel { return b.channels[b.r.IntN(len(b.channels))] }

func (b *bench) ticket() desk.TicketView { return b.sample[b.r.IntN(len(b.sample))] }
