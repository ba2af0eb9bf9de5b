package ui

import "net/http"

func init() {
	pageNames = append(pageNames, "contact", "admin_contacts", "admin_contact", "service", "notifications", "ticket_timeline")
}

// registerService adds the customer-service routes: the public contact
// form (no sign-in), the contacts' admin, the ticket's thread actions and
// timeline, the notifications and the overview.
func registerService(mux *http.ServeMux, d Deps, v *views, tp ticketDeps) {
	page, admin := v.signedIn, v.adminOnly
	form := &contactForm{desk: d.Desk, views: v, proxies: d.TrustedProxies, log: d.Log}
	mux.Handle("GET /contact", v.anonymous(http.HandlerFunc(form.show)))
	mux.Handle("POST /contact", v.anonymous(http.HandlerFunc(form.send)))

	contacts := &adminContacts{desk: d.Desk, views: v}
	mux.Handle("GET /admin/contacts", admin(contacts.list))
	mux.Handle("POST /admin/contacts/options", admin(contacts.saveOptions))
	mux.Handle("GET /admin/contacts/{id}", admin(contacts.edit))
	mux.Handle("POST /admin/contacts/{id}", admin(contacts.save))
	mux.Handle("POST /admin/contacts/{id}/delete", admin(contacts.remove))

	actions := &ticketService{desk: d.Desk, views: v, deps: tp}
	mux.Handle("POST /tickets/{id}/handled", page(actions.handled))
	mux.Handle("POST /tickets/{id}/reopen", page(actions.reopen))
	mux.Handle("POST /tickets/{id}/forward", page(actions.forward))
	mux.Handle("GET /tickets/{id}/timeline", page((&ticketTimeline{desk: d.Desk, cs: d.Connectors, views: v}).serve))

	notes := &notificationsPage{desk: d.Desk, views: v}
	mux.Handle("GET /notifications", page(notes.list))
	mux.Handle("GET /notifications/count", page(notes.count))
	mux.Handle("POST /notifications/read", page(notes.read))
	mux.Handle("POST /settings/notifications", page(notes.savePreference))

	mux.Handle("GET /service", page((&serviceOverviewPage{desk: d.Desk, views: v}).serve))
}
