package ui

import (
	"errors"
	"net/http"
	"strconv"

	"guichet/internal/desk"
)

// newTicketPage opens a ticket by hand (« Nouveau ticket »): a channel and
// an order reference, or none for a contact without an order, and the
// first message. An order that has a ticket opens it instead.
type newTicketPage struct {
	desk  *desk.Desk
	views *views
}

type newTicketForm struct {
	ChannelID  int64
	OrderRef   string
	CustomerID int64
	Body       string
	Status     string
	Confirm    []desk.GuardHit
	Errors     map[string]string
}

type newTicketData struct {
	page
	F        newTicketForm
	Channels []desk.Channel
	Customer string
}

func (h *newTicketPage) form(w http.ResponseWriter, r *http.Request, s session) error {
	q := r.URL.Query()
	f := newTicketForm{OrderRef: q.Get("order"), Status: string(desk.StatusWaitingCustomer)}
	f.ChannelID, _ = strconv.ParseInt(q.Get("channel"), 10, 64)
	f.CustomerID, _ = strconv.ParseInt(q.Get("customer"), 10, 64)
	return h.render(w, r, s, http.StatusOK, f)
}

func (h *newTicketPage) render(w http.ResponseWriter, r *http.Request, s session, status int, f newTicketForm) error {
	chs, err := h.desk.Channels(r.Context())
	if err != nil {
		return err
	}
	var active []desk.Channel
	for _, c := range chs {
		if c.Active {
			active = append(active, c)
		}
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	d := newTicketData{page: h.views.base(s, translator(s.lang()).T("newticket.title"), "new-ticket"), F: f, Channels: active}
	if f.CustomerID != 0 {
		if file, err := h.desk.CustomerFile(r.Context(), s.actor(), f.CustomerID); err == nil {
			d.Customer = file.Person.DisplayName()
		}
	}
	h.views.render(w, r, status, s.lang(), "ticket_new", d)
	return nil
}

func (h *newTicketPage) create(w http.ResponseWriter, r *http.Request, s session) error {
	f := newTicketForm{OrderRef: r.PostFormValue("order_ref"), Body: r.PostFormValue("body"), Status: r.PostFormValue("status")}
	f.ChannelID, _ = strconv.ParseInt(r.PostFormValue("channel_id"), 10, 64)
	f.CustomerID, _ = strconv.ParseInt(r.PostFormValue("customer_id"), 10, 64)
	if f.ChannelID == 0 {
		f.Errors = map[string]string{"channel_id": translator(s.lang()).T("newticket.channel_required")}
		return h.render(w, r, s, http.StatusBadRequest, f)
	}
	t, existing, err := h.desk.NewTicket(r.Context(), s.actor(), desk.NewTicketInput{ChannelID: f.ChannelID, OrderRef: f.OrderRef,
		CustomerID: f.CustomerID, Body: f.Body, Status: desk.Status(f.Status), Confirmed: r.PostFormValue("confirmed") == "1"})
	switch {
	case err == nil && existing:
		redirect(w, r, "/tickets/"+strconv.FormatInt(t.ID, 10)+"?ok=existing")
		return nil
	case err == nil:
		redirect(w, r, "/tickets/"+strconv.FormatInt(t.ID, 10)+"?ok=sent")
		return nil
	case desk.ErrorCode(err) == desk.EConfirm:
		var de *desk.Error
		if errors.As(err, &de) {
			f.Confirm, _ = de.Details.([]desk.GuardHit)
		}
		return h.render(w, r, s, http.StatusConflict, f)
	case desk.ErrorCode(err) == desk.EInvalid:
		field := desk.ErrorField(err)
		if field == "" || field == "order_ref" || field == "customer.external_id" {
			field = "order_ref"
		}
		f.Errors = map[string]string{field: desk.ErrorMessage(err)}
		return h.render(w, r, s, http.StatusBadRequest, f)
	}
	if t.ID != 0 { // opened, its message refused: the ticket page says why
		redirect(w, r, "/tickets/"+strconv.FormatInt(t.ID, 10))
		return nil
	}
	return err
}
