package ui

import (
	"net/http"

	"guichet/internal/desk"
)

// serviceOverviewPage is « Service client » (seed 002's customer-service
// page): a box per contact with its new messages, the status legend, and
// the statistics since the start.
type serviceOverviewPage struct {
	desk  *desk.Desk
	views *views
}

type serviceOverviewData struct {
	page
	desk.ServiceOverview
	Statuses []desk.Status
}

func (h *serviceOverviewPage) serve(w http.ResponseWriter, r *http.Request, s session) error {
	o, err := h.desk.ServiceOverview(r.Context(), s.actor())
	if err != nil {
		return err
	}
	d := serviceOverviewData{page: h.views.base(s, translator(s.lang()).T("service.title"), "service"), ServiceOverview: o, Statuses: desk.Statuses}
	h.views.render(w, r, http.StatusOK, s.lang(), "service", d)
	return nil
}
