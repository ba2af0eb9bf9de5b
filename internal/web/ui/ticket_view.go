package ui

import (
	"cmp"
	"context"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet/internal/desk"
	"guichet/internal/htmlsafe"
)

// ticketData is everything the ticket page shows (seed 001's layout): the
// parameters and basic information on the left; integrations, history, the
// reply zone and the threads on the right.
type ticketData struct {
	page
	T         desk.Ticket
	Channel   desk.Channel
	Customer  *desk.Customer
	OrderLink string
	Deadline  deadlineLabel
	Opened    string
	AgeDays   int
	Params    paramsForm
	History   []historyLine
	Tabs      []threadTab
	ReplyTab  string // the key of the tab a reply goes to
	Reply     replyForm
	Note      noteForm
	Templates []desk.FilledTemplate
	Agents    []desk.Agent // active ones, for the responsible field
	Kinds     []attachmentKind
	Script    ticketScript
	LiveURL   string // the fragment live updates fetch (keeps shown images shown)
	// ShowImages is the message whose remote images the agent asked to
	// see (?images=ID); ImagesShown says the page shows some, so that its
	// Content-Security-Policy must let them load.
	ShowImages  int64
	ImagesShown bool
	// IntegrationsURL is the fragment of the integrations panel and the
	// channel's actions, fetched after the page loads ("": the channel has
	// no connector).
	IntegrationsURL string
	// Service is the customer-service card: thread actions, form details.
	Service serviceBox
}

// paramsForm is the left column's form; Orig holds the values the page was
// rendered with, so that only what the agent changed is sent to desk (and a
// field someone else changed meanwhile is not reverted).
type paramsForm struct {
	Values paramValues
	Orig   paramValues
	Errors map[string]string
}

type paramValues struct {
	Status, Priority string
	AssigneeID       int64
	AssigneeName     string
	Deadline         string // datetime-local, Paris time
	Problem          string
	RealEmail        string
	DeliveryDate     string
}

func paramsOf(t desk.Ticket, names map[int64]string) paramValues {
	return paramValues{Status: string(t.Status), Priority: string(t.Priority), AssigneeID: t.AssigneeID,
		AssigneeName: names[t.AssigneeID], Deadline: deadlineInput(t.Deadline), Problem: t.Problem,
		RealEmail: t.RealEmail, DeliveryDate: t.DeliveryDate}
}

func deadlineInput(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(paris).Format(inputDateTime)
}

type replyForm struct {
	Body       string
	Status     string
	TemplateID int64
	Errors     map[string]string
	Hits       []desk.GuardHit // the guard's findings, when a send came back for confirmation
}

type noteForm struct {
	Body  string
	Error string
}

type historyLine struct {
	At, ISO string
	Text    string
	Kind    string
}

type threadTab struct {
	Key        string // DOM id suffix: "t12", "email", "notes"
	Label      string
	ThreadID   int64
	ThreadKind string
	Messages   []messageView
	Replyable  bool
	ExternalID string // the channel's number for the conversation (Kaufland's ticket number)
	Status     string // the channel's status of it, in its words (« Fermé par l'acheteur »)
	// Hidden: the Email thread, until the integrations fragment says the
	// order is in the back office (see emailThread).
	Hidden bool
}

type messageView struct {
	ID            int64
	AuthorKind    string
	AuthorLabel   string
	AuthorName    string
	Time, ISO     string
	Body          string
	HTML          template.HTML
	TemplateName  string
	Delivery      string
	DeliveryLabel string
	DeliveryError string
	// DeliveryState is the outbox's detail (queued, sent, failed, unknown);
	// Retry is where « Réessayer » posts ("": the outbox is not wired).
	DeliveryState string
	DeliveryBase  string
	CSRF          string
	Internal, Out bool
	Altered       bool // cleaned at import
	Attachments   []attachmentView
	// RemoteImages is how many images from other sites the message holds:
	// blocked unless ImagesShown; ImagesURL shows or hides them.
	RemoteImages int
	ImagesShown  bool
	ImagesURL    string
}

type attachmentView struct {
	ID        int64
	Name      string
	Size      string
	KindLabel string
}

type attachmentKind struct {
	Value, Label string
}

// ticketScript is the data ticket.js reads from the page (a JSON block).
type ticketScript struct {
	ID        int64            `json:"id"`
	Me        int64            `json:"me"`
	Agents    []agentOption    `json:"agents"`
	Templates []templateOption `json:"templates"`
	Variables []string         `json:"variables"`
}

