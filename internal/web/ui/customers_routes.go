package ui

import (
	"net/http"
	"time"
)

// registerCustomers adds the customers' pages: the directory, a person's
// page, the CSV export and import, a new ticket by hand and the shop's
// order-page button.
func registerCustomers(mux *http.ServeMux, v *views, d Deps) {
	dk, page := d.Desk, v.signedIn
	cp := &customerPage{desk: dk, views: v}
	if d.Connectors != nil {
		cp.shop = connectorShop{cs: d.Connectors, desk: dk, timeout: 5 * time.Second}
	}
	mux.Handle("GET /customers", page((&customersPage{desk: dk, views: v}).serve))
	mux.Handle("GET /customers/export.csv", page((&exportCustomers{desk: dk}).serve))
	im := &importCustomers{desk: dk, views: v, log: d.Log}
	mux.Handle("GET /customers/import", page(im.form))
	mux.Handle("POST /customers/import", page(im.upload))
	mux.Handle("GET /customers/import/{id}", page(im.status))
	mux.Handle("POST /customers/import/{id}/start", page(im.start))
	mux.Handle("GET /customers/{id}", page(cp.serve))
	mux.Handle("POST /customers/{id}/note", page(cp.saveNote))
	mux.Handle("POST /customers/{id}/link", page(cp.link))
	mux.Handle("POST /customers/{id}/unlink", page(cp.unlink))
	nt := &newTicketPage{desk: dk, views: v}
	mux.Handle("GET /tickets/new", page(nt.form))
	mux.Handle("POST /tickets/new", page(nt.create))
	mux.Handle("GET /shop/order", page((&shopOrderLink{desk: dk, cs: d.Connectors, now: dk.Now}).serve))
}
