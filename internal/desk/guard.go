package desk

import (
	"regexp"
	"strings"

	"guichet/internal/fold"
)

// GuardHit is something in a reply the agent must confirm before it goes out.
type GuardHit struct {
	Kind    string `json:"kind"`              // "marketplace", "link", "email" or "phone"
	Text    string `json:"text"`              // what was found
	Channel string `json:"channel,omitempty"` // for "marketplace": the channel it names
}

var (
	linkRe  = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"]+`)
	emailRe = regexp.MustCompile(`(?i)\b[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}\b`)
	// French numbers (06 12 34 56 78) and international ones (+49 30 1234567).
	phoneRe = regexp.MustCompile(`(?:\+|\b00)\d{2}[\s.\-]?\d(?:[\s.\-]?\d){6,11}\b|\b0[1-9](?:[\s.\-]?\d{2}){4}\b`)
)

// CheckReply looks in a reply's text for what the ticket's channel should not
// see: the name of another marketplace (whole words, case and accents folded),
// and, when the channel forbids them, links, email addresses and phone numbers.
func CheckReply(text string, own Channel, channels []Channel) []GuardHit {
	var hits []GuardHit
	padded := " " + strings.Join(fold.Words(text), " ") + " "
	ownNames := map[string]bool{}
	for _, n := range guardNames(own) {
		ownNames[n] = true
	}
	seen := map[string]bool{}
	for _, c := range channels {
		if c.ID == own.ID {
			continue
		}
		for _, n := range guardNames(c) {
			if ownNames[n] || seen[n] {
				continue
			}
			if strings.Contains(padded, " "+n+" ") {
				seen[n] = true
				hits = append(hits, GuardHit{Kind: "marketplace", Text: n, Channel: c.Name})
			}
		}
	}
	if own.ForbidContact {
		for _, m := range linkRe.FindAllString(text, 5) {
			hits = append(hits, GuardHit{Kind: "link", Text: m})
		}
		for _, m := range emailRe.FindAllString(text, 5) {
			hits = append(hits, GuardHit{Kind: "email", Text: m})
		}
		for _, m := range phoneRe.FindAllString(text, 5) {
			hits = append(hits, GuardHit{Kind: "phone", Text: m})
		}
	}
	return hits
}

// guardNames are a channel's identifying names as folded word sequences.
func guardNames(c Channel) []string {
	names := make([]string, 0, len(c.GuardNames))
	for _, n := range c.GuardNames {
		if w := strings.Join(fold.Words(n), " "); w != "" {
			names = append(names, w)
		}
	}
	return names
}