type agentOption struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type templateOption struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Text    string   `json:"text"`
	Missing []string `json:"missing"`
}

// loadTicket builds the page's data from desk, every remote image blocked.
func loadTicket(ctx context.Context, dk *desk.Desk, v *views, deps ticketDeps, s session, id int64) (ticketData, error) {
	return loadTicketShowing(ctx, dk, v, deps, s, id, 0)
}

// loadTicketShowing is loadTicket with the remote images of one message
// shown (showImages, a message id; 0: none).
func loadTicketShowing(ctx context.Context, dk *desk.Desk, v *views, deps ticketDeps, s session, id, showImages int64) (ticketData, error) {
	actor, tr := s.actor(), translator(s.lang())
	tv, err := dk.Ticket(ctx, actor, id)
	if err != nil {
		return ticketData{}, err
	}
	agents, err := dk.Agents(ctx)
	if err != nil {
		return ticketData{}, err
	}
	templates, err := dk.TicketTemplates(ctx, actor, id)
	if err != nil {
		return ticketData{}, err
	}
	now := dk.Now()
	names := agentNames(agents)
	t := tv.Ticket
	d := ticketData{
		page: v.base(s, "#"+t.Number+" · "+tv.Channel.Name, "ticket"),
		T:    t, Channel: tv.Channel, Customer: tv.Customer, OrderLink: tv.OrderLink,
		Deadline: deadlineOf(tr, t, now), Opened: showTime(t.OpenedAt), AgeDays: t.AgeDays(now),
		Params:     paramsForm{Values: paramsOf(t, names), Orig: paramsOf(t, names), Errors: map[string]string{}},
		Reply:      replyForm{Errors: map[string]string{}},
		Templates:  templates,
		Script:     ticketScript{ID: t.ID, Me: s.Agent.ID, Variables: desk.TemplateVariables, Agents: []agentOption{}, Templates: []templateOption{}},
		LiveURL:    "/tickets/" + strconv.FormatInt(t.ID, 10) + "/live",
		ShowImages: showImages,
	}
	if showImages != 0 {
		d.LiveURL += "?images=" + strconv.FormatInt(showImages, 10)
	}
	d.Scripts = []string{"ticket.js"}
	for _, a := range agents {
		if a.Active {
			d.Agents = append(d.Agents, a)
			d.Script.Agents = append(d.Script.Agents, agentOption{a.ID, a.Name})
		}
	}
	for _, ft := range templates {
		d.Script.Templates = append(d.Script.Templates, templateOption{ft.ID, ft.Name, ft.Text, append([]string{}, ft.Missing...)})
	}
	for _, k := range desk.AttachmentKinds {
		d.Kinds = append(d.Kinds, attachmentKind{string(k), tr.T("attkind." + string(k))})
	}
	for i := len(tv.Events) - 1; i >= 0; i-- { // newest first
		h := historyOf(tr, tv.Events[i], names)
		if tv.Events[i].Kind == desk.EventAction {
			h.Text = actionHistory(tr, tv.Events[i], tv.Channel.Name)
		}
		d.History = append(d.History, h)
	}
	d.Tabs, d.ReplyTab = threadTabs(tr, tv, now, showImages, deps.startable(ctx, tv))
	for _, tab := range d.Tabs {
		for _, m := range tab.Messages {
			d.ImagesShown = d.ImagesShown || m.ImagesShown
		}
	}
	deps.decorate(ctx, v, tr, &d, tv, s)
	if err := loadServiceBox(ctx, dk, tr, s, tv, &d); err != nil {
		return ticketData{}, err
	}
	return d, nil
}

