package mail

import (
	"strings"
	"testing"

	"github.com/jhillyerd/enmime/v2"

	"guichet/internal/desk"
)

func TestHTMLText(t *testing.T) {
	for _, c := range []struct{ html, want string }{
		{`<p>Bonjour,</p><p>merci&nbsp;!</p>`, "Bonjour,\nmerci !"},
		{`<div>un<br>deux</div>`, "un\ndeux"},
		{`<!--[if mso]><p>Outlook seulement</p><![endif]--><p>pour tous</p>`, "pour tous"},
		{`<head><title>t</title><style>p{}</style></head><script>alert(1)</script><ul><li>a</li><li>b</li></ul>`, "- a\n- b"},
		{`<table><tr><td>Commande</td><td>402-1234567-1234567</td></tr></table>`, "Commande 402-1234567-1234567"},
		{`<p>a < b &amp; c</p>`, "a < b & c"},
	} {
		if got := htmlText(c.html); got != c.want {
			t.Errorf("htmlText(%q) = %q, want %q", c.html, got, c.want)
		}
	}
}

func TestSubjectsAndTokens(t *testing.T) {
	for s, want := range map[string]string{"RE: Re: TR: Colis": "Colis", "Fwd: AW: x": "x", "Réponse": "Réponse", "Re[2]: y": "y"} {
		if got := baseSubject(s); got != want {
			t.Errorf("baseSubject(%q) = %q, want %q", s, got, want)
		}
	}
	for s, want := range map[string]string{"Re: Colis [#123]": "123", "ticket 45 encore": "45", "Ticket n° 7": "7", "commande 123": ""} {
		if got := ticketRef(s); got != want {
			t.Errorf("ticketRef(%q) = %q, want %q", s, got, want)
		}
	}
	if got := messageIDToken("t12.m34.0123456789abcdef.g@boutique.test"); got != "t12.0123456789abcdef" {
		t.Errorf("messageIDToken = %q", got)
	}
	if got := messageIDToken("t12.m34.0123@boutique.test"); got != "" {
		t.Errorf("a short mac is no token: %q", got)
	}
	for addr, want := range map[string]bool{"x@marketplace.amazon.fr": true, "X@Marketplace.Amazon.co.uk": true, "x@amazon.fr": false, "x@marketplace.amazon.fr.evil.test": false} {
		if amazonRelay(addr) != want {
			t.Errorf("amazonRelay(%q) != %v", addr, want)
		}
	}
}

func TestAutoKind(t *testing.T) {
	for _, c := range []struct {
		headers string
		want    desk.AutoKind
	}{
		{"From: a@b.test\r\n", ""},
		{"From: a@b.test\r\nAuto-Submitted: no\r\n", ""},
		{"From: a@b.test\r\nAuto-Submitted: auto-replied\r\n", desk.AutoReply},
		{"From: a@b.test\r\nX-Autoreply: yes\r\n", desk.AutoReply},
		{"From: a@b.test\r\nX-Autorespond: x\r\n", desk.AutoReply},
		{"From: a@b.test\r\nPrecedence: bulk\r\n", desk.AutoReply},
		{"From: a@b.test\r\nX-Auto-Response-Suppress: OOF\r\n", desk.AutoReply},
		{"From: a@b.test\r\nX-Auto-Response-Suppress: DR, RN\r\n", ""},
		{"From: MAILER-DAEMON@mx.test\r\n", desk.AutoBounce},
		{"From: a@b.test\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x\r\n", desk.AutoBounce},
	} {
		env, err := enmime.ReadEnvelope(strings.NewReader(c.headers + "\r\n--x--\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		from, _ := firstAddress(env, "From")
		if got := autoKind(env, from.Address); got != c.want {
			t.Errorf("%q: %q, want %q", c.headers, got, c.want)
		}
	}
}
