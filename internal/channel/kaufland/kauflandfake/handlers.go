package kauflandfake

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
)

const iso = "2006-01-02T15:04:05Z"

// handle answers a request that passed the checks.
func (s *Server) handle(w http.ResponseWriter, method, path string, q url.Values, body []byte, in *openapi3filter.RequestValidationInput) {
	p := in.PathParams
	s.mu.Lock()
	defer s.mu.Unlock()
	op := in.Route.Operation.OperationID
	switch op {
	case "Ping":
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]string{"message": "pong"}})
	case "GetTicketMessages":
		s.listMessages(w, q)
	case "GetTickets":
		s.listTickets(w, q)
	case "GetTicket":
		s.getTicket(w, p["id_ticket"], q["embedded"])
	case "CreateTicketMessage":
		s.createMessage(w, p["id_ticket"], body)
	case "CloseTicket":
		s.closeTicket(w, p["id_ticket"])
	case "OpenTicket":
		s.createTicket(w, body)
	case "GetOrder":
		s.getOrder(w, p["id_order"])
	case "RefundOrderUnit":
		s.refund(w, p["id_order_unit"], body)
	case "CancelOrderUnit":
		s.cancel(w, p["id_order_unit"], body)
	default:
		writeJSON(w, http.StatusNotFound, errorBody("/problems/not-found", "kauflandfake: "+op+" n'est pas simulé"))
	}
}

// paging reads limit (the spec says 1 to 30, checked before) and offset.
func paging(q url.Values) (limit, offset int) {
	limit = 30
	if v, err := strconv.Atoi(q.Get("limit")); err == nil {
		limit = v
	}
	offset, _ = strconv.Atoi(q.Get("offset"))
	return limit, offset
}

func from(q url.Values, key string) time.Time {
	t, _ := time.Parse(time.RFC3339, q.Get(key))
	return t
}

func window[T any](all []T, limit, offset int) []T {
	if offset >= len(all) {
		return []T{}
	}
	return all[offset:min(len(all), offset+limit)]
}

func (s *Server) listMessages(w http.ResponseWriter, q url.Values) {
	limit, offset := paging(q)
	since := from(q, "ts_created_from_iso")
	var all []Message
	for _, m := range s.st.messages {
		t := s.st.tickets[m.TicketID]
		if !m.Created.Before(since) && t != nil {
			all = append(all, m)
		}
	}
	desc := q.Get("sort") != "ts_created_iso:asc"
	slices.SortStableFunc(all, func(a, b Message) int {
		c := cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
		if desc {
			return -c
		}
		return c
	})
	data := []any{}
	for _, m := range window(all, limit, offset) {
		data = append(data, messageJSON(m))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data,
		"pagination": map[string]int{"offset": offset, "limit": limit, "total": len(all)}})
}

func (s *Server) listTickets(w http.ResponseWriter, q url.Values) {
	limit, offset := paging(q)
	since := from(q, "ts_updated_from_iso")
	created := from(q, "ts_created_from_iso")
	var all []*Ticket
	for _, t := range s.st.tickets {
		switch {
		case t.Updated.Before(since), t.Created.Before(created),
			len(q["status"]) > 0 && !slices.Contains(q["status"], t.Status),
			len(q["open_reason"]) > 0 && !slices.Contains(q["open_reason"], t.Reason),
			len(q["topic"]) > 0 && !slices.Contains(q["topic"], t.Topic),
			len(q["storefront"]) > 0 && !slices.Contains(q["storefront"], t.Storefront):
			continue
		}
		all = append(all, t)
	}
	byUpdate := q.Get("sort") == "ts_updated_iso:desc"
	slices.SortFunc(all, func(a, b *Ticket) int {
		if byUpdate {
			return -cmp.Or(a.Updated.Compare(b.Updated), strings.Compare(a.ID, b.ID))
		}
		return -cmp.Or(a.Created.Compare(b.Created), strings.Compare(a.ID, b.ID))
	})
	data := []any{}
	for _, t := range window(all, limit, offset) {
		data = append(data, s.ticketJSON(t))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data,
		"pagination": map[string]int{"offset": offset, "limit": limit, "total": len(all)}})
}

