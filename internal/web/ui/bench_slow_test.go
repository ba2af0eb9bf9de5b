package ui_test

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/secret"
	"guichet/internal/web"
	"guichet/internal/web/ui"
)

// slowConn is a Kaufland channel whose order takes delay to come (or
// until the request gives up).
type slowConn struct{ delay time.Duration }

func (c slowConn) Fetch(ctx context.Context, cursor string) (channel.Batch, error) {
	return channel.Batch{Cursor: cursor}, nil
}
func (c slowConn) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	return channel.Sent{}, nil
}
func (c slowConn) Order(ctx context.Context, ref string) (channel.Order, error) {
	select {
	case <-time.After(c.delay):
		return channel.Order{Ref: ref}, nil
	case <-ctx.Done():
		return channel.Order{}, ctx.Err()
	}
}

// BenchmarkTicketSlowChannel measures a ticket page's server time with a
// channel that answers at once and one that takes 3 s to give the order:
// the page does not ask the channel (its panels are a fragment loaded
// after it), so its time is the same; the fragment's is bounded by the
// integrations timeout (here 1 s). Opt-in, never asserting time:
//
//	go test -run '^$' -bench TicketSlowChannel -benchtime 20x ./internal/web/ui/
func BenchmarkTicketSlowChannel(b *testing.B) {
	old := *ui.IntegrationsTimeout
	*ui.IntegrationsTimeout = time.Second
	b.Cleanup(func() { *ui.IntegrationsTimeout = old })
	for _, c := range []struct {
		name  string
		delay time.Duration
	}{{"fast", 0}, {"slow3s", 3 * time.Second}} {
		e := newEnv(b)
		box, _ := secret.New(bytes.Repeat([]byte{7}, 32))
		kind := channel.Kind{Kind: desk.ChannelKaufland, Name: "Kaufland",
			Settings: []channel.Setting{{Key: "k", Label: "k", Kind: channel.SettingText}},
			New:      func(channel.Config) (channel.Connector, error) { return slowConn{c.delay}, nil }}
		cs := channel.NewConnectors(channel.ConnectorsConfig{Registry: channel.NewRegistry(kind), Sealer: box, Desk: e.d})
		if err := cs.SaveSettings(ctx, e.admin, e.kaufland.ID, map[string]string{"k": "v"}); err != nil {
			b.Fatal(err)
		}
		tk := e.customerMessage(e.kaufland, "KA-1", "Jean Dupont", "Où est mon colis ?")
		in, err := e.d.SignIn(ctx, desk.SignInInput{Email: "lea@example.fr", Password: password})
		if err != nil {
			b.Fatal(err)
		}
		h := web.New(web.Config{Desk: e.d, Hub: e.hub, DB: e.s, UI: func(mux *http.ServeMux) {
			ui.Register(mux, ui.Deps{Desk: e.d, Hub: e.hub, Connectors: cs})
		}})
		cookie := &http.Cookie{Name: "guichet_session", Value: in.Token}
		b.Run(c.name+"/page", func(b *testing.B) { benchPage(b, h, cookie, "/tickets/"+tk.Number) })
		b.Run(c.name+"/fragment", func(b *testing.B) {
			benchPage(b, h, cookie, "/tickets/"+strconv.FormatInt(tk.ID, 10)+"/integrations")
		})
	}
}
