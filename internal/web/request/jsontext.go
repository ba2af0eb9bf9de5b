package request

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"guichet/internal/desk"
)

// checkJSONText finds the first string of a JSON document that no person
// means: bytes that are not UTF-8, an escaped lone surrogate ("\ud800") or
// an escaped NUL ("\u0000"). encoding/json decodes the first two as U+FFFD
// without a word, and the third into a string PostgreSQL cannot store; so
// the raw text is read here, and the string's field named ("order_ref",
// "customer.name", "attachments[0].name"). data must be valid JSON.
func checkJSONText(data []byte) error {
	if utf8.Valid(data) && !bytes.Contains(data, []byte(`\u`)) {
		return nil // nothing to look at: the common case, without a walk
	}
	type frame struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			}
		}
		if b.Len() == 0 {
			return "body"
		}
		return b.String()
	}
	// done marks the end of a value in its container.
	done := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].wantKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or an error the decoder reports itself
		}
		isKey := len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].wantKey
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, frame{object: true, wantKey: true})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:len(stack)-1]
				done()
			}
			continue
		case string:
			raw := data[start:dec.InputOffset()]
			raw = raw[bytes.IndexByte(raw, '"'):] // after the separators: the literal
			if problem := stringProblem(raw); problem != "" {
				field := path()
				if isKey {
					stack[len(stack)-1].key = "" // the name itself is at fault: say where it is
					field = strings.TrimSuffix(path(), ".")
					if field == "" {
						field = "body"
					}
				}
				return desk.Invalid(field, "%s", problem)
			}
			if isKey {
				stack[len(stack)-1].key, stack[len(stack)-1].wantKey = v, false
				continue
			}
		}
		done()
	}
}

// stringProblem says what is wrong with a raw JSON string literal (quotes
// included), or "".
func stringProblem(lit []byte) string {
	s := lit[1 : len(lit)-1]
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			r, size := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && size == 1 {
				return "texte illisible : caractères invalides (encodage)"
			}
			i += size
			continue
		}
		if s[i+1] != 'u' {
			i += 2
			continue
		}
		r := hex4(s[i+2 : i+6])
		i += 6
		switch {
		case r == 0:
			return "texte illisible : caractère nul"
		case r >= 0xDC00 && r < 0xE000:
			return "texte illisible : caractère invalide (\\u" + strconv.FormatInt(int64(r), 16) + " seul)"
		case r >= 0xD800 && r < 0xDC00:
			if i+6 > len(s) || s[i] != '\\' || s[i+1] != 'u' {
				return "texte illisible : caractère invalide (\\u" + strconv.FormatInt(int64(r), 16) + " seul)"
			}
			if low := hex4(s[i+2 : i+6]); low < 0xDC00 || low >= 0xE000 {
				return "texte illisible : caractère invalide (\\u" + strconv.FormatInt(int64(r), 16) + " seul)"
			}
			i += 6
		}
	}
	return ""
}

// hex4 reads the four hex digits of a \u escape (valid JSON: they are).
func hex4(b []byte) rune {
	n, _ := strconv.ParseUint(string(b), 16, 32)
	return rune(n)
}
