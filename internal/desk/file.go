package desk

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"strconv"
	"strings"
)

// MaxFileSize bounds one attachment, from an agent or a channel. The blob
// store has a limit of its own, no lower.
const MaxFileSize = 25 << 20

// tooLarge says that the named file is over MaxFileSize; size is -1 when
// only "more than the limit" is known.
func tooLarge(field, name string, size int64) *Error {
	shown := "plus de " + megabytes(MaxFileSize)
	if size >= 0 {
		shown = megabytes(size)
	}
	return &Error{Code: ETooLarge, Field: field,
		Message: fmt.Sprintf("fichier trop volumineux : %s (%s, %s au plus)", name, shown, megabytes(MaxFileSize))}
}

// megabytes writes a size the French way, rounded up so that a file just
// over the limit does not read as the limit: "26 Mo", "25,1 Mo".
func megabytes(n int64) string {
	const mb = 1 << 20
	if n >= 100*mb {
		return strconv.FormatInt((n+mb-1)/mb, 10) + " Mo"
	}
	tenths := (n*10 + mb - 1) / mb
	s := strconv.FormatInt(tenths/10, 10)
	if d := tenths % 10; d != 0 {
		s += "," + strconv.FormatInt(d, 10)
	}
	return s + " Mo"
}

// errOverLimit is what sizedReader returns past MaxFileSize.
var errOverLimit = errors.New("file over the size limit")

// sizedReader hands a file to the blob store and stops it past MaxFileSize,
// whatever the store's own limit: the store sees a read error and keeps
// nothing.
type sizedReader struct {
	r    io.Reader
	read int64
}

func (s *sizedReader) Read(p []byte) (int, error) {
	if s.read > MaxFileSize {
		return 0, errOverLimit
	}
	if rest := MaxFileSize + 1 - s.read; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := s.r.Read(p)
	s.read += int64(n)
	if s.read > MaxFileSize {
		return n, errOverLimit
	}
	return n, err
}

// refusal is how a blob store says that it will not keep a file (as
// opposed to failing to): an incoming message with such a file is parked,
// not retried.
type refusal interface{ Refused() bool }

func refused(err error) bool {
	var r refusal
	return errors.As(err, &r) && r.Refused()
}

const octetStream = "application/octet-stream"

// NormalizeContentType makes a file's declared type safe to store and to
// send back as a header: "type/subtype" in lower case, with only a charset
// parameter and only for text/*. Anything that does not parse (empty,
// garbage, line breaks) is application/octet-stream.
func NormalizeContentType(ct string) string {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return octetStream
	}
	typ, sub, ok := strings.Cut(mt, "/")
	if !ok || typ == "" || sub == "" || len(mt) > 100 || typ == "*" || sub == "*" {
		return octetStream
	}
	if typ == "text" {
		if cs := strings.ToLower(params["charset"]); cs != "" {
			if withCharset := mime.FormatMediaType(mt, map[string]string{"charset": cs}); withCharset != "" && len(cs) <= 40 {
				return withCharset
			}
		}
	}
	return mt
}
