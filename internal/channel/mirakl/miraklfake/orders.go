package miraklfake

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Reasons are the operator's reason codes (RE01) the fake knows.
var Reasons = []struct{ Code, Label, Type string }{
	{"14", "Produit endommagé", "REFUND"},
	{"15", "Produit non reçu", "REFUND"},
	{"16", "Geste commercial", "REFUND"},
	{"34", "Rupture de stock", "CANCELATION"},
	{"35", "Demande du client", "CANCELATION"},
	{"51", "Question sur une commande", "ORDER_MESSAGING"},
}

func knownReason(code, typ string) bool {
	return slices.ContainsFunc(Reasons, func(r struct{ Code, Label, Type string }) bool { return r.Code == code && r.Type == typ })
}

func (s *Server) reasons(w http.ResponseWriter) {
	list := []map[string]any{}
	for _, r := range Reasons {
		list = append(list, map[string]any{"code": r.Code, "label": r.Label, "type": r.Type, "is_shop_right": true})
	}
	writeJSON(w, 200, map[string]any{"reasons": list, "total_count": len(list)})
}

func (s *Server) orderJSON(o *Order) map[string]any {
	var total, shipping int64
	lines := []map[string]any{}
	for i, l := range o.Lines {
		total += l.Price
		shipping += l.Shipping
		m := s.fill("OR11_Response_200_Orders_OrderLines", map[string]any{
			"order_line_id": l.ID, "order_line_index": i + 1, "order_line_state": l.State, "offer_sku": l.SKU,
			"product_sku": l.SKU, "product_title": l.Title, "quantity": l.Quantity, "price": money(l.Price),
			"price_unit": money(l.Price / int64(max(1, l.Quantity))), "shipping_price": money(l.Shipping),
			"total_price": money(l.Price + l.Shipping), "can_refund": l.CanRefund,
			"created_date": stamp(o.Created), "last_updated_date": stamp(o.Created)})
		if !o.Shipped.IsZero() {
			m["shipped_date"] = stamp(o.Shipped)
		}
		if !o.Received.IsZero() {
			m["received_date"] = stamp(o.Received)
		}
		lines = append(lines, m)
	}
	addr := s.fill("OR11_Response_200_Orders_Customer_ShippingAddress", map[string]any{
		"firstname": o.Customer.FirstName, "lastname": o.Customer.LastName, "street_1": o.Customer.Street,
		"zip_code": o.Customer.Zip, "city": o.Customer.City, "country": "France", "country_iso_code": o.Customer.Country})
	cust := s.fill("OR11_Response_200_Orders_Customer", map[string]any{"customer_id": o.Customer.ID,
		"firstname": o.Customer.FirstName, "lastname": o.Customer.LastName, "shipping_address": addr,
		"billing_address": s.fill("OR11_Response_200_Orders_Customer_BillingAddress", map[string]any{
			"lastname": o.Customer.LastName, "city": o.Customer.City, "street_1": o.Customer.Street,
			"country": "France", "country_iso_code": o.Customer.Country})})
	m := s.fill("OR11_Response_200_Orders", map[string]any{"order_id": o.ID, "commercial_id": strings.TrimSuffix(o.ID, "-A"),
		"order_state": o.State, "can_cancel": o.CanCancel, "currency_iso_code": o.Currency, "customer": cust,
		"created_date": stamp(o.Created), "last_updated_date": stamp(o.Created), "order_lines": lines,
		"price": money(total), "shipping_price": money(shipping), "total_price": money(total + shipping),
		"payment_type": o.Payment, "paymentType": o.Payment, "order_tax_mode": "TAX_INCLUDED"})
	if o.Carrier != "" {
		m["shipping_company"] = o.Carrier
	}
	if o.Tracking != "" {
		m["shipping_tracking"] = o.Tracking
	}
	if o.TrackingURL != "" {
		m["shipping_tracking_url"] = o.TrackingURL
	}
	return m
}

func (s *Server) listOrders(w http.ResponseWriter, q url.Values) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := s.st.orderIDs
	if v := q.Get("order_ids"); v != "" {
		ids = strings.Split(v, ",")
		if len(ids) > 100 {
			fail(w, 400, "order_ids: 100 at most")
			return
		}
	}
	list := []map[string]any{}
	for _, id := range ids {
		if o := s.st.orders[id]; o != nil && len(list) < 100 {
			list = append(list, s.orderJSON(o))
		}
	}
	writeJSON(w, 200, map[string]any{"orders": list, "total_count": len(list)})
}

func cents(f float64) int64 { return int64(math.Round(f * 100)) }

func (s *Server) findLine(id string) (*Order, *Line) {
	for _, o := range s.st.orders {
		for i := range o.Lines {
			if o.Lines[i].ID == id {
				return o, &o.Lines[i]
			}
		}
	}
	return nil, nil
}

