package ui

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/desk"
)

func TestEveryLabelIsTranslated(t *testing.T) {
	for key, m := range messages {
		if strings.TrimSpace(m.fr) == "" || strings.TrimSpace(m.en) == "" {
			t.Errorf("label %q lacks a language: fr %q, en %q", key, m.fr, m.en)
		}
		if strings.Count(m.fr, "%") != strings.Count(m.en, "%") {
			t.Errorf("label %q: fr and en take different arguments: %q / %q", key, m.fr, m.en)
		}
	}
	used := map[string]bool{}
	// Keys written in templates ({{t "key"}}) and in Go (T("key")).
	tplKey := regexp.MustCompile(`\bt "([a-zA-Z0-9_.]+)"`)
	fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(templateFS, path)
		for _, m := range tplKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return nil
	})
	goKey := regexp.MustCompile(`(?:T|fieldError|change)\("([a-zA-Z0-9_]+\.[a-zA-Z0-9_.]*[a-zA-Z0-9_])"`) // not a prefix ("history.delivery." + state)
	files, _ := os.ReadDir(".")
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f.Name())
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	// Keys built from values.
	for _, s := range desk.Statuses {
		used["status."+string(s)] = true
	}
	for _, k := range desk.AttachmentKinds {
		used["attkind."+string(k)] = true
	}
	for _, k := range []string{"customer", "agent", "operator", "system"} {
		used["author."+k] = true
	}
	for _, k := range []string{"customer", "operator", "email"} {
		used["thread."+k] = true
	}
	for _, k := range []string{"queued", "sent", "failed", "unknown", "sending"} {
		used["delivery."+k] = true
	}
	for _, k := range []string{"queued", "sent", "failed", "unknown"} {
		used["history.delivery."+k] = true
	}
	for _, k := range []string{"link", "email", "phone"} {
		used["guard."+k] = true
	}
	used["role.admin"], used["role.adv"] = true, true
	if len(used) < 100 {
		t.Fatalf("found only %d label uses: the scan is broken", len(used))
	}
	for key := range used {
		if _, ok := messages[key]; !ok {
			t.Errorf("label %q is used but not in the table", key)
		}
	}
	// Scripts ask for js.* labels by their short name.
	jsKey := regexp.MustCompile(`g\.t\('([a-z_]+)'`)
	for _, name := range []string{"static/app.js", "static/inbox.js", "static/ticket.js", "static/actions.js"} {
		b, _ := fs.ReadFile(staticFS, name)
		for _, m := range jsKey.FindAllStringSubmatch(string(b), -1) {
			if _, ok := messages["js."+m[1]]; !ok {
				t.Errorf("%s asks for label js.%s, not in the table", name, m[1])
			}
		}
	}
}

func TestTranslatorFallsBackToFrench(t *testing.T) {
	if got := translator("de").T("reply.send"); got != "Envoyer le message" {
		t.Errorf("unknown language: %q", got)
	}
	if got := translator("en").T("deadline.late", "5 h"); got != "5 h late" {
		t.Errorf("en with argument: %q", got)
	}
	if got := translator("fr").T("no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key: %q", got)
	}
}
