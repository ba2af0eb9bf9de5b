package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
	"golang.org/x/text/encoding/charmap"

	"guichet/internal/desk"
)

// MaxMessageSize is the largest email read; beyond it the message is
// parked unread (its bytes kept), not parsed.
const MaxMessageSize = 64 << 20

var parser = enmime.NewParser(enmime.MaxStoredPartErrors(20))

// incoming maps one fetched message; one that cannot be read becomes an
// Unreadable message, parked by desk with its bytes, so that the next ones
// are still imported.
func (m *Connector) incoming(raw []byte, received time.Time) desk.Incoming {
	in, err := m.Parse(raw)
	if err != nil {
		in = desk.Incoming{SourceID: rawSourceID(raw), Unreadable: err.Error(), Raw: raw, OnlyExisting: true}
	}
	if in.At.IsZero() || in.At.After(m.now().Add(24*time.Hour)) {
		in.At = received
	}
	return in
}

// Parse reads an email as desk would store it.
func (m *Connector) Parse(raw []byte) (desk.Incoming, error) {
	if len(raw) > MaxMessageSize {
		return desk.Incoming{}, fmt.Errorf("message de %d Mio, plus que les %d Mio lus", len(raw)>>20, MaxMessageSize>>20)
	}
	env, err := parser.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		return desk.Incoming{}, fmt.Errorf("message illisible (MIME) : %v", err)
	}
	from, err := firstAddress(env, "From")
	if err != nil {
		return desk.Incoming{}, errors.New("message illisible : expéditeur (From) absent ou invalide")
	}
	in := desk.Incoming{
		SourceID:   messageSourceID(env.GetHeader("Message-ID"), raw),
		AuthorName: or(from.Name, from.Address),
		Customer:   desk.CustomerInput{Name: from.Name, Email: strings.ToLower(from.Address)},
		Subject:    strings.TrimSpace(env.GetHeader("Subject")),
		AutoKind:   autoKind(env, from.Address),
		References: references(env),
	}
	in.ThreadSubject = baseSubject(in.Subject)
	if at, err := env.Date(); err == nil {
		in.At = at
	}
	in.Body, in.BodyHTML = bodies(env)
	in.Files = files(env)
	if fw := forwarded(env); fw != "" {
		in.Body = strings.TrimSpace(in.Body + "\n\n" + fw)
	}
	in.Token = m.tokenOf(env)
	in.TicketRef = ticketRef(in.Subject)
	if m.order != nil {
		in.OrderRef = m.order.FindString(in.Subject)
		if in.OrderRef == "" {
			in.OrderRef = m.order.FindString(in.Body)
		}
	}
	// The sender's conversation: without an order reference, a message
	// goes to the ticket this address wrote on before.
	in.ThreadExternalID = in.Customer.Email
	known := m.unknown
	if m.kind == desk.ChannelAmazon && amazonRelay(in.Customer.Email) {
		known = true // Amazon's buyers write from its relay; anyone else is an unknown sender
	}
	in.OnlyExisting = !known || in.AutoKind != ""
	for _, t := range []*string{&in.Body, &in.BodyHTML, &in.Subject, &in.ThreadSubject, &in.AuthorName, &in.Customer.Name} {
		*t = validText(*t)
	}
	if strings.TrimSpace(in.Body) == "" && len(in.Files) == 0 {
		in.Body = "(message vide)"
	}
	return in, nil
}

func firstAddress(env *enmime.Envelope, header string) (*mail.Address, error) {
	as := addressList(env, header)
	if len(as) == 0 || as[0].Address == "" {
		return nil, fmt.Errorf("%s absent", header)
	}
	return as[0], nil
}

// addressList reads an address header, also as old mailers write it: 8-bit
// names in Windows-1252 without RFC 2047 encoding, or names that
// net/mail refuses (then only the addresses are kept).
func addressList(env *enmime.Envelope, header string) []*mail.Address {
	if as, err := env.AddressList(header); err == nil {
		return as
	}
	v := env.GetHeader(header)
	if v == "" {
		return nil
	}
	if !utf8.ValidString(v) {
		if d, err := charmap.Windows1252.NewDecoder().String(v); err == nil {
			v = d
		}
	}
	if as, err := mail.ParseAddressList(v); err == nil {
		return as
	}
	var out []*mail.Address
	for _, m := range looseAddressRe.FindAllStringSubmatch(v, 20) {
		name := strings.Trim(strings.TrimSpace(m[1]), `"`)
		out = append(out, &mail.Address{Name: name, Address: m[2]})
	}
	return out
}

var looseAddressRe = regexp.MustCompile(`([^<>,]*)<([^<>@\s]+@[^<>\s]+)>`)

