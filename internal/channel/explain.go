package channel

import (
	"context"
	"errors"

	"guichet/internal/desk"
)

// Explain says a connector's failure in French, for an agent or an admin:
// the channel's own words when it gave some, what to do otherwise.
func Explain(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNotSupported):
		return "non pris en charge par ce canal"
	case errors.Is(err, context.DeadlineExceeded):
		return "le canal ne répond pas (délai dépassé) : réessayez dans un moment"
	case desk.ErrorCode(err) != desk.EInternal:
		return desk.ErrorMessage(err)
	case !errors.As(err, &e):
		return "le canal est injoignable : " + err.Error()
	}
	switch e.Kind {
	case Unauthorized:
		return "le canal refuse les identifiants (" + e.Error() + ") : vérifiez les réglages de connexion"
	case RateLimited:
		return "le canal limite les appels : réessayez dans un moment"
	case Refused:
		return "refusé par le canal : " + e.Error()
	}
	return "le canal est indisponible : " + e.Error()
}
