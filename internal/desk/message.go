package desk

import "time"

// ThreadKind says who a thread talks with.
type ThreadKind string

const (
	ThreadCustomer ThreadKind = "customer" // the marketplace's conversation with the customer
	ThreadOperator ThreadKind = "operator" // the marketplace's own staff
	ThreadEmail    ThreadKind = "email"    // send-only, to the customer's real address
)

// Valid reports whether k is a known thread kind.
func (k ThreadKind) Valid() bool {
	return k == ThreadCustomer || k == ThreadOperator || k == ThreadEmail
}

// Thread is one discussion inside a ticket.
type Thread struct {
	ID         int64      `json:"id"`
	TicketID   int64      `json:"ticket_id"`
	Kind       ThreadKind `json:"kind"`
	ExternalID string     `json:"external_id,omitempty"` // the source's conversation id
	Subject    string     `json:"subject,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	// Status is the channel's own status of the conversation, StatusLabel
	// how it reads (see ThreadState).
	Status      string `json:"status,omitempty"`
	StatusLabel string `json:"status_label,omitempty"`
}

// Direction of a message relative to us.
type Direction string

const (
	In  Direction = "in"
	Out Direction = "out"
)

// AuthorKind says who wrote a message.
type AuthorKind string

const (
	AuthorCustomer AuthorKind = "customer"
	AuthorAgent    AuthorKind = "agent"
	AuthorOperator AuthorKind = "operator"
	AuthorSystem   AuthorKind = "system"
)

// Valid reports whether k is a known author kind.
func (k AuthorKind) Valid() bool {
	switch k {
	case AuthorCustomer, AuthorAgent, AuthorOperator, AuthorSystem:
		return true
	}
	return false
}

// AutoKind says that a machine wrote an incoming message.
type AutoKind string

const (
	AutoNone   AutoKind = ""
	AutoReply  AutoKind = "auto_reply" // an "out of office" (RFC 3834 Auto-Submitted, X-Autoreply...)
	AutoBounce AutoKind = "bounce"     // a delivery status notification: our message did not arrive
)

// Valid reports whether k is a known kind ("" included).
func (k AutoKind) Valid() bool { return k == AutoNone || k == AutoReply || k == AutoBounce }

// Delivery is the sending state of an outgoing message.
type Delivery string

const (
	DeliveryNone   Delivery = ""       // incoming messages and notes
	DeliveryQueued Delivery = "queued" // waiting for the channel's connector
	DeliverySent   Delivery = "sent"
	DeliveryFailed Delivery = "failed"
)

// Message is one message of a thread, or an internal note (Internal, no thread).
type Message struct {
	ID            int64        `json:"id"`
	TicketID      int64        `json:"ticket_id"`
	ThreadID      int64        `json:"thread_id,omitempty"`
	Seq           int          `json:"seq"` // position in the ticket, from 1
	Direction     Direction    `json:"direction"`
	AuthorKind    AuthorKind   `json:"author_kind"`
	AuthorAgentID int64        `json:"author_agent_id,omitempty"`
	AuthorName    string       `json:"author_name,omitempty"`
	Body          string       `json:"body"`                // plain text
	BodyHTML      string       `json:"body_html,omitempty"` // sanitized, when the source was HTML
	Internal      bool         `json:"internal,omitempty"`  // a note: agents only
	SourceID      string       `json:"source_id,omitempty"` // the source's own id, for dedupe
	TemplateID    int64        `json:"template_id,omitempty"`
	TemplateName  string       `json:"template_name,omitempty"`
	Delivery      Delivery     `json:"delivery,omitempty"`
	DeliveryError string       `json:"delivery_error,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
	Attachments   []Attachment `json:"attachments,omitempty"`
	// Altered: the channel sent text that could not be stored as it was
	// (NUL characters, invalid UTF-8); it was cleaned at import.
	Altered bool `json:"altered,omitempty"`
	// AutoKind: an auto-reply or a bounce. Shown on its ticket, never
	// answered automatically.
	AutoKind AutoKind `json:"auto_kind,omitempty"`
}

// AttachmentKind is the optional type an agent gives an attachment.
type AttachmentKind string

// AttachmentKinds lists the known kinds; "" means untyped.
var AttachmentKinds = []AttachmentKind{"invoice", "photo", "return_label", "delivery_proof", "credit_note", "other"}

// ValidAttachmentKind reports whether k is "" or a known kind.
func ValidAttachmentKind(k AttachmentKind) bool {
	if k == "" {
		return true
	}
	for _, x := range AttachmentKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Attachment is a file of a message; its bytes live in the blob store under BlobKey.
type Attachment struct {
	ID          int64          `json:"id"`
	MessageID   int64          `json:"message_id"`
	Name        string         `json:"name"`
	ContentType string         `json:"content_type"`
	Size        int64          `json:"size"`
	Kind        AttachmentKind `json:"kind,omitempty"`
	BlobKey     string         `json:"-"`
}
