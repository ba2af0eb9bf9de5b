package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// FormInput is what a customer sends with the public contact form.
type FormInput struct {
	ContactID int64
	Email     string
	OrderRef  string // optional
	Product   string // optional
	Body      string
	File      *IncomingFile // optional; only when the options allow uploads
	UserAgent string        // the customer's browser
	Address   string        // the customer's IP address, behind trusted proxies
}

// FormResult says where a form message went.
type FormResult struct {
	Stored    bool  // false: the contact stores nothing, it was forwarded by email
	TicketID  int64 // the ticket it joined or opened
	MessageID int64
	Acked     bool // an acknowledgement was queued for the customer
}

// FormTx stores what the form knew of a message.
type FormTx interface {
	InsertFormMessage(ctx context.Context, f FormMessage) error
	FormMessages(ctx context.Context, ticketID int64) ([]FormMessage, error)
	MessageBySource(ctx context.Context, channelID int64, sourceID string) (Message, error)
}

// FormMessage is the form's record of a stored message: its contact, the
// product named, the customer's browser and address.
type FormMessage struct {
	MessageID int64     `json:"message_id"`
	ContactID int64     `json:"contact_id,omitempty"`
	Email     string    `json:"email"`
	Product   string    `json:"product,omitempty"`
	UserAgent string    `json:"user_agent,omitempty"`
	Address   string    `json:"address,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Limits of the public form.
const (
	maxFormBody      = 8 << 10
	MaxFormFileSize  = 10 << 20
	FormWindow       = time.Hour
	formsPerAddress  = 10 // per FormWindow
	formAckKeyPrefix = "form-ack:"
)

// FormFileTypes are the file types the form takes, by their content
// (sniffed, not as the browser names them).
var FormFileTypes = map[string]string{
	"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
	"application/pdf": ".pdf", "text/plain": ".txt",
}

// ErrTooManyForms refuses a form from an address over its limit.
var ErrTooManyForms = &Error{Code: ETooMany, Message: "trop de messages envoyés depuis votre connexion : réessayez dans une heure"}

// SubmitContactForm takes a message from the public contact form. With an
// order reference whose ticket exists on any channel (and whose customer's
// real address is unknown or is this one), the message joins that ticket
// on its « Email » thread, since the answer must go to this address, and
// the address becomes the ticket's real email when it had none. Otherwise
// it opens or extends a ticket on the contact's email channel: the order's,
// or without an order the one of this address and contact. The customer is
// sent an acknowledgement on the thread the message joined. A contact that
// stores nothing has the message forwarded by email to its address.
// Submissions are limited per address.
func (d *Desk) SubmitContactForm(ctx context.Context, in FormInput) (FormResult, error) {
	c, err := d.checkForm(ctx, &in)
	if err != nil {
		return FormResult{}, err
	}
	now := d.Now()
	if in.Address != "" {
		r, ok := d.forms.reserve(now, limit{key: "form\x00" + in.Address, max: formsPerAddress})
		if !ok {
			return FormResult{}, ErrTooManyForms
		}
		defer r.fail(now) // every submission counts
	}
	if !c.SaveMessages {
		return FormResult{}, d.forwardForm(ctx, c, in)
	}
	source := "form:" + randomHex(12)
	msg := Incoming{SourceID: source, OrderRef: in.OrderRef, AuthorKind: AuthorCustomer, AuthorName: in.Email,
		Customer: CustomerInput{Email: in.Email}, Body: in.Body, Subject: formSubject(c, in), Reason: c.Name, At: now}
	if in.File != nil {
		msg.Files = []IncomingFile{*in.File}
	}
	joined, err := d.orderTicketFor(ctx, in)
	if err != nil {
		return FormResult{}, err
	}
	if joined.ID != 0 {
		msg.ChannelID, msg.ThreadKind, msg.OrderRef = joined.ChannelID, ThreadEmail, joined.OrderRef
	} else {
		ch, err := d.formChannel(ctx, c)
		if err != nil {
			return FormResult{}, err
		}
		msg.ChannelID, msg.ThreadKind = ch, ThreadCustomer
		if in.OrderRef == "" {
			msg.ThreadExternalID = fmt.Sprintf("form:%d:%s", c.ID, in.Email) // one ticket per address and contact
		}
	}
	if _, err := d.prepareIncoming(msg); err != nil {
		return FormResult{}, err
	}
	var res FormResult
	ir, err := d.ingest(ctx, []Incoming{msg}, func(ctx context.Context, b *ingestBatch) error {
		tx := b.stx.(Tx) // the use case's own transaction
		m, err := tx.MessageBySource(ctx, msg.ChannelID, source)
		if err != nil {
			return err
		}
		res = FormResult{Stored: true, TicketID: m.TicketID, MessageID: m.ID}
		if err := tx.InsertFormMessage(ctx, FormMessage{MessageID: m.ID, ContactID: c.ID, Email: in.Email,
			Product: in.Product, UserAgent: in.UserAgent, Address: in.Address, CreatedAt: now}); err != nil {
			return err
		}
		t, err := tx.TicketByID(ctx, m.TicketID)
		if err != nil || t.RealEmail != "" {
			return err
		}
		email := in.Email
		return saveTicket(ctx, tx, &t, (&TicketPatch{RealEmail: &email}).apply(&t, Actor{Name: in.Email}, now), true)
	})
	if err != nil {
		return FormResult{}, err
	}
	if len(ir.Parked) > 0 {
		return FormResult{}, Invalid(ir.Parked[0].Field, "%s", ir.Parked[0].Error)
	}
	m, err := d.formMessage(ctx, res.MessageID)
	if err != nil {
		return res, err
	}
	_, res.Acked, err = d.SendSystemMessage(ctx, SystemMessageInput{TicketID: res.TicketID, ThreadID: m.ThreadID,
		Key: formAckKeyPrefix + source, Body: formAck(c, res.TicketID)})
	return res, err
}

// checkForm validates the form and returns its contact.
func (d *Desk) checkForm(ctx context.Context, in *FormInput) (Contact, error) {
	var err error
	if in.Email, err = checkEmail("email", in.Email); err != nil {
		return Contact{}, err
	}
	if in.Email == "" {
		return Contact{}, Invalid("email", "votre adresse email est obligatoire")
	}
	if in.OrderRef, err = checkLine("order_ref", in.OrderRef, maxOrderRef, false); err != nil {
		return Contact{}, err
	}
	if in.Product, err = checkLine("product", in.Product, 200, false); err != nil {
		return Contact{}, err
	}
	if in.Body, err = checkBody("message", in.Body, maxFormBody); err != nil {
		return Contact{}, err
	}
	if in.Body == "" {
		return Contact{}, Invalid("message", "votre message est vide")
	}
	in.UserAgent = clip(strings.ToValidUTF8(strings.ReplaceAll(in.UserAgent, "\x00", ""), ""), 500)
	in.Address = clip(in.Address, 64)
	var c Contact
	var o ServiceOptions
	err = d.store.Read(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.ContactByID(ctx, in.ContactID); IsNotFound(err) {
			return Invalid("contact", "choisissez un destinataire")
		} else if err != nil {
			return err
		}
		o, err = serviceOptions(ctx, tx)
		return err
	})
	if err != nil {
		return Contact{}, err
	}
	if in.File != nil {
		if err := checkFormFile(o, in.File); err != nil {
			return Contact{}, err
		}
	}
	return c, nil
}

func checkFormFile(o ServiceOptions, f *IncomingFile) error {
	switch {
	case !o.AllowUpload:
		return Invalid("file", "l'envoi de fichiers n'est pas autorisé")
	case len(f.Data) == 0:
		return Invalid("file", "fichier vide")
	case len(f.Data) > MaxFormFileSize:
		return &Error{Code: ETooLarge, Field: "file", Message: fmt.Sprintf("fichier trop volumineux (%s au plus)", megabytes(MaxFormFileSize))}
	}
	sniffed, _, _ := strings.Cut(http.DetectContentType(f.Data), ";")
	ext, ok := FormFileTypes[sniffed]
	if !ok {
		return Invalid("file", "type de fichier refusé : images (PNG, JPEG, GIF, WebP), PDF ou texte seulement")
	}
	f.ContentType = sniffed
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, strings.ToValidUTF8(f.Name, ""))
	name = clip(strings.TrimSpace(name), 120)
	if name == "" || name == "." || name == ".." {
		name = "fichier"
	}
	if !strings.HasSuffix(strings.ToLower(name), ext) && !(ext == ".jpg" && strings.HasSuffix(strings.ToLower(name), ".jpeg")) {
		name += ext
	}
	f.Name = name
	return nil
}

// orderTicketFor is the ticket, on any channel, of the form's order, when
// the message may join it: its customer's real address is unknown or is
// this one (anyone can type an order reference; a stranger's message must
// not land in another customer's conversation). Zero when none.
func (d *Desk) orderTicketFor(ctx context.Context, in FormInput) (Ticket, error) {
	if in.OrderRef == "" {
		return Ticket{}, nil
	}
	var found Ticket
	err := d.store.Read(ctx, func(tx Tx) error {
		ts, err := tx.TicketsByReference(ctx, in.OrderRef, 20)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if !strings.EqualFold(t.OrderRef, in.OrderRef) || (t.RealEmail != "" && t.RealEmail != in.Email) {
				continue
			}
			if found.ID == 0 || t.LastActivityAt.After(found.LastActivityAt) {
				found = t
			}
		}
		return nil
	})
	return found, err
}

// formChannel is the email channel the contact's messages open tickets
// on: its own, or (the default contacts, before an admin names one) the
// desk's sending email channel.
func (d *Desk) formChannel(ctx context.Context, c Contact) (int64, error) {
	var id int64
	err := d.store.Read(ctx, func(tx Tx) error {
		ch, err := sendingChannel(ctx, tx, c.ChannelID)
		if ErrorCode(err) == EConflict {
			return Errorf(EConflict, "ce contact n'est relié à aucun canal email : le message n'a pas pu être enregistré, écrivez-nous directement par email")
		}
		id = ch.ID
		return err
	})
	return id, err
}

func (d *Desk) formMessage(ctx context.Context, id int64) (Message, error) {
	var m Message
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		m, err = tx.MessageByID(ctx, id)
		return err
	})
	return m, err
}

// forwardForm queues the message of a contact that stores nothing for the
// contact's address, the customer's as Reply-To.
func (d *Desk) forwardForm(ctx context.Context, c Contact, in FormInput) error {
	var files []EmailFile
	if in.File != nil {
		if d.blobs == nil {
			return Invalid("file", "pièces jointes non prises en charge")
		}
		key, _, err := d.blobs.Put(ctx, strings.NewReader(string(in.File.Data)))
		if err != nil {
			return fmt.Errorf("store form file: %w", err)
		}
		files = append(files, EmailFile{Name: in.File.Name, ContentType: in.File.ContentType, BlobKey: key})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Message du formulaire de contact (%s)\n\nDe : %s\n", c.Name, in.Email)
	if in.OrderRef != "" {
		fmt.Fprintf(&b, "Commande : %s\n", in.OrderRef)
	}
	if in.Product != "" {
		fmt.Fprintf(&b, "Produit : %s\n", in.Product)
	}
	fmt.Fprintf(&b, "Navigateur : %s\nAdresse IP : %s\n\n%s\n", in.UserAgent, in.Address, in.Body)
	return d.store.Write(ctx, func(tx Tx) error {
		ch, err := sendingChannel(ctx, tx, c.ChannelID)
		if err != nil {
			return err
		}
		e := OutgoingEmail{ChannelID: ch.ID, To: []string{c.Email}, ReplyTo: in.Email,
			Subject: clip(formSubject(c, in), 200), Body: b.String(), Files: files}
		return d.queueEmail(ctx, tx, &e)
	})
}

func formSubject(c Contact, in FormInput) string {
	s := c.Name
	if in.OrderRef != "" {
		s += " – commande " + in.OrderRef
	}
	if in.Product != "" {
		s += " – " + in.Product
	}
	return clip(s, maxLine)
}

func formAck(c Contact, ticketID int64) string {
	return fmt.Sprintf("Bonjour,\n\nNous avons bien reçu votre message adressé à « %s » (ticket %s). "+
		"Nous vous répondrons dans les meilleurs délais, en réponse à cet email.\n\nCordialement,\n%s",
		c.Name, TicketNumber(ticketID), c.Name)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}
