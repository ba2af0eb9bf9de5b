package desk_test

import (
	"fmt"
	"testing"
	"time"

	"guichet/internal/desk"
)

// The activity of any period, starting and ending mid-day or mid-hour, in
// any time zone, is that of the hours that start in it, whichever way the
// store rolls them up: here 140 tickets opened every 53 minutes from 1
// November (nearly every hour has some), each answered 95 minutes later, every third one closing it.
func TestActivityOfPeriodsCutMidDay(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		type msg struct {
			at           time.Time
			in, out, cls int
		}
		var msgs []msg
		start := time.Date(2026, 11, 1, 0, 25, 0, 0, time.UTC)
		for i := range 140 {
			at := start.Add(time.Duration(i) * 53 * time.Minute)
			in := incoming(f.fnac, fmt.Sprintf("MID-%d", i), fmt.Sprintf("mid-%d", i), "Bonjour, où est ma commande ?")
			in.At = at
			res, err := f.d.Ingest(ctx, []desk.Incoming{in})
			if err != nil || len(res.Tickets) != 1 {
				t.Fatalf("ingest %d: %+v, %v", i, res, err)
			}
			status, closed := desk.StatusWaitingCustomer, 0
			if i%3 == 0 {
				status, closed = desk.StatusClosed, 1
			}
			f.clock.t = at.Add(95 * time.Minute)
			if _, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: res.Tickets[0], Body: "Bonjour, nous regardons.", Status: status}); err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, msg{at: at, in: 1}, msg{at: f.clock.t, out: 1, cls: closed})
		}
		paris, _ := time.LoadLocation("Europe/Paris")
		kolkata, err := time.LoadLocation("Asia/Kolkata") // +5:30: days cut mid-hour
		if err != nil {
			t.Fatal(err)
		}
		periods := []struct {
			from, to time.Time
			loc      *time.Location
		}{
			{time.Date(2026, 11, 1, 0, 0, 0, 0, paris), time.Date(2026, 12, 1, 0, 0, 0, 0, paris), paris},
			{time.Date(2026, 11, 2, 13, 0, 0, 0, paris), time.Date(2026, 11, 5, 7, 0, 0, 0, paris), paris},
			{time.Date(2026, 11, 2, 13, 40, 0, 0, paris), time.Date(2026, 11, 5, 7, 20, 0, 0, paris), paris},
			{time.Date(2026, 11, 3, 22, 0, 0, 0, time.UTC), time.Date(2026, 11, 4, 3, 0, 0, 0, time.UTC), paris},
			{time.Date(2026, 11, 1, 11, 0, 0, 0, time.UTC), time.Date(2026, 11, 5, 1, 0, 0, 0, time.UTC), time.UTC},
			{time.Date(2026, 11, 1, 0, 0, 0, 0, kolkata), time.Date(2026, 11, 6, 0, 0, 0, 0, kolkata), kolkata},
			{time.Date(2026, 11, 2, 17, 0, 0, 0, kolkata), time.Date(2026, 11, 5, 2, 0, 0, 0, kolkata), kolkata},
		}
		for _, pd := range periods {
			p, err := f.d.Performance(ctx, f.lea, desk.PerformanceQuery{From: pd.from, To: pd.to, Location: pd.loc})
			if err != nil {
				t.Fatal(err)
			}
			// What the hours say: a message counts in the period and on the
			// day its hour starts in.
			var in, out, cls int
			days := map[time.Time][3]int{}
			for _, m := range msgs {
				h := m.at.Truncate(time.Hour)
				if h.Before(pd.from) || !h.Before(pd.to) {
					continue
				}
				in, out, cls = in+m.in, out+m.out, cls+m.cls
				y, mo, d := h.In(pd.loc).Date()
				day := time.Date(y, mo, d, 0, 0, 0, 0, pd.loc)
				c := days[day]
				days[day] = [3]int{c[0] + m.in, c[1] + m.out, c[2] + m.cls}
			}
			name := pd.from.Format(time.RFC3339) + " to " + pd.to.Format(time.RFC3339)
			if in == 0 {
				t.Fatalf("%s: a period with no message tests nothing", name)
			}
			if o := p.Overall; o.In != in || o.Out != out || o.Closed != cls {
				t.Errorf("%s: %d in, %d out, %d closed; want %d, %d, %d", name, o.In, o.Out, o.Closed, in, out, cls)
			}
			seen := 0
			for _, d := range p.Days {
				want := days[d.Day]
				if got := [3]int{d.In, d.Out, d.Closed}; got != want {
					t.Errorf("%s: day %s = %v; want %v", name, d.Day.Format(time.DateOnly), got, want)
				}
				seen += want[0]
			}
			if seen != in {
				t.Errorf("%s: the days hold %d messages in of %d", name, seen, in)
			}
		}
	})
}
