package desk

import (
	"strings"
	"unicode/utf8"
)

// Text reaches desk from two kinds of sources, and each gets its own rule.
//
// A person (a form, the JSON API) cannot have meant a NUL character or bytes
// that are not UTF-8: such text is refused, naming the field, so that they
// can fix it (and so that both engines behave alike: PostgreSQL cannot store
// a NUL in TEXT, SQLite can).
//
// A channel sends what it has, and refusing it would only stop its sync:
// such text is cleaned (cleanText) and stored, with a note saying so.

// checkText refuses text from a person that has a NUL character or is not
// valid UTF-8.
func checkText(field, s string) error {
	switch {
	case !utf8.ValidString(s):
		return Invalid(field, "texte illisible : caractères invalides (encodage)")
	case strings.IndexByte(s, 0) >= 0:
		return Invalid(field, "texte illisible : caractère nul")
	}
	return nil
}

// cleanText makes text from a channel storable: NUL characters removed,
// invalid UTF-8 sequences replaced by U+FFFD. It is deterministic, so that
// a source id cleaned twice is still the same id. altered says whether
// anything changed.
func cleanText(s string) (clean string, altered bool) {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s, false
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", ""), true
}

// cleanIncoming cleans every text field of a channel's message.
func cleanIncoming(in Incoming) (Incoming, bool) {
	altered := false
	clean := func(s *string) {
		var a bool
		*s, a = cleanText(*s)
		altered = altered || a
	}
	for _, s := range []*string{&in.OrderRef, &in.SourceID, &in.ThreadExternalID, &in.ThreadSubject,
		&in.AuthorName, &in.Customer.ExternalID, &in.Customer.Name, &in.Customer.Email, &in.Customer.Phone,
		&in.Body, &in.BodyHTML, &in.Notes, &in.Reason, &in.Subject} {
		clean(s)
	}
	kind, author := string(in.ThreadKind), string(in.AuthorKind)
	clean(&kind)
	clean(&author)
	in.ThreadKind, in.AuthorKind = ThreadKind(kind), AuthorKind(author)
	if len(in.Files) > 0 {
		files := make([]IncomingFile, len(in.Files))
		for i, f := range in.Files {
			clean(&f.Name) // the type is normalised where it is stored (NormalizeContentType)
			files[i] = f
		}
		in.Files = files
	}
	return in, altered
}
