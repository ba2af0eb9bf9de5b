package mail

import (
	"net/mail"
	"regexp"
	"strings"

	"github.com/jhillyerd/enmime/v2"

	"guichet/internal/desk"
)

// autoKind says whether a machine wrote the message: a bounce (a delivery
// status report, MAILER-DAEMON) or an auto-reply (RFC 3834's
// Auto-Submitted, and what Outlook, Exchange and others put instead).
func autoKind(env *enmime.Envelope, from string) desk.AutoKind {
	ct := strings.ToLower(env.GetHeader("Content-Type"))
	local, _, _ := strings.Cut(strings.ToLower(from), "@")
	if (strings.HasPrefix(ct, "multipart/report") && strings.Contains(ct, "delivery-status")) ||
		local == "mailer-daemon" || local == "postmaster" || env.GetHeader("X-Failed-Recipients") != "" {
		return desk.AutoBounce
	}
	if v := strings.ToLower(strings.TrimSpace(env.GetHeader("Auto-Submitted"))); v != "" && v != "no" {
		return desk.AutoReply
	}
	for _, h := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-MS-Exchange-Generated-Message-Source", "X-Auto-Response-Suppress"} {
		v := strings.ToLower(strings.TrimSpace(env.GetHeader(h)))
		if v == "" {
			continue
		}
		if h == "X-Auto-Response-Suppress" {
			// Outlook sets it on auto-replies ("All", "OOF"), and on some
			// messages people write: only its out-of-office values count.
			if !strings.Contains(v, "oof") && v != "all" {
				continue
			}
		}
		return desk.AutoReply
	}
	switch strings.ToLower(strings.TrimSpace(env.GetHeader("Precedence"))) {
	case "auto_reply", "bulk", "junk", "list":
		return desk.AutoReply
	}
	return ""
}

var amazonRelayRe = regexp.MustCompile(`(?i)@marketplace\.amazon\.(com|fr|de|it|es|nl|se|pl|in|sg|ae|sa|ca|eg|co\.uk|co\.jp|com\.be|com\.mx|com\.br|com\.au|com\.tr)$`)

// amazonRelay says whether an address is one of Amazon's buyer relays
// (…@marketplace.amazon.fr, .de, .co.uk, .com…).
func amazonRelay(addr string) bool { return amazonRelayRe.MatchString(strings.TrimSpace(addr)) }

// tokenOf finds a token of ours: in the address the customer wrote to
// (support+t12.ab34…@), else in the Message-ID of ours they answer
// (<t12.m34.ab34…@…>). desk checks it.
func (m *Connector) tokenOf(env *enmime.Envelope) string {
	for _, h := range []string{"To", "Cc", "Delivered-To", "X-Original-To"} {
		for _, a := range addressList(env, h) {
			if t := addressToken(a); t != "" {
				return t
			}
		}
	}
	for _, id := range references(env) {
		if t := messageIDToken(id); t != "" {
			return t
		}
	}
	return ""
}

var (
	addressTokenRe   = regexp.MustCompile(`^[^+@]+\+(t\d{1,12}\.[0-9a-f]{16})@`)
	messageIDTokenRe = regexp.MustCompile(`^(t\d{1,12})\.m\d{1,12}\.([0-9a-f]{16})\.[0-9a-z]+@`)
)

func addressToken(a *mail.Address) string {
	if m := addressTokenRe.FindStringSubmatch(strings.ToLower(a.Address)); m != nil {
		return m[1]
	}
	return ""
}

func messageIDToken(id string) string {
	if m := messageIDTokenRe.FindStringSubmatch(strings.ToLower(id)); m != nil {
		return m[1] + "." + m[2]
	}
	return ""
}
