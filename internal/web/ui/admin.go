package ui

import (
	"context"
	"net/http"
	"strconv"

	"guichet/internal/desk"
)

// adminID reads the {id} of an admin page: a number, or "new" (0).
func adminID(r *http.Request) (int64, error) {
	v := r.PathValue("id")
	if v == "new" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, desk.NotFound("page")
	}
	return id, nil
}

// adminPage is the base of an admin page: its tab in the admin menu, and
// the number of parked messages the menu shows.
func adminPage(r *http.Request, dk *desk.Desk, v *views, s session, title, tab string) page {
	p := v.base(s, title, "admin")
	p.AdminTab = tab
	n, err := dk.CountParked(r.Context(), s.actor())
	if err != nil { // the menu does without its count
		v.log.Warn("count parked messages", "err", err)
	}
	p.Parked = n
	return p
}

// noticeOf turns the ?ok= of a redirect after a save into its message.
func noticeOf(r *http.Request, s session) string {
	switch r.URL.Query().Get("ok") {
	case "saved":
		return translator(s.lang()).T("admin.saved")
	case "deleted":
		return translator(s.lang()).T("admin.deleted")
	case "retried":
		return translator(s.lang()).T("parked.retried")
	case "conn_saved", "sync_requested", "sync_every", "delivery_retried", "delivery_marked":
		return translator(s.lang()).T("notice." + r.URL.Query().Get("ok"))
	}
	return ""
}

// channelNames maps each channel's id to its name, for lists that show them.
func channelNames(ctx context.Context, dk *desk.Desk) (map[int64]string, error) {
	channels, err := dk.Channels(ctx)
	names := make(map[int64]string, len(channels))
	for _, c := range channels {
		names[c.ID] = c.Name
	}
	return names, err
}
