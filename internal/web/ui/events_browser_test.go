package ui_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"guichet/internal/web/request"
	"guichet/internal/web/ui"
)

// A tab whose stream is refused (the session holds its fill of streams)
// says so, waits, and comes back live once a place is free: the browser
// gives up on a refused EventSource, the page's script does not.
func TestBrowserRefusedLiveStreamRetriesLater(t *testing.T) {
	e := newEnv(t)
	lea := e.tab(t, browser(t))
	lea.signIn("lea@example.fr")
	lea.waitJS("the first tab live", `document.body.dataset.live === 'on'`)

	ctx, cancel := context.WithTimeout(lea.ctx, 20*time.Second)
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{e.srv.URL}})
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	var session string
	for _, c := range cookies.Cookies {
		if c.Name == request.SessionCookie {
			session = c.Value
		}
	}
	// Other "tabs" of the same session take the remaining places.
	var held []*http.Response
	defer func() {
		for _, res := range held {
			res.Body.Close()
		}
	}()
	for range ui.DefaultStreamsPerSession - 1 {
		req, _ := http.NewRequest("GET", e.srv.URL+"/events", nil)
		req.AddCookie(&http.Cookie{Name: request.SessionCookie, Value: session})
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("holding a stream: %v %v", res, err)
		}
		held = append(held, res)
	}
	more := lea.newTab(t)
	more.run("open one tab too many", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(css("#tickets, .inbox .empty")))
	more.waitJS("the refusal noticed, a retry planned", `document.body.dataset.live === 'off' && Number(document.body.dataset.liveRetry) > 0`)
	if b := more.text("#live-banner"); b == "" {
		t.Error("no banner while the stream is refused")
	}
	held[0].Body.Close() // a tab closes
	held = held[1:]
	more.waitJS("live again", `document.body.dataset.live === 'on'`)
	more.noDialogs()
}
