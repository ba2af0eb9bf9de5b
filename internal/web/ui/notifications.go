package ui

import (
	"encoding/json"
	"net/http"
	"strconv"

	"guichet/internal/desk"
)

// notificationsPage is the bell's list: what the agent was told (a ticket
// forwarded to them, a deadline about to pass), latest first, and « tout
// marquer comme lu »; the bell's count comes from count, and live from the
// event stream (desk.EventNotified). Also the agent's preference
// « recevoir mes notifications par email ».
type notificationsPage struct {
	desk  *desk.Desk
	views *views
}

type notificationsData struct {
	page
	Items  []notificationLine
	Unread int
}

type notificationLine struct {
	ID       int64
	TicketID int64
	Text, At string
	Unread   bool
}

func (h *notificationsPage) list(w http.ResponseWriter, r *http.Request, s session) error {
	ns, unread, err := h.desk.Notifications(r.Context(), s.actor())
	if err != nil {
		return err
	}
	tr := translator(s.lang())
	d := notificationsData{page: h.views.base(s, tr.T("notify.title"), "notifications"), Unread: unread}
	for _, n := range ns {
		d.Items = append(d.Items, notificationLine{ID: n.ID, TicketID: n.TicketID, Text: n.Text, At: showTime(n.CreatedAt), Unread: n.ReadAt.IsZero()})
	}
	if r.URL.Query().Get("ok") == "read" {
		d.Notice = tr.T("notify.marked")
	}
	h.views.render(w, r, http.StatusOK, s.lang(), "notifications", d)
	return nil
}

// count answers the bell: {"unread": n}.
func (h *notificationsPage) count(w http.ResponseWriter, r *http.Request, s session) error {
	_, unread, err := h.desk.Notifications(r.Context(), s.actor())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(map[string]int{"unread": unread})
}

// read marks the notifications named by id (all when none) read; opening
// one (open=ID) goes to its ticket.
func (h *notificationsPage) read(w http.ResponseWriter, r *http.Request, s session) error {
	var ids []int64
	ticket := r.PostFormValue("ticket") // parses the form
	for _, v := range r.PostForm["id"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	if err := h.desk.ReadNotifications(r.Context(), s.actor(), ids); err != nil {
		return err
	}
	if t, err := strconv.ParseInt(ticket, 10, 64); err == nil && t > 0 {
		redirect(w, r, "/tickets/"+strconv.FormatInt(t, 10))
		return nil
	}
	redirect(w, r, "/notifications?ok=read")
	return nil
}

func (h *notificationsPage) savePreference(w http.ResponseWriter, r *http.Request, s session) error {
	if err := h.desk.SetNotifyByEmail(r.Context(), s.actor(), r.PostFormValue("notify_email") == "1"); err != nil {
		return err
	}
	redirect(w, r, "/settings?ok=notify_saved")
	return nil
}
