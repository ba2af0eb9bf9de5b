// Package ui serves the agents' web pages: sign-in, the inbox, the ticket
// page, the admin pages, and the live event stream that keeps them fresh.
// Pages are rendered on the server from html/template files parsed once at
// start; a little JavaScript (embedded, no build step) adds shortcuts, live
// updates and confirm dialogs. Labels are in messages.go (French, English).
//
// Keyboard (the help overlay, « ? », lists them): / search (a ticket or order
// number opens the ticket), n next unanswered ticket, g i inbox; in the inbox
// j/k and Enter; on a ticket r reply, t default replies (type to filter;
// Enter inserts and sets « Attente Client », Shift+Enter « Fermé »,
// Alt+Enter no status), 1/2/3 (Alt+1/2/3 from the reply box) the status,
// Ctrl+Enter send, e responsible, [ ] threads. From the inbox to a sent
// default reply on the next unanswered ticket: n, t+Enter, Ctrl+Enter.
package ui

import (
	"log/slog"
	"net/http"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/web/live"
	"guichet/internal/web/request"
)

// Deps is what the pages need.
type Deps struct {
	Desk          *desk.Desk
	Hub           *live.Hub
	Log           *slog.Logger
	SecureCookies bool // send the session cookie over HTTPS only
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client (sign-in is throttled per client address); none: the peer.
	TrustedProxies request.Proxies
	// Connectors reach the channels: their settings, the connection test,
	// orders and actions on the ticket page. nil: no channel has a connector.
	Connectors *channel.Connectors
	// Sync and Deliveries are the sync engine's state and the outbox;
	// nil: the pages do without them (until the sync engine is wired).
	Sync       SyncControl
	Deliveries DeliveryControl
	// StreamsPerSession bounds the live-event streams one session holds
	// open (one per tab); default DefaultStreamsPerSession.
	StreamsPerSession int
}

