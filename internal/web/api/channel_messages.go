package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// maxIntakeJSON bounds an intake batch, its files (in base64) included.
const maxIntakeJSON = 64 << 20

// intakeMessage is one message pushed for a channel without a connector.
type intakeMessage struct {
	SourceID         string             `json:"source_id"`
	OrderRef         string             `json:"order_ref"`
	ThreadKind       desk.ThreadKind    `json:"thread_kind"`
	ThreadExternalID string             `json:"thread_external_id"`
	ThreadSubject    string             `json:"thread_subject"`
	AuthorKind       desk.AuthorKind    `json:"author_kind"`
	AuthorName       string             `json:"author_name"`
	FromSeller       bool               `json:"from_seller"`
	Customer         desk.CustomerInput `json:"customer"`
	Body             string             `json:"body"`
	BodyHTML         string             `json:"body_html"`
	Reason           string             `json:"reason"`
	Subject          string             `json:"subject"`
	At               time.Time          `json:"at"`
	Files            []intakeFile       `json:"files"`
}

type intakeFile struct {
	Name        string     `json:"name"`
	ContentType string     `json:"content_type"`
	Data        base64Data `json:"data"`
}

// base64Data is a file's bytes in standard base64; a bad one names the field.
type base64Data []byte

func (b *base64Data) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return desk.Invalid("files.data", "texte base64 attendu")
	}
	v, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return desk.Invalid("files.data", "base64 invalide : %v", err)
	}
	*b = v
	return nil
}

// intakeBatch is a JSON array of messages, or {"messages": [...]}.
type intakeBatch []intakeMessage

func (b *intakeBatch) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		return dec.Decode((*[]intakeMessage)(b))
	}
	var w struct {
		Messages []intakeMessage `json:"messages"`
	}
	err := dec.Decode(&w)
	*b = w.Messages
	return err
}

// postChannelMessages stores a batch pushed for a channel: the same path
// as a connector's (dedupe by source_id, bad messages parked).
func (h *handler) postChannelMessages(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return err
	}
	var b intakeBatch
	if err := request.DecodeJSON(w, r, &b, maxIntakeJSON); err != nil {
		return err
	}
	batch := make([]desk.Incoming, len(b))
	for i, m := range b {
		in := desk.Incoming{SourceID: m.SourceID, OrderRef: m.OrderRef, ThreadKind: m.ThreadKind, ThreadExternalID: m.ThreadExternalID,
			ThreadSubject: m.ThreadSubject, AuthorKind: m.AuthorKind, AuthorName: m.AuthorName, FromSeller: m.FromSeller,
			Customer: m.Customer, Body: m.Body, BodyHTML: m.BodyHTML, Reason: m.Reason, Subject: m.Subject, At: m.At}
		for _, f := range m.Files {
			in.Files = append(in.Files, desk.IncomingFile{Name: f.Name, ContentType: f.ContentType, Data: f.Data})
		}
		batch[i] = in
	}
	res, err := h.desk.IngestChannel(r.Context(), actor, id, batch)
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, res)
	return nil
}
