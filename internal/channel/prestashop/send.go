package prestashop

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// maxMessage is the reference's max size of a customer_message's message.
const maxMessage = 16777216

// cdata writes an element's text as <![CDATA[…]]>, as PrestaShop's own
// schemas do (encoding/xml splits a "]]>" inside).
type cdata struct {
	Text string `xml:",cdata"`
}

type xmlCustomerMessage struct {
	XMLName xml.Name `xml:"prestashop"`
	Message struct {
		Employee cdata `xml:"id_employee"`
		Thread   cdata `xml:"id_customer_thread"`
		Message  cdata `xml:"message"`
		Private  cdata `xml:"private"`
	} `xml:"customer_message"`
}

type xmlCustomerThread struct {
	XMLName xml.Name `xml:"prestashop"`
	Thread  struct {
		Lang     cdata `xml:"id_lang"`
		Shop     cdata `xml:"id_shop"`
		Customer cdata `xml:"id_customer"`
		Order    cdata `xml:"id_order"`
		Contact  cdata `xml:"id_contact"`
		Email    cdata `xml:"email"`
		Token    cdata `xml:"token"`
		Status   cdata `xml:"status"`
	} `xml:"customer_thread"`
}

// Send writes the reply as a customer message of its thread, by the
// configured employee, not private: the shop's history stays whole. A
// reply on an order without a thread goes to the order's thread, created
// when it has none. Sending the customer an email is not PrestaShop's job
// here (the webservice sends none): that is the Email thread's.
func (p *Connector) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	body := strings.TrimSpace(r.Body)
	switch {
	case body == "":
		return channel.Sent{}, &channel.Error{Kind: channel.Refused, Message: "PrestaShop n'accepte pas de message sans texte."}
	case len(body) > maxMessage:
		return channel.Sent{}, &channel.Error{Kind: channel.Refused, Message: "Message trop long pour PrestaShop."}
	case len(r.Files) > 0:
		return channel.Sent{}, &channel.Error{Kind: channel.Refused,
			Message: "Le webservice PrestaShop ne prend pas de pièce jointe : envoyez-la par le fil Email."}
	}
	var sent channel.Sent
	tid := r.ThreadExternalID
	if tid == "" {
		if r.OrderRef == "" {
			return channel.Sent{}, &channel.Error{Kind: channel.Refused, Message: "Ce ticket n'a pas de fil PrestaShop où écrire."}
		}
		t, created, err := p.orderThread(ctx, r)
		if err != nil {
			return channel.Sent{}, err
		}
		// Found or created, it is the ticket's thread from now on.
		tid, sent.ThreadExternalID = t, t
		if created {
			p.log.Info("prestashop: fil créé pour répondre", "order", r.OrderRef, "thread", t)
		}
	}
	var x xmlCustomerMessage
	x.Message.Employee.Text = strconv.FormatInt(p.employee, 10)
	x.Message.Thread.Text = tid
	x.Message.Message.Text = body
	x.Message.Private.Text = "0"
	raw, err := xml.Marshal(x)
	if err != nil {
		return channel.Sent{}, &channel.Error{Kind: channel.Refused, Message: "message impossible à encoder", Err: err}
	}
	ans, err := p.api.post(ctx, "/customer_messages", raw)
	if err != nil {
		// The thread found or created stays the ticket's (sent names it):
		// a retry writes there rather than open another.
		return sent, err
	}
	sent.At = p.now()
	m, err := decodeOne[message](ans, "customer_message")
	if err != nil || m.ID.id() == 0 {
		// Written, but its id is unknown: desk matches the echo by text.
		p.log.Warn("prestashop: id du message envoyé inconnu", "thread", tid, "error", err)
		return sent, nil
	}
	sent.SourceID = sourceID(m.ID.id())
	if at := parseDate(m.DateAdd.String(), p.loc); !at.IsZero() {
		sent.At = at
	}
	return sent, nil
}

// StartsThreads: a reply on an order without a thread goes to the order's
// thread, created when it has none; an order-less ticket has its thread
// from the contact form already.
func (p *Connector) StartsThreads(withOrder bool) []desk.ThreadKind {
	if withOrder {
		return []desk.ThreadKind{desk.ThreadCustomer}
	}
	return nil
}

