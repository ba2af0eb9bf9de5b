package ui

import (
	"net/http"
	"strconv"
	"strings"

	"guichet/internal/desk"
)

// adminChannels lists, creates and edits channels: kind, name, responsible
// ADV, deadline policy, order link, the guard's names and contact setting.
type adminChannels struct {
	desk  *desk.Desk
	views *views
	conn  connectionDeps
}

type channelsData struct {
	page
	Channels []desk.Channel
	Names    map[int64]string
	Problems map[int64]string // channels whose stored deadline policy or calendar is wrong
}

type channelData struct {
	page
	Form   desk.Channel
	Guard  string // GuardNames, one a line
	Agents []desk.Agent
	Kinds  []desk.ChannelKind
	Errors map[string]string
	Conn   *connectionView // the connection, sync and intake of a saved channel
	// Backoffice is « Commandes dans le back-office » (marketplaces);
	// Presets the known marketplaces a new channel can start from.
	Backoffice *backofficeForm
	Presets    []channelPreset
	Preset     string
	// Deadlines: the calendars to count on, the languages of the automatic
	// messages, and what is wrong with the stored policy or calendar.
	Calendars       []desk.Calendar
	Languages       []string
	DeadlineProblem string
}

func (h *adminChannels) list(w http.ResponseWriter, r *http.Request, s session) error {
	channels, err := h.desk.Channels(r.Context())
	if err != nil {
		return err
	}
	agents, err := h.desk.Agents(r.Context())
	if err != nil {
		return err
	}
	d := channelsData{page: adminPage(r, h.desk, h.views, s, translator(s.lang()).T("admin.channels"), "channels"), Channels: channels, Names: agentNames(agents)}
	if d.Problems, err = h.desk.DeadlineProblems(r.Context()); err != nil {
		return err
	}
	d.Notice = noticeOf(r, s)
	h.views.render(w, r, http.StatusOK, s.lang(), "admin_channels", d)
	return nil
}

func (h *adminChannels) edit(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil {
		return err
	}
	form := desk.Channel{Kind: desk.ChannelPrestaShop, DeadlinePolicy: "48h working_days", Active: true}
	if id != 0 {
		channels, err := h.desk.Channels(r.Context())
		if err != nil {
			return err
		}
		found := false
		for _, c := range channels {
			if c.ID == id {
				form, found = c, true
			}
		}
		if !found {
			return desk.NotFound("canal")
		}
	}
	out := connectionOutcome{}
	// A channel made from a preset: its known API address fills the
	// connection form (still to save, with the key).
	if p, ok := presetByID(r.URL.Query().Get("preset")); ok && p.BaseURL != "" && form.Kind == p.Kind {
		out.Values = map[string]string{"base_url": p.BaseURL}
	}
	return h.renderWith(w, r, s, http.StatusOK, form, map[string]string{}, out)
}

func (h *adminChannels) render(w http.ResponseWriter, r *http.Request, s session, status int, form desk.Channel, errs map[string]string) error {
	return h.renderWith(w, r, s, status, form, errs, connectionOutcome{})
}

// renderWith shows the channel's page with the outcome of a connection
// form (its errors, a test's result).
func (h *adminChannels) renderWith(w http.ResponseWriter, r *http.Request, s session, status int, form desk.Channel, errs map[string]string, out connectionOutcome) error {
	return h.renderAll(w, r, s, status, form, errs, out, nil)
}

// renderTest shows the channel's form as typed with « Tester »'s outcome.
func (h *adminChannels) renderTest(w http.ResponseWriter, r *http.Request, s session, form desk.Channel, test *backofficeForm) error {
	return h.renderAll(w, r, s, http.StatusOK, form, map[string]string{}, connectionOutcome{}, test)
}

func (h *adminChannels) renderAll(w http.ResponseWriter, r *http.Request, s session, status int, form desk.Channel, errs map[string]string, out connectionOutcome, test *backofficeForm) error {
	agents, err := h.desk.Agents(r.Context())
	if err != nil {
		return err
	}
	title := translator(s.lang()).T("admin.channel_new")
	if form.ID != 0 {
		title = form.Name
	}
	d := channelData{page: adminPage(r, h.desk, h.views, s, title, "channels"), Form: form, Guard: strings.Join(form.GuardNames, "\n"),
		Agents: agents, Kinds: desk.ChannelKinds, Errors: errs, Preset: r.PostFormValue("preset")}
	if d.Backoffice, err = h.backofficeForm(r.Context()); err != nil {
		return err
	}
	if err := h.deadlineForm(r.Context(), &d); err != nil {
		return err
	}
	if test != nil {
		d.Backoffice.Tested, d.Backoffice.TestRef, d.Backoffice.Looked, d.Backoffice.Found, d.Backoffice.Error = true, test.TestRef, test.Looked, test.Found, test.Error
	}
	if form.ID == 0 {
		d.Presets = channelPresets()
		d.Scripts = []string{"admin_channel.js"}
	} else {
		d.Conn = h.conn.view(r.Context(), translator(s.lang()), s, form, out)
	}
	d.Notice = noticeOf(r, s)
	h.views.render(w, r, status, s.lang(), "admin_channel", d)
	return nil
}

func (h *adminChannels) save(w http.ResponseWriter, r *http.Request, s session) error {
	id, err := adminID(r)
	if err != nil {
		return err
	}
	c := h.channelFromForm(r, id)
	c.Backoffice = backofficeRuleOf(r)
	preset := r.PostFormValue("preset")
	applyPreset(&c, preset)
	saved, err := h.desk.SaveChannel(r.Context(), s.actor(), c)
	if err != nil {
		if desk.ErrorCode(err) != desk.EInvalid {
			return err
		}
		return h.render(w, r, s, http.StatusBadRequest, c, map[string]string{desk.ErrorField(err): desk.ErrorMessage(err)})
	}
	if p, ok := presetByID(preset); ok && id == 0 && p.BaseURL != "" && saved.Kind == p.Kind {
		redirect(w, r, "/admin/channels/"+strconv.FormatInt(saved.ID, 10)+"?ok=saved&preset="+p.ID+"#connection")
		return nil
	}
	redirect(w, r, "/admin/channels?ok=saved")
	return nil
}

// channelFromForm reads the channel's main form (the rule aside).
func (h *adminChannels) channelFromForm(r *http.Request, id int64) desk.Channel {
	responsible, _ := strconv.ParseInt(r.PostFormValue("responsible_id"), 10, 64)
	return desk.Channel{ID: id, Kind: desk.ChannelKind(r.PostFormValue("kind")), Name: r.PostFormValue("name"),
		ResponsibleID: responsible, DeadlinePolicy: r.PostFormValue("deadline_policy"), OrderURL: r.PostFormValue("order_url"),
		GuardNames: splitLines(r.PostFormValue("guard_names")), ForbidContact: r.PostFormValue("forbid_contact") == "1",
		Active: r.PostFormValue("active") == "1", CalendarID: formID(r, "calendar_id"), Language: r.PostFormValue("language")}
}

// splitLines reads a list typed one a line (commas accepted too).
func splitLines(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
