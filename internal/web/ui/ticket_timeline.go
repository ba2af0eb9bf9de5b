package ui

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// ticketTimeline is the fragment « Commandes et messages » (seed 003's
// « Ordini e messaggi timeline »): the order's states as its channel tells
// them (placed, lines' states, shipped, delivered) and the ticket's
// messages, in one list, oldest first. A channel that does not answer in
// time leaves the messages alone, with a note.
type ticketTimeline struct {
	desk  *desk.Desk
	cs    *channel.Connectors
	views *views
}

type timelineData struct {
	Lines   []timelineLine
	OrderOK bool
	Note    string
}

type timelineLine struct {
	At, ISO string
	Kind    string // "order" or the message's author kind
	Text    string
	at      time.Time
}

func (h *ticketTimeline) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("ticket")
	}
	tr := translator(s.lang())
	tv, err := h.desk.Ticket(r.Context(), s.actor(), id)
	if err != nil {
		return err
	}
	var d timelineData
	for _, m := range tv.Messages {
		if m.Internal {
			continue
		}
		text := tr.T("author."+string(m.AuthorKind)) + " · " + m.AuthorName + " : " + clipRunes(m.Body, 140)
		d.Lines = append(d.Lines, timelineLine{at: m.CreatedAt, Kind: string(m.AuthorKind), Text: text})
	}
	if h.cs != nil && tv.Ticket.OrderRef != "" {
		ctx, cancel := context.WithTimeout(r.Context(), integrationsTimeout)
		o, err := h.cs.Order(ctx, s.actor(), id)
		cancel()
		if err == nil {
			d.OrderOK = true
			d.Lines = append(d.Lines, orderLines(tr, o)...)
		} else {
			d.Note = tr.T("timeline.no_order")
		}
	} else {
		d.Note = tr.T("timeline.no_order")
	}
	slices.SortStableFunc(d.Lines, func(a, b timelineLine) int { return cmp.Compare(a.at.UnixMilli(), b.at.UnixMilli()) })
	for i := range d.Lines {
		d.Lines[i].At, d.Lines[i].ISO = showTime(d.Lines[i].at), d.Lines[i].at.UTC().Format(time.RFC3339)
	}
	h.views.render(w, r, http.StatusOK, s.lang(), "ticket_timeline", d)
	return nil
}

func orderLines(tr translator, o channel.Order) []timelineLine {
	var out []timelineLine
	add := func(at time.Time, text string) {
		if !at.IsZero() {
			out = append(out, timelineLine{at: at, Kind: "order", Text: text})
		}
	}
	add(o.CreatedAt, tr.T("timeline.placed", o.Ref, o.Status))
	for _, l := range o.Lines {
		if l.Status != "" {
			add(l.UpdatedAt, tr.T("timeline.line", l.Product, l.Status))
		}
	}
	for _, sh := range o.Shipments {
		add(sh.ShippedAt, tr.T("timeline.shipped", cmp.Or(sh.Carrier, "—"), cmp.Or(sh.TrackingNumber, "—")))
	}
	add(o.Delivered, tr.T("timeline.delivered"))
	return out
}

func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
