package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"guichet/internal/demo"
)

// LoadOptions say which running desk to drive over HTTP, with how many
// signed-in agents and for how long (`guichet bench --load`).
type LoadOptions struct {
	// URL is the desk, e.g. http://127.0.0.1:8080. Required.
	URL string
	// Agents is the number of concurrent sessions; default 20.
	Agents int
	// Duration is how long the agents work once signed in; default 60 s.
	Duration time.Duration
	// Logins are shared round-robin by the agents; default the demo team's.
	Logins []LoadLogin
	// ReplyRate is the replies per second, all agents together; 0 is the
	// default (2/s), negative is none.
	ReplyRate float64
	// Think is an agent's mean pause between two requests (drawn between 0
	// and twice it); 0 is the default (1 s), negative is none.
	Think time.Duration
	// Timeout bounds each request, body included; default 15 s.
	Timeout time.Duration
	// NoEvents: the agents hold no /events stream (by default each keeps
	// one open, as a browser tab does).
	NoEvents bool
	// MetricsToken is sent as a bearer token to /metrics, sampled every
	// second for the server's resident memory.
	MetricsToken string
	// PID, when set, is the server's process on this machine: its peak
	// resident memory (VmHWM) is read at the end.
	PID int
	// Seed makes the agents' choices; default 1.
	Seed uint64
	// SignIns is how many sign-ins run at once (each costs the server an
	// argon2id hash); default 2.
	SignIns int
}

// LoadLogin is an account the agents sign in with.
type LoadLogin struct {
	Email, Password string
}

func (o *LoadOptions) defaults() error {
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("bench: URL http(s)://hôte:port attendue, pas %q", o.URL)
	}
	o.URL = strings.TrimRight(o.URL, "/")
	if o.Agents <= 0 {
		o.Agents = 20
	}
	if o.Duration <= 0 {
		o.Duration = time.Minute
	}
	if len(o.Logins) == 0 {
		for _, l := range demo.Logins() {
			o.Logins = append(o.Logins, LoadLogin{Email: l.Email, Password: l.Password})
		}
	}
	if o.ReplyRate == 0 {
		o.ReplyRate = 2
	}
	if o.Think == 0 {
		o.Think = time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.SignIns <= 0 {
		o.SignIns = 2
	}
	return nil
}

// RunLoad signs the agents in (before the clock starts: sign-ins are
// throttled by design and are not part of the figures), lets them work for
// opt.Duration, and reports what happened. Its error is for a run that could
// not start (a bad URL, a refused sign-in); failed requests are in the report
// (LoadReport.Failed).
func RunLoad(ctx context.Context, opt LoadOptions, progress io.Writer) (LoadReport, error) {
	if err := opt.defaults(); err != nil {
		return LoadReport{}, err
	}
	rep := LoadReport{URL: opt.URL, Agents: opt.Agents, Duration: opt.Duration, ReplyRate: max(opt.ReplyRate, 0),
		Think: max(opt.Think, 0), Timeout: opt.Timeout, Events: !opt.NoEvents}
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 2*opt.Agents + 8, // like a browser per agent: no connection churn
		IdleConnTimeout:     90 * time.Second,
	}
	defer transport.CloseIdleConnections()

	fmt.Fprintf(progress, "guichet bench --load %s: %d agents, %s, replies %s, think %s\n",
		opt.URL, opt.Agents, opt.Duration, rateText(rep.ReplyRate), rep.Think)
	agents := make([]*loadAgent, opt.Agents)
	for i := range agents {
		agents[i] = newLoadAgent(i, opt, transport)
	}
	start := time.Now()
	if err := signInAll(ctx, agents, opt.SignIns); err != nil {
		return rep, err
	}
	rep.SignIn = time.Since(start)
	fmt.Fprintf(progress, "signed in %d sessions (%d accounts) in %s\n", opt.Agents, min(opt.Agents, len(opt.Logins)), rep.SignIn.Round(10*time.Millisecond))

	mem := newMemorySampler(opt.URL, opt.MetricsToken, transport)
	memCtx, stopMem := context.WithCancel(ctx)
	memDone := make(chan struct{})
	go func() { mem.run(memCtx, time.Second); close(memDone) }()

	streamCtx, stopStreams := context.WithCancel(ctx)
	var streams sync.WaitGroup
	if !opt.NoEvents {
		for _, a := range agents {
			streams.Go(func() { a.stream(streamCtx) })
		}
	}
	begin := time.Now()
	end := begin.Add(opt.Duration)
	replies := make(chan struct{}, 1)
	if opt.ReplyRate > 0 {
		go replyTokens(streamCtx, opt.ReplyRate, replies)
	}
	var work sync.WaitGroup
	for _, a := range agents {
		work.Go(func() { a.work(ctx, end, replies) })
	}
	work.Wait() // requests in flight at the end finish (or time out): they count
	rep.Elapsed = time.Since(begin)
	stopStreams()
	streams.Wait()
	stopMem()
	<-memDone
	mem.sample(ctx) // once more, after the last request

	rep.collect(agents)
	rep.Memory = mem.result()
	if opt.PID > 0 {
		rep.Memory.PID = opt.PID
		rep.Memory.HWMBytes, rep.Memory.HWMError = vmHWM(opt.PID)
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	return rep, nil
}

// signInAll signs every agent in, a few at a time.
func signInAll(ctx context.Context, agents []*loadAgent, parallel int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, a := range agents {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := a.signIn(ctx); err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

// replyTokens offers one reply every 1/rate seconds to whichever agent
// takes it first; a token nobody takes in time is dropped, so that the rate
// is a ceiling, not a backlog.
func replyTokens(ctx context.Context, rate float64, out chan<- struct{}) {
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			select {
			case out <- struct{}{}:
			default:
			}
		}
	}
}

func rateText(perSecond float64) string {
	if perSecond <= 0 {
		return "none"
	}
	return fmt.Sprintf("%g/s", perSecond)
}
