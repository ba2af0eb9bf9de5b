package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"guichet/internal/desk"
	"guichet/internal/web/api"
)

// inboxPage is the ticket list with its filters and counters. As a fragment
// (GET /inbox/live, same query) it is the part the live updates swap in.
type inboxPage struct {
	desk     *desk.Desk
	views    *views
	fragment bool
}

type inboxData struct {
	page
	Query    url.Values
	Errors   map[string]string
	Rows     []inboxRow
	NextURL  string
	FirstURL string // set when not on the first page
	LiveURL  string
	Mine     counters
	All      counters
	Channels []desk.Channel
	Agents   []desk.Agent
	Statuses []desk.Status
}

type inboxRow struct {
	desk.TicketRow
	ChannelName  string
	AssigneeName string
	Deadline     deadlineLabel
}

type counters struct {
	Assignee string // "me" or "" (everyone): the filter the links set
	ByStatus map[desk.Status]int
	Open     int
	Overdue  string // "1000+" beyond the cap
	DueSoon  string // « dans moins de 4 h », capped too
}

func (h *inboxPage) serve(w http.ResponseWriter, r *http.Request, s session) error {
	ctx, actor, tr := r.Context(), s.actor(), translator(s.lang())
	q := r.URL.Query()
	if len(q) == 0 { // the landing view: what an ADV must act on, most urgent first
		q = url.Values{"status": {string(desk.StatusWaitingAdmin)}}
	}
	d := inboxData{page: h.views.base(s, tr.T("inbox.title"), "inbox"), Query: q, Errors: map[string]string{}, Statuses: desk.Statuses}
	d.Scripts = []string{"inbox.js"}
	d.SearchQ = q.Get("q")
	d.LiveURL = "/inbox/live?" + q.Encode()
	var err error
	if d.Channels, err = h.desk.Channels(ctx); err != nil {
		return err
	}
	if d.Agents, err = h.desk.Agents(ctx); err != nil {
		return err
	}
	if d.Mine, err = h.counters(r, actor, actor.AgentID); err != nil {
		return err
	}
	if d.All, err = h.counters(r, actor, 0); err != nil {
		return err
	}
	status := http.StatusOK
	f, err := api.ParseFilter(q, actor)
	if err == nil {
		var pg desk.TicketPage
		pg, err = h.desk.FindTickets(ctx, actor, f)
		if err == nil {
			d.Rows = inboxRows(tr, pg.Tickets, d.Channels, d.Agents, h.desk.Now())
			if pg.Next != "" {
				next := cloneValues(q)
				next.Set("after", pg.Next)
				d.NextURL = "/?" + next.Encode()
			}
			if q.Get("after") != "" {
				first := cloneValues(q)
				first.Del("after")
				d.FirstURL = "/?" + first.Encode()
			}
		}
	}
	if err != nil {
		if desk.ErrorCode(err) != desk.EInvalid {
			return err
		}
		d.Errors[desk.ErrorField(err)] = desk.ErrorMessage(err)
		status = http.StatusBadRequest
	}
	name := "inbox"
	if h.fragment {
		name = "inbox_live"
	}
	h.views.render(w, r, status, s.lang(), name, d)
	return nil
}

func (h *inboxPage) counters(r *http.Request, actor desk.Actor, agentID int64) (counters, error) {
	c, err := h.desk.Counts(r.Context(), actor, agentID)
	if err != nil {
		return counters{}, err
	}
	out := counters{ByStatus: c.ByStatus, Open: c.ByStatus[desk.StatusWaitingAdmin] + c.ByStatus[desk.StatusWaitingCustomer]}
	if agentID != 0 {
		out.Assignee = "me"
	}
	out.Overdue, out.DueSoon = capped(c.Overdue), capped(c.DueSoon)
	return out, nil
}

func capped(n int) string {
	if n > desk.OverdueCap {
		return strconv.Itoa(desk.OverdueCap) + "+"
	}
	return strconv.Itoa(n)
}

func inboxRows(tr translator, tickets []desk.TicketRow, channels []desk.Channel, agents []desk.Agent, now time.Time) []inboxRow {
	chName := map[int64]string{}
	for _, c := range channels {
		chName[c.ID] = c.Name
	}
	agName := agentNames(agents)
	rows := make([]inboxRow, len(tickets))
	for i, t := range tickets {
		rows[i] = inboxRow{TicketRow: t, ChannelName: chName[t.ChannelID], AssigneeName: agName[t.AssigneeID],
			Deadline: deadlineOf(tr, t.Ticket, now)}
	}
	return rows
}

func agentNames(agents []desk.Agent) map[int64]string {
	m := make(map[int64]string, len(agents))
	for _, a := range agents {
		m[a.ID] = a.Name
	}
	return m
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// N is the count of one status, for the templates.
func (c counters) N(status string) int { return c.ByStatus[desk.Status(status)] }

// counterArgs passes a group of counters and its title to a sub-template.
func counterArgs(c counters, title string) map[string]any {
	return map[string]any{"C": c, "Title": title}
}
