package bench

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// LoadReport is what a load run saw. Latencies are of whole user actions: a
// search and a reply include the page their redirect leads to. Errors are
// answers of 500 and above, unexpected 4xx or redirects (to /login: a lost
// session), and transport failures; timeouts are counted apart.
type LoadReport struct {
	URL       string        `json:"url"`
	Agents    int           `json:"agents"`
	Duration  time.Duration `json:"duration"` // asked for
	ReplyRate float64       `json:"reply_rate"`
	Think     time.Duration `json:"think"`
	Timeout   time.Duration `json:"timeout"`
	Events    bool          `json:"events"`
	SignIn    time.Duration `json:"sign_in"` // before the clock, not in the figures
	Elapsed   time.Duration `json:"elapsed"` // from the start to the last answer
	Kinds     []KindResult  `json:"kinds"`
	Total     KindResult    `json:"total"`
	PerSecond float64       `json:"per_second"`
	Streams   StreamResult  `json:"streams"`
	Memory    Memory        `json:"memory"`
	Failures  []Failure     `json:"failures,omitempty"` // what went wrong, most frequent first
}

// KindResult is the figures of one kind of request.
type KindResult struct {
	Kind     string        `json:"kind"`
	Requests int           `json:"requests"`
	Errors   int           `json:"errors"`
	Timeouts int           `json:"timeouts"`
	P50      time.Duration `json:"p50"`
	P90      time.Duration `json:"p90"`
	P99      time.Duration `json:"p99"`
	Max      time.Duration `json:"max"`
}

// StreamResult is what the agents' /events streams did.
type StreamResult struct {
	Opened   int `json:"opened"`
	Refused  int `json:"refused"` // 429: too many streams for one session
	Broken   int `json:"broken"`  // failed to open, or ended before the run
	Received int `json:"received"`
}

// Failure is one way requests failed, and how often.
type Failure struct {
	Kind  string `json:"kind"`
	What  string `json:"what"`
	Count int    `json:"count"`
}

// Failed says whether any request erred or timed out, or a stream broke.
func (r LoadReport) Failed() bool {
	return r.Total.Errors > 0 || r.Total.Timeouts > 0 || r.Streams.Broken > 0 || r.Streams.Refused > 0
}

func (r *LoadReport) collect(agents []*loadAgent) {
	var all timings
	for _, kind := range loadKinds {
		var t timings
		kr := KindResult{Kind: kind}
		failures := map[string]int{}
		for _, a := range agents {
			rec := a.rec[kind]
			t.d = append(t.d, rec.durations...)
			kr.Requests += rec.requests
			kr.Errors += rec.errors
			kr.Timeouts += rec.timeouts
			for what, n := range rec.failures {
				failures[what] += n
			}
			if rec.timeouts > 0 {
				failures[fmt.Sprintf("no answer within %s", r.Timeout)] += rec.timeouts
			}
		}
		all.d = append(all.d, t.d...)
		kr.P50, kr.P90, kr.P99, kr.Max = percentiles(t.d)
		r.Kinds = append(r.Kinds, kr)
		r.Total.Requests += kr.Requests
		r.Total.Errors += kr.Errors
		r.Total.Timeouts += kr.Timeouts
		for what, n := range failures {
			r.Failures = append(r.Failures, Failure{Kind: kind, What: what, Count: n})
		}
	}
	r.Total.Kind = "total"
	r.Total.P50, r.Total.P90, r.Total.P99, r.Total.Max = percentiles(all.d)
	if r.Elapsed > 0 {
		r.PerSecond = float64(r.Total.Requests) / r.Elapsed.Seconds()
	}
	failures := map[string]int{}
	for _, a := range agents {
		s := a.events
		r.Streams.Opened += s.opened
		r.Streams.Refused += s.refused
		r.Streams.Broken += s.broken
		r.Streams.Received += s.received
		for what, n := range s.failures {
			failures[what] += n
		}
	}
	if r.Streams.Refused > 0 {
		failures["HTTP 429 on GET /events"] += r.Streams.Refused
	}
	for what, n := range failures {
		r.Failures = append(r.Failures, Failure{Kind: "events", What: what, Count: n})
	}
	slices.SortFunc(r.Failures, func(a, b Failure) int {
		return cmp.Or(b.Count-a.Count, strings.Compare(a.Kind, b.Kind), strings.Compare(a.What, b.What))
	})
}

func percentiles(d []time.Duration) (p50, p90, p99, top time.Duration) {
	if len(d) == 0 {
		return
	}
	d = slices.Clone(d)
	slices.Sort(d)
	return rank(d, 50), rank(d, 90), rank(d, 99), d[len(d)-1]
}

// Write prints the report as a table.
func (r LoadReport) Write(out io.Writer) {
	fmt.Fprintf(out, "%-7s %9s %7s %9s %9s %9s %9s %9s\n", "kind", "requests", "errors", "timeouts", "p50", "p90", "p99", "max")
	for _, k := range append(slices.Clone(r.Kinds), r.Total) {
		fmt.Fprintf(out, "%-7s %9d %7d %9d %9s %9s %9s %9s\n", k.Kind, k.Requests, k.Errors, k.Timeouts, latency(k.P50), latency(k.P90), latency(k.P99), latency(k.Max))
	}
	fmt.Fprintf(out, "%.1f requests/s over %s (%d agents", r.PerSecond, r.Elapsed.Round(10*time.Millisecond), r.Agents)
	if r.Think > 0 {
		fmt.Fprintf(out, ", think %s", r.Think)
	}
	fmt.Fprintf(out, ", replies %s asked, %.2f/s made)\n", rateText(r.ReplyRate), r.kindPerSecond(kindReply))
	if r.Events {
		fmt.Fprintf(out, "events: %d streams opened, %d refused, %d broken, %d events received\n",
			r.Streams.Opened, r.Streams.Refused, r.Streams.Broken, r.Streams.Received)
	}
	m := r.Memory
	switch {
	case m.Samples > 0:
		fmt.Fprintf(out, "server memory: peak RSS %s (/metrics, %d samples)", mib(m.PeakBytes), m.Samples)
	case m.Error != "":
		fmt.Fprintf(out, "server memory: unknown (%s)", m.Error)
	default:
		fmt.Fprint(out, "server memory: unknown")
	}
	switch {
	case m.HWMBytes > 0:
		fmt.Fprintf(out, "; VmHWM %s (pid %d, peak since its start)", mib(m.HWMBytes), m.PID)
	case m.HWMError != "":
		fmt.Fprintf(out, "; VmHWM unknown (%s)", m.HWMError)
	}
	fmt.Fprintln(out)
	if len(r.Failures) > 0 {
		fmt.Fprintln(out, "failures:")
		for i, f := range r.Failures {
			if i == 10 {
				fmt.Fprintf(out, "  … and %d more kinds of failure (--json lists them)\n", len(r.Failures)-i)
				break
			}
			fmt.Fprintf(out, "  %6d  %-7s %s\n", f.Count, f.Kind, f.What)
		}
	}
}

func (r LoadReport) kindPerSecond(kind string) float64 {
	for _, k := range r.Kinds {
		if k.Kind == kind && r.Elapsed > 0 {
			return float64(k.Requests) / r.Elapsed.Seconds()
		}
	}
	return 0
}

// latency is ms below a second, seconds above.
func latency(d time.Duration) string {
	if d < time.Second {
		return ms(d)
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
