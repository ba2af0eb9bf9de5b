package ui

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// maxReplyForm bounds a reply with its attachments (desk allows 10 files).
const maxReplyForm = 64 << 20

// replyToTicket sends an agent's reply: desk queues it for the channel's
// connector. The page's script asks desk's guard first and confirms with the
// agent; without script the page comes back with the guard's findings and a
// confirm button. Either way desk refuses an unconfirmed reply that the guard
// flags.
type replyToTicket struct {
	desk  *desk.Desk
	views *views
	deps  ticketDeps
}

func (h *replyToTicket) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("ticket")
	}
	in, files, err := readReply(w, r, id)
	defer closeAll(files)
	if err == nil {
		var m desk.Message
		m, err = h.desk.Reply(r.Context(), s.actor(), in)
		if err == nil {
			if wantsJSON(r) {
				request.WriteJSON(w, http.StatusCreated, map[string]int64{"message_id": m.ID})
			} else {
				redirect(w, r, "/tickets/"+strconv.FormatInt(id, 10)+"?ok=sent")
			}
			return nil
		}
	}
	code := desk.ErrorCode(err)
	if wantsJSON(r) || (code != desk.EInvalid && code != desk.EConfirm && code != desk.ETooLarge) {
		return err
	}
	d, lerr := loadTicket(r.Context(), h.desk, h.views, h.deps, s, id)
	if lerr != nil {
		return lerr
	}
	d.Reply = replyForm{Body: in.Body, Status: string(in.Status), TemplateID: in.TemplateID, Errors: map[string]string{}}
	var de *desk.Error
	if errors.As(err, &de) {
		if hits, ok := de.Details.([]desk.GuardHit); ok && code == desk.EConfirm {
			d.Reply.Hits = hits
		} else {
			d.Reply.Errors[replyField(de.Field)] = de.Message
		}
	}
	if in.ThreadID != 0 {
		d.ReplyTab = "t" + strconv.FormatInt(in.ThreadID, 10)
	} else if in.ThreadKind == desk.ThreadEmail || in.ThreadKind == desk.ThreadOperator {
		d.ReplyTab = string(in.ThreadKind) // the tab of a thread not started yet
	}
	h.views.render(w, r, request.Status(err), s.lang(), "ticket", d)
	return nil
}

// readReply reads the multipart form. Attachments come in numbered pairs
// (attachment_1 and kind_1...), so that an empty file input cannot shift
// the types of the files after it.
func readReply(w http.ResponseWriter, r *http.Request, ticketID int64) (desk.ReplyInput, []multipart.File, error) {
	in := desk.ReplyInput{TicketID: ticketID}
	if r.MultipartForm == nil { // the CSRF check parsed it already unless the token came as a header
		r.Body = http.MaxBytesReader(w, r.Body, maxReplyForm)
		// A form without files may come urlencoded: ParseForm has read it then.
		if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return in, nil, desk.Invalid("attachments", "formulaire illisible ou trop volumineux (64 Mo au plus)")
		}
	}
	in.Body = r.PostFormValue("body")
	in.Status = desk.Status(r.PostFormValue("status"))
	in.ThreadID, _ = strconv.ParseInt(r.PostFormValue("thread_id"), 10, 64)
	in.ThreadKind = desk.ThreadKind(r.PostFormValue("thread_kind"))
	if in.ThreadID != 0 {
		in.ThreadKind = ""
	}
	in.TemplateID, _ = strconv.ParseInt(r.PostFormValue("template_id"), 10, 64)
	in.Confirmed = r.PostFormValue("confirmed") == "1"
	var files []multipart.File
	if r.MultipartForm == nil {
		return in, nil, nil
	}
	for i := 1; i <= 20; i++ {
		n := strconv.Itoa(i)
		for _, fh := range r.MultipartForm.File["attachment_"+n] {
			f, err := fh.Open()
			if err != nil {
				return in, files, desk.Invalid("attachments", "fichier illisible : %s", fh.Filename)
			}
			files = append(files, f)
			in.Attachments = append(in.Attachments, desk.NewAttachment{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"),
				Kind: desk.AttachmentKind(r.PostFormValue("kind_" + n)), Data: f, Size: fh.Size})
		}
	}
	return in, files, nil
}

func closeAll(files []multipart.File) {
	for _, f := range files {
		f.Close()
	}
}

// replyField maps desk's field names to the reply form's.
func replyField(f string) string {
	switch {
	case strings.HasPrefix(f, "attachments"):
		return "attachments"
	case f == "thread_id" || f == "thread_kind":
		return "thread"
	case f == "template_id":
		return "body"
	}
	return f
}
