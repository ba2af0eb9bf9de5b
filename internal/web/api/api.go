// Package api is guichet's JSON API under /api/v1/, for integrations (the
// shop's order-page button, scripts) and the pages' own scripts. It is
// described by openapi.json, served at /api/openapi.json.
package api

import (
	"log/slog"
	"net/http"
	"strings"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// Deps is what the API needs.
type Deps struct {
	Desk *desk.Desk
	Log  *slog.Logger
}

type handler struct {
	desk *desk.Desk
	log  *slog.Logger
}

// route is one endpoint; the list is checked against openapi.json by a test.
// agentOnly routes are refused to integration tokens (403): an integration
// opens, finds and reads tickets and lists; writing on a ticket, replying,
// notes and an agent's own queue are for agents.
type route struct {
	method, path string
	fn           func(h *handler, w http.ResponseWriter, r *http.Request, actor desk.Actor) error
	agentOnly    bool
}

const forAgents = true

var routes = []route{
	{"GET", "/api/v1/tickets", (*handler).listTickets, false},
	{"POST", "/api/v1/tickets", (*handler).openTicket, false},
	{"GET", "/api/v1/tickets/lookup", (*handler).lookupTicket, false},
	{"GET", "/api/v1/tickets/next", (*handler).nextTicket, forAgents},
	{"GET", "/api/v1/tickets/{id}", (*handler).getTicket, false},
	{"PATCH", "/api/v1/tickets/{id}", (*handler).updateTicket, forAgents},
	{"POST", "/api/v1/tickets/{id}/replies", (*handler).replyToTicket, forAgents},
	{"POST", "/api/v1/tickets/{id}/notes", (*handler).addNote, forAgents},
	{"POST", "/api/v1/tickets/{id}/close", (*handler).closeTicket, forAgents},
	{"POST", "/api/v1/tickets/{id}/reopen", (*handler).reopenTicket, forAgents},
	{"GET", "/api/v1/tickets/{id}/templates", (*handler).ticketTemplates, forAgents},
	{"POST", "/api/v1/tickets/{id}/check", (*handler).checkReply, forAgents},
	{"GET", "/api/v1/counts", (*handler).counts, false},
	{"GET", "/api/v1/attachments/{id}", (*handler).downloadAttachment, false},
	{"GET", "/api/v1/channels", (*handler).listChannels, false},
	{"POST", "/api/v1/channels/{id}/messages", (*handler).postChannelMessages, false},
	{"GET", "/api/v1/agents", (*handler).listAgents, false},
	{"GET", "/api/v1/templates", (*handler).listTemplates, false},
	{"GET", "/api/v1/me", (*handler).me, false},
}

// errAgentsOnly answers an integration on a route for agents.
var errAgentsOnly = desk.Errorf(desk.EForbidden, "réservé aux agents : un jeton d'intégration ouvre, cherche et lit les tickets")

// Register adds the API's routes to mux. Every route needs an identity: an
// API token or a signed-in session.
func Register(mux *http.ServeMux, d Deps) {
	h := &handler{desk: d.Desk, log: d.Log}
	for _, rt := range routes {
		mux.HandleFunc(rt.method+" "+rt.path, func(w http.ResponseWriter, r *http.Request) {
			if _, ok := request.IdentityOf(r); !ok {
				request.WriteJSONError(w, r, h.log, desk.Errorf(desk.EUnauthorized, "authentification requise (jeton d'API ou session)"))
				return
			}
			actor := request.Actor(r)
			if rt.agentOnly && actor.AgentID == 0 {
				request.WriteJSONError(w, r, h.log, errAgentsOnly)
				return
			}
			if err := rt.fn(h, w, r, actor); err != nil {
				request.WriteJSONError(w, r, h.log, err)
			}
		})
	}
	mux.HandleFunc("GET /api/openapi.json", serveOpenAPI)
	// Anything else under /api/ is a JSON 405 or 404, not the pages' HTML.
	known := http.NewServeMux()
	allowed := map[string][]string{}
	for _, rt := range routes {
		if allowed[rt.path] == nil {
			known.HandleFunc(rt.path, http.NotFound)
		}
		allowed[rt.path] = append(allowed[rt.path], rt.method)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := known.Handler(r); pattern != "" {
			w.Header().Set("Allow", strings.Join(allowed[pattern], ", "))
			request.WriteJSON(w, http.StatusMethodNotAllowed, request.ErrorBody{Error: request.ErrorDetail{
				Code: "method_not_allowed", Message: "méthode " + r.Method + " non prise en charge ici"}})
			return
		}
		request.WriteJSONError(w, r, h.log, &desk.Error{Code: desk.ENotFound, Message: "route inconnue : " + r.Method + " " + r.URL.Path})
	})
}
