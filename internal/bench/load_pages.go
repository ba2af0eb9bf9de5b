package bench

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// What an agent reads on the pages it gets: guichet's own templates, so a
// few patterns do (a change there shows in TestLoadAgainstADemoDesk).
var (
	csrfMeta    = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)
	ticketLink  = regexp.MustCompile(`<a href="/tickets/(\d+)" class="rowlink">#([^<]+)</a>`)
	nextLink    = regexp.MustCompile(`<a href="([^"]+)" class="btn" rel="next">`)
	orderCell   = regexp.MustCompile(`<td class="c-order">([^<]+)</td>`)
	customerRow = regexp.MustCompile(`<td class="c-cust">([^<]+)</td>`)
	previewCell = regexp.MustCompile(`<td class="c-prev" title="([^"]*)"`)
)

// commonWords are what ADVs type into the search box when they have
// nothing better: words of nearly every customer-service ticket.
var commonWords = []string{"colis", "livraison", "commande", "remboursement", "retour", "facture",
	"suivi", "annulation", "délai", "produit", "cassé", "adresse", "transporteur", "échange"}

// maxTerms bounds what an agent remembers to search for.
const maxTerms = 300

func csrfToken(page []byte) string {
	if m := csrfMeta.FindSubmatch(page); m != nil {
		return html.UnescapeString(string(m[1]))
	}
	return ""
}

// sawInbox notes the tickets, the next-page link and the words of an
// inbox page; open says whether it lists open tickets only.
func (a *loadAgent) sawInbox(page []byte, open bool) {
	a.next = ""
	if m := nextLink.FindSubmatch(page); m != nil {
		a.next = html.UnescapeString(string(m[1]))
	}
	for _, m := range ticketLink.FindAllSubmatch(page, -1) {
		id, err := strconv.ParseInt(string(m[1]), 10, 64)
		if err != nil {
			continue
		}
		a.tickets = remember(a.tickets, id)
		if open {
			a.open = remember(a.open, id)
		}
		a.term(html.UnescapeString(string(m[2])))
	}
	for _, re := range []*regexp.Regexp{orderCell, customerRow} {
		for _, m := range re.FindAllSubmatch(page, -1) {
			a.term(strings.TrimSpace(html.UnescapeString(string(m[1]))))
		}
	}
	for _, m := range previewCell.FindAllSubmatch(page, -1) {
		for _, w := range strings.FieldsFunc(html.UnescapeString(string(m[1])), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len([]rune(w)) >= 6 {
				a.term(strings.ToLower(w))
			}
		}
	}
}

// remember adds id to ids unless there, keeping the last 500.
func remember(ids []int64, id int64) []int64 {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	ids = append(ids, id)
	if len(ids) > 500 {
		ids = ids[1:]
	}
	return ids
}

func (a *loadAgent) term(s string) {
	if s == "" {
		return
	}
	if len(a.terms) < maxTerms {
		a.terms = append(a.terms, s)
		return
	}
	a.terms[a.r.IntN(maxTerms)] = s
}
