package ui_test

import (
	"bytes"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/secret"
	"guichet/internal/web/ui"
)

// withSlowOrders gives the Kaufland channel a connector whose orders take
// delay to come.
func withSlowOrders(delay time.Duration) envOption {
	return func(cfg *envConfig) {
		cfg.wire = append(cfg.wire, func(e *env, deps *ui.Deps) {
			box, _ := secret.New(bytes.Repeat([]byte{7}, 32))
			kind := channel.Kind{Kind: desk.ChannelKaufland, Name: "Kaufland",
				Settings: []channel.Setting{{Key: "k", Label: "k", Kind: channel.SettingText}},
				New:      func(channel.Config) (channel.Connector, error) { return slowConn{delay}, nil }}
			cs := channel.NewConnectors(channel.ConnectorsConfig{Registry: channel.NewRegistry(kind), Sealer: box, Desk: e.d})
			if err := cs.SaveSettings(ctx, e.admin, e.kaufland.ID, map[string]string{"k": "v"}); err != nil {
				e.t.Fatal(err)
			}
			deps.Connectors = cs
		})
	}
}

// TestMeasureTicketFirstPaint measures in Chromium when a ticket page is
// shown (DOMContentLoaded: headless Chromium records no paint timings),
// and when its « Backoffice » panel is filled, with a
// channel that answers at once and one that takes 3 s for the order: the
// page paints without waiting for the channel. Opt-in, asserting nothing
// about time:
//
//	GUICHET_MEASURE=paint go test ./internal/web/ui -run TestMeasureTicketFirstPaint -v
func TestMeasureTicketFirstPaint(t *testing.T) {
	if os.Getenv("GUICHET_MEASURE") != "paint" {
		t.Skip("set GUICHET_MEASURE=paint to measure")
	}
	b := browser(t)
	for _, c := range []struct {
		name  string
		delay time.Duration
	}{{"channel answering at once", 0}, {"channel taking 3 s", 3 * time.Second}} {
		e := newEnv(t, withSlowOrders(c.delay))
		tk := e.customerMessage(e.kaufland, "KA-1", "Jean Dupont", "Où est mon colis ?")
		tb := e.tab(t, b)
		tb.signIn("lea@example.fr")
		var shown, filled []float64
		for range 5 {
			tb.run("open the ticket", loaded(chromedp.Navigate(e.srv.URL+"/tickets/"+tk.Number)))
			shown = append(shown, atof(tb.eval(`String(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd)`)))
			tb.waitJS("the panel filled", `!document.querySelector('#int-backoffice .muted')?.textContent.includes('…')`)
			filled = append(filled, atof(tb.eval(`String(performance.now())`)))
		}
		t.Logf("%s: page shown at %v ms (5 loads), Backoffice panel filled at %v ms", c.name, round(shown), round(filled))
	}
}

func atof(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }

func round(xs []float64) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = int(x + 0.5)
	}
	return out
}
