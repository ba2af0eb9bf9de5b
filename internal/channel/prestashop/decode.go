package prestashop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// text is one value of PrestaShop's JSON output: mostly a string, a
// number for ids, sometimes a bool; absent when falsy ("0", ""), so the
// zero value means 0 or "". A multilingual field read as text keeps its
// first language. It never fails on an unexpected shape.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*t = ""
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case 't':
		*t = "1"
	case 'f', 'n':
	case '[', '{':
		var l langText
		l.UnmarshalJSON(b)
		*t = text(l.in(""))
	default:
		*t = text(b) // a number, as written
	}
	return nil
}

func (t text) String() string { return strings.TrimSpace(string(t)) }

// id reads an id; 0 when absent or unreadable.
func (t text) id() int64 {
	n, err := strconv.ParseInt(t.String(), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (t text) int() int {
	if n, err := strconv.Atoi(t.String()); err == nil {
		return n
	}
	f, _ := strconv.ParseFloat(t.String(), 64)
	return int(f)
}

func (t text) bool() bool { s := t.String(); return s == "1" || s == "true" }

// cents reads a price ("12.500000") in cents, rounded.
func (t text) cents() int64 {
	f, err := strconv.ParseFloat(t.String(), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return int64(math.Round(f * 100))
}

// langText is a multilingual field: a plain string (one language asked
// for) or [{"id":"1","value":"…"}, …].
type langText struct {
	only   string
	byLang map[string]string
	first  string
}

func (l *langText) UnmarshalJSON(b []byte) error {
	*l = langText{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		json.Unmarshal(b, &l.only)
	case '[':
		var langs []struct {
			ID    text `json:"id"`
			Value text `json:"value"`
		}
		if json.Unmarshal(b, &langs) == nil {
			l.byLang = map[string]string{}
			for i, x := range langs {
				l.byLang[x.ID.String()] = string(x.Value)
				if i == 0 {
					l.first = string(x.Value)
				}
			}
		}
	case '{': // {"language": …} as some versions write it
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) == nil {
			if v, ok := m["language"]; ok {
				return l.UnmarshalJSON(v)
			}
		}
	}
	return nil
}

// in returns the value in language lang, else the first one.
func (l langText) in(lang string) string {
	if l.only != "" {
		return l.only
	}
	if v, ok := l.byLang[lang]; ok && v != "" {
		return v
	}
	return l.first
}

// decodeList reads a list answer: {"<resource>":[…]} or, when empty,
// [] (PrestaShop's quirk). Each item is decoded on its own: one that does
// not decode is reported in bad and the others are kept.
func decodeList[T any](raw []byte, resource string) (items []T, bad []error, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == '[' {
		var empty []json.RawMessage
		if err := json.Unmarshal(raw, &empty); err != nil && len(raw) > 0 {
			return nil, nil, err
		}
		if len(empty) > 0 {
			return nil, nil, fmt.Errorf("liste %s inattendue", resource)
		}
		return nil, nil, nil
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, nil, err
	}
	list, ok := env[resource]
	if !ok {
		return nil, nil, nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(list, &elems); err != nil {
		// A single object where a list was expected.
		elems = []json.RawMessage{list}
	}
	for i, e := range elems {
		var v T
		if err := json.Unmarshal(e, &v); err != nil {
			bad = append(bad, fmt.Errorf("%s[%d] : %w", resource, i, err))
			continue
		}
		items = append(items, v)
	}
	return items, bad, nil
}

// decodeOne reads a single resource: {"<singular>":{…}}.
func decodeOne[T any](raw []byte, singular string) (T, error) {
	var v T
	var env map[string]json.RawMessage
	if err := json.Unmarshal(bytes.TrimSpace(raw), &env); err != nil {
		return v, err
	}
	one, ok := env[singular]
	if !ok {
		return v, fmt.Errorf("réponse sans %s", singular)
	}
	err := json.Unmarshal(one, &v)
	return v, err
}

// assocList reads an association that PrestaShop writes as a list, as
// [] when empty, or not at all.
func assocList[T any](assoc json.RawMessage, name string) []T {
	var m map[string]json.RawMessage
	if json.Unmarshal(assoc, &m) != nil {
		return nil
	}
	var out []T
	var elems []json.RawMessage
	if json.Unmarshal(m[name], &elems) != nil {
		return nil
	}
	for _, e := range elems {
		var v T
		if json.Unmarshal(e, &v) == nil {
			out = append(out, v)
		}
	}
	return out
}

// dateLayout is how PrestaShop writes dates: the shop's local time, no zone.
const dateLayout = "2006-01-02 15:04:05"

// parseDate reads a PrestaShop date in the shop's zone; zero when absent
// or "0000-00-00 00:00:00".
func parseDate(s string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation(dateLayout, strings.TrimSpace(s), loc)
	if err != nil || t.Year() < 1971 {
		return time.Time{}
	}
	return t
}

// validDate says whether s is a date as PrestaShop writes it (a cursor's).
func validDate(s string) bool {
	_, err := time.Parse(dateLayout, s)
	return err == nil
}

// secondBefore is the date one second before s, in the same notation:
// `>[secondBefore(s)]` means "at s or later".
func secondBefore(s string) string {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return s
	}
	return t.Add(-time.Second).Format(dateLayout)
}
