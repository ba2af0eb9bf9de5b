package desk_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"guichet/internal/desk"
)

// perfAt is a moment of November 2026 (UTC).
func perfAt(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }

// perfDataset writes tickets whose figures are known by construction (see
// TestPerformanceFigures) and leaves the clock at its "now".
func perfDataset(t *testing.T, f *fixture) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	ingest := func(name string, ch desk.Channel, at time.Time) {
		t.Helper()
		in := incoming(ch, "ORD-"+name, name+"-"+at.Format(time.RFC3339), "Bonjour, où est ma commande ?")
		in.At = at
		res, err := f.d.Ingest(ctx, []desk.Incoming{in})
		if err != nil || len(res.Tickets) != 1 {
			t.Fatalf("ingest %s: %+v, %v", name, res, err)
		}
		ids[name] = res.Tickets[0]
	}
	reply := func(name string, by desk.Actor, at time.Time, status desk.Status) {
		t.Helper()
		f.clock.t = at
		if _, err := f.d.Reply(ctx, by, desk.ReplyInput{TicketID: ids[name], Body: "Bonjour, nous regardons cela.", Status: status}); err != nil {
			t.Fatalf("reply on %s: %v", name, err)
		}
	}
	// Outside the period: opened and answered in October.
	f.clock.t = time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC)
	ingest("T6", f.fnac, f.clock.t)
	reply("T6", f.lea, f.clock.t.Add(3*time.Hour), desk.StatusClosed)

	// T1: answered in 1 h and closed; reopened by the customer ten days
	// later and answered 30 h after that, closed again: its FRT stays 1 h.
	ingest("T1", f.fnac, perfAt(2, 9))
	reply("T1", f.lea, perfAt(2, 10), desk.StatusClosed)
	// T2: a system message 10 minutes in is no answer; Marc answers in 2 h.
	ingest("T2", f.fnac, perfAt(3, 9))
	f.clock.t = perfAt(3, 9).Add(10 * time.Minute)
	if _, sent, err := f.d.SendSystemMessage(ctx, desk.SystemMessageInput{TicketID: ids["T2"], Key: "ack", Body: "Nous avons bien reçu votre message."}); err != nil || !sent {
		t.Fatalf("system message: %v, %v", sent, err)
	}
	reply("T2", f.marc, perfAt(3, 11), desk.StatusWaitingCustomer)
	// T3: a note is no answer; Léa answers after 30 h, past the 24 h deadline.
	ingest("T3", f.fnac, perfAt(4, 9))
	f.clock.t = perfAt(4, 9).Add(5 * time.Minute)
	if _, err := f.d.AddNote(ctx, f.lea, ids["T3"], "À voir avec le transporteur"); err != nil {
		t.Fatal(err)
	}
	reply("T3", f.lea, perfAt(5, 15), desk.StatusWaitingCustomer)
	// T4: answered in 4 h, then closed by Marc.
	ingest("T4", f.fnac, perfAt(5, 9))
	reply("T4", f.lea, perfAt(5, 13), desk.StatusWaitingCustomer)
	f.clock.t = perfAt(6, 8)
	if _, err := f.d.CloseTicket(ctx, f.marc, ids["T4"]); err != nil {
		t.Fatal(err)
	}
	// T5: never answered, its deadline long past (Fnac's responsible: Léa).
	ingest("T5", f.fnac, perfAt(6, 9))
	// T7: Kaufland, answered by Marc in 8 h.
	ingest("T7", f.kaufland, perfAt(10, 9))
	reply("T7", f.marc, perfAt(10, 17), desk.StatusWaitingCustomer)
	// T1 again.
	ingest("T1", f.fnac, perfAt(12, 9))
	reply("T1", f.lea, perfAt(13, 15), desk.StatusClosed)
	// T8: opened two hours before now, not due yet.
	ingest("T8", f.fnac, perfAt(25, 10))
	f.clock.t = perfAt(25, 12)
	return ids
}

