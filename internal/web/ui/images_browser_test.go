package ui_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"guichet/internal/desk"
)

// In a real browser, a customer's remote images are fetched only after
// « Afficher », and only that message's.
func TestBrowserRemoteImagesLoadAfterShow(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	remote := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Content-Type", "image/gif")
		w.Write([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))
	}))
	defer remote.Close()
	count := func(path string) int {
		mu.Lock()
		defer mu.Unlock()
		return hits[path]
	}

	e := newEnv(t)
	cust := desk.CustomerInput{ExternalID: "c-px", Name: "Inès Garnier"}
	tk := e.ingest(desk.Incoming{ChannelID: e.shop.ID, OrderRef: "PX-1", SourceID: "px-1", AuthorKind: desk.AuthorCustomer, Customer: cust,
		BodyHTML: `<p>Bonjour, voici notre logo.</p><img src="` + remote.URL + `/logo.gif" alt="logo">`})
	e.ingest(desk.Incoming{ChannelID: e.shop.ID, OrderRef: "PX-1", SourceID: "px-2", AuthorKind: desk.AuthorCustomer, Customer: cust,
		BodyHTML: `<p>Relance</p><img src="` + remote.URL + `/pixel.gif" width="1" height="1">`})
	var first int64
	for _, m := range e.view(tk.ID).Messages {
		if m.SourceID == "px-1" {
			first = m.ID
		}
	}
	lea := e.tab(t, browser(t))
	lea.signIn("lea@example.fr")
	msg := "#m-" + strconv.FormatInt(first, 10)
	lea.run("open the ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+strconv.FormatInt(tk.ID, 10)), chromedp.WaitVisible(css(msg+" [data-show-images]")))
	if n := count("/logo.gif") + count("/pixel.gif"); n != 0 {
		t.Fatalf("remote images fetched before the agent asked: %v", hits)
	}
	lea.run("show the first message's images", loaded(chromedp.Click(css(msg+" [data-show-images]"))))
	lea.waitJS("the logo loaded", `(() => { const i = document.querySelector('`+msg+` img[alt=logo]'); return !!i && i.complete && i.naturalWidth > 0; })()`)
	if count("/logo.gif") == 0 || count("/pixel.gif") != 0 {
		t.Errorf("after « Afficher »: %v; want the logo only", hits)
	}
	lea.shot("ticket-remote-images-shown")
	lea.noDialogs()
}
