package kaufland

import (
	"encoding/json"
	"time"
)

// The API's shapes, as far as guichet reads them. Fields are pointers or
// zero-tolerant where the spec allows null; decoding is lenient on what is
// missing and strict on nothing else.

type page struct {
	Data       []json.RawMessage `json:"data"`
	Pagination *struct {
		Offset int `json:"offset"`
		Limit  int `json:"limit"`
		Total  int `json:"total"`
	} `json:"pagination"`
}

type ticketMessage struct {
	ID       int64  `json:"id_ticket_message"`
	IDTicket string `json:"id_ticket"`
	Author   struct {
		Role string `json:"role"`
		Name string `json:"name"`
	} `json:"author"`
	Text    string `json:"text"`
	Created string `json:"ts_created_iso"`
}

type ticket struct {
	ID              string            `json:"id_ticket"`
	Units           []int64           `json:"ids_order_units"`
	IDBuyer         *int64            `json:"id_buyer"`
	Created         string            `json:"ts_created_iso"`
	Updated         string            `json:"ts_updated_iso"`
	Status          string            `json:"status"`
	OpenReason      string            `json:"open_reason"`
	Topic           *string           `json:"topic"`
	SellerMustReply bool              `json:"is_seller_responsible"`
	Storefront      string            `json:"storefront"` // TicketWithEmbedded only
	Messages        []json.RawMessage `json:"messages"`
	OrderUnits      []orderUnit       `json:"order_units"`
	Buyer           *buyer            `json:"buyer"`
}

type buyer struct {
	ID    int64   `json:"id_buyer"`
	Email *string `json:"email"`
}

type address struct {
	FirstName  string  `json:"first_name"`
	LastName   string  `json:"last_name"`
	Company    *string `json:"company_name"`
	Street     string  `json:"street"`
	HouseNo    string  `json:"house_number"`
	Postcode   string  `json:"postcode"`
	Additional *string `json:"additional_field"`
	City       string  `json:"city"`
	Phone      *string `json:"phone"`
	Country    string  `json:"country"`
}

type product struct {
	Title string   `json:"title"`
	EANs  []string `json:"eans"`
	URL   string   `json:"url"`
}

type orderUnit struct {
	ID           int64    `json:"id_order_unit"`
	IDOrder      string   `json:"id_order"`
	Created      string   `json:"ts_created_iso"`
	Updated      string   `json:"ts_updated_iso"`
	Status       string   `json:"status"`
	Price        int64    `json:"price"`
	ShippingRate int64    `json:"shipping_rate"`
	IDOffer      *string  `json:"id_offer"`
	Currency     string   `json:"currency"`
	Storefront   string   `json:"storefront"`
	CancelReason *string  `json:"cancel_reason"`
	Product      *product `json:"product"`
	Buyer        *buyer   `json:"buyer"`
	Shipping     *address `json:"shipping_address"`
}

type orderDetails struct {
	ID         string      `json:"id_order"`
	Created    string      `json:"ts_created_iso"`
	Storefront string      `json:"storefront"`
	Units      []orderUnit `json:"order_units"`
	Shipping   *address    `json:"shipping_address"`
	Buyer      *buyer      `json:"buyer"`
}

type createMessage struct {
	Text  string        `json:"text"`
	Files []messageFile `json:"ticket_message_files,omitempty"`
}

type messageFile struct {
	Filename string `json:"filename"`
	MimeType string `json:"mime_type"`
	Data     string `json:"data"` // a data: URI, as the spec's example shows
}

type openTicket struct {
	Units   []int64 `json:"id_order_unit"`
	Reason  string  `json:"reason"`
	Message string  `json:"message"`
}

type refundRequest struct {
	Amount int64  `json:"amount"`
	Reason string `json:"reason"`
}

type cancelRequest struct {
	Reason string `json:"reason"`
}

// parseTime reads the API's ISO 8601 timestamps; zero when unreadable.
func parseTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
