package ui

import (
	"net/http"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// adminDeliveries lists the replies whose delivery failed or is uncertain
// (« Envois en échec »), to send again or, when the channel cannot tell,
// to mark as sent.
type adminDeliveries struct {
	desk  *desk.Desk
	out   DeliveryControl
	views *views
}

type deliveriesData struct {
	page
	Wired bool // the outbox is there to ask
	Rows  []deliveryRow
}

type deliveryRow struct {
	MessageID, TicketID int64
	Ticket, Channel     string
	State, StateLabel   string
	Attempts            int
	Error, Updated, ISO string
	Unknown             bool
}

func (h *adminDeliveries) list(w http.ResponseWriter, r *http.Request, s session) error {
	tr := translator(s.lang())
	d := deliveriesData{page: adminPage(r, h.desk, h.views, s, tr.T("admin.deliveries"), "deliveries"), Wired: h.out != nil}
	d.Notice = noticeOf(r, s)
	if h.out != nil {
		es, err := h.out.Deliveries(r.Context(), s.actor(), desk.DeliveryFilter{States: []desk.DeliveryState{desk.OutboxFailed, desk.OutboxUnknown}})
		if err != nil {
			return err
		}
		names, err := channelNames(r.Context(), h.desk)
		if err != nil {
			return err
		}
		for _, e := range es {
			d.Rows = append(d.Rows, deliveryRow{MessageID: e.MessageID, TicketID: e.TicketID, Ticket: desk.TicketNumber(e.TicketID),
				Channel: names[e.ChannelID], State: string(e.State), StateLabel: tr.T("delivery." + string(e.State)), Attempts: e.Attempts,
				Error: e.LastError, Updated: showTime(e.UpdatedAt), ISO: e.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z"), Unknown: e.State == desk.OutboxUnknown})
		}
	}
	h.views.render(w, r, http.StatusOK, s.lang(), "admin_deliveries", d)
	return nil
}

func (h *adminDeliveries) retry(w http.ResponseWriter, r *http.Request, s session) error {
	return h.act(w, r, s, DeliveryControl.RetryDelivery, "delivery_retried")
}

func (h *adminDeliveries) delivered(w http.ResponseWriter, r *http.Request, s session) error {
	return h.act(w, r, s, DeliveryControl.MarkDelivered, "delivery_marked")
}

func (h *adminDeliveries) act(w http.ResponseWriter, r *http.Request, s session, op deliveryOp, ok string) error {
	id, err := request.PathID(r, "id")
	if err != nil || h.out == nil {
		return desk.NotFound("envoi")
	}
	if err := op(h.out, r.Context(), s.actor(), id); err != nil {
		return err
	}
	redirect(w, r, "/admin/deliveries?ok="+ok)
	return nil
}