func (s *Server) refund(w http.ResponseWriter, body []byte) {
	var in struct {
		Refunds []struct {
			Amount         float64 `json:"amount"`
			OrderLineID    string  `json:"order_line_id"`
			ReasonCode     string  `json:"reason_code"`
			ShippingAmount float64 `json:"shipping_amount"`
			Quantity       int     `json:"quantity"`
			Currency       string  `json:"currency_iso_code"`
		} `json:"refunds"`
	}
	if err := json.Unmarshal(body, &in); err != nil || len(in.Refunds) == 0 {
		fail(w, 400, "refunds: a list is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	group := fmt.Sprintf("RG-%d", s.st.next())
	for _, r := range in.Refunds {
		o, l := s.findLine(r.OrderLineID)
		switch {
		case l == nil:
			fail(w, 400, "Order line '%s' not found", r.OrderLineID)
			return
		case !l.CanRefund:
			fail(w, 400, "Order line '%s' cannot be refunded in state %s", l.ID, l.State)
			return
		case !knownReason(r.ReasonCode, "REFUND"):
			fail(w, 400, "Reason code '%s' is not a refund reason", r.ReasonCode)
			return
		case r.Amount <= 0 && r.ShippingAmount <= 0:
			fail(w, 400, "The amount to refund must be positive")
			return
		case cents(r.Amount) > l.Price-l.Refunded:
			fail(w, 400, "The amount to refund (%.2f) exceeds the amount left on order line '%s' (%.2f)", r.Amount, l.ID, money(l.Price-l.Refunded))
			return
		}
		l.Refunded += cents(r.Amount)
		s.st.refunds = append(s.st.refunds, Refund{Order: o.ID, Line: l.ID, Amount: cents(r.Amount), Shipping: cents(r.ShippingAmount), Reason: r.ReasonCode})
		out = append(out, s.fill("OR28_Response_200_Refunds", map[string]any{"amount": r.Amount, "order_line_id": l.ID,
			"order_refund_id": group, "quantity": max(r.Quantity, 0), "reason_code": r.ReasonCode,
			"refund_id": fmt.Sprintf("R-%d", s.st.next()), "shipping_amount": r.ShippingAmount}))
	}
	writeJSON(w, 200, map[string]any{"refunds": out, "order_tax_mode": "TAX_INCLUDED"})
}

// cancelable line states: not shipped yet.
var cancelable = []string{"WAITING_ACCEPTANCE", "WAITING_DEBIT", "WAITING_DEBIT_PAYMENT", "SHIPPING"}

func (s *Server) cancelOrder(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orders[id]
	switch {
	case o == nil:
		fail(w, 404, "Order with id '%s' not found", id)
		return
	case !o.CanCancel:
		fail(w, 400, "Order '%s' cannot be canceled in state %s", id, o.State)
		return
	}
	o.State, o.CanCancel = "CANCELED", false
	for i := range o.Lines {
		o.Lines[i].State, o.Lines[i].CanRefund = "CANCELED", false
	}
	s.st.cancelations = append(s.st.cancelations, Cancelation{Order: id})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) cancelLines(w http.ResponseWriter, body []byte) {
	var in struct {
		Cancelations []struct {
			Amount         float64 `json:"amount"`
			OrderLineID    string  `json:"order_line_id"`
			Quantity       int     `json:"quantity"`
			ReasonCode     string  `json:"reason_code"`
			ShippingAmount float64 `json:"shipping_amount"`
		} `json:"cancelations"`
	}
	if err := json.Unmarshal(body, &in); err != nil || len(in.Cancelations) == 0 {
		fail(w, 400, "cancelations: a list is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, c := range in.Cancelations {
		o, l := s.findLine(c.OrderLineID)
		switch {
		case l == nil:
			fail(w, 400, "Order line '%s' not found", c.OrderLineID)
			return
		case !o.CanCancel || !slices.Contains(cancelable, l.State):
			fail(w, 400, "Order line '%s' cannot be canceled in state %s", l.ID, l.State)
			return
		case !knownReason(c.ReasonCode, "CANCELATION"):
			fail(w, 400, "Reason code '%s' is not a cancelation reason", c.ReasonCode)
			return
		case c.Quantity < 1 || c.Quantity > l.Quantity-l.Canceled:
			fail(w, 400, "Quantity to cancel on order line '%s' must be between 1 and %d", l.ID, l.Quantity-l.Canceled)
			return
		}
		l.Canceled += c.Quantity
		if l.Canceled == l.Quantity {
			l.State = "CANCELED"
		}
		s.st.cancelations = append(s.st.cancelations, Cancelation{Order: o.ID, Line: l.ID, Quantity: c.Quantity, Amount: cents(c.Amount), Reason: c.ReasonCode})
		out = append(out, s.fill("OR30_Response_200_Cancelations", map[string]any{"amount": c.Amount, "order_line_id": l.ID,
			"cancelation_id": fmt.Sprintf("CA-%d", s.st.next()), "quantity": c.Quantity, "reason_code": c.ReasonCode,
			"shipping_amount": c.ShippingAmount}))
	}
	writeJSON(w, 200, map[string]any{"cancelations": out, "order_tax_mode": "TAX_INCLUDED"})
}
