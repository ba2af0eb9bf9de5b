package bench_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"guichet/internal/bench"
	"guichet/internal/deadline"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// TestDashboardOfGeneratedData: the facts and hourly counts the generator
// writes say what the tickets' messages say, as desk would have recorded
// them (the figures `guichet bench` times are real ones).
func TestDashboardOfGeneratedData(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n = 200
		if err := bench.LoadData(ctx, s, bench.DataSpec{Tickets: n, Seed: 3}, nil); err != nil {
			t.Fatal(err)
		}
		d := desk.New(desk.Config{Store: s})
		agents, _ := d.Agents(ctx)
		admin := desk.ActorOf(agents[0])
		channels, _ := d.Channels(ctx)
		policy := map[int64]deadline.Policy{}
		for _, c := range channels {
			policy[c.ID], _ = deadline.ParsePolicy(c.DeadlinePolicy)
		}
		until := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		p, err := d.Performance(ctx, admin, desk.PerformanceQuery{From: until.AddDate(-2, 0, -1), To: until.AddDate(0, 1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		cal := deadline.France()
		var in, out, closed, answered, inTime, backlog int
		var frts []time.Duration
		for id := int64(1); id <= n; id++ {
			v, err := d.Ticket(ctx, admin, id)
			if err != nil {
				t.Fatal(err)
			}
			first := true
			for _, m := range v.Messages {
				switch {
				case m.Internal:
				case m.Direction == desk.In:
					in++
				case m.AuthorKind == desk.AuthorAgent:
					out++
					if first {
						first = false
						answered++
						frts = append(frts, cal.Counted(v.Ticket.OpenedAt, m.CreatedAt, policy[v.Ticket.ChannelID].Mode).Truncate(time.Millisecond))
						if !m.CreatedAt.After(cal.Due(v.Ticket.OpenedAt, policy[v.Ticket.ChannelID]).Truncate(time.Millisecond)) {
							inTime++
						}
					}
				}
			}
			switch v.Ticket.Status {
			case desk.StatusClosed:
				closed++
			case desk.StatusWaitingAdmin:
				backlog++
			}
		}
		slices.Sort(frts)
		o := p.Overall
		if o.Opened != n || o.Answered != answered || o.In != in || o.Out != out || o.Closed != closed || o.InTime != inTime || o.BacklogTotal() != backlog {
			t.Errorf("dashboard: %d opened, %d answered, %d in, %d out, %d closed, %d in time, %d backlog;\n messages say %d, %d, %d, %d, %d, %d, %d",
				o.Opened, o.Answered, o.In, o.Out, o.Closed, o.InTime, o.BacklogTotal(), n, answered, in, out, closed, inTime, backlog)
		}
		if want := frts[(len(frts)+1)/2-1]; o.Median != want {
			t.Errorf("median FRT %v; the messages say %v", o.Median, want)
		}
	})
}
