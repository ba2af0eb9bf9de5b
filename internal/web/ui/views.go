package ui

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"guichet/internal/desk"
	"guichet/internal/web/request"
)

//go:embed templates
var templateFS embed.FS

// views holds the templates, parsed once at start: one set per page and per
// language (the "t" function is bound to the language), plus the assets.
type views struct {
	pages  map[string]map[string]*template.Template // lang → page → template
	assets *assetSet
	log    *slog.Logger
}

// pageNames are the files of templates/ that are whole pages; the others
// (layout, partials) are parsed into every page.
var pageNames = []string{"login", "inbox", "inbox_live", "ticket", "ticket_live", "error", "settings",
	"admin_agents", "admin_agent", "admin_channels", "admin_channel", "admin_templates", "admin_template", "admin_parked", "admin_integrations",
	"admin_deliveries", "ticket_integrations", "performance", "admin_rules",
	"admin_calendars", "admin_calendar", "admin_automatic"} // deadlines

func newViews(log *slog.Logger) *views {
	v := &views{pages: map[string]map[string]*template.Template{}, assets: loadAssets(), log: log}
	base := template.Must(template.New("").Funcs(template.FuncMap{
		"t":           func(key string, args ...any) string { return key },
		"lang":        func() string { return "fr" },
		"asset":       v.assets.URL,
		"counterArgs": counterArgs,
		"statuses":    func() []desk.Status { return desk.Statuses },
		"inc":         func(i int) int { return i + 1 },
		"perfTable":   perfTableOf,
	}).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html"))
	for _, lang := range languages {
		tr := translator(lang)
		v.pages[lang] = map[string]*template.Template{}
		for _, name := range pageNames {
			src, err := fs.ReadFile(templateFS, "templates/"+name+".html")
			if err != nil {
				panic(err)
			}
			t := template.Must(base.Clone()).Funcs(template.FuncMap{"t": tr.T, "lang": func() string { return lang }})
			v.pages[lang][name] = template.Must(t.New(name).Parse(string(src)))
		}
	}
	return v
}

// page is what the layout needs; every page's data embeds it.
type page struct {
	Title   string
	Page    string // the body's data-page: which script behaviour applies
	Agent   desk.Agent
	CSRF    string
	IsAdmin bool
	SearchQ string
	Notice  string // a one-line confirmation ("Modifications enregistrées")
	Scripts []string
	JSText  map[string]string // labels the scripts show

	AdminTab string // the admin menu's current entry
	Parked   int    // parked incoming messages, shown in the admin menu
}

func (v *views) base(s session, title, pageName string) page {
	return page{Title: title, Page: pageName, Agent: s.Agent, CSRF: s.CSRF, IsAdmin: s.Agent.Role == desk.RoleAdmin,
		JSText: jsText(s.lang())}
}

// render executes a page into a buffer first, so that a template error is a
// clean 500 and never half a page.
func (v *views) render(w http.ResponseWriter, r *http.Request, status int, lang, name string, data any) {
	t := v.pages[lang][name]
	if t == nil {
		t = v.pages["fr"][name]
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		v.log.Error("render page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "erreur interne", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorPage struct {
	page
	Status  int
	Message string
}

// fail shows err to the agent: a JSON error to the pages' scripts, an error
// page otherwise. Internal errors are logged and never shown.
func (v *views) fail(w http.ResponseWriter, r *http.Request, s session, err error) {
	status := request.Status(err)
	if wantsJSON(r) {
		request.WriteJSONError(w, r, v.log, err)
		return
	}
	msg := desk.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		v.log.Error("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = translator(s.lang()).T("error.internal")
	}
	tr := translator(s.lang())
	p := errorPage{page: v.base(s, tr.T("error.title"), "error"), Status: status, Message: msg}
	v.render(w, r, status, s.lang(), "error", p)
}

// wantsJSON tells the pages' own fetch() calls from a browser navigation.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// fragmentRequest is a fetch() asking for a piece of HTML.
func fragmentRequest(r *http.Request) bool {
	return r.Header.Get("X-Requested-With") == "fetch"
}
