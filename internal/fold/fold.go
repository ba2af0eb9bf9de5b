// Package fold folds text for comparison and search: lower case, accents
// removed ("Éléonore" and "eleonore" are the same word).
package fold

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// String returns s in lower case without diacritics; ß, æ, œ are spelled out.
func String(s string) string {
	isASCII := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			isASCII = false
			break
		}
	}
	if isASCII {
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return ligatures.Replace(strings.ToLower(out))
}

var ligatures = strings.NewReplacer("ß", "ss", "æ", "ae", "œ", "oe")

// Words returns the folded words of s: runs of letters and digits.
func Words(s string) []string {
	return strings.FieldsFunc(String(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