func TestPerformanceFigures(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		perfDataset(t, f)
		paris, _ := time.LoadLocation("Europe/Paris")
		from := time.Date(2026, 11, 1, 0, 0, 0, 0, paris)
		p, err := f.d.Performance(ctx, f.lea, desk.PerformanceQuery{From: from, To: from.AddDate(0, 1, 0), Location: paris})
		if err != nil {
			t.Fatal(err)
		}
		h := time.Hour
		type want struct {
			opened, answered int
			median, p90      time.Duration
			inTime, late     int
			in, out, closed  int
			backlog          []int
		}
		check := func(name string, l desk.PerfLine, w want) {
			t.Helper()
			got := want{l.Opened, l.Answered, l.Median, l.P90, l.InTime, l.Late, l.In, l.Out, l.Closed, l.Backlog}
			if !slices.Equal(got.backlog, w.backlog) {
				t.Errorf("%s backlog = %v; want %v", name, got.backlog, w.backlog)
			}
			got.backlog, w.backlog = nil, nil
			if !reflect.DeepEqual(got, w) {
				t.Errorf("%s:\n got %+v\nwant %+v", name, got, w)
			}
		}
		// FRTs in November: T1 1 h, T2 2 h, T4 4 h, T7 8 h, T3 30 h; the
		// median of 5 is the 3rd, p90 the 5th. In time: T1, T2, T4, T7; late:
		// T3 (answered late), T5 (not answered, past its deadline); T8 not
		// due yet. In: 8 customer messages (T1 twice); out: 6 agents'
		// replies (no system message, no note); closed: T1 twice, T4.
		// Backlog now: T8 (2 h old), T5 (19 days).
		check("overall", p.Overall, want{7, 5, 4 * h, 30 * h, 4, 2, 8, 6, 3, []int{1, 0, 0, 1, 0}})
		line := func(ls []desk.PerfLine, id int64) desk.PerfLine {
			for _, l := range ls {
				if l.ID == id {
					return l
				}
			}
			t.Fatalf("no line %d", id)
			return desk.PerfLine{}
		}
		check("Fnac", line(p.Channels, f.fnac.ID), want{6, 4, 2 * h, 30 * h, 3, 2, 7, 5, 3, []int{1, 0, 0, 1, 0}})
		check("Kaufland", line(p.Channels, f.kaufland.ID), want{1, 1, 8 * h, 8 * h, 1, 0, 1, 1, 0, []int{0, 0, 0, 0, 0}})
		check("Boutique", line(p.Channels, f.shop.ID), want{0, 0, 0, 0, 0, 0, 0, 0, 0, []int{0, 0, 0, 0, 0}})
		// Léa answered T1, T3, T4 and holds T5 (late) and T8; Marc answered
		// T2 and T7 and closed T4. Messages in belong to no agent.
		check("Léa", line(p.Agents, f.lea.AgentID), want{5, 3, 4 * h, 30 * h, 2, 2, 0, 4, 2, []int{1, 0, 0, 1, 0}})
		check("Marc", line(p.Agents, f.marc.AgentID), want{2, 2, 2 * h, 8 * h, 2, 0, 0, 2, 1, []int{0, 0, 0, 0, 0}})
		if share, ok := p.Overall.InTimeShare(); !ok || share != 4.0/6 {
			t.Errorf("in-time share = %v, %v; want 4/6", share, ok)
		}
		if len(p.Days) != 30 || !p.Days[0].Day.Equal(from) {
			t.Fatalf("days: %d from %v", len(p.Days), p.Days[0].Day)
		}
		// 2 November (Paris): T1's message in, Léa's answer out, T1 closed.
		if d := p.Days[1]; d.In != 1 || d.Out != 1 || d.Closed != 1 {
			t.Errorf("2 November = %+v; want 1 in, 1 out, 1 closed", d)
		}

		// October holds T6 alone; the period's bounds are checked.
		oct := time.Date(2026, 10, 1, 0, 0, 0, 0, paris)
		p, err = f.d.Performance(ctx, f.marc, desk.PerformanceQuery{From: oct, To: from, Location: paris})
		if err != nil {
			t.Fatal(err)
		}
		check("October", p.Overall, want{1, 1, 3 * h, 3 * h, 1, 0, 1, 1, 1, []int{1, 0, 0, 1, 0}})
		_, err = f.d.Performance(ctx, f.lea, desk.PerformanceQuery{From: from, To: oct})
		wantCode(t, err, desk.EInvalid, "to")
		_, err = f.d.Performance(ctx, desk.System, desk.PerformanceQuery{From: oct, To: from})
		wantCode(t, err, desk.EForbidden, "")
	})
}

