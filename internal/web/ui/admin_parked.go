package ui

import (
	"net/http"
	"strconv"

	"guichet/internal/desk"
	"guichet/internal/htmlsafe"
	"guichet/internal/web/request"
)

// adminParked lists the incoming messages that could not be stored (« Messages
// en attente »), each with its reason and content, to delete or to retry.
type adminParked struct {
	desk  *desk.Desk
	views *views
}

type parkedData struct {
	page
	Rows  []parkedRow
	Total int
	Error string // a retry that failed
}

type parkedRow struct {
	ID                         int64
	Channel, OrderRef, Source  string
	Code, Field, Reason        string
	LastSeen, LastISO, First   string
	TimesSeen                  int
	Author, Subject, Body      string
	Files                      []string
	Altered, Clipped, Retrying bool
	Raw                        bool // its original bytes are kept (admin_parked_source.go)
}

func (h *adminParked) list(w http.ResponseWriter, r *http.Request, s session) error {
	return h.render(w, r, s, http.StatusOK, "")
}

func (h *adminParked) render(w http.ResponseWriter, r *http.Request, s session, status int, problem string) error {
	ps, total, err := h.desk.ParkedMessages(r.Context(), s.actor())
	if err != nil {
		return err
	}
	names, err := channelNames(r.Context(), h.desk)
	if err != nil {
		return err
	}
	d := parkedData{page: adminPage(r, h.desk, h.views, s, translator(s.lang()).T("admin.parked"), "parked"), Total: total, Error: problem}
	d.Notice = noticeOf(r, s)
	for _, p := range ps {
		c := p.Content
		row := parkedRow{ID: p.ID, Channel: names[p.ChannelID], OrderRef: p.OrderRef, Source: p.SourceID,
			Code: p.Code, Field: p.Field, Reason: p.Reason, LastSeen: showTime(p.LastSeen), LastISO: p.LastSeen.UTC().Format("2006-01-02T15:04:05Z"),
			First: showTime(p.FirstSeen), TimesSeen: p.TimesSeen, Author: c.AuthorName, Subject: or(c.Subject, c.ThreadSubject),
			Body: c.Body, Altered: c.Altered, Clipped: c.Clipped, Retrying: p.Retryable(), Raw: c.RawKey != ""}
		if row.Body == "" && c.BodyHTML != "" {
			row.Body = htmlsafe.Text(c.BodyHTML)
		}
		for _, f := range c.Files {
			row.Files = append(row.Files, f.Name+" ("+f.ContentType+", "+sizeText(f.Size)+")")
		}
		d.Rows = append(d.Rows, row)
	}
	h.views.render(w, r, status, s.lang(), "admin_parked", d)
	return nil
}

func (h *adminParked) remove(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("message en attente")
	}
	if err := h.desk.DeleteParked(r.Context(), s.actor(), id); err != nil {
		return err
	}
	redirect(w, r, "/admin/parked?ok=deleted")
	return nil
}

func (h *adminParked) retry(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("message en attente")
	}
	res, err := h.desk.RetryParked(r.Context(), s.actor(), id)
	if desk.ErrorCode(err) == desk.EConflict {
		return h.render(w, r, s, http.StatusConflict, desk.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	to := "/admin/parked?ok=retried"
	if len(res.Tickets) == 1 {
		to = "/tickets/" + strconv.FormatInt(res.Tickets[0], 10) + "?ok=retried"
	}
	redirect(w, r, to)
	return nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
