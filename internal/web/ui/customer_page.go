package ui

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

// customerPage is a person's page: identity, addresses and phones, private
// note, linked records, tickets and their timeline, a new ticket on an order.
type customerPage struct {
	desk  *desk.Desk
	views *views
	shop  shopReader
}

type customerData struct {
	page
	P          desk.Customer
	Name       string
	Title      string
	Age        string
	Registered string
	LastVisit  string
	Relay      []string
	Emails     []string
	Phones     []string
	Buyers     []identityRow
	Linked     []linkedRow
	Tickets    []customerTicketRow
	Timeline   []timelineRow
	Channels   []desk.Channel
	Note       string
	NoteError  string
	LinkError  string
	NewError   string
	NewForm    newTicketForm
	Shop       *shopCustomer // from the shop's connector, when it has one
	ShopError  string
}

type identityRow struct{ Channel, Value string }

type linkedRow struct {
	ID      int64
	Name    string
	Channel string
	Link    string
}

type customerTicketRow struct {
	ID                                         int64
	Number, Channel, Order, Status, StatusName string
	Opened, Preview, Link                      string
}

type timelineRow struct {
	At   time.Time
	When string
	Text string
	Link string
}

func (h *customerPage) serve(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("client")
	}
	d, err := h.load(r, s, id)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("ok") {
	case "note":
		d.Notice = translator(s.lang()).T("customer.note_saved")
	case "linked":
		d.Notice = translator(s.lang()).T("customer.linked")
	case "unlinked":
		d.Notice = translator(s.lang()).T("customer.unlinked")
	}
	h.views.render(w, r, http.StatusOK, s.lang(), "customer", d)
	return nil
}

func (h *customerPage) load(r *http.Request, s session, id int64) (customerData, error) {
	tr := translator(s.lang())
	file, err := h.desk.CustomerFile(r.Context(), s.actor(), id)
	if err != nil {
		return customerData{}, err
	}
	chs, err := h.desk.Channels(r.Context())
	if err != nil {
		return customerData{}, err
	}
	names := map[int64]string{}
	for _, c := range chs {
		names[c.ID] = c.Name
	}
	p := file.Person
	d := customerData{page: h.views.base(s, p.DisplayName(), "customer"), P: p, Name: p.DisplayName(), Title: civility(p.Title),
		Age: "-", Registered: orDash(showTime(p.RegisteredAt)), LastVisit: orDash(showTime(p.LastVisitAt)), Note: p.Note, Channels: chs}
	if p.Age > 0 {
		d.Age = strconv.Itoa(p.Age)
	}
	seen := map[string]bool{}
	for _, i := range file.Identities {
		key := string(i.Kind) + i.Value
		if seen[key] {
			continue
		}
		seen[key] = true
		switch i.Kind {
		case desk.IdentityRelay:
			d.Relay = append(d.Relay, i.Value)
		case desk.IdentityEmail:
			d.Emails = append(d.Emails, i.Value)
		case desk.IdentityPhone:
			d.Phones = append(d.Phones, i.Value)
		case desk.IdentityBuyer:
			d.Buyers = append(d.Buyers, identityRow{Channel: names[i.ChannelID], Value: i.Value})
		}
	}
	for _, l := range file.Linked() {
		d.Linked = append(d.Linked, linkedRow{ID: l.ID, Name: l.DisplayName(), Channel: names[l.ChannelID], Link: "/customers/" + strconv.FormatInt(l.ID, 10)})
	}
	for _, t := range file.Tickets {
		link := "/tickets/" + strconv.FormatInt(t.ID, 10)
		d.Tickets = append(d.Tickets, customerTicketRow{ID: t.ID, Number: t.Number, Channel: names[t.ChannelID], Order: t.OrderRef,
			Status: string(t.Status), StatusName: statusLabel(tr, string(t.Status)), Opened: showDate(t.OpenedAt), Preview: t.Preview, Link: link})
		d.Timeline = append(d.Timeline, timelineRow{At: t.OpenedAt, Text: tr.T("customer.tl_opened", t.Number, names[t.ChannelID], orDash(t.OrderRef)), Link: link})
		if t.LastActivityAt.After(t.OpenedAt) && t.Preview != "" {
			d.Timeline = append(d.Timeline, timelineRow{At: t.LastActivityAt, Text: tr.T("customer.tl_message", t.Number, t.Preview), Link: link})
		}
	}
	if h.shop != nil {
		d.Shop, err = h.shop.customer(r.Context(), file)
		if err != nil {
			d.ShopError = err.Error()
		}
		if d.Shop != nil {
			for _, o := range d.Shop.Orders {
				d.Timeline = append(d.Timeline, timelineRow{At: o.At, Text: tr.T("customer.tl_order", o.Reference, o.Total, o.State)})
			}
		}
	}
	sort.SliceStable(d.Timeline, func(i, j int) bool { return d.Timeline[i].At.After(d.Timeline[j].At) })
	for i := range d.Timeline {
		d.Timeline[i].When = showTime(d.Timeline[i].At)
	}
	d.NewForm = newTicketForm{CustomerID: p.ID, Status: string(desk.StatusWaitingCustomer)}
	if len(file.Records) > 0 {
		d.NewForm.ChannelID = file.Records[0].ChannelID
	}
	return d, nil
}