// threadTabs puts each thread's messages, newest first, in a tab; the Email
// thread (send-only) has a tab even before its first message; notes have
// theirs. A thread the ticket lacks but the channel can start (starts:
// the customer's, the operator's) has an empty tab too: the first reply
// there opens the conversation on the channel.
func threadTabs(tr translator, tv desk.TicketView, now time.Time, showImages int64, starts []desk.ThreadKind) ([]threadTab, string) {
	var tabs []threadTab
	index := map[int64]int{}
	hasEmail, hasCustomer, hasOperator := false, false, false
	for _, th := range tv.Threads {
		label := tr.T("thread." + string(th.Kind))
		if th.Subject != "" {
			label += " · " + th.Subject
		}
		index[th.ID] = len(tabs)
		tabs = append(tabs, threadTab{Key: "t" + strconv.FormatInt(th.ID, 10), Label: label, ThreadID: th.ID, ThreadKind: string(th.Kind), Replyable: true, ExternalID: th.ExternalID, Status: cmp.Or(th.StatusLabel, th.Status)})
		hasEmail = hasEmail || th.Kind == desk.ThreadEmail
		hasCustomer = hasCustomer || th.Kind == desk.ThreadCustomer
		hasOperator = hasOperator || th.Kind == desk.ThreadOperator
	}
	if !hasCustomer && slices.Contains(starts, desk.ThreadCustomer) {
		tabs = append([]threadTab{{Key: "customer", Label: tr.T("thread.customer"), ThreadKind: string(desk.ThreadCustomer), Replyable: true}}, tabs...)
		for id, i := range index {
			index[id] = i + 1
		}
	}
	if !hasOperator && slices.Contains(starts, desk.ThreadOperator) {
		tabs = append(tabs, threadTab{Key: "operator", Label: tr.T("thread.operator"), ThreadKind: string(desk.ThreadOperator), Replyable: true})
	}
	if !hasEmail {
		tabs = append(tabs, threadTab{Key: "email", Label: tr.T("thread.email"), ThreadKind: string(desk.ThreadEmail), Replyable: true})
	}
	notes := threadTab{Key: "notes", Label: tr.T("thread.notes")}
	// A reply goes by default where the customer last wrote: the customer
	// thread with the latest message (operators are answered on purpose).
	latest, replyTab := time.Time{}, tabs[0].Key
	for i := len(tv.Messages) - 1; i >= 0; i-- {
		m := tv.Messages[i]
		mv := messageOf(tr, m, now, m.ID == showImages)
		if m.Internal {
			notes.Messages = append(notes.Messages, mv)
			continue
		}
		if j, ok := index[m.ThreadID]; ok {
			tabs[j].Messages = append(tabs[j].Messages, mv)
			// The Email thread too: a contact-form message joins its
			// order's ticket there, and the answer goes to that address.
			if m.CreatedAt.After(latest) && (tabs[j].ThreadKind == string(desk.ThreadCustomer) ||
				tabs[j].ThreadKind == string(desk.ThreadEmail) && m.AuthorKind == desk.AuthorCustomer) {
				latest, replyTab = m.CreatedAt, tabs[j].Key
			}
		}
	}
	return append(tabs, notes), replyTab
}

func messageOf(tr translator, m desk.Message, now time.Time, showImages bool) messageView {
	mv := messageView{ID: m.ID, AuthorKind: string(m.AuthorKind), AuthorLabel: tr.T("author." + string(m.AuthorKind)),
		AuthorName: m.AuthorName, Time: shortTime(m.CreatedAt, now), ISO: m.CreatedAt.UTC().Format(time.RFC3339),
		Body: m.Body, TemplateName: m.TemplateName, Delivery: string(m.Delivery), DeliveryError: m.DeliveryError,
		Internal: m.Internal, Out: m.Direction == desk.Out, Altered: m.Altered}
	if m.Internal {
		mv.AuthorLabel = tr.T("author.note")
	}
	if m.Delivery != desk.DeliveryNone {
		mv.DeliveryLabel = tr.T("delivery." + string(m.Delivery))
	}
	if m.BodyHTML != "" {
		// Sanitized at ingest already; again here, so that a bug or an old row
		// upstream cannot put a script in an agent's page. Remote images
		// (tracking pixels) load only when the agent asks, for this message.
		html, remote := htmlsafe.Images(htmlsafe.Sanitize(m.BodyHTML),
			htmlsafe.ImageOptions{ShowRemote: showImages, CID: cidResolver(m.Attachments)})
		mv.HTML, mv.RemoteImages = template.HTML(html), remote
		if remote > 0 {
			mv.ImagesShown = showImages
			mv.ImagesURL = "/tickets/" + strconv.FormatInt(m.TicketID, 10)
			if !showImages {
				mv.ImagesURL += "?images=" + strconv.FormatInt(m.ID, 10)
			}
			mv.ImagesURL += "#m-" + strconv.FormatInt(m.ID, 10)
		}
	}
	for _, a := range m.Attachments {
		av := attachmentView{ID: a.ID, Name: a.Name, Size: sizeText(a.Size)}
		if a.Kind != "" {
			av.KindLabel = tr.T("attkind." + string(a.Kind))
		}
		mv.Attachments = append(mv.Attachments, av)
	}
	return mv
}

