// Package mail is the email channel (kind email) and Amazon's buyer-seller
// messaging (kind amazon, an email channel on Amazon's relay): a mailbox
// read over IMAP (go-imap), messages parsed as MIME (enmime), replies and
// plain emails sent over SMTP (go-mail). Threading is desk's: the
// connector only reads what threads a message (our token, In-Reply-To and
// References, an order number or a ticket number in the subject) and puts
// it on the desk.Incoming.
package mail

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Connector is one mailbox.
type Connector struct {
	kind    desk.ChannelKind
	imap    server
	smtp    server
	folder  string
	delete  bool
	unknown bool // open tickets for senders no ticket knows
	order   *regexp.Regexp
	from    mail.Address
	timeout time.Duration
	now     func() time.Time
	log     *slog.Logger
}

// server is how to reach an IMAP or SMTP server.
type server struct {
	host, username, password string
	port                     int
	security                 string // tls, starttls, none
	skipVerify               bool
}

func (s server) addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

func (s server) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: s.host, InsecureSkipVerify: s.skipVerify, MinVersion: tls.VersionTLS12} //nolint:gosec // an admin's choice, for self-signed servers
}

// New builds the connector of an email or Amazon channel from its checked settings.
func New(c channel.Config) (*Connector, error) {
	s := c.Settings
	m := &Connector{kind: c.Channel.Kind, folder: s["folder"], delete: s["delete_after_sync"] == "true",
		unknown: s["unknown_senders"] == "true", now: c.Now, log: c.Log}
	if m.now == nil {
		m.now = time.Now
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	if m.folder == "" {
		m.folder = "INBOX"
	}
	var err error
	if m.imap, err = serverOf(s, ""); err != nil {
		return nil, err
	}
	if m.smtp, err = serverOf(s, "smtp_"); err != nil {
		return nil, err
	}
	from, err := mail.ParseAddress(s["from"])
	if err != nil {
		return nil, desk.Invalid("from", "Adresse d'envoi : adresse email invalide %q", s["from"])
	}
	m.from = mail.Address{Name: or(s["from_name"], from.Name), Address: from.Address}
	if p := s["order_pattern"]; p != "" {
		if m.order, err = regexp.Compile(p); err != nil {
			return nil, desk.Invalid("order_pattern", "Motif d'un numéro de commande : expression invalide (%v)", err)
		}
	}
	secs, _ := strconv.Atoi(or(s["timeout"], "30"))
	if secs <= 0 || secs > 600 {
		return nil, desk.Invalid("timeout", "Délai d'attente : entre 1 et 600 secondes")
	}
	m.timeout = time.Duration(secs) * time.Second
	return m, nil
}

func serverOf(s map[string]string, prefix string) (server, error) {
	sv := server{host: s[prefix+"host"], username: s[prefix+"username"], password: s[prefix+"password"],
		security: or(s[prefix+"security"], "tls"), skipVerify: s[prefix+"skip_verify"] == "true"}
	if sv.host == "" {
		return sv, desk.Invalid(prefix+"host", "serveur obligatoire")
	}
	port, err := strconv.Atoi(s[prefix+"port"])
	if s[prefix+"port"] == "" {
		port, err = map[string]int{"": 993, "smtp_": 465}[prefix], nil
	}
	if err != nil || port <= 0 || port > 65535 {
		return sv, desk.Invalid(prefix+"port", "port invalide : %q", s[prefix+"port"])
	}
	sv.port = port
	if sv.security != "tls" && sv.security != "starttls" && sv.security != "none" {
		return sv, desk.Invalid(prefix+"security", "sécurité inconnue : %q", sv.security)
	}
	return sv, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// failure classifies an error of a mail server: a refused login needs an
// admin; anything else is tried again later.
func failure(what string, err error, unauthorized bool) error {
	kind := channel.Transient
	if unauthorized {
		kind = channel.Unauthorized
	}
	return &channel.Error{Kind: kind, Message: fmt.Sprintf("%s : %v", what, err), Err: err}
}

// The capabilities other code finds by type assertion.
var (
	_ channel.Mailer = (*Connector)(nil)
	_ channel.Tester = (*Connector)(nil)
	_ channel.Looker = (*Connector)(nil)
)
