// Package htmlsafe turns customer-supplied HTML into HTML that is safe to show
// in an agent's page, and into plain text for search and previews.
package htmlsafe

import (
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

var (
	policyOnce sync.Once
	policy     *bluemonday.Policy
)

func ugc() *bluemonday.Policy {
	policyOnce.Do(func() {
		p := bluemonday.UGCPolicy()
		p.AllowURLSchemes("http", "https", "mailto", "cid")
		p.RequireNoFollowOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		p.AllowAttrs("style").Globally() // inline styles are filtered by bluemonday's CSS handler
		p.AllowStyles("color", "background-color", "font-weight", "font-style", "text-decoration", "text-align").Globally()
		policy = p
	})
	return policy
}

// Sanitize keeps the markup of a message (paragraphs, lists, links, images)
// and removes anything that could run: scripts, event handlers, javascript: URLs.
func Sanitize(s string) string {
	if s == "" {
		return ""
	}
	return ugc().Sanitize(s)
}

var (
	blockTags = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li|/tr|/h[1-6])\b[^>]*>`)
	dropTags  = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)\s*>`)
	anyTag    = regexp.MustCompile(`(?s)<[^>]*>`)
	blankRuns = regexp.MustCompile(`\n{3,}`)
)

// Text extracts readable text from HTML: block ends become new lines,
// entities are decoded, everything else is dropped.
func Text(s string) string {
	s = dropTags.ReplaceAllString(s, "")
	s = blockTags.ReplaceAllString(s, "\n")
	s = anyTag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(blankRuns.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}
