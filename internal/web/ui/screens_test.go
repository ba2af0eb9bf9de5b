package ui_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

func TestScreens(t *testing.T) {
	e := newEnv(t)
	ts := e.seed()
	b := browser(t)
	lea := e.tab(t, b)
	lea.signIn("lea@example.fr")
	lea.shot("inbox")
	lea.run("open ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+ts.fnac.Number), chromedp.WaitVisible(chromedp.CSS("#reply-body")))
	lea.shot("ticket")
	lea.run("open ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+ts.html.Number), chromedp.WaitVisible(chromedp.CSS("#reply-body")))
	lea.shot("ticket-html")
}
