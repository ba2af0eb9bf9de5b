package miraklfake

import (
	"slices"
	"strings"
)

// Threads lists every thread with its messages, by id, as the fault tests
// count them.
func (s *Server) Threads() []Thread {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Thread, 0, len(s.st.threads))
	for _, t := range s.st.threads {
		c := *t
		c.Messages = slices.Clone(t.Messages)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Thread) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Messages lists every message of every thread, by thread.
func (s *Server) Messages() []Message {
	var out []Message
	for _, t := range s.Threads() {
		out = append(out, t.Messages...)
	}
	return out
}
