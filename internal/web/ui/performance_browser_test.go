package ui_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"guichet/internal/desk"
)

// TestBrowserPerformanceDashboard: an ADV opens « Performance », sees the
// charts drawn from the period's tickets, and downloads the CSV, which holds
// the same figures for French Excel.
func TestBrowserPerformanceDashboard(t *testing.T) {
	e := newEnv(t)
	now := time.Now()
	answered := desk.Incoming{ChannelID: e.fnac.ID, OrderRef: "FN-PERF-1", SourceID: "perf-1", AuthorKind: desk.AuthorCustomer,
		AuthorName: "Sophie Bernard", Body: "Où est mon colis ?", At: now.Add(-3 * time.Hour),
		Customer: desk.CustomerInput{ExternalID: "sb", Name: "Sophie Bernard"}}
	waiting := desk.Incoming{ChannelID: e.kaufland.ID, OrderRef: "KA-PERF-2", SourceID: "perf-2", AuthorKind: desk.AuthorCustomer,
		AuthorName: "Jonas Weber", Body: "Wo ist mein Paket?", At: now.Add(-time.Hour),
		Customer: desk.CustomerInput{ExternalID: "jw", Name: "Jonas Weber"}}
	res, err := e.d.Ingest(ctx, []desk.Incoming{answered})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Ingest(ctx, []desk.Incoming{waiting}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Reply(ctx, e.lea, desk.ReplyInput{TicketID: res.Tickets[0], Body: "Bonjour, il arrive demain.", Status: desk.StatusWaitingCustomer}); err != nil {
		t.Fatal(err)
	}

	b := browser(t)
	lea := e.tab(t, b)
	lea.signIn("lea@example.fr")
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	url := e.srv.URL + "/performance?from=" + day(now.AddDate(0, 0, -2)) + "&to=" + day(now.AddDate(0, 0, 1))
	lea.run("the dashboard", chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(css(`a[href="/performance"]`)),
		chromedp.Click(css(`a[href="/performance"]`)), chromedp.WaitVisible(css(".performance")),
		chromedp.Navigate(url), chromedp.WaitVisible(css("#chart-frt")))
	// Each chart is an SVG with its accessible title and bars of data.
	for _, c := range []struct{ id, title string }{
		{"chart-daily", "Messages et fermetures par jour"},
		{"chart-frt", "Temps de première réponse par canal"},
		{"chart-intime", "Part des tickets répondus dans les délais, par canal"},
		{"chart-backlog", "Tickets à traiter par ancienneté"},
	} {
		if got := lea.eval(`document.querySelector('#` + c.id + ` > title').textContent`); got != c.title {
			t.Errorf("%s title = %q", c.id, got)
		}
		drawn := lea.eval(`String([...document.querySelectorAll('#` + c.id + ` rect')].filter(r => r.getBBox().width > 0 && r.getBBox().height > 0).length)`)
		if drawn == "0" {
			t.Errorf("%s: no bar drawn", c.id)
		}
	}
	if got := lea.eval(`[...document.querySelectorAll('#chart-frt g.chart-bar title')].map(t => t.textContent).join(' | ')`); !strings.Contains(got, "Fnac · 1re réponse (médiane) : 3 h 00") {
		t.Errorf("FRT bars: %q", got)
	}
	if got := lea.text("#kpi-median"); got != "3 h 00" {
		t.Errorf("median shown: %q; want 3 h 00", got)
	}
	if got := lea.text("#kpi-share"); got != "100,0 %" {
		t.Errorf("in-time share shown: %q", got)
	}
	if got := lea.eval(`document.querySelector('#perf-channels tbody').textContent`); !strings.Contains(got, "Fnac") || !strings.Contains(got, "Kaufland") {
		t.Errorf("channels table: %q", got)
	}
	lea.shot("performance-dashboard")

	// The CSV, downloaded by the browser.
	dir := t.TempDir()
	lea.run("download the CSV", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir,
			BrowserContextID: chromedp.FromContext(ctx).BrowserContextID})
		return err
	}), chromedp.Click(css("#perf-csv")))
	// The file is named by the download's id; Chromium writes it under a
	// temporary name first.
	var file string
	for end := time.Now().Add(20 * time.Second); file == "" && time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		entries, _ := os.ReadDir(dir)
		for _, en := range entries {
			if !strings.HasSuffix(en.Name(), ".crdownload") {
				file = filepath.Join(dir, en.Name())
			}
		}
	}
	if file == "" {
		t.Fatal("the CSV did not download")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if !strings.HasPrefix(text, "\ufeffPortée;Nom;Tickets ouverts;Répondus;1re réponse médiane (h);") {
		t.Errorf("CSV header: %q", strings.SplitN(text, "\r\n", 2)[0])
	}
	// Overall: 2 opened, 1 answered in 3 h, in time; 2 in, 1 out, 0
	// closed; backlog: Kaufland's ticket, an hour old.
	for _, want := range []string{"\r\nEnsemble;;2;1;3,00;3,00;1;0;100,0;2;1;0;1;0;0;0;0\r\n",
		"\r\nCanal;Fnac;1;1;3,00;3,00;1;0;100,0;1;1;0;0;0;0;0;0\r\n",
		"\r\nCanal;Kaufland;1;0;;;0;0;;1;0;0;1;0;0;0;0\r\n",
		"\r\nAgent;Léa Martin;2;1;3,00;3,00;1;0;100,0;0;1;0;1;0;0;0;0\r\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("CSV lacks %q:\n%s", want, text)
		}
	}
	lea.noDialogs()
}

func ptrTo[T any](v T) *T { return &v }
