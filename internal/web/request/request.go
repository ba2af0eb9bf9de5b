// Package request carries who is calling through a request's context, and
// holds the small helpers every handler uses to read input and write errors.
package request

import (
	"context"
	"net/http"
	"strconv"

	"guichet/internal/desk"
)

// Identity is who calls: a signed-in agent (Session set), an agent's API
// token (Token set), or an integration's token (Integration and Token set,
// Agent the zero Agent: an integration is no agent).
type Identity struct {
	Agent       desk.Agent
	Session     *desk.Session
	Token       *desk.APIToken
	Integration *desk.Integration
}

type key struct{}

// WithIdentity returns ctx carrying id.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, key{}, id)
}

// IdentityOf returns the caller of r, if authenticated.
func IdentityOf(r *http.Request) (Identity, bool) {
	id, ok := r.Context().Value(key{}).(Identity)
	return id, ok
}

// Actor is the caller as desk sees it: the agent, or for an integration the
// system under the integration's name (AgentID 0); the zero Actor when
// anonymous.
func Actor(r *http.Request) desk.Actor {
	id, ok := IdentityOf(r)
	switch {
	case !ok:
		return desk.Actor{}
	case id.Integration != nil:
		return id.Integration.Actor()
	}
	return desk.ActorOf(id.Agent)
}

// PathID reads a positive integer path value, or returns an EInvalid error.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, desk.Invalid(name, "identifiant invalide : %q", r.PathValue(name))
	}
	return id, nil
}

// Status maps an error to its HTTP status: one place for the whole app.
func Status(err error) int {
	switch desk.ErrorCode(err) {
	case desk.EInvalid:
		return http.StatusBadRequest
	case desk.ENotFound:
		return http.StatusNotFound
	case desk.EConflict, desk.EConfirm:
		return http.StatusConflict
	case desk.EUnauthorized:
		return http.StatusUnauthorized
	case desk.EForbidden:
		return http.StatusForbidden
	case desk.ETooMany:
		return http.StatusTooManyRequests
	case desk.ETooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}
