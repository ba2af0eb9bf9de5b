package mirakl

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// threadInfo is what guichet makes of a Mirakl thread.
type threadInfo struct {
	orderRef string // the MMP_ORDER entity, "" for a thread without an order
	kind     desk.ThreadKind
	customer participant
	subject  string
}

// infoOf reads a thread's order and kind: a thread whose participants
// include the customer is the customer thread, one with the operator and
// the shop alone is the operator thread.
func infoOf(t thread) threadInfo {
	var in threadInfo
	for _, e := range t.Entities {
		if e.Type == "MMP_ORDER" && in.orderRef == "" {
			in.orderRef = e.ID
		}
	}
	in.kind = desk.ThreadOperator
	for _, p := range append(append([]participant(nil), t.AuthorizedParticipants...), t.CurrentParticipants...) {
		if p.Type == "CUSTOMER" {
			in.kind, in.customer = desk.ThreadCustomer, p
			break
		}
	}
	in.subject = strings.TrimSpace(t.Topic.Value)
	if in.subject == "" && len(t.Entities) > 0 {
		in.subject = t.Entities[0].Label
	}
	return in
}

// state is the thread as the ticket's thread shows it. Mirakl has no
// status for a thread, only whether the shop owes an answer; a thread is
// never closed for good by the operator (the spec says nothing of it), so
// TicketStatus stays "".
func stateOf(t thread, in threadInfo) desk.ThreadState {
	st := desk.ThreadState{OrderRef: in.orderRef, Kind: in.kind, ExternalID: t.ID, Subject: in.subject,
		Reason: in.subject, UpdatedAt: t.DateUpdated.UTC(), Status: "replied", StatusLabel: "Répondu"}
	if t.Metadata.ShopReplyNeededSince != nil {
		st.Status, st.StatusLabel = "reply_needed", "Réponse attendue"
	}
	return st
}

// mapThread returns a thread's state and its messages the cursor has not
// delivered: from its window on, but for those delivered already.
func (k *Connector) mapThread(ctx context.Context, t thread, c cursor) (desk.ThreadState, []desk.Incoming, error) {
	in := infoOf(t)
	from := c.from()
	var out []desk.Incoming
	for _, m := range t.Messages {
		at := m.DateCreated.UTC()
		if m.ID == "" || at.Before(from) || slices.ContainsFunc(c.Recent, func(s seen) bool { return s.ID == m.ID }) {
			continue
		}
		inc := desk.Incoming{OrderRef: in.orderRef, SourceID: m.ID, ThreadKind: in.kind, ThreadExternalID: t.ID,
			ThreadSubject: in.subject, Reason: in.subject, AuthorName: m.From.DisplayName, Body: m.Body, At: at}
		switch m.From.Type {
		case "CUSTOMER_USER":
			inc.AuthorKind = desk.AuthorCustomer
		case "OPERATOR_USER":
			inc.AuthorKind = desk.AuthorOperator
		default: // SHOP_USER: our reply's echo, or written in the back office
			inc.FromSeller = true
		}
		if in.customer.ID != "" || in.customer.DisplayName != "" {
			inc.Customer = desk.CustomerInput{ExternalID: in.customer.ID, Name: in.customer.DisplayName}
		}
		files, notes, err := k.files(ctx, m.Attachments)
		if err != nil {
			return desk.ThreadState{}, nil, err
		}
		inc.Files, inc.Notes = files, strings.Join(notes, "\n")
		out = append(out, inc)
	}
	return stateOf(t, in), out, nil
}

// files downloads a message's attachments (M13). One too large for desk,
// or that the instance will not give, is left out and named in a note
// appended to the message (the message is not lost, the agent sees what is
// missing and can fetch it from the back office); only a rate limit fails
// the call, so that the page is read again when the instance allows.
func (k *Connector) files(ctx context.Context, atts []attachment) ([]desk.IncomingFile, []string, error) {
	var files []desk.IncomingFile
	var notes []string
	for _, a := range atts {
		if a.Size > desk.MaxFileSize {
			notes = append(notes, fmt.Sprintf("[Pièce jointe trop volumineuse, à voir dans le back-office Mirakl : %s]", a.Name))
			continue
		}
		data, hdr, err := k.api.raw(ctx, request{method: http.MethodGet, path: "/api/inbox/threads/" + url.PathEscape(a.ID) + "/download"}, desk.MaxFileSize)
		if channel.KindOf(err) == channel.RateLimited {
			return nil, nil, err
		}
		if err != nil {
			k.log.Warn("mirakl: attachment not downloaded", "attachment", a.ID, "err", err)
			notes = append(notes, fmt.Sprintf("[Pièce jointe non récupérée, à voir dans le back-office Mirakl : %s]", a.Name))
			continue
		}
		ct := mime.TypeByExtension(strings.ToLower(path.Ext(a.Name)))
		if ct == "" {
			if h := hdr.Get("Content-Type"); h != "" && !strings.HasPrefix(h, "application/json") {
				ct = h
			}
		}
		files = append(files, desk.IncomingFile{Name: a.Name, ContentType: ct, Data: data})
	}
	return files, notes, nil
}
