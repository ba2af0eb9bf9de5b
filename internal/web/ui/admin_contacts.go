package ui

import (
	"net/http"
	"slices"
	"strconv"

	"guichet/internal/desk"
)

// adminContacts manages the contact form's contacts (name, address, email
// channel, « enregistrer les messages », description) and the
// customer-service options (uploads, default reply, frames, sending channel).
type adminContacts struct {
	desk  *desk.Desk
	views *views
}

type contactsData struct {
	page
	Contacts      []desk.Contact
	Channels      map[int64]string
	EmailChannels []desk.Channel
	Options       desk.ServiceOptions
	Errors        map[string]string
}

type contactEditData struct {
	page
	Form          desk.Contact
	EmailChannels []desk.Channel
	Errors        map[string]string
}

func (h *adminContacts) list(w http.ResponseWriter, r *http.Request, s session) error {
	o, err := h.desk.ServiceOptions(r.Context())
	if err != nil {
		return err
	}
	return h.renderList(w, r, s, http.StatusOK, o, map[string]string{})
}

func (h *adminContacts) renderList(w http.ResponseWriter, r *http.Request, s session, status int, o desk.ServiceOptions, errs map[string]string) error {
	cs, err := h.desk.Contacts(r.Context())
	if err != nil {
		return err
	}
	names, err := channelNames(r.Context(), h.desk)
	if err != nil {
		return err
	}
	emails, err := emailChannels(r, h.desk)
	if err != nil {
		return err
	}
	d := contactsData{page: adminPage(r, h.desk, h.views, s, translator(s.lang()).T("admin.contacts"), "contacts"),
		Contacts: cs, Channels: names, EmailChannels: emails, Options: o, Errors: errs}
	d.Notice = noticeOf(r, s)
	h.views.render(w, r, status, s.lang(), "admin_contacts", d)
	return nil
}

func (h *adminContacts) edit(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil {
		return err
	}
	form := desk.Contact{SaveMessages: true}
	if id != 0 {
		if form, err = h.desk.Contact(r.Context(), id); err != nil {
			return err
		}
	}
	return h.render(w, r, s, http.StatusOK, form, map[string]string{})
}

func (h *adminContacts) render(w http.ResponseWriter, r *http.Request, s session, status int, form desk.Contact, errs map[string]string) error {
	emails, err := emailChannels(r, h.desk)
	if err != nil {
		return err
	}
	title := translator(s.lang()).T("contact.new")
	if form.ID != 0 {
		title = form.Name
	}
	d := contactEditData{page: adminPage(r, h.desk, h.views, s, title, "contacts"), Form: form, EmailChannels: emails, Errors: errs}
	h.views.render(w, r, status, s.lang(), "admin_contact", d)
	return nil
}

func (h *adminContacts) save(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil {
		return err
	}
	c := desk.Contact{ID: id, Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		SaveMessages: r.PostFormValue("save_messages") == "1", Description: r.PostFormValue("description")}
	c.ChannelID, _ = strconv.ParseInt(r.PostFormValue("channel_id"), 10, 64)
	c.Position, _ = strconv.Atoi(r.PostFormValue("position"))
	if _, err := h.desk.SaveContact(r.Context(), s.actor(), c); err != nil {
		if desk.ErrorCode(err) != desk.EInvalid {
			return err
		}
		return h.render(w, r, s, http.StatusBadRequest, c, map[string]string{desk.ErrorField(err): desk.ErrorMessage(err)})
	}
	redirect(w, r, "/admin/contacts?ok=saved")
	return nil
}

func (h *adminContacts) remove(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil || id == 0 {
		return desk.NotFound("contact")
	}
	if err := h.desk.DeleteContact(r.Context(), s.actor(), id); err != nil {
		return err
	}
	redirect(w, r, "/admin/contacts?ok=deleted")
	return nil
}

func (h *adminContacts) saveOptions(w http.ResponseWriter, r *http.Request, s session) error {
	o := desk.ServiceOptions{AllowUpload: r.PostFormValue("allow_upload") == "1", DefaultReply: r.PostFormValue("default_reply"),
		FrameAncestors: r.PostFormValue("frame_ancestors")}
	o.SendingChannelID, _ = strconv.ParseInt(r.PostFormValue("sending_channel_id"), 10, 64)
	if _, err := h.desk.SetServiceOptions(r.Context(), s.actor(), o); err != nil {
		if desk.ErrorCode(err) != desk.EInvalid {
			return err
		}
		return h.renderList(w, r, s, http.StatusBadRequest, o, map[string]string{desk.ErrorField(err): desk.ErrorMessage(err)})
	}
	redirect(w, r, "/admin/contacts?ok=saved")
	return nil
}

func emailChannels(r *http.Request, dk *desk.Desk) ([]desk.Channel, error) {
	cs, err := dk.Channels(r.Context())
	return slices.DeleteFunc(cs, func(c desk.Channel) bool { return c.Kind != desk.ChannelEmail }), err
}
