package channel

import "time"

// Order is a channel's order, as the integrations panel shows it
// (« Backoffice », « Suivi colis »). Amounts are in cents of Currency.
type Order struct {
	Ref       string      `json:"ref"`
	Status    string      `json:"status,omitempty"` // the channel's words, for display
	CreatedAt time.Time   `json:"created_at,omitzero"`
	Currency  string      `json:"currency,omitempty"`
	Total     int64       `json:"total"`
	Payment   string      `json:"payment,omitempty"`
	Buyer     string      `json:"buyer,omitempty"`
	Email     string      `json:"email,omitempty"`
	Address   string      `json:"address,omitempty"` // shipping address, one line per part
	URL       string      `json:"url,omitempty"`     // the order in the channel's back office
	Lines     []OrderLine `json:"lines"`
	Shipments []Shipment  `json:"shipments,omitempty"`
	// Delivered is when the order was delivered, when the channel knows it
	// (proposed as the ticket's « Date de livraison »).
	Delivered time.Time `json:"delivered,omitzero"`
}

// OrderLine is one line (Kaufland: one unit) of an order.
type OrderLine struct {
	ID        string    `json:"id"`
	Product   string    `json:"product"`
	SKU       string    `json:"sku,omitempty"`
	EAN       string    `json:"ean,omitempty"`
	Quantity  int       `json:"quantity"`
	Price     int64     `json:"price"` // cents, for the line
	Status    string    `json:"status,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Shipment is a parcel of the order.
type Shipment struct {
	Carrier        string    `json:"carrier,omitempty"`
	TrackingNumber string    `json:"tracking_number,omitempty"`
	TrackingURL    string    `json:"tracking_url,omitempty"` // fills {lien_suivi}
	ShippedAt      time.Time `json:"shipped_at,omitzero"`
}

// TrackingURL returns the first parcel's tracking link, or "".
func (o Order) TrackingURL() string {
	for _, s := range o.Shipments {
		if s.TrackingURL != "" {
			return s.TrackingURL
		}
	}
	return ""
}
