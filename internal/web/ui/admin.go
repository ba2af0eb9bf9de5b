package ui

import (
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

// noticeOf turns the ?ok= of a redirect after a save into its message.
func noticeOf(r *http.Request, s session) string {
	switch r.URL.Query().Get("ok") {
	case "saved":
		return translator(s.lang()).T("admin.saved")
	case "deleted":
		return translator(s.lang()).T("admin.deleted")
	}
	return ""
}