func (s *Server) getTicket(w http.ResponseWriter, id string, embedded []string) {
	t := s.st.tickets[id]
	if t == nil {
		writeJSON(w, http.StatusNotFound, errorBody("/problems/not-found", "Ticket not found"))
		return
	}
	var want []string
	for _, e := range embedded {
		want = append(want, strings.Split(e, ",")...)
	}
	out := s.ticketJSON(t)
	o := s.st.orders[t.OrderID]
	out["storefront"] = t.Storefront
	out["messages"] = []any{}
	out["order_units"] = []any{}
	out["files"] = []any{}
	out["buyer"] = nil
	out["product"] = nil
	if slices.Contains(want, "messages") {
		ms := []any{}
		for _, m := range s.st.messages {
			if m.TicketID == id {
				ms = append(ms, messageJSON(m))
			}
		}
		out["messages"] = ms
	}
	if slices.Contains(want, "order_units") && o != nil {
		us := []any{}
		for _, u := range o.Units {
			if slices.Contains(t.Units, u.ID) {
				us = append(us, unitJSON(o, u, false))
			}
		}
		out["order_units"] = us
	}
	if slices.Contains(want, "buyer") && o != nil {
		out["buyer"] = buyerJSON(o)
	}
	if slices.Contains(want, "product") && o != nil && len(o.Units) > 0 {
		out["product"] = productJSON(o, o.Units[0])
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": out})
}

func (s *Server) createMessage(w http.ResponseWriter, id string, body []byte) {
	t := s.st.tickets[id]
	if t == nil {
		writeJSON(w, http.StatusNotFound, errorBody("/problems/not-found", "Ticket not found"))
		return
	}
	if t.Status == "customer_service_closed_final" {
		writeJSON(w, http.StatusBadRequest, errorBody("/problems/tickets/finally-closed", "Ticket is finally closed"))
		return
	}
	var req struct {
		Text  string `json:"text"`
		Files []struct {
			Filename string `json:"filename"`
			MimeType string `json:"mime_type"`
			Data     string `json:"data"`
		} `json:"ticket_message_files"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, validationError(err.Error()))
		return
	}
	p := Posted{TicketID: id, Text: req.Text}
	for _, f := range req.Files {
		data, err := decodeDataURI(f.Data)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, errorBody("/problems/tickets/attachments-upload-failure", "Attachment "+f.Filename+": "+err.Error()))
			return
		}
		p.Files = append(p.Files, File{Name: f.Filename, MimeType: f.MimeType, Data: data})
	}
	p.ID = s.addMessage(id, "seller", req.Text, s.now())
	s.st.posted = append(s.st.posted, p)
	w.WriteHeader(http.StatusCreated)
}

// decodeDataURI reads "data:<type>;base64,<data>" (plain base64 too).
func decodeDataURI(v string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(v, "data:"); ok {
		_, b64, ok := strings.Cut(rest, ";base64,")
		if !ok {
			return nil, fmt.Errorf("data URI without ;base64,")
		}
		v = b64
	}
	return base64.StdEncoding.DecodeString(v)
}

func (s *Server) closeTicket(w http.ResponseWriter, id string) {
	t := s.st.tickets[id]
	if t == nil {
		writeJSON(w, http.StatusNotFound, errorBody("/problems/not-found", "Ticket not found"))
		return
	}
	switch t.Status {
	case "opened":
		t.Status = "seller_closed"
	case "buyer_closed":
		t.Status = "both_closed"
	case "customer_service_closed_final":
		writeJSON(w, http.StatusBadRequest, errorBody("/problems/tickets/finally-closed", "Ticket is finally closed"))
		return
	default:
		writeJSON(w, http.StatusBadRequest, errorBody("/problems/duplicate-action", "Ticket is already closed by the seller"))
		return
	}
	t.Updated = s.now().UTC().Truncate(time.Second)
	s.st.closed = append(s.st.closed, id)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) createTicket(w http.ResponseWriter, body []byte) {
	var req struct {
		Units   []int64 `json:"id_order_unit"`
		Reason  string  `json:"reason"`
		Message string  `json:"message"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, validationError(err.Error()))
		return
	}
	order := ""
	for _, u := range req.Units {
		o, ok := s.st.unitOrder[u]
		if !ok {
			writeJSON(w, http.StatusNotFound, errorBody("/problems/not-found", fmt.Sprintf("Order unit %d not found", u)))
			return
		}
		if order != "" && o != order {
			writeJSON(w, http.StatusBadRequest, validationError("order units of several orders"))
			return
		}
		order = o
	}
	id := s.openTicket(order, req.Reason, "", s.now(), req.Units...)
	s.addMessage(id, "seller", req.Message, s.now())
	s.st.opened = append(s.st.opened, Opened{TicketID: id, Units: req.Units, Reason: req.Reason, Message: req.Message})
	w.Header().Set("Location", Prefix+"/tickets/"+id)
	writeJSON(w, http.StatusCreated, map[string]any{"data": map[string]string{"id_ticket": id}})
}