// messageSourceID is the Message-ID, so that the same email fetched twice,
// or from two folders, is stored once; a digest of the bytes without one.
func messageSourceID(header string, raw []byte) string {
	id := strings.Trim(strings.TrimSpace(header), "<>")
	if id == "" || len(id) > 190 || strings.ContainsAny(id, " \t\r\n") {
		return rawSourceID(raw)
	}
	return id
}

func rawSourceID(raw []byte) string {
	if h, err := headerOf(raw, "Message-Id"); err == nil {
		if id := strings.Trim(strings.TrimSpace(h), "<>"); id != "" && len(id) <= 190 && !strings.ContainsAny(id, " \t\r\n") {
			return id
		}
	}
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// headerOf reads one header of a message whose MIME is broken.
func headerOf(raw []byte, name string) (string, error) {
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	if len(head) == len(raw) {
		head, _, _ = bytes.Cut(raw, []byte("\n\n"))
	}
	for line := range strings.Lines(string(head)) {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v), nil
		}
	}
	return "", errors.New("absent")
}

var msgIDRe = regexp.MustCompile(`<([^<>\s]+)>`)

// references are the Message-IDs a message answers, In-Reply-To first,
// then References from the newest.
func references(env *enmime.Envelope) []string {
	var out []string
	seen := map[string]bool{}
	add := func(h string) {
		ids := msgIDRe.FindAllStringSubmatch(h, 50)
		for i := len(ids) - 1; i >= 0; i-- {
			if id := ids[i][1]; !seen[id] && len(id) <= 190 {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	add(env.GetHeader("In-Reply-To"))
	add(env.GetHeader("References"))
	return out
}

var subjectPrefix = regexp.MustCompile(`(?i)^\s*((re|tr|fwd?|aw|wg|sv|rif|r)\s*(\[\d+\])?\s*:\s*)+`)

// baseSubject is a subject without its Re:/TR:/Fwd: prefixes.
func baseSubject(s string) string { return strings.TrimSpace(subjectPrefix.ReplaceAllString(s, "")) }

var ticketRefRe = regexp.MustCompile(`(?i)\[#(\d{1,12})\]|\bticket\s+(?:n[°o]\s*)?#?(\d{1,12})\b`)

// ticketRef is our ticket number in a subject: « [#123] », « ticket 123 ».
func ticketRef(subject string) string {
	m := ticketRefRe.FindStringSubmatch(subject)
	if m == nil {
		return ""
	}
	return or(m[1], m[2])
}

// bodies returns the text and HTML of a message. Without a text part, the
// text is read from the HTML with a real parser (see htmlText).
func bodies(env *enmime.Envelope) (text, html string) {
	html = env.HTML
	hasText := env.Root != nil && env.Root.DepthMatchFirst(func(p *enmime.Part) bool {
		return p.ContentType == "text/plain" && p.Disposition != "attachment"
	}) != nil
	if hasText || html == "" {
		text = env.Text
	} else {
		text = htmlText(html)
	}
	return strings.TrimSpace(text), html
}

// files are a message's attachments and inline parts (cid: images).
func files(env *enmime.Envelope) []desk.IncomingFile {
	var out []desk.IncomingFile
	add := func(ps []*enmime.Part) {
		for _, p := range ps {
			if len(p.Content) == 0 {
				continue
			}
			name := p.FileName
			if name == "" && p.ContentID != "" {
				name = p.ContentID
			}
			if name == "" && p.ContentType == "message/rfc822" {
				name = "message-transfere.eml"
			}
			out = append(out, desk.IncomingFile{Name: name, ContentType: p.ContentType, Data: p.Content})
		}
	}
	add(env.Inlines)
	add(env.Attachments)
	add(env.OtherParts)
	return out
}

// forwarded is the text of the messages forwarded as attachments
// (message/rfc822), after their sender and subject.
func forwarded(env *enmime.Envelope) string {
	var b strings.Builder
	for _, p := range append(append([]*enmime.Part{}, env.Attachments...), env.OtherParts...) {
		if p.ContentType != "message/rfc822" || len(p.Content) == 0 {
			continue
		}
		fw, err := parser.ReadEnvelope(bytes.NewReader(p.Content))
		if err != nil {
			continue
		}
		text, html := bodies(fw)
		if text == "" && html != "" {
			text = htmlText(html)
		}
		fmt.Fprintf(&b, "---------- Message transféré ----------\nDe : %s\nObjet : %s\n\n%s\n", fw.GetHeader("From"), fw.GetHeader("Subject"), text)
	}
	return strings.TrimSpace(b.String())
}

// validText is s as UTF-8: 8-bit text that declared no charset (or a wrong
// one) is read as Windows-1252, what such mailers mostly send.
func validText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if d, err := charmap.Windows1252.NewDecoder().String(s); err == nil && utf8.ValidString(d) {
		return d
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
