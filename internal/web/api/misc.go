package api

import (
	"fmt"
	"io"
	"mime"
	"net/http"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

func (h *handler) counts(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	var agentID int64
	switch a := r.URL.Query().Get("assignee"); a {
	case "":
	case "me":
		if agentID = actor.AgentID; agentID == 0 {
			return errNoMe
		}
	default:
		var err error
		if agentID, err = optionalID(r.URL.Query(), "assignee"); err != nil {
			return err
		}
	}
	c, err := h.desk.Counts(r.Context(), actor, agentID)
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (h *handler) downloadAttachment(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return err
	}
	a, body, err := h.desk.Attachment(r.Context(), actor, id)
	if err != nil {
		return err
	}
	defer body.Close()
	ServeAttachment(w, a, body)
	return nil
}

// ServeAttachment writes a file so that a browser downloads it rather than
// rendering it in our origin (customer files are not trusted).
func ServeAttachment(w http.ResponseWriter, a desk.Attachment, body io.Reader) {
	w.Header().Set("Content-Type", desk.NormalizeContentType(a.ContentType)) // older rows kept the type as sent
	w.Header().Set("Content-Length", fmt.Sprint(a.Size))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "sandbox")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	io.Copy(w, body)
}

func (h *handler) listChannels(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	cs, err := h.desk.Channels(r.Context())
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, nonNil(cs))
	return nil
}

func (h *handler) listAgents(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	as, err := h.desk.Agents(r.Context())
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, nonNil(as))
	return nil
}

func (h *handler) listTemplates(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	ts, err := h.desk.Templates(r.Context())
	if err != nil {
		return err
	}
	request.WriteJSON(w, http.StatusOK, nonNil(ts))
	return nil
}

// meBody says who calls: an agent (its fields, kind "agent") or an
// integration (kind "integration", its token's id and name).
type meBody struct {
	Kind string `json:"kind"`
	*desk.Agent
	Integration *desk.Integration `json:"integration,omitempty"`
}

func (h *handler) me(w http.ResponseWriter, r *http.Request, actor desk.Actor) error {
	id, _ := request.IdentityOf(r)
	if id.Integration != nil {
		request.WriteJSON(w, http.StatusOK, meBody{Kind: "integration", Integration: id.Integration})
		return nil
	}
	request.WriteJSON(w, http.StatusOK, meBody{Kind: "agent", Agent: &id.Agent})
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