func (s *Server) getOrder(w http.ResponseWriter, id string) {
	o := s.st.orders[id]
	if o == nil {
		writeJSON(w, http.StatusNotFound, errorBody("/problems/not-found", "Order not found"))
		return
	}
	us := []any{}
	for _, u := range o.Units {
		us = append(us, unitJSON(o, u, true))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"id_order": o.ID, "ts_created_iso": o.Created.UTC().Format(iso), "is_marketplace_deemed_supplier": false,
		"storefront": o.Storefront, "fulfillment_type": "fulfilled_by_merchant", "order_units": us,
		"billing_address": addressJSON(o.Shipping), "shipping_address": addressJSON(o.Shipping), "buyer": buyerJSON(o),
	}})
}

func (s *Server) unit(w http.ResponseWriter, raw string) (*Order, *Unit) {
	id, _ := strconv.ParseInt(raw, 10, 64)
	o := s.st.orders[s.st.unitOrder[id]]
	if o == nil {
		writeJSON(w, http.StatusNotFound, errorBody("/problems/not-found", "Order unit not found"))
		return nil, nil
	}
	for i := range o.Units {
		if o.Units[i].ID == id {
			return o, &o.Units[i]
		}
	}
	writeJSON(w, http.StatusNotFound, errorBody("/problems/not-found", "Order unit not found"))
	return nil, nil
}

func (s *Server) refund(w http.ResponseWriter, raw string, body []byte) {
	_, u := s.unit(w, raw)
	if u == nil {
		return
	}
	var req struct {
		Amount int    `json:"amount"`
		Reason string `json:"reason"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, validationError(err.Error()))
		return
	}
	if req.Amount <= 0 || u.Refunded+req.Amount > u.Price+u.Shipping {
		writeJSON(w, http.StatusBadRequest, errorResponse{Type: "/problems/validation-error", Message: "Refund amount exceeds the paid amount",
			Errors: []errorDetail{{Field: "amount", Message: "must not exceed the amount paid"}}})
		return
	}
	if u.Status == "cancelled" {
		writeJSON(w, http.StatusBadRequest, errorBody("/problems/action-not-allowed", "Order unit is cancelled"))
		return
	}
	u.Refunded += req.Amount
	u.Updated = s.now()
	s.st.refunds = append(s.st.refunds, Refund{Unit: u.ID, Amount: req.Amount, Reason: req.Reason})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) cancel(w http.ResponseWriter, raw string, body []byte) {
	_, u := s.unit(w, raw)
	if u == nil {
		return
	}
	var req struct {
		Reason string `json:"reason"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, validationError(err.Error()))
		return
	}
	if u.Status != "open" && u.Status != "need_to_be_sent" {
		writeJSON(w, http.StatusBadRequest, errorBody("/problems/order-units/cancel-not-possible", "Order unit cannot be cancelled in status "+u.Status))
		return
	}
	u.Status, u.CancelReason, u.Updated = "cancelled", req.Reason, s.now()
	s.st.cancels = append(s.st.cancels, Cancel{Unit: u.ID, Reason: req.Reason})
	w.WriteHeader(http.StatusNoContent)
}

