package ui

import (
	"net/http"
	"strconv"
	"strings"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// saveChannelSettings stores a channel's connection settings: the fields
// are named s_<key>; an empty secret keeps the stored one.
type saveChannelSettings struct {
	cs   *channel.Connectors
	page *adminChannels
}

func (h *saveChannelSettings) serve(w http.ResponseWriter, r *http.Request, s session) error {
	ch, err := channelOf(r, h.page.desk)
	if err != nil {
		return err
	}
	if h.cs == nil {
		return desk.NotFound("connecteur")
	}
	r.ParseForm()
	values := map[string]string{}
	for k := range r.PostForm {
		if key, ok := strings.CutPrefix(k, "s_"); ok {
			values[key] = r.PostForm.Get(k)
		}
	}
	if err := h.cs.SaveSettings(r.Context(), s.actor(), ch.ID, values); err != nil {
		if desk.ErrorCode(err) != desk.EInvalid {
			return err
		}
		return h.page.renderWith(w, r, s, http.StatusBadRequest, ch, map[string]string{},
			connectionOutcome{Values: values, Errors: map[string]string{desk.ErrorField(err): desk.ErrorMessage(err)}})
	}
	redirect(w, r, "/admin/channels/"+strconv.FormatInt(ch.ID, 10)+"?ok=conn_saved#connection")
	return nil
}

// channelOf reads the channel of an admin page's {id}.
func channelOf(r *http.Request, dk *desk.Desk) (desk.Channel, error) {
	id, err := adminID(r)
	if err != nil || id == 0 {
		return desk.Channel{}, desk.NotFound("canal")
	}
	return dk.Channel(r.Context(), id)
}
