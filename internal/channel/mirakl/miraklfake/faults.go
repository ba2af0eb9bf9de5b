package miraklfake

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// FaultKind is a way for the fake to fail a request.
type FaultKind int

const (
	// RateLimit answers 429 with Retry-After (Fault.RetryAfter, default "1").
	RateLimit FaultKind = iota + 1
	// ServerError answers 500.
	ServerError
	// Slow waits Fault.Delay (default 5 s) before answering normally.
	Slow
	// Drop closes the connection in the middle of the answer's body,
	// before doing the request.
	Drop
	// Malformed answers 200 with a body that is not JSON.
	Malformed
	// BadItem spoils one item of a list's data (the rest is intact).
	BadItem
	// DropAfter does the request, then closes the connection without an
	// answer: a reply posted whose outcome the client cannot know.
	DropAfter
)

// Fault is one failure to inject.
type Fault struct {
	Kind FaultKind
	// Path limits it to requests on that path, or under it when it ends
	// with "/"; "" is any request.
	Path       string
	RetryAfter string        // RateLimit: seconds or an HTTP date
	Delay      time.Duration // Slow
	// After lets that many matching requests through first (a fault on
	// the third page: After 2).
	After int
}

// Inject queues faults: each one fails the next request it matches.
func (s *Server) Inject(f ...Fault) {
	s.mu.Lock()
	s.faults = append(s.faults, f...)
	s.mu.Unlock()
}

// SetFaultRate fails about rate (0 to 1) of all requests with one of
// kinds, drawn from a generator seeded by seed; rate 0 stops it.
func (s *Server) SetFaultRate(rate float64, seed uint64, kinds ...FaultKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultRate, s.faultKinds = rate, kinds
	s.rnd = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Pending is how many injected faults are still waiting.
func (s *Server) Pending() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.faults) }

func (s *Server) nextFault(path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Path == "" || path == f.Path || strings.HasSuffix(f.Path, "/") && strings.HasPrefix(path, f.Path) {
			if f.After > 0 {
				s.faults[i].After--
				continue // not this one's turn; another fault may take it
			}
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
			return f, true
		}
	}
	if s.faultRate > 0 && len(s.faultKinds) > 0 && s.rnd.Float64() < s.faultRate {
		return Fault{Kind: s.faultKinds[s.rnd.IntN(len(s.faultKinds))], Delay: 2 * time.Second}, true
	}
	return Fault{}, false
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
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"data\":[{\"id\":")
	buf.Flush()
	conn.Close()
}

// corrupt spoils a good answer's body.
func corrupt(k FaultKind, body []byte) []byte {
	switch k {
	case Malformed:
		return []byte(`{"data": [{"id": "x",, <html>502 Bad Gateway</html>`)
	case BadItem:
		var p map[string]json.RawMessage
		if json.Unmarshal(body, &p) != nil {
			return body
		}
		key := "data"
		if _, ok := p["orders"]; ok {
			key = "orders"
		}
		var items []json.RawMessage
		if json.Unmarshal(p[key], &items) != nil || len(items) == 0 {
			return body
		}
		// The item keeps its id (a client can read it again alone) and
		// spoils the rest.
		var item struct {
			ID string `json:"id"`
		}
		json.Unmarshal(items[len(items)/2], &item)
		spoiled, _ := json.Marshal(map[string]any{"id": item.ID, "date_updated": "yesterday", "messages": "none"})
		items[len(items)/2] = spoiled
		p[key], _ = json.Marshal(items)
		var b bytes.Buffer
		json.NewEncoder(&b).Encode(p)
		return bytes.TrimSpace(b.Bytes())
	}
	return body
}
