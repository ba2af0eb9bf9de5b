package desk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ThreadTx reads and stores a ticket's conversations.
type ThreadTx interface {
	Threads(ctx context.Context, ticketID int64) ([]Thread, error)
	ThreadByKind(ctx context.Context, ticketID int64, kind ThreadKind, externalID string) (Thread, error)
	// TicketByThread finds the ticket holding a channel's conversation, for
	// messages without an order.
	TicketByThread(ctx context.Context, channelID int64, kind ThreadKind, externalID string) (Ticket, error)
	InsertThread(ctx context.Context, th *Thread) error
}

// MessageTx reads and stores messages and their attachments.
type MessageTx interface {
	// InsertMessage stores m and sets its ID. A message whose SourceID the
	// channel already delivered is not stored again: inserted == false.
	InsertMessage(ctx context.Context, m *Message, channelID int64) (inserted bool, err error)
	Messages(ctx context.Context, ticketID int64) ([]Message, error)
	InsertAttachment(ctx context.Context, a *Attachment) error
	Attachment(ctx context.Context, id int64) (Attachment, int64, error)
}

// replyTx is what replyContext reads.
type replyTx interface {
	TicketByID(ctx context.Context, id int64) (Ticket, error)
	Threads(ctx context.Context, ticketID int64) ([]Thread, error)
	Channels(ctx context.Context) ([]Channel, error)
	TemplateByID(ctx context.Context, id int64) (Template, error)
}

// NewAttachment is a file an agent sends with a reply.
type NewAttachment struct {
	Name        string
	ContentType string
	Kind        AttachmentKind
	Data        io.Reader
	Size        int64 // when known (0 otherwise): a file over the limit is refused before any byte is stored
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
	if actor.AgentID == 0 {
		return Message{}, Errorf(EForbidden, "seul un agent peut répondre")
	}
	body, err := checkBody("body", in.Body, maxBody)
	switch {
	case err != nil:
		return Message{}, err
	case !in.Status.Valid():
		return Message{}, Invalid("status", "choisissez le statut du ticket")
	case body == "" && len(in.Attachments) == 0:
		return Message{}, Invalid("body", "message vide")
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
	if err := d.checkFiles(in.Attachments); err != nil {
		return Message{}, err
	}
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
		if err := queueDelivery(ctx, tx, &m, t.ChannelID, now); err != nil {
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
		if err := d.agentAnswered(ctx, tx, &t, rc.channel, th.Kind, actor, now, &events); err != nil {
			return err
		}
		if in.Status != t.Status {
			events = append(events, Event{TicketID: t.ID, At: now, AgentID: actor.AgentID, ActorName: actor.Name, Kind: EventStatus, Old: string(t.Status), New: string(in.Status)})
			old := t.Status
			events = append(events, setStatus(&t, in.Status, actor, actor.Name, now)...)
			if t.Status == StatusWaitingAdmin && old != StatusWaitingAdmin {
				ch, err := tx.ChannelByID(ctx, t.ChannelID)
				if err != nil {
					return err
				}
				dl, err := d.startDeadline(ctx, tx, ch, &t, now)
				if err != nil {
					return err
				}
				events = append(events, dl)
			}
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
	channel  Channel // the ticket's
}

// replyContext loads and checks what a reply needs; it writes nothing.
func (d *Desk) replyContext(ctx context.Context, tx replyTx, in ReplyInput, body string) (replyContext, error) {
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
	rc.channel = own
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
	if err := checkChannelRules(own, cmp.Or(rc.thread.Kind, in.ThreadKind, ThreadCustomer), body, in.Attachments); err != nil {
		return rc, err
	}
	if !in.Confirmed {
		if hits := CheckReply(body, own, channels); len(hits) > 0 {
			return rc, &Error{Code: EConfirm, Message: "le message demande une confirmation avant l'envoi", Details: hits}
		}
	}
	return rc, nil
}

// checkFiles validates attachments before any is stored: names, kinds, and
// the sizes that are known (the others are checked as they are read).
func (d *Desk) checkFiles(files []NewAttachment) error {
	for i, f := range files {
		field := fmt.Sprintf("attachments[%d]", i)
		if _, err := checkLine(field+".name", f.Name, 200, true); err != nil {
			return err
		}
		if !ValidAttachmentKind(f.Kind) {
			return Invalid(field+".kind", "type de pièce jointe inconnu : %q", f.Kind)
		}
		if d.blobs == nil || f.Data == nil {
			return Invalid(field, "fichier absent")
		}
		if f.Size > MaxFileSize {
			return tooLarge(field, strings.TrimSpace(f.Name), f.Size)
		}
	}
	return nil
}

// storeFiles keeps the bytes of attachments before the transaction: a failure
// later leaves an unreferenced blob, never a message without its file.
func (d *Desk) storeFiles(ctx context.Context, files []NewAttachment) ([]Attachment, error) {
	var out []Attachment
	for i, f := range files {
		field := fmt.Sprintf("attachments[%d]", i)
		name := strings.TrimSpace(f.Name)
		r := &sizedReader{r: f.Data}
		key, size, err := d.blobs.Put(ctx, r)
		switch {
		case errors.Is(err, errOverLimit) || r.read > MaxFileSize:
			size := int64(-1) // more than the limit, we stopped reading there
			if f.Size > MaxFileSize {
				size = f.Size
			}
			return nil, tooLarge(field, name, size)
		case refused(err):
			return nil, Invalid(field, "fichier refusé : %s", name)
		case err != nil:
			return nil, fmt.Errorf("store attachment: %w", err)
		}
		out = append(out, Attachment{Name: name, ContentType: NormalizeContentType(f.ContentType), Size: size, Kind: f.Kind, BlobKey: key})
	}
	return out, nil
}

// AddNote stores an internal note: agents see it, customers never do.
func (d *Desk) AddNote(ctx context.Context, actor Actor, ticketID int64, body string) (Message, error) {
	if actor.AgentID == 0 {
		return Message{}, Errorf(EForbidden, "seul un agent peut écrire une note")
	}
	body, err := checkBody("body", body, maxBody)
	if err != nil {
		return Message{}, err
	}
	if body == "" {
		return Message{}, Invalid("body", "note vide")
	}
	now := d.Now()
	var m Message
	var ev Event
	err = d.store.Write(ctx, func(tx Tx) error {
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
	if err := checkText("body", body); err != nil {
		return ReplyCheck{}, err
	}
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
