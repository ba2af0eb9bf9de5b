package channel

import (
	"errors"
	"fmt"
	"time"
)

// ErrorKind says what a caller should do about a failed call.
type ErrorKind int

const (
	// Transient: try again later (network, timeout, 5xx).
	Transient ErrorKind = iota
	// RateLimited: the channel said 429; wait RetryAfter (or back off).
	RateLimited
	// Refused: the channel refused the request for good (a 4xx about the
	// request: a reply too long, an order unit already refunded). Retrying
	// the same request cannot help.
	Refused
	// Unauthorized: the credentials are wrong (401, 403); nothing works
	// until an admin fixes the settings.
	Unauthorized
)

// Error is a connector's failure, classified.
type Error struct {
	Kind       ErrorKind
	Status     int           // HTTP status, when there was one
	RetryAfter time.Duration // RateLimited: what the channel asked for (0: not said)
	Message    string        // the channel's own words where it gave some, else ours
	Err        error         // the cause, for logs
}

func (e *Error) Error() string {
	switch {
	case e.Status != 0 && e.Message != "":
		return fmt.Sprintf("%d : %s", e.Status, e.Message)
	case e.Message != "":
		return e.Message
	case e.Err != nil:
		return e.Err.Error()
	}
	return fmt.Sprintf("erreur %d", e.Status)
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf classifies err: an *Error's kind, Transient for anything else
// (a network error, a context deadline).
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Transient
}

// RetryAfterOf returns the wait a rate-limited channel asked for.
func RetryAfterOf(err error) (time.Duration, bool) {
	var e *Error
	if errors.As(err, &e) && e.Kind == RateLimited && e.RetryAfter > 0 {
		return e.RetryAfter, true
	}
	return 0, false
}

// ErrCannotTell is a Looker's answer when the channel cannot say whether a
// reply was received.
var ErrCannotTell = errors.New("le canal ne permet pas de vérifier l'envoi")

// ErrNotSupported is returned for a capability the connector lacks.
var ErrNotSupported = errors.New("non pris en charge par ce canal")