// cidResolver finds the attachment a cid: image names. Content-IDs are not
// stored, so it goes by file name, as mailers name inline parts
// ("image001.png@01DA…" for image001.png).
func cidResolver(files []desk.Attachment) func(string) string {
	return func(id string) string {
		local, _, _ := strings.Cut(id, "@")
		for _, f := range files {
			if strings.EqualFold(f.Name, id) || strings.EqualFold(f.Name, local) {
				return "/api/v1/attachments/" + strconv.FormatInt(f.ID, 10)
			}
		}
		return ""
	}
}

// historyOf says one event as a sentence: "Léa Martin a changé le statut :
// Attente Admin → Attente Client".
func historyOf(tr translator, e desk.Event, names map[int64]string) historyLine {
	who := e.ActorName
	if who == "" {
		who = tr.T("history.system")
	}
	h := historyLine{At: showTime(e.At), ISO: e.At.UTC().Format(time.RFC3339), Kind: string(e.Kind)}
	change := func(field, old, new string) string {
		return tr.T("history.changed", who, tr.T(field), orDash(old), orDash(new)) // field is a label key
	}
	switch e.Kind {
	case desk.EventCreated:
		if e.AgentID == 0 {
			h.Text = tr.T("history.created_from", e.New)
		} else {
			h.Text = tr.T("history.created_by", who, e.New)
		}
	case desk.EventStatus:
		h.Text = change("hfield.status", statusLabel(tr, e.Old), statusLabel(tr, e.New))
	case desk.EventPriority:
		h.Text = change("hfield.priority", e.Old, e.New)
	case desk.EventAssignee:
		h.Text = change("hfield.assignee", agentLabel(tr, e.Old, names), agentLabel(tr, e.New, names))
	case desk.EventDeadline:
		switch {
		case e.New == "":
			h.Text = tr.T("history.deadline_stopped", who)
		case e.AgentID == 0:
			h.Text = tr.T("history.deadline_rule", rfcLabel(e.New), who)
		default:
			h.Text = change("hfield.deadline", rfcLabel(e.Old), rfcLabel(e.New))
		}
	case desk.EventProblem:
		h.Text = change("hfield.problem", e.Old, e.New)
	case desk.EventRealEmail:
		h.Text = change("hfield.real_email", e.Old, e.New)
	case desk.EventDeliveryDate:
		h.Text = change("hfield.delivery_date", dateLabel(e.Old), dateLabel(e.New))
	case desk.EventMessageIn:
		h.Text = tr.T("history.message_in", who, tr.T("thread."+e.New))
	case desk.EventMessageOut:
		h.Text = tr.T("history.message_out", who, tr.T("thread."+e.New))
	case desk.EventNote:
		h.Text = tr.T("history.note", who)
	case desk.EventCustomerLinked:
		h.Text = tr.T("history.customer_linked", who, e.New)
	case desk.EventCustomerUnlinked:
		h.Text = tr.T("history.customer_unlinked", who, e.New)
	case desk.EventDelivery:
		switch desk.DeliveryState(e.New) {
		case desk.OutboxFailed:
			h.Text = tr.T("history.delivery.failed")
		case desk.OutboxUnknown:
			h.Text = tr.T("history.delivery.unknown")
		case desk.OutboxQueued:
			h.Text = tr.T("history.delivery.queued", who)
		case desk.OutboxSent:
			h.Text = tr.T("history.delivery.sent", who)
		default:
			h.Text = tr.T("history.delivery.other", e.Old, e.New)
		}
	case desk.EventForwarded, desk.EventEmailed:
		h.Text = serviceHistory(tr, e, who)
	default:
		h.Text = who + " : " + string(e.Kind) + " " + e.New
	}
	return h
}

func statusLabel(tr translator, s string) string {
	if s == "" {
		return ""
	}
	return tr.T("status." + s)
}

func agentLabel(tr translator, id string, names map[int64]string) string {
	if id == "" {
		return tr.T("assignee.nobody")
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	if name, ok := names[n]; ok {
		return name
	}
	return "#" + id
}

func rfcLabel(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return showTime(t)
	}
	return s
}

func dateLabel(s string) string {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format(dateLayout)
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