// orderThread returns the thread of the reply's order: its newest one, or
// a new one (open, on the shop's customer-service contact).
func (p *Connector) orderThread(ctx context.Context, r channel.Reply) (string, bool, error) {
	o, err := p.orderByRef(ctx, r.OrderRef)
	if err != nil {
		return "", false, err
	}
	q := url.Values{"display": {"full"}, "filter[id_order]": {"[" + o.ID.String() + "]"}, "sort": {"[id_DESC]"}, "limit": {"1"}}
	raw, err := p.api.get(ctx, "/customer_threads", q)
	if err != nil {
		return "", false, err
	}
	if ts, _, err := decodeList[thread](raw, "customer_threads"); err == nil && len(ts) > 0 {
		return ts[0].ID.String(), false, nil
	}
	email := r.CustomerEmail
	if email == "" {
		if c, err := p.customer(ctx, o.Customer.id()); err == nil {
			email = c.Email.String()
		}
	}
	contactID, err := p.serviceContact(ctx)
	if err != nil {
		return "", false, err
	}
	var x xmlCustomerThread
	x.Thread.Lang.Text = nonZero(o.Lang.String(), "1")
	x.Thread.Shop.Text = nonZero(o.Shop.String(), "1")
	x.Thread.Customer.Text = nonZero(o.Customer.String(), "0")
	x.Thread.Order.Text = o.ID.String()
	x.Thread.Contact.Text = strconv.FormatInt(contactID, 10)
	x.Thread.Email.Text = email
	x.Thread.Token.Text = token()
	x.Thread.Status.Text = "open"
	body, _ := xml.Marshal(x)
	ans, err := p.api.post(ctx, "/customer_threads", body)
	if err != nil {
		return "", false, err
	}
	t, err := decodeOne[thread](ans, "customer_thread")
	if err != nil || t.ID.id() == 0 {
		return "", false, &channel.Error{Kind: channel.Transient, Message: "PrestaShop n'a pas dit quel fil il a créé", Err: err}
	}
	return t.ID.String(), true, nil
}

// serviceContact is the contact a new thread goes to: the first one with
// customer service enabled, else the first one.
func (p *Connector) serviceContact(ctx context.Context) (int64, error) {
	cs, err := p.contactList(ctx, nil)
	if err != nil {
		return 0, err
	}
	var first, service int64
	for id, c := range cs {
		if first == 0 || id < first {
			first = id
		}
		if c.customerService && (service == 0 || id < service) {
			service = id
		}
	}
	if service != 0 {
		return service, nil
	}
	if first == 0 {
		return 0, &channel.Error{Kind: channel.Refused, Message: "La boutique n'a aucun contact (Clients › Service client) où ouvrir un fil."}
	}
	return first, nil
}

// Lookup finds a reply whose delivery is in doubt: a message of its thread
// by the configured employee with the same text, written at most a minute
// before the reply (clocks differ) or after.
func (p *Connector) Lookup(ctx context.Context, r channel.Reply) (channel.Sent, bool, error) {
	tid := r.ThreadExternalID
	if tid == "" {
		if r.OrderRef == "" {
			return channel.Sent{}, false, nil
		}
		o, err := p.orderByRef(ctx, r.OrderRef)
		if err != nil {
			return channel.Sent{}, false, err
		}
		q := url.Values{"display": {"[id]"}, "filter[id_order]": {"[" + o.ID.String() + "]"}, "sort": {"[id_DESC]"}, "limit": {"1"}}
		raw, err := p.api.get(ctx, "/customer_threads", q)
		if err != nil {
			return channel.Sent{}, false, err
		}
		ts, _, _ := decodeList[thread](raw, "customer_threads")
		if len(ts) == 0 {
			return channel.Sent{}, false, nil
		}
		tid = ts[0].ID.String()
	}
	if _, err := strconv.ParseInt(tid, 10, 64); err != nil {
		return channel.Sent{}, false, nil
	}
	q := url.Values{"display": {"full"}, "filter[id_customer_thread]": {"[" + tid + "]"},
		"filter[id_employee]": {"[" + strconv.FormatInt(p.employee, 10) + "]"}, "sort": {"[id_DESC]"}, "limit": {"0,200"}}
	if !r.CreatedAt.IsZero() {
		q.Set("date", "1")
		q.Set("filter[date_add]", ">["+r.CreatedAt.Add(-time.Minute).In(p.loc).Format(dateLayout)+"]")
	}
	raw, err := p.api.get(ctx, "/customer_messages", q)
	if err != nil {
		return channel.Sent{}, false, err
	}
	msgs, _, err := decodeList[message](raw, "customer_messages")
	if err != nil {
		return channel.Sent{}, false, &channel.Error{Kind: channel.Transient, Message: "réponse de PrestaShop illisible", Err: err}
	}
	want := normalise(r.Body)
	for _, m := range msgs {
		if m.Employee.id() == p.employee && normalise(string(m.Message)) == want {
			sent := channel.Sent{SourceID: sourceID(m.ID.id()), At: parseDate(m.DateAdd.String(), p.loc)}
			if r.ThreadExternalID == "" {
				sent.ThreadExternalID = tid
			}
			return sent, true, nil
		}
	}
	return channel.Sent{}, false, nil
}

var tags = regexp.MustCompile(`<[^>]*>`)

// normalise compares texts as the shop may have stored them (escaped,
// <br /> for new lines, spaces reflowed).
func normalise(s string) string {
	s = html.UnescapeString(tags.ReplaceAllString(s, " "))
	return strings.Join(strings.Fields(s), " ")
}

func nonZero(s, def string) string {
	if s == "" || s == "0" {
		return def
	}
	return s
}

// token is a thread's token, as PrestaShop makes them (12 characters).
func token() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}
