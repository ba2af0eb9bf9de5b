package ui

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// importCustomers is the CSV import: a file is read and previewed (nothing
// written), then imported in the background, its progress shown.
type importCustomers struct {
	desk  *desk.Desk
	views *views
	log   *slog.Logger
}

type importData struct {
	page
	Shops    []desk.Channel
	Error    string
	Im       *desk.CustomerImport
	Rows     []customerRow
	Lines    []int
	Percent  int
	Refresh  bool
	Channel  string
	Rejected []desk.RejectedLine
	More     int // rejected lines not shown
}

const maxImportForm = 65 << 20

func (h *importCustomers) form(w http.ResponseWriter, r *http.Request, s session) error {
	return h.render(w, r, s, http.StatusOK, importData{})
}

func (h *importCustomers) render(w http.ResponseWriter, r *http.Request, s session, status int, d importData) error {
	chs, err := h.desk.Channels(r.Context())
	if err != nil {
		return err
	}
	for _, c := range chs {
		if c.Kind == desk.ChannelPrestaShop {
			d.Shops = append(d.Shops, c)
		}
		if d.Im != nil && c.ID == d.Im.ChannelID {
			d.Channel = c.Name
		}
	}
	d.page = h.views.base(s, translator(s.lang()).T("import.title"), "customer-import")
	h.views.render(w, r, status, s.lang(), "customer_import", d)
	return nil
}

func (h *importCustomers) upload(w http.ResponseWriter, r *http.Request, s session) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportForm)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return h.render(w, r, s, http.StatusRequestEntityTooLarge, importData{Error: "fichier trop gros (64 Mio au plus)"})
		}
		return h.render(w, r, s, http.StatusBadRequest, importData{Error: "choisissez un fichier CSV"})
	}
	channelID, _ := strconv.ParseInt(r.PostFormValue("channel_id"), 10, 64)
	file, head, err := r.FormFile("file")
	if err != nil {
		return h.render(w, r, s, http.StatusBadRequest, importData{Error: "choisissez un fichier CSV"})
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	im, err := h.desk.PreviewCustomerImport(r.Context(), s.actor(), channelID, head.Filename, data)
	if desk.ErrorCode(err) == desk.EInvalid {
		return h.render(w, r, s, http.StatusBadRequest, importData{Error: desk.ErrorMessage(err)})
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/customers/import/"+strconv.FormatInt(im.ID, 10))
	return nil
}

func (h *importCustomers) status(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("import")
	}
	im, err := h.desk.CustomerImportStatus(r.Context(), s.actor(), id)
	if err != nil {
		return err
	}
	d := importData{Im: &im, Refresh: im.State == desk.ImportRunning}
	if im.Total > 0 {
		d.Percent = im.Done * 100 / im.Total
	} else if im.State == desk.ImportDone {
		d.Percent = 100
	}
	for _, p := range im.Preview {
		d.Rows = append(d.Rows, customerRowOf(p.Customer))
		d.Lines = append(d.Lines, p.Line)
	}
	d.Rejected = im.Rejected
	if len(d.Rejected) > 500 {
		d.More, d.Rejected = len(d.Rejected)-500, d.Rejected[:500]
	}
	if wantsJSON(r) {
		request.WriteJSON(w, http.StatusOK, map[string]any{"state": im.State, "total": im.Total, "done": im.Done, "written": im.Written, "rejected": len(im.Rejected)})
		return nil
	}
	return h.render(w, r, s, http.StatusOK, d)
}

func (h *importCustomers) start(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("import")
	}
	if err := h.desk.StartCustomerImport(r.Context(), s.actor(), id); err != nil && desk.ErrorCode(err) != desk.EConflict {
		return err
	} else if err == nil {
		go func() {
			// The import outlives the request: its page follows it.
			if err := h.desk.RunCustomerImport(context.Background(), id); err != nil {
				h.log.Warn("customer import", "id", id, "err", err)
			}
		}()
	}
	redirect(w, r, "/customers/import/"+strconv.FormatInt(id, 10))
	return nil
}