// saveCustomerNote stores the person's private note.
func (h *customerPage) saveNote(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("client")
	}
	note := r.PostFormValue("note")
	err = h.desk.SetCustomerNote(r.Context(), s.actor(), id, note)
	if err == nil {
		redirect(w, r, "/customers/"+strconv.FormatInt(id, 10)+"?ok=note")
		return nil
	}
	return h.again(w, r, s, id, err, func(d *customerData) { d.Note, d.NoteError = note, desk.ErrorMessage(err) })
}

// link joins another record (by its id in guichet) to this person.
func (h *customerPage) link(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("client")
	}
	other, perr := strconv.ParseInt(strings.TrimLeft(strings.TrimSpace(r.PostFormValue("other")), "#"), 10, 64)
	if perr != nil || other <= 0 {
		err = desk.Invalid("other", "donnez l'ID du client à lier (un nombre, dans l'annuaire)")
	} else {
		err = h.desk.LinkCustomers(r.Context(), s.actor(), id, other)
	}
	if err == nil {
		redirect(w, r, "/customers/"+strconv.FormatInt(id, 10)+"?ok=linked")
		return nil
	}
	return h.again(w, r, s, id, err, func(d *customerData) { d.LinkError = desk.ErrorMessage(err) })
}

// unlink makes a linked record a person of its own again.
func (h *customerPage) unlink(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := request.PathID(r, "id")
	if err != nil {
		return desk.NotFound("client")
	}
	rec, err := strconv.ParseInt(r.PostFormValue("record"), 10, 64)
	if err != nil {
		return desk.Invalid("record", "fiche inconnue")
	}
	if err := h.desk.UnlinkCustomer(r.Context(), s.actor(), rec); err != nil {
		return h.again(w, r, s, id, err, func(d *customerData) { d.LinkError = desk.ErrorMessage(err) })
	}
	redirect(w, r, "/customers/"+strconv.FormatInt(id, 10)+"?ok=unlinked")
	return nil
}

// again shows the page with a form's error (400), or fails for others.
func (h *customerPage) again(w http.ResponseWriter, r *http.Request, s session, id int64, err error, set func(*customerData)) error {
	if desk.ErrorCode(err) != desk.EInvalid {
		return err
	}
	d, lerr := h.load(r, s, id)
	if lerr != nil {
		return lerr
	}
	set(&d)
	h.views.render(w, r, http.StatusBadRequest, s.lang(), "customer", d)
	return nil
}
