package desk

import (
	"fmt"
	"path"
	"strings"
)

// Amazon's rules on a message to a buyer (Seller Central, « Buyer-Seller
// Messaging »): no links or contact details (the message is blocked, the
// seller warned), and attachments of a few kinds, 10 MB per message.
const amazonMaxFiles = 10 << 20

var amazonFileTypes = map[string]bool{
	".pdf": true, ".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".tif": true, ".tiff": true,
	".txt": true, ".doc": true, ".docx": true,
}

// amazonDefaults are what a new Amazon channel starts with: 24 hours
// around the clock, contact details forbidden, « Amazon » as its name.
func amazonDefaults(c *Channel) {
	if c.ID != 0 || c.Kind != ChannelAmazon {
		return
	}
	if strings.TrimSpace(c.DeadlinePolicy) == "" {
		c.DeadlinePolicy = "24h clock"
	}
	c.ForbidContact = true
	if len(c.GuardNames) == 0 {
		c.GuardNames = []string{"Amazon"}
	}
}

// checkChannelRules refuses, before it is queued, a reply its channel
// would refuse: on Amazon's buyer thread, a link, an email address or a
// phone number, or attachments of another kind or over 10 MB in all. An
// agent cannot confirm past them (the channel's guard findings, by
// contrast, are warnings to confirm). The Email thread, to the customer's
// own address, is not Amazon's.
func checkChannelRules(own Channel, thread ThreadKind, body string, files []NewAttachment) error {
	if own.Kind != ChannelAmazon || thread == ThreadEmail {
		return nil
	}
	var hits []GuardHit
	for _, m := range linkRe.FindAllString(body, 5) {
		hits = append(hits, GuardHit{Kind: "link", Text: m})
	}
	for _, m := range emailRe.FindAllString(body, 5) {
		hits = append(hits, GuardHit{Kind: "email", Text: m})
	}
	for _, m := range phoneRe.FindAllString(body, 5) {
		hits = append(hits, GuardHit{Kind: "phone", Text: m})
	}
	if len(hits) > 0 {
		texts := make([]string, len(hits))
		for i, h := range hits {
			texts[i] = h.Text
		}
		return &Error{Code: EInvalid, Field: "body", Details: hits,
			Message: "Amazon refuse les liens, adresses email et numéros de téléphone dans un message à l'acheteur : " + strings.Join(texts, ", ")}
	}
	var total int64
	for i, f := range files {
		ext := strings.ToLower(path.Ext(strings.TrimSpace(f.Name)))
		if !amazonFileTypes[ext] {
			return Invalid(fmt.Sprintf("attachments[%d]", i), "Amazon n'accepte pas ce type de fichier : %s (PDF, images JPEG, PNG, GIF, TIFF, texte ou Word seulement)", f.Name)
		}
		total += max(f.Size, 0)
	}
	if total > amazonMaxFiles {
		return Invalid("attachments", "Amazon accepte 10 Mo de pièces jointes par message au plus (ici %.1f Mo)", float64(total)/(1<<20))
	}
	return nil
}
