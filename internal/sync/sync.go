// Package sync keeps guichet in step with its channels: it fetches what is
// new from each channel's connector on a schedule and hands it to desk
// (with the cursor, in one transaction), and it delivers the agents'
// replies from the outbox, with retries. Several processes may run it on
// one PostgreSQL database: leases in the database make each channel
// fetched, and each reply sent, by one of them at a time.
package sync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	gosync "sync"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/jobs"
)

// Leases is what sync asks of storage outside desk's use cases: claiming
// channels and deliveries for a while, and recording how runs went.
type Leases interface {
	// ClaimDueChannels leases active channels whose run is due at now and
	// that no live lease holds, until `until`.
	ClaimDueChannels(ctx context.Context, owner string, now, until time.Time, limit int) ([]desk.SyncState, error)
	// ClaimChannel leases one channel whatever its schedule; ok is false
	// when a live lease holds it.
	ClaimChannel(ctx context.Context, channelID int64, owner string, now, until time.Time) (st desk.SyncState, ok bool, err error)
	RenewChannel(ctx context.Context, channelID int64, owner string, now, until time.Time) (held bool, err error)
	// FinishSyncRun records a run's outcome and drops the lease.
	FinishSyncRun(ctx context.Context, channelID int64, owner string, r desk.SyncRun) error
	// ClaimDeliveries leases due deliveries (queued ones, and 'sending'
	// ones whose lease ran out) of one channel, or of all with 0.
	ClaimDeliveries(ctx context.Context, owner string, channelID int64, now, until time.Time, limit int) ([]desk.OutboxEntry, error)
	// ReleaseDelivery gives back a queued delivery not sent, due at next.
	ReleaseDelivery(ctx context.Context, messageID int64, owner string, next time.Time) error
}

// Connectors builds the connector of a configured channel. For a channel
// without one (its kind has no connector, or it has no settings) it
// returns an error wrapping channel.ErrNotSupported: sync then leaves it
// alone, and its replies queued.
type Connectors interface {
	Connector(ctx context.Context, ch desk.Channel) (channel.Connector, error)
}

// ConnectorsFunc is a function that is a Connectors.
type ConnectorsFunc func(ctx context.Context, ch desk.Channel) (channel.Connector, error)

// Connector calls f.
func (f ConnectorsFunc) Connector(ctx context.Context, ch desk.Channel) (channel.Connector, error) {
	return f(ctx, ch)
}

// Config is what a Runner is built from. Desk, Leases and Connectors are
// required.
type Config struct {
	Desk       *desk.Desk
	Leases     Leases
	Connectors Connectors
	Kinds      *channel.Registry // optional: each kind's default time between fetches
	Owner      string            // this process's name on its leases; default: random
	Now        func() time.Time  // default: time.Now
	Log        *slog.Logger

	Parallel    int           // channels fetched at once (default 4)
	Senders     int           // replies sent at once (default 4)
	MaxPages    int           // fetches per run while the channel has more (default 20)
	Lease       time.Duration // how long a claim holds without renewal (default 5 min)
	MaxAttempts int           // sends of one reply before it fails (default 14: about a day)
	Tick        time.Duration // how often Start looks for due work (default 5 s: a reply leaves within seconds)
	Jitter      func() float64
}

// Runner fetches channels and delivers replies.
type Runner struct {
	c       Config
	metrics *metrics
	slots   chan struct{} // channel runs in flight
	running gosync.WaitGroup
	mu      gosync.Mutex
	busy    map[int64]bool // channels this process runs now
}

// New returns a runner.
func New(c Config) *Runner {
	if c.Owner == "" {
		b := make([]byte, 6)
		rand.Read(b)
		host, _ := os.Hostname()
		c.Owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Parallel <= 0 {
		c.Parallel = 4
	}
	if c.Senders <= 0 {
		c.Senders = 4
	}
	if c.MaxPages <= 0 {
		c.MaxPages = 20
	}
	if c.Lease <= 0 {
		c.Lease = 5 * time.Minute
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 14
	}
	if c.Tick <= 0 {
		c.Tick = 5 * time.Second
	}
	if c.Jitter == nil {
		c.Jitter = mrand.Float64
	}
	return &Runner{c: c, metrics: newMetrics(c.Desk), slots: make(chan struct{}, c.Parallel), busy: map[int64]bool{}}
}

// Owner is the name this runner's leases carry.
func (r *Runner) Owner() string { return r.c.Owner }

func (r *Runner) now() time.Time { return r.c.Now().Truncate(time.Millisecond) }

// Start fetches due channels and delivers due replies, every Tick, until
// ctx ends; the returned channel is closed once the work in flight has
// stopped.
func (r *Runner) Start(ctx context.Context) <-chan struct{} {
	s := jobs.New(2, r.c.Log)
	s.Add(jobs.Task{Name: "sync.poll", Every: r.c.Tick, Run: func(ctx context.Context) error {
		_, err := r.poll(ctx, false)
		return err
	}})
	s.Add(jobs.Task{Name: "sync.outbox", Every: r.c.Tick, Run: func(ctx context.Context) error {
		_, err := r.DeliverDue(ctx, 0)
		return err
	}})
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		r.running.Wait()
		close(done)
	}()
	return done
}

