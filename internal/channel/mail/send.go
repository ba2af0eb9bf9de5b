package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/textproto"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"guichet/internal/channel"
)

// Send delivers a reply: to the customer's address (on Amazon, the buyer's
// relay address), from the channel's sender address, with our token in the
// Reply-To and the Message-ID, answering the customer's last message. The
// Message-ID is the SourceID: a copy fetched later is the same message.
func (m *Connector) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	if r.CustomerEmail == "" {
		return channel.Sent{}, &channel.Error{Kind: channel.Refused, Message: "envoi impossible : le client n'a pas d'adresse email connue"}
	}
	e := channel.Email{To: []string{r.CustomerEmail}, Subject: replySubject(r), Text: r.Body, Files: r.Files, InReplyTo: r.InReplyTo}
	id := m.messageID(r.Token, r.MessageID)
	if r.Token != "" {
		e.ReplyTo = m.tokenAddress(r.Token)
	}
	if err := m.send(ctx, e, id, r.References); err != nil {
		return channel.Sent{}, err
	}
	return channel.Sent{SourceID: id, At: m.now()}, nil
}

// Mail sends a plain email (a forward, a notification) from the channel's address.
func (m *Connector) Mail(ctx context.Context, e channel.Email) (string, error) {
	if len(e.To)+len(e.Cc) == 0 {
		return "", &channel.Error{Kind: channel.Refused, Message: "envoi impossible : aucun destinataire"}
	}
	id := m.messageID("", 0)
	if err := m.send(ctx, e, id, nil); err != nil {
		return "", err
	}
	return id, nil
}

// Lookup cannot tell: SMTP keeps no copy the connector could search, and a
// Sent folder is not filled by SMTP. The outbox then asks an agent.
func (m *Connector) Lookup(context.Context, channel.Reply) (channel.Sent, bool, error) {
	return channel.Sent{}, false, channel.ErrCannotTell
}

// replySubject is « Re: <subject> [#<number>] »: the number threads a
// reply whose client dropped every header.
func replySubject(r channel.Reply) string {
	s := baseSubject(r.Subject)
	if s == "" {
		s = "Votre demande"
		if r.OrderRef != "" {
			s = "Votre commande " + r.OrderRef
		}
	}
	if r.TicketNumber != "" && ticketRef(s) == "" {
		s += " [#" + r.TicketNumber + "]"
	}
	return "Re: " + s
}

// messageID is ours: with a token, <t12.m34.<mac>.g@domain>, so that an
// answer whose client kept only In-Reply-To threads by it.
func (m *Connector) messageID(token string, messageID int64) string {
	domain := m.domain()
	if t, mac, ok := strings.Cut(token, "."); ok && messageID > 0 {
		return fmt.Sprintf("%s.m%d.%s.g@%s", t, messageID, mac, domain)
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "g." + hex.EncodeToString(b[:]) + "@" + domain
}

func (m *Connector) domain() string {
	_, d, _ := strings.Cut(m.from.Address, "@")
	return or(d, "guichet.invalid")
}

// tokenAddress is the sender address with the token after a +:
// support+t12.ab34…@example.com.
func (m *Connector) tokenAddress(token string) string {
	local, domain, _ := strings.Cut(m.from.Address, "@")
	return local + "+" + token + "@" + domain
}

func (m *Connector) send(ctx context.Context, e channel.Email, id string, refs []string) error {
	msg := gomail.NewMsg()
	msg.FromMailAddress(&m.from)
	if err := msg.To(e.To...); err != nil {
		return &channel.Error{Kind: channel.Refused, Message: "adresse du destinataire invalide : " + strings.Join(e.To, ", "), Err: err}
	}
	if len(e.Cc) > 0 {
		if err := msg.Cc(e.Cc...); err != nil {
			return &channel.Error{Kind: channel.Refused, Message: "adresse en copie invalide : " + strings.Join(e.Cc, ", "), Err: err}
		}
	}
	if e.ReplyTo != "" {
		if err := msg.ReplyTo(e.ReplyTo); err != nil {
			return &channel.Error{Kind: channel.Refused, Message: "adresse de réponse invalide : " + e.ReplyTo, Err: err}
		}
	}
	msg.Subject(e.Subject)
	msg.SetMessageIDWithValue(id)
	msg.SetDateWithValue(m.now())
	if e.InReplyTo != "" {
		msg.SetGenHeader(gomail.HeaderInReplyTo, "<"+strings.Trim(e.InReplyTo, "<>")+">")
		chain := []string{}
		for i := len(refs) - 1; i >= 0; i-- { // oldest first, as RFC 5322 writes them
			if refs[i] != e.InReplyTo {
				chain = append(chain, "<"+strings.Trim(refs[i], "<>")+">")
			}
		}
		chain = append(chain, "<"+strings.Trim(e.InReplyTo, "<>")+">")
		msg.SetGenHeader(gomail.HeaderReferences, strings.Join(chain, " "))
	}
	msg.SetGenHeader("Auto-Submitted", "no")
	msg.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	for _, f := range e.Files {
		ct := gomail.ContentType(or(f.ContentType, "application/octet-stream"))
		if err := msg.AttachReader(f.Name, bytes.NewReader(f.Data), gomail.WithFileContentType(ct)); err != nil {
			return &channel.Error{Kind: channel.Refused, Message: "pièce jointe illisible : " + f.Name, Err: err}
		}
	}
	c, err := m.smtpClient()
	if err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(ctx, 4*m.timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(sctx, msg); err != nil {
		return smtpFailure(err)
	}
	return nil
}

func (m *Connector) smtpClient() (*gomail.Client, error) {
	sv := m.smtp
	opts := []gomail.Option{gomail.WithPort(sv.port), gomail.WithTimeout(m.timeout), gomail.WithTLSConfig(sv.tlsConfig()),
		gomail.WithHELO(m.domain())}
	switch sv.security {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if sv.username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if sv.security == "none" {
			auth = gomail.SMTPAuthPlainNoEnc // in clear: the admin said the network is trusted
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(sv.username), gomail.WithPassword(sv.password))
	}
	c, err := gomail.NewClient(sv.host, opts...)
	if err != nil {
		return nil, &channel.Error{Kind: channel.Unauthorized, Message: "réglages SMTP : " + err.Error(), Err: err}
	}
	return c, nil
}

// testSMTP connects to the SMTP server and logs in, sending nothing.
func (m *Connector) testSMTP(ctx context.Context) error {
	c, err := m.smtpClient()
	if err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(ctx, 2*m.timeout)
	defer cancel()
	if err := c.DialWithContext(sctx); err != nil {
		return smtpFailure(err)
	}
	return c.Close()
}

// smtpFailure classifies what the SMTP server answered: a refused login
// needs an admin, a 5xx refuses this message for good, the rest (4xx,
// network) is tried again.
func smtpFailure(err error) error {
	e := &channel.Error{Kind: channel.Transient, Message: "envoi SMTP : " + err.Error(), Err: err}
	var tp *textproto.Error
	var se *gomail.SendError
	switch {
	case errors.As(err, &tp) && (tp.Code == 535 || tp.Code == 534 || tp.Code == 530):
		e.Kind = channel.Unauthorized
	case strings.Contains(err.Error(), "authenticat"):
		e.Kind = channel.Unauthorized
	case errors.As(err, &se) && se.ErrorCode() >= 500:
		e.Kind = channel.Refused
	case errors.As(err, &tp) && tp.Code >= 500:
		e.Kind = channel.Refused
	case isCertificate(err):
		e.Kind = channel.Unauthorized
	}
	return e
}
