package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"guichet/internal/desk"
)

// TestBrowserOversizeAttachmentIsShownByTheFiles: the page's script shows
// the 413 by the attachments and keeps what the agent typed.
func TestBrowserOversizeAttachmentIsShownByTheFiles(t *testing.T) {
	e := newEnv(t)
	ts := e.seed()
	b := browser(t)
	lea := e.tab(t, b)
	lea.signIn("lea@example.fr")
	lea.run("open the ticket", chromedp.Navigate(e.srv.URL+"/tickets/"+ts.kauf.Number), chromedp.WaitVisible(css("#reply-body")))
	big := filepath.Join(t.TempDir(), "facture.pdf")
	if err := os.WriteFile(big, make([]byte, 26<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	typed := "Bonjour, voici la facture."
	lea.run("a reply with a big file",
		chromedp.SendKeys(css("#reply-body"), typed),
		chromedp.SetUploadFiles(css("#attachment_1"), []string{big}),
		chromedp.Click(css(`#reply-status input[value="waiting_customer"]`)),
		chromedp.Click(css("#send-btn")),
		chromedp.WaitVisible(css("#err-attachments")),
	)
	if got := lea.text("#err-attachments"); got != "fichier trop volumineux : facture.pdf (26 Mo, 25 Mo au plus)" {
		t.Errorf("error by the files: %q", got)
	}
	if got := lea.eval(`document.getElementById('reply-body').value`); got != typed {
		t.Errorf("reply box after the refusal: %q", got)
	}
	lea.shot("reply-file-too-large")
	if n := len(e.view(ts.kauf.ID).Messages); n != 1 {
		t.Errorf("refused reply stored: %d messages", n)
	}

	// The admin's list of parked messages, as an admin sees it.
	e.d.Ingest(ctx, []desk.Incoming{{ChannelID: e.fnac.ID, OrderRef: "FN-4242", SourceID: "fn-9", AuthorName: "Sophie Bernard",
		Subject: "Retour", Body: "Voici la photo du colis abîmé.",
		Files: []desk.IncomingFile{{Name: "colis.jpg", ContentType: "image/jpeg", Data: make([]byte, 26<<20)}}}})
	admin := e.tab(t, b) // a browser context of its own: another session
	admin.signIn("admin@example.fr")
	admin.run("parked messages", chromedp.Navigate(e.srv.URL+"/admin/parked"), chromedp.WaitVisible(css("table.parked")),
		chromedp.Click(css("table.parked summary")))
	if got := admin.text("table.parked tbody"); !strings.Contains(got, "colis.jpg") || !strings.Contains(got, "Voici la photo") {
		t.Errorf("parked list: %q", got)
	}
	admin.shot("admin-parked")
	lea.noDialogs()
}
