package ui_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"guichet/internal/desk"
)

// articleOf is the HTML of message id on a ticket page.
func articleOf(t *testing.T, page string, id int64) string {
	t.Helper()
	i := strings.Index(page, `id="m-`+strconv.FormatInt(id, 10)+`"`)
	if i < 0 {
		t.Fatalf("message %d not on the page", id)
	}
	return page[i : i+strings.Index(page[i:], "</article>")]
}

// Remote images in customer HTML load only when the agent asks, for that
// message, on that page; cid: images show the message's attachment.
func TestRemoteImagesLoadOnlyWhenAskedForOneMessage(t *testing.T) {
	e := newEnv(t)
	cust := desk.CustomerInput{ExternalID: "c-img", Name: "Inès Garnier"}
	first := e.ingest(desk.Incoming{ChannelID: e.shop.ID, OrderRef: "IMG-1", SourceID: "img-1", AuthorKind: desk.AuthorCustomer, Customer: cust,
		BodyHTML: `<p>Voici la photo du colis :</p><img src="cid:image001.png@01DA2B" alt="colis">` +
			`<img src="https://cdn.example.net/logo.png" alt="logo"><img src="http://pixel.example.net/o.gif?u=42" width="1" height="1">`,
		Files: []desk.IncomingFile{{Name: "image001.png", ContentType: "image/png", Data: []byte("\x89PNG fake")}}})
	e.ingest(desk.Incoming{ChannelID: e.shop.ID, OrderRef: "IMG-1", SourceID: "img-2", AuthorKind: desk.AuthorCustomer, Customer: cust,
		BodyHTML: `<p>Relance</p><img src="https://pixel.example.net/again.gif">`})
	v := e.view(first.ID)
	var withPhoto, relance desk.Message
	for _, m := range v.Messages {
		if strings.Contains(m.BodyHTML, "cid:") {
			withPhoto = m
		} else {
			relance = m
		}
	}
	if withPhoto.ID == 0 || relance.ID == 0 || len(withPhoto.Attachments) != 1 {
		t.Fatalf("messages: %+v", v.Messages)
	}
	c := e.client().signIn("lea@example.fr")
	path := "/tickets/" + strconv.FormatInt(first.ID, 10)

	res, page := c.get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("ticket page: %d", res.StatusCode)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:;") {
		t.Errorf("default CSP %q; want img-src 'self' data: only", csp)
	}
	for _, remote := range []string{` src="https:`, ` src="http:`, ` src="//`} {
		if strings.Contains(page, remote) {
			t.Errorf("the default page loads a remote image (%s)", remote)
		}
	}
	photo := articleOf(t, page, withPhoto.ID)
	for _, want := range []string{
		`src="/api/v1/attachments/` + strconv.FormatInt(withPhoto.Attachments[0].ID, 10) + `"`,
		`data-remote-src="https://cdn.example.net/logo.png"`,
		"Images distantes bloquées (2)",
		`href="` + path + `?images=` + strconv.FormatInt(withPhoto.ID, 10) + `#m-` + strconv.FormatInt(withPhoto.ID, 10) + `"`,
	} {
		if !strings.Contains(photo, want) {
			t.Errorf("message with images lacks %s:\n%s", want, photo)
		}
	}
	if !strings.Contains(articleOf(t, page, relance.ID), "Images distantes bloquées (1)") {
		t.Error("the second message does not say its image is blocked")
	}

	// « Afficher » on the first message: its images, and a CSP that lets them load.
	show := path + "?images=" + strconv.FormatInt(withPhoto.ID, 10)
	res, page = c.get(show)
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https:;") || !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("CSP when showing: %q", csp)
	}
	photo = articleOf(t, page, withPhoto.ID)
	for _, want := range []string{`src="https://cdn.example.net/logo.png"`, `src="https://pixel.example.net/o.gif?u=42"`, "Images distantes affichées (2)", "Masquer"} {
		if !strings.Contains(photo, want) {
			t.Errorf("shown message lacks %s:\n%s", want, photo)
		}
	}
	if other := articleOf(t, page, relance.ID); strings.Contains(other, ` src="https:`) || !strings.Contains(other, "data-remote-src") {
		t.Errorf("the other message's image is shown too:\n%s", other)
	}
	if !strings.Contains(page, `data-live="`+path+`/live?images=`+strconv.FormatInt(withPhoto.ID, 10)+`"`) {
		t.Error("live refreshes would hide the shown images again")
	}
	_, frag := c.get(path+"/live?images="+strconv.FormatInt(withPhoto.ID, 10), "X-Requested-With", "fetch")
	if !strings.Contains(frag, `src="https://cdn.example.net/logo.png"`) {
		t.Error("the live fragment does not keep the shown images")
	}

	// Another ticket's message, or nonsense: nothing shown, the strict CSP.
	other := e.customerMessage(e.kaufland, "KA-IMG", "Jean Dupont", "Bonjour")
	for _, q := range []string{strconv.FormatInt(e.view(other.ID).Messages[0].ID, 10), "abc", "-3"} {
		res, page := c.get(path + "?images=" + q)
		if strings.Contains(res.Header.Get("Content-Security-Policy"), "https:") || strings.Contains(page, ` src="https:`) {
			t.Errorf("?images=%s widened the page", q)
		}
	}
}
