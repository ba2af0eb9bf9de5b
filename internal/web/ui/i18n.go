package ui

import (
	"fmt"
	"strings"
)

// languages the pages speak; French first, the default.
var languages = []string{"fr", "en"}

// text is one label in every language.
type text struct{ fr, en string }

// translator returns the labels of one language.
type translator string

// T returns the label of key, formatted with args (fmt verbs). An unknown key
// shows as itself: visible in review, and caught by TestEveryLabelIsTranslated.
func (tr translator) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m.fr
	if tr == "en" && m.en != "" {
		s = m.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// jsText is the labels the scripts need (keys starting with "js."), sent
// in the page as JSON.
func jsText(lang string) map[string]string {
	out := map[string]string{}
	tr := translator(lang)
	for k := range messages {
		if name, ok := strings.CutPrefix(k, "js."); ok {
			out[name] = tr.T(k)
		}
	}
	return out
}