// A Kaufland ticket (48 h of working days) opened on Friday at 17:00 and
// answered on Monday at 9:00 (Paris) waited 16 hours as Kaufland counts
// them, not 64: the weekend does not count. Fnac counts around the clock.
func TestFirstResponseCountedTheChannelsWay(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		paris, _ := time.LoadLocation("Europe/Paris")
		friday := time.Date(2026, 11, 27, 17, 0, 0, 0, paris)
		monday := time.Date(2026, 11, 30, 9, 0, 0, 0, paris)
		for _, ch := range []desk.Channel{f.kaufland, f.fnac} {
			in := incoming(ch, "WE-"+ch.Name, "we-"+ch.Name, "Bonjour")
			in.At = friday
			res, err := f.d.Ingest(ctx, []desk.Incoming{in})
			if err != nil {
				t.Fatal(err)
			}
			f.clock.t = monday
			if _, err := f.d.Reply(ctx, f.marc, desk.ReplyInput{TicketID: res.Tickets[0], Body: "Bonjour", Status: desk.StatusWaitingCustomer}); err != nil {
				t.Fatal(err)
			}
		}
		from := time.Date(2026, 11, 1, 0, 0, 0, 0, paris)
		p, err := f.d.Performance(ctx, f.marc, desk.PerformanceQuery{From: from, To: from.AddDate(0, 1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range p.Channels {
			want := map[int64]time.Duration{f.kaufland.ID: 16 * time.Hour, f.fnac.ID: 64 * time.Hour}[l.ID]
			if l.Median != want {
				t.Errorf("%s: FRT %v; want %v", l.Name, l.Median, want)
			}
		}
	})
}

// A message to the marketplace's operators answers no customer: the first
// response is the customer's answer after it.
func TestFirstResponseIsToTheCustomer(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		in := incoming(f.fnac, "OP-1", "op-1", "Colis abîmé")
		in.At = perfAt(2, 9)
		res, err := f.d.Ingest(ctx, []desk.Incoming{in})
		if err != nil {
			t.Fatal(err)
		}
		f.clock.t = perfAt(2, 10)
		if _, err := f.d.Reply(ctx, f.marc, desk.ReplyInput{TicketID: res.Tickets[0], ThreadKind: desk.ThreadOperator, Body: "Pouvez-vous voir avec le transporteur ?", Status: desk.StatusWaitingAdmin}); err != nil {
			t.Fatal(err)
		}
		f.clock.t = perfAt(2, 14)
		if _, err := f.d.Reply(ctx, f.marc, desk.ReplyInput{TicketID: res.Tickets[0], Body: "Bonjour, nous nous en occupons.", Status: desk.StatusWaitingCustomer}); err != nil {
			t.Fatal(err)
		}
		p, err := f.d.Performance(ctx, f.marc, desk.PerformanceQuery{From: perfAt(1, 0), To: perfAt(30, 0)})
		if err != nil {
			t.Fatal(err)
		}
		if o := p.Overall; o.Answered != 1 || o.Median != 5*time.Hour || o.Out != 2 {
			t.Errorf("answered %d in %v, %d out; want 1 in 5h, 2 out", o.Answered, o.Median, o.Out)
		}
	})
}