// Report is what a pass did, per channel.
type Report struct {
	Channels []ChannelReport
}

// ChannelReport is what a pass did on one channel.
type ChannelReport struct {
	ChannelID int64  `json:"channel_id"`
	Name      string `json:"name"`
	// Skipped: the channel has no connector; Busy: another process was
	// fetching it.
	Skipped    bool     `json:"skipped,omitempty"`
	Busy       bool     `json:"busy,omitempty"`
	Fetches    int      `json:"fetches"`
	Fetched    int      `json:"fetched"` // messages the channel returned
	Stored     int      `json:"stored"`
	Duplicates int      `json:"duplicates"`
	Echoes     int      `json:"echoes"`
	Parked     int      `json:"parked"`
	Delivered  int      `json:"delivered"`
	Retrying   int      `json:"retrying"` // failed for now, tried again later
	Failed     int      `json:"failed"`
	Unknown    int      `json:"unknown"`
	Errors     []string `json:"errors,omitempty"`
}

// Failed reports whether any channel had an error.
func (rep Report) Failed() bool {
	for _, c := range rep.Channels {
		if len(c.Errors) > 0 {
			return true
		}
	}
	return false
}

func (rep *Report) of(ch desk.Channel) *ChannelReport {
	for i := range rep.Channels {
		if rep.Channels[i].ChannelID == ch.ID {
			return &rep.Channels[i]
		}
	}
	rep.Channels = append(rep.Channels, ChannelReport{ChannelID: ch.ID, Name: ch.Name})
	return &rep.Channels[len(rep.Channels)-1]
}

// Once runs one fetch and one outbox pass on one channel (or, with 0, on
// every active channel), whatever their schedules, and says what it did.
func (r *Runner) Once(ctx context.Context, channelID int64) (Report, error) {
	chs, err := r.channels(ctx)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	found := false
	for _, ch := range chs {
		if (channelID != 0 && ch.ID != channelID) || (channelID == 0 && !ch.Active) {
			continue
		}
		found = true
		var st desk.SyncState
		var ok bool
		err := r.claim(ctx, func(ctx context.Context) (err error) {
			st, ok, err = r.c.Leases.ClaimChannel(ctx, ch.ID, r.c.Owner, r.now(), r.now().Add(r.c.Lease))
			return err
		})
		if err != nil {
			return rep, err
		}
		cr := rep.of(ch)
		if !ok {
			cr.Busy = true
			continue
		}
		r.runChannel(ctx, ch, st, cr)
	}
	if channelID != 0 && !found {
		return rep, desk.NotFound("canal")
	}
	out, err := r.DeliverDue(ctx, channelID)
	for _, c := range out.Channels {
		cr := rep.of(desk.Channel{ID: c.ChannelID, Name: c.Name})
		cr.Delivered += c.Delivered
		cr.Retrying += c.Retrying
		cr.Failed += c.Failed
		cr.Unknown += c.Unknown
		cr.Errors = append(cr.Errors, c.Errors...)
	}
	return rep, err
}

// claim runs a claim unless ctx has ended, and then to its end: a claim
// cancelled during its commit may have taken leases that nobody would
// release before they run out.
func (r *Runner) claim(ctx context.Context, fn func(context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return fn(c)
}

func (r *Runner) channels(ctx context.Context) ([]desk.Channel, error) {
	return r.c.Desk.Channels(ctx)
}

func (r *Runner) channel(chs []desk.Channel, id int64) (desk.Channel, bool) {
	for _, c := range chs {
		if c.ID == id {
			return c, true
		}
	}
	return desk.Channel{}, false
}

// connector is the channel's connector; ok false (and no error) when it
// has none.
func (r *Runner) connector(ctx context.Context, ch desk.Channel) (channel.Connector, bool, error) {
	conn, err := r.c.Connectors.Connector(ctx, ch)
	if errors.Is(err, channel.ErrNotSupported) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return conn, true, nil
}

// every is the time between two runs of a channel.
func (r *Runner) every(ch desk.Channel, st desk.SyncState) time.Duration {
	if st.Every > 0 {
		return st.Every
	}
	if r.c.Kinds != nil {
		if k, ok := r.c.Kinds.Kind(ch.Kind); ok && k.Every > 0 {
			return k.Every
		}
	}
	return desk.DefaultSyncEvery
}

// jitter spreads d by ±20 %, so that replies failed together are not all
// retried together.
func (r *Runner) jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*r.c.Jitter()))
}
