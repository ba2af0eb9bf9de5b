package desk

import (
	"errors"
	"fmt"
)

// Error codes are stable: the JSON API returns them and clients may test them.
const (
	EInvalid      = "invalid"      // the caller's input is wrong; Field names the culprit
	ENotFound     = "not_found"    // the thing asked for does not exist (or is not visible)
	EConflict     = "conflict"     // the change clashes with the current state
	EUnauthorized = "unauthorized" // no valid credentials
	EForbidden    = "forbidden"    // valid credentials, not allowed
	ETooMany      = "too_many"     // rate limited
	ETooLarge     = "too_large"    // a file or a request over its size limit; Field names it
	EConfirm      = "confirm"      // the reply needs the agent's confirmation (Details says why)
	EInternal     = "internal"     // our fault; the message never leaks details
)

// Error is the one error type use cases return for anything a caller can act on.
// Anything else is treated as internal.
type Error struct {
	Code    string
	Field   string // the input field at fault, for EInvalid
	Message string // safe to show to a user
	Details any    // extra machine-readable data, e.g. the guard's findings
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return e.Code + ": " + e.Message
}

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports a bad value in the named input field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports that the named kind of thing does not exist.
func NotFound(what string) *Error {
	return &Error{Code: ENotFound, Message: what + " introuvable"}
}

// ErrorCode returns the code of err, or EInternal for errors that are not *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// ErrorMessage returns the user-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "erreur interne"
}

// ErrorField returns the input field named by err, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// IsNotFound reports whether err is an ENotFound error.
func IsNotFound(err error) bool { return ErrorCode(err) == ENotFound }