// The answers' shapes, field for field as the spec requires them
// (additionalProperties: false, nullable fields present).

func messageJSON(m Message) map[string]any {
	return map[string]any{"id_ticket_message": m.ID, "id_ticket": m.TicketID,
		"author": map[string]string{"role": m.Role, "name": m.Name}, "text": m.Text,
		"ts_created_iso": m.Created.UTC().Format(iso)}
}

func (s *Server) ticketJSON(t *Ticket) map[string]any {
	var topic any
	if t.Topic != "" {
		topic = t.Topic
	}
	var buyer any
	if o := s.st.orders[t.OrderID]; o != nil {
		buyer = o.Buyer.ID
	}
	return map[string]any{"id_ticket": t.ID, "ids_order_units": t.Units, "id_buyer": buyer,
		"ts_created_iso": t.Created.UTC().Format(iso), "ts_updated_iso": t.Updated.UTC().Format(iso),
		"status": t.Status, "open_reason": t.Reason, "topic": topic, "is_seller_responsible": t.Status == "opened",
		"fulfillment_type": "fulfilled_by_merchant"}
}

func buyerJSON(o *Order) map[string]any {
	var email any
	if o.Buyer.Email != "" {
		email = o.Buyer.Email
	}
	return map[string]any{"id_buyer": o.Buyer.ID, "email": email}
}

func addressJSON(a Address) map[string]any {
	var phone any
	if a.Phone != "" {
		phone = a.Phone
	}
	return map[string]any{"first_name": a.FirstName, "last_name": a.LastName, "company_name": nil,
		"street": a.Street, "house_number": a.HouseNumber, "postcode": a.Postcode, "additional_field": nil,
		"city": a.City, "phone": phone, "country": a.Country}
}

func productJSON(o *Order, u Unit) map[string]any {
	return map[string]any{"id_product": 362524000 + u.ID%1000, "storefront": o.Storefront, "title": u.Title,
		"eans": []string{u.EAN}, "id_category": 34401, "main_picture": "https://media.cdn.kaufland.de/product-images/fake.jpg",
		"manufacturer": "Fake", "url": fmt.Sprintf("https://www.kaufland.de/product/%d/", 362524000+u.ID%1000),
		"age_rating": 0, "is_valid": true, "dangerous_goods_li_shipping": nil, "danger_label_9A": nil}
}

// unitJSON is an OrderUnit (in a ticket) or an order's unit (in
// OrderDetails, which adds tickets and leaves out some fields).
func unitJSON(o *Order, u Unit, inOrder bool) map[string]any {
	var offer, cancel any
	if u.Offer != "" {
		offer = u.Offer
	}
	if u.CancelReason != "" {
		cancel = u.CancelReason
	}
	m := map[string]any{"id_order_unit": u.ID, "id_order": o.ID, "ts_created_iso": o.Created.UTC().Format(iso),
		"is_marketplace_deemed_supplier": false, "ts_updated_iso": u.Updated.UTC().Format(iso), "status": u.Status,
		"price": u.Price, "id_offer": offer, "revenue_gross": u.Price, "revenue_net": u.Price * 84 / 100, "note": nil,
		"unit_condition": "new", "storefront": o.Storefront, "currency": u.Currency, "delivery_time_min": 2,
		"delivery_time_max": 4, "delivery_time_expires_iso": nil, "order_received_timestamp_iso": nil,
		"shipping_rate": u.Shipping, "cancel_reason": cancel, "product": productJSON(o, u), "vat": 19}
	if inOrder {
		m["tickets"] = nil
	} else {
		m["fulfillment_type"] = "fulfilled_by_merchant"
		m["buyer"] = buyerJSON(o)
		m["billing_address"] = addressJSON(o.Shipping)
		m["shipping_address"] = addressJSON(o.Shipping)
	}
	return m
}
