package mirakl

import (
	"encoding/json"
	"time"
)

// The seller API's shapes, as far as guichet reads them.

type participant struct {
	Type        string `json:"type"` // OPERATOR, SHOP, CUSTOMER
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"display_name"`
}

type sender struct {
	Type        string `json:"type"` // OPERATOR_USER, SHOP_USER, CUSTOMER_USER
	DisplayName string `json:"display_name"`
}

type attachment struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Size int64  `json:"size"`
}

type message struct {
	ID          string        `json:"id"`
	Body        string        `json:"body"`
	DateCreated time.Time     `json:"date_created"`
	From        sender        `json:"from"`
	To          []participant `json:"to"`
	Attachments []attachment  `json:"attachments"`
}

type entity struct {
	Type  string `json:"type"` // MMP_ORDER, MMP_OFFER, SELLER_OPERATOR...
	ID    string `json:"id"`
	Label string `json:"label"`
}

type topic struct {
	Type  string `json:"type"` // FREE_TEXT, REASON_CODE
	Value string `json:"value"`
}

type thread struct {
	ID                     string        `json:"id"`
	DateCreated            time.Time     `json:"date_created"`
	DateUpdated            time.Time     `json:"date_updated"`
	AuthorizedParticipants []participant `json:"authorized_participants"`
	CurrentParticipants    []participant `json:"current_participants"`
	Entities               []entity      `json:"entities"`
	Topic                  topic         `json:"topic"`
	Messages               []message     `json:"messages"`
	Metadata               struct {
		TotalCount           int        `json:"total_count"`
		ShopReplyNeededSince *time.Time `json:"shop_reply_needed_since"`
	} `json:"metadata"`
}

// threadPage is M11's answer; its items are decoded one by one so that a
// bad one does not lose the others.
type threadPage struct {
	Data          []json.RawMessage `json:"data"`
	NextPageToken string            `json:"next_page_token"`
}

type created struct {
	MessageID string `json:"message_id"`
	ThreadID  string `json:"thread_id"`
}

type reason struct {
	Code        string `json:"code"`
	Label       string `json:"label"`
	Type        string `json:"type"`
	IsShopRight bool   `json:"is_shop_right"`
}

type address struct {
	Firstname string `json:"firstname"`
	Lastname  string `json:"lastname"`
	Company   string `json:"company"`
	Street1   string `json:"street_1"`
	Street2   string `json:"street_2"`
	ZipCode   string `json:"zip_code"`
	City      string `json:"city"`
	Country   string `json:"country"`
}

type orderLine struct {
	ID           string     `json:"order_line_id"`
	State        string     `json:"order_line_state"`
	ProductTitle string     `json:"product_title"`
	ProductSKU   string     `json:"product_sku"`
	OfferSKU     string     `json:"offer_sku"`
	Quantity     int        `json:"quantity"`
	Price        float64    `json:"price"`
	Shipping     float64    `json:"shipping_price"`
	CanRefund    bool       `json:"can_refund"`
	LastUpdated  time.Time  `json:"last_updated_date"`
	ShippedDate  *time.Time `json:"shipped_date"`
	ReceivedDate *time.Time `json:"received_date"`
	Refunds      []struct {
		Amount float64 `json:"amount"`
	} `json:"refunds"`
}

type order struct {
	ID           string      `json:"order_id"`
	CommercialID string      `json:"commercial_id"`
	State        string      `json:"order_state"`
	CanCancel    bool        `json:"can_cancel"`
	Created      time.Time   `json:"created_date"`
	Currency     string      `json:"currency_iso_code"`
	TotalPrice   float64     `json:"total_price"`
	PaymentType  string      `json:"payment_type"`
	Lines        []orderLine `json:"order_lines"`
	Customer     struct {
		ID              string   `json:"customer_id"`
		Firstname       string   `json:"firstname"`
		Lastname        string   `json:"lastname"`
		ShippingAddress *address `json:"shipping_address"`
	} `json:"customer"`
	NotificationEmail string `json:"customer_notification_email"`
	ShippingCompany   string `json:"shipping_company"`
	ShippingTracking  string `json:"shipping_tracking"`
	TrackingURL       string `json:"shipping_tracking_url"`
}
