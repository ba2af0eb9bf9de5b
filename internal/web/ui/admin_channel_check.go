package ui

import (
	"context"
	"net/http"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// testChannel runs « Tester la connexion »: a call that changes nothing,
// its answer shown on the channel's page in French.
type testChannel struct {
	cs   *channel.Connectors
	page *adminChannels
}

// testTimeout bounds a connection test: an admin waits for it.
const testTimeout = 15 * time.Second

func (h *testChannel) serve(w http.ResponseWriter, r *http.Request, s session) error {
	ch, err := channelOf(r, h.page.desk)
	if err != nil {
		return err
	}
	if h.cs == nil {
		return desk.NotFound("connecteur")
	}
	ctx, cancel := context.WithTimeout(r.Context(), testTimeout)
	defer cancel()
	out := connectionOutcome{Tested: true}
	if err := h.cs.Test(ctx, ch.ID); err != nil {
		out.TestError = channel.Explain(err)
	}
	return h.page.renderWith(w, r, s, http.StatusOK, ch, map[string]string{}, out)
}
