package desk

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// NewAttachment is a file an agent sends with a reply.
type NewAttachment struct {
	Name        string
	ContentType string
	Kind        AttachmentKind
	Data        io.Reader
}

// ReplyInput is an agent's answer on a ticket.
type ReplyInput struct {
	TicketID    int64
	ThreadID    int64      // 0: the thread of ThreadKind
	ThreadKind  ThreadKind // when ThreadID is 0; default: the customer thread
	Body        string
	Status      Status // required: the agent says where the ticket stands
	TemplateID  int64  // the default reply it was made from, if any
	Attachments []NewAttachment
	Confirmed   bool // the agent saw the guard's findings and sends anyway
}

// Reply stores an agent's message, queued for delivery through the ticket's
// channel, and sets the status the agent chose. When the text names another
// marketplace (or contact details the channel forbids) and the agent has not
// confirmed, nothing is stored and an EConfirm error lists the findings.
func (d *Desk) Reply(ctx context.Context, actor Actor, in ReplyInput) (Message, error) {
	body := strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	switch {
	case actor.AgentID == 0:
		return Message{}, Errorf(EForbidden, "seul un agent peut répondre")
	case !in.Status.Valid():
		return Message{}, Invalid("status", "choisissez le statut du ticket")
	case body == "" && len(in.Attachments) == 0:
		return Message{}, Invalid("body", "message vide")
	case len(body) > maxBody || !utf8.ValidString(body):
		return Message{}, Invalid("body", "message trop long ou illisible")
	case len(in.Attachments) > maxFiles:
		return Message{}, Invalid("attachments", "%d pièces jointes au plus", maxFiles)
	case in.ThreadKind != "" && !in.ThreadKind.Valid():
		return Message{}, Invalid("thread", "fil de discussion inconnu")
	}
	if missing := UnfilledVariables(body); len(missing) > 0 {
		return Message{}, Invalid("body", "variable sans valeur : {%s}", strings.Join(missing, "}, {"))
	}
	if in.ThreadKind == "" {
		in.ThreadKind = ThreadCustomer
	}
	// Check what can be checked before storing any file.
	if err := d.store.Read(ctx, func(tx Tx) error {
		_, err := d.replyContext(ctx, tx, in, body)
		return err
	}); err != nil {
		return Message{}, err
	}
	files, err := d.storeFiles(ctx, in.Attachments)
	if err != nil {
		return Message{}, err
	}
	now := d.Now()
	var m Message
	var events []Event
	err = d.store.Write(ctx, func(tx Tx) error {
		events = nil // fn may run again after a deadlock
		rc, err := d.replyContext(ctx, tx, in, body)
		if err != nil {
			return err
		}
		t := rc.ticket
		th := rc.thread
		if th.ID == 0 {
			th = Thread{TicketID: t.ID, Kind: in.ThreadKind, CreatedAt: now}
			if err := tx.InsertThread(ctx, &th); err != nil {
				return err
			}
		}
		t.MessageCount++
		m = Message{
			TicketID: t.ID, ThreadID: th.ID, Seq: t.MessageCount, Direction: Out,
			AuthorKind: AuthorAgent, AuthorAgentID: actor.AgentID, AuthorName: actor.Name,
			Body: body, TemplateID: in.TemplateID, TemplateName: rc.template.Name,
			Delivery: DeliveryQueued, CreatedAt: now,
		}
		if _, err := tx.InsertMessage(ctx, &m, t.ChannelID); err != nil {
			return err
		}
		for _, f := range files {
			f.MessageID = m.ID
			if err := tx.InsertAttachment(ctx, &f); err != nil {
				return err
			}
			m.Attachments = append(m.Attachments, f)
		}
		t.setPreview(body)
		events = append(events, Event{TicketID: t.ID, At: now, AgentID: actor.AgentID, ActorName: actor.Name, Kind: EventMessageOut, MessageID: m.ID, New: string(th.Kind)})
		if in.Status != t.Status {
			events = append(events, Event{TicketID: t.ID, At: now, AgentID: actor.AgentID, ActorName: actor.Name, Kind: EventStatus, Old: string(t.Status), New: string(in.Status)})
			setStatus(&t, in.Status, actor, now)
		}
		t.LastActivityAt = now
		return saveTicket(ctx, tx, &t, events, false)
	})
	if err != nil {
		return Message{}, err
	}
	d.notifyEvents(actor, events)
	return m, nil
}

type replyContext struct {
	ticket   Ticket
	thread   Thread // zero when it is to be created
	template Template
}

