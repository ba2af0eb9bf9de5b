package htmlsafe

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// ImageOptions say how the images of one message are shown.
type ImageOptions struct {
	// ShowRemote keeps remote sources, the agent having asked for them
	// (upgraded to https: the page allows no other remote images). By
	// default they move to data-remote-* attributes: nothing is loaded, so
	// no tracking pixel learns that the message was read.
	ShowRemote bool
	// CID returns the URL of the message's part named by a cid: source, or
	// "" to leave it as it is.
	CID func(contentID string) string
}

// imageAttrs are the attributes that make a browser load an image. Only
// img's src survives Sanitize today; the others are handled in case the
// policy lets them through one day.
var imageAttrs = map[string]bool{"src": true, "srcset": true, "background": true, "poster": true}

// Images rewrites the image sources of sanitized HTML (Sanitize's output)
// for display, at render time (stored HTML stays as it was sanitized), and
// returns it with the number of elements that have remote images, shown or
// not. Sources relative to the sender's site mean nothing here: dropped.
func Images(s string, o ImageOptions) (string, int) {
	if !strings.Contains(s, "<") {
		return s, 0
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	remote := 0
	for {
		switch z.Next() {
		case html.ErrorToken: // io.EOF: Sanitize's output is well formed
			return b.String(), remote
		case html.StartTagToken, html.SelfClosingTagToken:
			raw := bytes.Clone(z.Raw())
			t := z.Token()
			changed, hasRemote := rewriteImage(&t, o)
			if hasRemote {
				remote++
			}
			if changed {
				b.WriteString(t.String())
			} else {
				b.Write(raw)
			}
		default:
			b.Write(z.Raw())
		}
	}
}

// rewriteImage rewrites one element's image attributes.
func rewriteImage(t *html.Token, o ImageOptions) (changed, remote bool) {
	attrs := make([]html.Attribute, 0, len(t.Attr))
	for _, a := range t.Attr {
		if a.Namespace != "" || !imageAttrs[a.Key] {
			attrs = append(attrs, a)
			continue
		}
		was := a
		v, kind := imageSource(a.Key, a.Val)
		switch kind {
		case sourceRemote:
			remote = true
			if o.ShowRemote {
				a.Val = v
			} else {
				a.Key = "data-remote-" + a.Key
			}
		case sourceCID:
			if u := cidURL(a.Val, o.CID); u != "" {
				a.Val = u
			}
		case sourceRelative:
			changed = true
			continue
		}
		changed = changed || a != was
		attrs = append(attrs, a)
	}
	t.Attr = attrs
	return changed, remote
}

type sourceKind int

const (
	sourceOther sourceKind = iota // data:, or empty
	sourceRemote
	sourceCID
	sourceRelative
)

// imageSource classifies an image attribute's value and returns it as it
// would be shown (remote URLs upgraded to https).
func imageSource(key, v string) (string, sourceKind) {
	if key == "srcset" {
		var out []string
		kind := sourceOther
		for _, c := range strings.Split(v, ",") {
			f := strings.Fields(c)
			if len(f) == 0 {
				continue
			}
			u, k := imageSource("src", f[0])
			if k == sourceRemote || kind == sourceOther {
				kind = k
			}
			f[0] = u
			out = append(out, strings.Join(f, " "))
		}
		return strings.Join(out, ", "), kind
	}
	t := strings.TrimSpace(v)
	low := strings.ToLower(t)
	switch {
	case t == "" || strings.HasPrefix(low, "data:"):
		return v, sourceOther
	case strings.HasPrefix(low, "cid:"):
		return v, sourceCID
	case strings.HasPrefix(low, "https://"):
		return t, sourceRemote
	case strings.HasPrefix(low, "http://"):
		return "https://" + t[len("http://"):], sourceRemote
	case strings.HasPrefix(t, "//"):
		return "https:" + t, sourceRemote
	}
	return v, sourceRelative
}

// cidURL is the URL resolve gives for a cid: source (RFC 2392: the id may
// be URL-escaped), or "".
func cidURL(v string, resolve func(string) string) string {
	if resolve == nil {
		return ""
	}
	id := strings.TrimSpace(v)[len("cid:"):]
	if u, err := url.PathUnescape(id); err == nil {
		id = u
	}
	return resolve(strings.Trim(id, "<>"))
}
