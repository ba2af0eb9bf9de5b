package mail

import (
	"regexp"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to the MIME parsing and the HTML to text
// conversion: no panic, and what Parse returns is storable text.
// Seeds: testdata/fuzz/FuzzParse. Run: go test ./internal/channel/mail -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	f.Add([]byte("From: a@b.test\r\nSubject: x\r\n\r\nbody"))
	f.Add([]byte("From: a@b.test\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n<p>hi<!--[if mso]>x<![endif]--></p>\r\n--x--\r\n"))
	m := &Connector{unknown: true, order: regexp.MustCompile(AmazonOrderPattern), now: time.Now}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, err := m.Parse(raw)
		if err != nil {
			return
		}
		if in.SourceID == "" {
			t.Fatal("no source id")
		}
		if !utf8.ValidString(in.Body) || !utf8.ValidString(in.Subject) {
			t.Fatalf("invalid UTF-8: %q %q", in.Body, in.Subject)
		}
		_ = htmlText(string(raw))
		_ = m.incoming(raw, time.Now())
	})
}