// replyContext loads and checks what a reply needs; it writes nothing.
func (d *Desk) replyContext(ctx context.Context, tx Tx, in ReplyInput, body string) (replyContext, error) {
	var rc replyContext
	var err error
	if rc.ticket, err = tx.TicketByID(ctx, in.TicketID); err != nil {
		return rc, err
	}
	channels, err := tx.Channels(ctx)
	if err != nil {
		return rc, err
	}
	var own Channel
	for _, c := range channels {
		if c.ID == rc.ticket.ChannelID {
			own = c
		}
	}
	if in.TemplateID != 0 {
		rc.template, err = tx.TemplateByID(ctx, in.TemplateID)
		if IsNotFound(err) {
			return rc, Invalid("template_id", "réponse par défaut inconnue")
		}
		if err != nil {
			return rc, err
		}
		if !rc.template.AllowedOn(own.ID) {
			return rc, Invalid("template_id", "réponse par défaut non autorisée sur %s", own.Name)
		}
	}
	if in.ThreadID != 0 {
		threads, err := tx.Threads(ctx, rc.ticket.ID)
		if err != nil {
			return rc, err
		}
		for _, th := range threads {
			if th.ID == in.ThreadID {
				rc.thread = th
			}
		}
		if rc.thread.ID == 0 {
			return rc, Invalid("thread_id", "fil de discussion inconnu sur ce ticket")
		}
	} else {
		// The latest conversation of that kind: a reply must go where the
		// channel can deliver it, not into a new thread of our own.
		threads, err := tx.Threads(ctx, rc.ticket.ID)
		if err != nil {
			return rc, err
		}
		for _, th := range threads {
			if th.Kind == in.ThreadKind {
				rc.thread = th
			}
		}
	}
	if rc.thread.Kind == ThreadEmail || (rc.thread.ID == 0 && in.ThreadKind == ThreadEmail) {
		if rc.ticket.RealEmail == "" {
			return rc, Invalid("thread", "renseignez d'abord l'email client du ticket")
		}
	}
	if !in.Confirmed {
		if hits := CheckReply(body, own, channels); len(hits) > 0 {
			return rc, &Error{Code: EConfirm, Message: "le message demande une confirmation avant l'envoi", Details: hits}
		}
	}
	return rc, nil
}

// storeFiles keeps the bytes of attachments before the transaction: a failure
// later leaves an unreferenced blob, never a message without its file.
func (d *Desk) storeFiles(ctx context.Context, files []NewAttachment) ([]Attachment, error) {
	var out []Attachment
	for i, f := range files {
		field := fmt.Sprintf("attachments[%d]", i)
		name, err := checkLine(field+".name", strings.TrimSpace(f.Name), 200, true)
		if err != nil {
			return nil, err
		}
		if !ValidAttachmentKind(f.Kind) {
			return nil, Invalid(field+".kind", "type de pièce jointe inconnu : %q", f.Kind)
		}
		if d.blobs == nil || f.Data == nil {
			return nil, Invalid(field, "fichier absent")
		}
		key, size, err := d.blobs.Put(ctx, f.Data)
		if err != nil {
			return nil, fmt.Errorf("store attachment: %w", err)
		}
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		out = append(out, Attachment{Name: name, ContentType: ct, Size: size, Kind: f.Kind, BlobKey: key})
	}
	return out, nil
}

// AddNote stores an internal note: agents see it, customers never do.
func (d *Desk) AddNote(ctx context.Context, actor Actor, ticketID int64, body string) (Message, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	if actor.AgentID == 0 {
		return Message{}, Errorf(EForbidden, "seul un agent peut écrire une note")
	}
	if body == "" {
		return Message{}, Invalid("body", "note vide")
	}
	if len(body) > maxBody || !utf8.ValidString(body) {
		return Message{}, Invalid("body", "note trop longue ou illisible")
	}
	now := d.Now()
	var m Message
	var ev Event
	err := d.store.Write(ctx, func(tx Tx) error {
		t, err := tx.TicketByID(ctx, ticketID)
		if err != nil {
			return err
		}
		t.MessageCount++
		m = Message{TicketID: t.ID, Seq: t.MessageCount, Direction: Out, AuthorKind: AuthorAgent, AuthorAgentID: actor.AgentID, AuthorName: actor.Name, Body: body, Internal: true, CreatedAt: now}
		if _, err := tx.InsertMessage(ctx, &m, t.ChannelID); err != nil {
			return err
		}
		ev = Event{TicketID: t.ID, At: now, AgentID: actor.AgentID, ActorName: actor.Name, Kind: EventNote, MessageID: m.ID}
		t.LastActivityAt = now
		return saveTicket(ctx, tx, &t, []Event{ev}, false)
	})
	if err != nil {
		return Message{}, err
	}
	d.notifyEvents(actor, []Event{ev})
	return m, nil
}

// Attachment returns an attachment's metadata and opens its bytes.
func (d *Desk) Attachment(ctx context.Context, actor Actor, id int64) (Attachment, io.ReadCloser, error) {
	var a Attachment
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		a, _, err = tx.Attachment(ctx, id)
		return err
	})
	if err != nil {
		return Attachment{}, nil, err
	}
	if d.blobs == nil {
		return Attachment{}, nil, NotFound("fichier")
	}
	r, err := d.blobs.Open(ctx, a.BlobKey)
	if err != nil {
		return Attachment{}, nil, fmt.Errorf("open attachment %d: %w", id, err)
	}
	return a, r, nil
}

// ReplyCheck is what the pre-send checks found in a reply's text.
type ReplyCheck struct {
	Hits    []GuardHit `json:"hits"`    // to confirm before sending
	Missing []string   `json:"missing"` // variables left without a value: to fix
}

// CheckReplyText runs the pre-send checks on a text for a ticket, storing
// nothing: the reply page asks the agent before sending.
func (d *Desk) CheckReplyText(ctx context.Context, actor Actor, ticketID int64, body string) (ReplyCheck, error) {
	c := ReplyCheck{Hits: []GuardHit{}, Missing: UnfilledVariables(body)}
	if c.Missing == nil {
		c.Missing = []string{}
	}
	err := d.store.Read(ctx, func(tx Tx) error {
		t, err := tx.TicketByID(ctx, ticketID)
		if err != nil {
			return err
		}
		channels, err := tx.Channels(ctx)
		if err != nil {
			return err
		}
		for _, ch := range channels {
			if ch.ID == t.ChannelID {
				c.Hits = append(c.Hits, CheckReply(body, ch, channels)...)
			}
		}
		return nil
	})
	return c, err
}
