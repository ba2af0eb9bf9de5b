package ui

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// contactForm is the public contact form (no sign-in): GET shows it, POST
// sends it. It may be shown in a frame by the sites the options name
// (frame-ancestors); the rest of the app refuses frames.
type contactForm struct {
	desk    *desk.Desk
	views   *views
	proxies request.Proxies
	log     *slog.Logger
}

type contactData struct {
	page
	Lang        string
	Contacts    []desk.Contact
	AllowUpload bool
	MaxFileMB   int
	Issued      int64 // when the form was shown (ms): a bot posts at once
	Values      contactValues
	Error       string
	ErrorField  string
	Sent        bool
	TicketRef   string
}

type contactValues struct {
	ContactID                      int64
	Email, OrderRef, Product, Body string
}

// Spam guards: a honeypot field people never see, and a minimum time
// between showing the form and sending it.
const (
	honeypotField = "website"
	minFillTime   = 2 * time.Second
	maxFormPost   = desk.MaxFormFileSize + 256<<10
)

func (h *contactForm) show(w http.ResponseWriter, r *http.Request) {
	lang := formLang(r)
	d, err := h.data(r, lang)
	if err != nil {
		h.fail(w, r, lang, err)
		return
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("contact"), 10, 64); err == nil {
		d.Values.ContactID = id
	}
	d.Values.OrderRef = clipQuery(r.URL.Query().Get("order"), 64)
	d.Values.Product = clipQuery(r.URL.Query().Get("product"), 200)
	h.render(w, r, http.StatusOK, d)
}

func (h *contactForm) send(w http.ResponseWriter, r *http.Request) {
	lang := formLang(r)
	tr := translator(lang)
	d, err := h.data(r, lang)
	if err != nil {
		h.fail(w, r, lang, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormPost)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		d.Error = tr.T("contact.too_large", megabytesOf(desk.MaxFormFileSize))
		h.render(w, r, http.StatusRequestEntityTooLarge, d)
		return
	}
	defer func() {
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
	}()
	d.Values = contactValues{Email: r.PostFormValue("email"), OrderRef: r.PostFormValue("order_ref"),
		Product: r.PostFormValue("product"), Body: r.PostFormValue("message")}
	d.Values.ContactID, _ = strconv.ParseInt(r.PostFormValue("contact"), 10, 64)
	if r.PostFormValue(honeypotField) != "" {
		d.Sent = true // a bot: thanked, nothing stored
		h.render(w, r, http.StatusOK, d)
		return
	}
	issued, _ := strconv.ParseInt(r.PostFormValue("issued"), 10, 64)
	if elapsed := time.Since(time.UnixMilli(issued)); issued == 0 || elapsed < minFillTime {
		d.Error = tr.T("contact.too_fast")
		h.render(w, r, http.StatusBadRequest, d)
		return
	}
	in := desk.FormInput{ContactID: d.Values.ContactID, Email: d.Values.Email, OrderRef: d.Values.OrderRef,
		Product: d.Values.Product, Body: d.Values.Body, UserAgent: r.UserAgent(),
		Address: request.ClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), h.proxies)}
	if file, header, err := r.FormFile("file"); err == nil {
		data, err := io.ReadAll(io.LimitReader(file, desk.MaxFormFileSize+1))
		file.Close()
		if err != nil {
			h.fail(w, r, lang, err)
			return
		}
		in.File = &desk.IncomingFile{Name: header.Filename, Data: data}
	}
	res, err := h.desk.SubmitContactForm(r.Context(), in)
	if err != nil {
		status := request.Status(err)
		if status == http.StatusInternalServerError {
			h.fail(w, r, lang, err)
			return
		}
		d.Error, d.ErrorField = desk.ErrorMessage(err), desk.ErrorField(err)
		if lang == "en" {
			d.Error = tr.T("contact.refused") + " " + d.Error
		}
		h.render(w, r, status, d)
		return
	}
	d.Sent, d.Values = true, contactValues{}
	if res.TicketID != 0 {
		d.TicketRef = desk.TicketNumber(res.TicketID)
	}
	h.render(w, r, http.StatusOK, d)
}

func (h *contactForm) data(r *http.Request, lang string) (contactData, error) {
	cs, err := h.desk.Contacts(r.Context())
	if err != nil {
		return contactData{}, err
	}
	o, err := h.desk.ServiceOptions(r.Context())
	if err != nil {
		return contactData{}, err
	}
	d := contactData{Lang: lang, Contacts: cs, AllowUpload: o.AllowUpload, MaxFileMB: desk.MaxFormFileSize >> 20,
		Issued: time.Now().UnixMilli()}
	d.page = page{Title: translator(lang).T("contact.title"), Page: "contact"}
	if id, ok := request.IdentityOf(r); ok && id.Session != nil {
		d.CSRF = id.Session.CSRF // a signed-in agent trying the form: their session's token
	}
	return d, nil
}

// render sends the page with the frame policy of the options.
func (h *contactForm) render(w http.ResponseWriter, r *http.Request, status int, d contactData) {
	ancestors := "'none'"
	if o, err := h.desk.ServiceOptions(r.Context()); err == nil && o.FrameAncestors != "" {
		ancestors = o.FrameAncestors
	}
	hd := w.Header()
	hd.Set("Content-Security-Policy", strings.Replace(contentSecurityPolicy, "frame-ancestors 'none'", "frame-ancestors "+ancestors, 1))
	if ancestors != "'none'" {
		hd.Del("X-Frame-Options") // superseded by frame-ancestors
	}
	h.views.render(w, r, status, d.Lang, "contact", d)
}

func (h *contactForm) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	h.log.Error("contact form", "err", err)
	http.Error(w, translator(lang).T("error.internal"), http.StatusInternalServerError)
}

func formLang(r *http.Request) string {
	if r.URL.Query().Get("lang") == "en" {
		return "en"
	}
	return "fr"
}

func clipQuery(s string, n int) string {
	s = strings.ToValidUTF8(strings.TrimSpace(s), "")
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func megabytesOf(n int) string { return strconv.Itoa(n>>20) + " Mo" }
