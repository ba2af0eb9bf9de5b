package prestashopfake

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// FaultKind is a way for the fake to fail a request.
type FaultKind int

const (
	// RateLimit answers 429 with Retry-After (Fault.RetryAfter, default "1").
	RateLimit FaultKind = iota + 1
	// Unavailable answers 503 with Retry-After, as a shop in maintenance
	// or behind a protective proxy does.
	Unavailable
	// ServerError answers 500 (a PHP fatal error).
	ServerError
	// Slow waits Fault.Delay (default 5 s) before answering normally.
	Slow
	// Drop closes the connection without doing the request.
	Drop
	// DropAfter does the request (a write succeeds), then closes the
	// connection: its answer is lost.
	DropAfter
	// Malformed does the request and answers 200 with broken JSON.
	Malformed
)

// Fault is one failure to inject.
type Fault struct {
	Kind       FaultKind
	Resource   string // "" any; else "customer_messages", "orders"…
	Method     string // "" any; else GET, POST
	RetryAfter string
	Delay      time.Duration
}

// Inject queues faults: each one fails the next request it matches.
func (s *Server) Inject(f ...Fault) { s.mu.Lock(); s.faults = append(s.faults, f...); s.mu.Unlock() }

// Pending is how many injected faults are still waiting.
func (s *Server) Pending() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.faults) }

// SetFaultRate fails about rate (0 to 1) of all requests with one of
// kinds, drawn from a generator seeded by seed; rate 0 stops it.
func (s *Server) SetFaultRate(rate float64, seed uint64, kinds ...FaultKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultRate, s.faultKinds = rate, kinds
	s.rnd = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

func (s *Server) nextFault(method, res string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Resource == "" || f.Resource == res) && (f.Method == "" || f.Method == method) {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
			return f, true
		}
	}
	if s.faultRate > 0 && len(s.faultKinds) > 0 && s.rnd.Float64() < s.faultRate {
		return Fault{Kind: s.faultKinds[s.rnd.IntN(len(s.faultKinds))], Delay: 2 * time.Second}, true
	}
	return Fault{}, false
}

// before plays the faults that come before the request is done; true
// when the answer is given.
func (f Fault) before(w http.ResponseWriter, r *http.Request, rec *recorder) bool {
	a := answer{json: jsonWanted(r)}
	switch f.Kind {
	case RateLimit, Unavailable:
		ra := f.RetryAfter
		if ra == "" {
			ra = "1"
		}
		rec.header.Set("Retry-After", ra)
		if f.Kind == RateLimit {
			a.fail(rec, http.StatusTooManyRequests, 0, "Too Many Requests")
		} else {
			a.fail(rec, http.StatusServiceUnavailable, 0, "The shop is in maintenance")
		}
	case ServerError:
		rec.header.Set("Content-Type", "text/html")
		rec.WriteHeader(http.StatusInternalServerError)
		rec.Write([]byte("<br />\n<b>Fatal error</b>:  Allowed memory size exhausted in <b>classes/webservice/WebserviceRequest.php</b>"))
	case Slow:
		d := f.Delay
		if d == 0 {
			d = 5 * time.Second
		}
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return true
		}
		return false
	case Drop:
		drop(w)
		rec.status = -1
		return true
	default:
		return false
	}
	rec.flush(w)
	return true
}

// drop sends headers and part of a body, then closes the connection.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"customer_messages\":[{\"id\":")
	buf.Flush()
	conn.Close()
}