// Register adds every page route to mux. All routes are in this one function.
func Register(mux *http.ServeMux, d Deps) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	v := newViews(d.Log)
	dk := d.Desk
	page := v.signedIn
	admin := v.adminOnly

	mux.Handle("GET /assets/{hash}/{name}", v.assets)
	mux.Handle("GET /login", v.anonymous(&loginPage{views: v}))
	mux.Handle("POST /login", v.anonymous(&signIn{desk: dk, views: v, proxies: d.TrustedProxies, secure: d.SecureCookies, log: d.Log}))
	mux.Handle("POST /logout", v.anonymous(&signOut{desk: dk, secure: d.SecureCookies}))

	mux.Handle("GET /{$}", page((&inboxPage{desk: dk, views: v}).serve))
	mux.Handle("GET /inbox/live", page((&inboxPage{desk: dk, views: v, fragment: true}).serve))
	mux.Handle("GET /search", page((&searchBox{desk: dk}).serve))
	mux.Handle("GET /next", page((&nextTicket{desk: dk, views: v}).serve))
	mux.Handle("GET /events", page(newEventStream(d.Hub, d.StreamsPerSession).serve))

	var bo *channel.Backoffice
	if d.Connectors != nil {
		bo = channel.NewBackoffice(d.Connectors, 0)
	}
	tp := ticketDeps{cs: d.Connectors, out: d.Deliveries, bo: bo}
	mux.Handle("GET /tickets/{id}", page((&ticketPage{desk: dk, views: v, deps: tp}).serve))
	mux.Handle("GET /tickets/{id}/live", page((&ticketPage{desk: dk, views: v, deps: tp, fragment: true}).serve))
	mux.Handle("POST /tickets/{id}", page((&updateTicket{desk: dk, views: v, deps: tp}).serve))
	mux.Handle("POST /tickets/{id}/replies", page((&replyToTicket{desk: dk, views: v, deps: tp}).serve))
	mux.Handle("POST /tickets/{id}/notes", page((&addNote{desk: dk, views: v, deps: tp}).serve))
	mux.Handle("POST /tickets/{id}/typing", page((&typingPing{hub: d.Hub}).serve))
	mux.Handle("POST /tickets/{id}/messages/{mid}/{op}", page((&messageDelivery{out: d.Deliveries}).serve))
	mux.Handle("GET /tickets/{id}/integrations", page((&ticketIntegrations{cs: d.Connectors, bo: bo, views: v, log: d.Log}).serve))
	mux.Handle("POST /tickets/{id}/actions/{action}", page((&runTicketAction{cs: d.Connectors}).serve))

	mux.Handle("GET /settings", page((&settingsPage{desk: dk, views: v}).serve))
	mux.Handle("POST /settings", page((&settingsPage{desk: dk, views: v}).save))
	mux.Handle("POST /settings/tokens/{id}/revoke", page((&settingsPage{desk: dk, views: v}).revokeToken))

	agents := &adminAgents{desk: dk, views: v}
	mux.Handle("GET /admin/agents", admin(agents.list))
	mux.Handle("GET /admin/agents/{id}", admin(agents.edit))
	mux.Handle("POST /admin/agents/{id}", admin(agents.save))
	channels := &adminChannels{desk: dk, views: v, conn: connectionDeps{cs: d.Connectors, sync: d.Sync}}
	mux.Handle("GET /admin/channels", admin(channels.list))
	mux.Handle("GET /admin/channels/{id}", admin(channels.edit))
	mux.Handle("POST /admin/channels/{id}", admin(channels.save))
	mux.Handle("POST /admin/channels/{id}/settings", admin((&saveChannelSettings{cs: d.Connectors, page: channels}).serve))
	mux.Handle("POST /admin/channels/{id}/test", admin((&testChannel{cs: d.Connectors, page: channels}).serve))
	mux.Handle("POST /admin/channels/{id}/backoffice-test", admin((&testBackoffice{bo: bo, page: channels}).serve))
	mux.Handle("POST /admin/channels/{id}/sync", admin((&steerSync{sync: d.Sync, page: channels}).serve))
	deliveries := &adminDeliveries{desk: dk, out: d.Deliveries, views: v}
	mux.Handle("GET /admin/deliveries", admin(deliveries.list))
	mux.Handle("POST /admin/deliveries/{id}/retry", admin(deliveries.retry))
	mux.Handle("POST /admin/deliveries/{id}/delivered", admin(deliveries.delivered))
	templates := &adminTemplates{desk: dk, views: v}
	mux.Handle("GET /admin/templates", admin(templates.list))
	mux.Handle("GET /admin/templates/{id}", admin(templates.edit))
	mux.Handle("POST /admin/templates/{id}", admin(templates.save))
	mux.Handle("POST /admin/templates/{id}/delete", admin(templates.remove))
	integrations := &adminIntegrations{desk: dk, views: v}
	mux.Handle("GET /admin/integrations", admin(integrations.list))
	mux.Handle("POST /admin/integrations", admin(integrations.create))
	mux.Handle("POST /admin/integrations/{id}/revoke", admin(integrations.revoke))
	// Deadlines: calendars and automatic messages.
	calendars := &adminCalendars{desk: dk, views: v}
	mux.Handle("GET /admin/calendars", admin(calendars.list))
	mux.Handle("GET /admin/calendars/{id}", admin(calendars.edit))
	mux.Handle("POST /admin/calendars/{id}", admin(calendars.save))
	automatic := &adminAutomatic{desk: dk, views: v}
	mux.Handle("GET /admin/automatic", admin(automatic.list))
	mux.Handle("POST /admin/automatic", admin(automatic.save))
	parked := &adminParked{desk: dk, views: v}
	mux.Handle("GET /admin/parked", admin(parked.list))
	mux.Handle("POST /admin/parked/{id}/delete", admin(parked.remove))
	mux.Handle("POST /admin/parked/{id}/retry", admin(parked.retry))
	mux.Handle("GET /admin/parked/{id}/source", admin(parked.source)) // an unreadable email's bytes

	// Customer service: the public contact form, contacts, thread actions,
	// notifications, the overview (see service.go's routes).
	registerService(mux, d, v, tp)
	// Service performance (any agent) and the service's rules (admins).
	perf := &performancePage{desk: dk, views: v}
	mux.Handle("GET /performance", page(perf.serve))
	mux.Handle("GET /performance.csv", page(perf.csv))
	rules := &adminRules{desk: dk, views: v}
	mux.Handle("GET /admin/rules", admin(rules.show))
	mux.Handle("POST /admin/rules", admin(rules.save))

	// Anything else: a page that does not exist (or the sign-in page).
	registerCustomers(mux, v, d)

	mux.Handle("/", page(func(w http.ResponseWriter, r *http.Request, s session) error {
		return desk.NotFound("page")
	}))
}
