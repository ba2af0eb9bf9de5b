package demo

import "time"

// clock is the demo Desk's time: the replay moves it to each step, so that
// replies, notes and history carry the moment they would have happened.
// The replay runs on one goroutine: no lock needed.
type clock struct {
	t time.Time
}

func (c *clock) Now() time.Time  { return c.t }
func (c *clock) Set(t time.Time) { c.t = t }
