package desk

import (
	"strings"
	"time"
)

// ChannelKind is the protocol or marketplace behind a channel.
type ChannelKind string

const (
	ChannelPrestaShop ChannelKind = "prestashop"
	ChannelKaufland   ChannelKind = "kaufland"
	ChannelMirakl     ChannelKind = "mirakl"
	ChannelEmail      ChannelKind = "email"
	ChannelCdiscount  ChannelKind = "cdiscount"
	ChannelManoMano   ChannelKind = "manomano"
	ChannelAmazon     ChannelKind = "amazon"
)

// ChannelKinds lists the known kinds.
var ChannelKinds = []ChannelKind{ChannelPrestaShop, ChannelKaufland, ChannelMirakl, ChannelEmail, ChannelCdiscount, ChannelManoMano, ChannelAmazon}

// Valid reports whether k is a known kind.
func (k ChannelKind) Valid() bool {
	for _, x := range ChannelKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Channel is where orders and messages come from.
type Channel struct {
	ID            int64       `json:"id"`
	Kind          ChannelKind `json:"kind"`
	Name          string      `json:"name"`
	ResponsibleID int64       `json:"responsible_id,omitempty"` // new tickets go to this ADV
	// DeadlinePolicy is a deadline.Policy in text form: "48h working_days",
	// "24h clock", "8h opening_hours".
	DeadlinePolicy string `json:"deadline_policy"`
	// CalendarID is the calendar its deadlines are counted on (0: the
	// default one, given when the channel is saved).
	CalendarID int64 `json:"calendar_id,omitempty"`
	// Language is the language of its automatic messages ("de"); "": French.
	Language string `json:"language,omitempty"`
	// OrderURL is a template with {order} replaced by the order reference.
	OrderURL string `json:"order_url,omitempty"`
	// GuardNames are the names that identify this channel in a text ("Kaufland", "real.de").
	GuardNames []string `json:"guard_names"`
	// ForbidContact makes the reply check warn on links, emails and phone numbers.
	ForbidContact bool `json:"forbid_contact"`
	// Backoffice finds a marketplace order in the PrestaShop back office.
	Backoffice BackofficeRule `json:"backoffice,omitzero"`
	Active     bool           `json:"active"`
	CreatedAt  time.Time      `json:"created_at"`
}

// OrderLink returns the channel's URL for an order, or "" when it has none.
func (c *Channel) OrderLink(orderRef string) string {
	if c.OrderURL == "" || orderRef == "" || !strings.Contains(c.OrderURL, "{order}") {
		return ""
	}
	return strings.ReplaceAll(c.OrderURL, "{order}", urlPathEscape(orderRef))
}
