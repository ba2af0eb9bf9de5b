package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// steerSync runs « Synchroniser maintenant » (op=now) or changes the time
// between two runs (op=every, every_minutes).
type steerSync struct {
	sync SyncControl
	page *adminChannels
}

func (h *steerSync) serve(w http.ResponseWriter, r *http.Request, s session) error {
	ch, err := channelOf(r, h.page.desk)
	if err != nil {
		return err
	}
	if h.sync == nil {
		return desk.NotFound("synchronisation")
	}
	ok := "sync_requested"
	if r.PostFormValue("op") == "every" {
		ok = "sync_every"
		n, perr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("every_minutes")))
		if perr != nil || n < 1 || n > 24*60 {
			err = desk.Invalid("every_minutes", "%s", translator(s.lang()).T("conn.every_invalid"))
		} else {
			err = h.sync.SetSyncEvery(r.Context(), s.actor(), ch.ID, time.Duration(n)*time.Minute)
		}
	} else {
		err = h.sync.RequestSync(r.Context(), s.actor(), ch.ID)
	}
	if err != nil {
		if code := desk.ErrorCode(err); code == desk.EForbidden || code == desk.ENotFound {
			return err
		}
		return h.page.renderWith(w, r, s, http.StatusBadRequest, ch, map[string]string{}, connectionOutcome{SyncError: channel.Explain(err)})
	}
	redirect(w, r, "/admin/channels/"+strconv.FormatInt(ch.ID, 10)+"?ok="+ok+"#sync")
	return nil
}
