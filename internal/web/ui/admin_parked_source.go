package ui

import (
	"io"
	"net/http"
	"strconv"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// source sends the bytes kept of a parked message its connector could not
// read (an email whose MIME is broken), as a file to download: an admin
// opens it in a mail program, never in the page.
func (h *adminParked) source(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("message en attente")
	}
	rc, err := h.desk.ParkedRaw(r.Context(), s.actor(), id)
	if err != nil {
		return err
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="message-`+strconv.FormatInt(id, 10)+`.eml"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = io.Copy(w, rc)
	return err
}
