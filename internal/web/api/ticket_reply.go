package api

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// maxReplyJSON bounds a reply with its attachments, base64 included.
const maxReplyJSON = 48 << 20

type replyBody struct {
	Body        string           `json:"body"`
	Status      desk.Status      `json:"status"`
	ThreadID    int64            `json:"thread_id"`
	ThreadKind  desk.ThreadKind  `json:"thread_kind"`
	TemplateID  int64            `json:"template_id"`
	Confirmed   bool             `json:"confirmed"`
	Attachments []attachmentBody `json:"attachments"`
}

type attachmentBody struct {
	Name        string              `json:"name"`
	ContentType string              `json:"content_type"`
	Kind        desk.AttachmentKind `json:"kind"`
	Data        string              `json:"data"` // base64
}

func (h *handler) replyToTicket(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return err
	}
	var b replyBody
	if err := request.DecodeJSON(w, r, &b, maxReplyJSON); err != nil {
		return err
	}
	in := desk.ReplyInput{TicketID: id, ThreadID: b.ThreadID, ThreadKind: b.ThreadKind, Body: b.Body,
		Status: b.Status, TemplateID: b.TemplateID, Confirmed: b.Confirmed}
	for i, a := range b.Attachments {
		data, err := base64.StdEncoding.DecodeString(a.Data)
		if err != nil {
			return desk.Invalid(fmt.Sprintf("attachments[%d].data", i), "base64 invalide")
		}
		in.Attachments = append(in.Attachments, desk.NewAttachment{Name: a.Name, ContentType: a.ContentType, Kind: a.Kind,
			Data: bytes.NewReader(data), Size: int64(len(data))})
	}
	m, err := h.desk.Reply(r.Context(), actor, in)
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusCreated, m)
	return nil
}

// checkReply runs the pre-send checks without sending: the pages call it to
// ask the agent before the real send.
func (h *handler) checkReply(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return err
	}
	var b struct {
		Body string `json:"body"`
	}
	if err := request.DecodeJSON(w, r, &b, request.MaxJSON); err != nil {
		return err
	}
	c, err := h.desk.CheckReplyText(r.Context(), actor, id, b.Body)
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (h *handler) addNote(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return err
	}
	var b struct {
		Body string `json:"body"`
	}
	if err := request.DecodeJSON(w, r, &b, request.MaxJSON); err != nil {
		return err
	}
	m, err := h.desk.AddNote(r.Context(), actor, id, b.Body)
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusCreated, m)
	return nil
}

func (h *handler) ticketTemplates(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return err
	}
	ts, err := h.desk.TicketTemplates(r.Context(), actor, id)
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []desk.FilledTemplate{}
	}
	request.WriteJSON(w, http.StatusOK, ts)
	return nil
}
