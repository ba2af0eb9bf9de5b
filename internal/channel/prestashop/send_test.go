package prestashop_test

import (
	"context"
	"encoding/xml"
	"strconv"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
)

// A reply is written back as a customer message of its thread by the
// configured employee, not private, in PrestaShop's XML; its echo in the
// next fetch has the SourceID Send returned and is ours.
func TestReplyWrittenAsEmployeeMessage(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(prestashopfake.Order{Reference: "XKBKNABJK"})
	th := f.AddThread(prestashopfake.Thread{Order: o, Email: "jeanne@example.com"})
	f.AddMessage(th, false, "Où est mon colis ?", time.Time{})
	_, _, cur := drain(t, c, "")
	f.Advance(time.Minute)
	r := channel.Reply{MessageID: 1, OrderRef: "XKBKNABJK", ThreadKind: desk.ThreadCustomer, ThreadExternalID: strconv.Itoa(th),
		Body: "Bonjour,\nvotre colis part aujourd'hui <3 & demain ]]> il arrive.", CreatedAt: f.Now()}
	sent, err := c.Send(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	posts := f.Posted()
	if len(posts) != 1 || posts[0].Resource != "customer_messages" {
		t.Fatalf("posted %+v", posts)
	}
	var x struct {
		XMLName xml.Name `xml:"prestashop"`
		M       struct {
			Employee string `xml:"id_employee"`
			Thread   string `xml:"id_customer_thread"`
			Message  string `xml:"message"`
			Private  string `xml:"private"`
		} `xml:"customer_message"`
	}
	if err := xml.Unmarshal([]byte(posts[0].Body), &x); err != nil {
		t.Fatalf("body %s: %v", posts[0].Body, err)
	}
	if x.M.Employee != strconv.Itoa(prestashopfake.EmployeeID) || x.M.Thread != strconv.Itoa(th) || x.M.Private != "0" ||
		x.M.Message != "Bonjour,\nvotre colis part aujourd'hui <3 & demain ]]> il arrive." {
		t.Errorf("XML %+v from %s", x.M, posts[0].Body)
	}
	if sent.SourceID != "cm"+strconv.Itoa(posts[0].ID) || sent.ThreadExternalID != "" {
		t.Errorf("sent %+v, want cm%d", sent, posts[0].ID)
	}
	msgs, _, _ := drain(t, c, cur)
	if len(msgs) != 1 || msgs[0].SourceID != sent.SourceID || !msgs[0].FromSeller || msgs[0].OrderRef != "XKBKNABJK" {
		t.Errorf("echo %+v, want %s from us", msgs, sent.SourceID)
	}
	got, found, err := c.Lookup(context.Background(), r)
	if err != nil || !found || got.SourceID != sent.SourceID {
		t.Errorf("Lookup: %+v %v %v", got, found, err)
	}
}

// A reply on an order whose ticket has no PrestaShop thread yet: the
// order's thread is created (open, customer service, the order's
// customer) and the message written in it; sending again finds it.
func TestReplyOnOrderWithoutThreadCreatesIt(t *testing.T) {
	f, c := setup(t)
	cust := f.AddCustomer(prestashopfake.Customer{FirstName: "Jeanne", LastName: "Dupont", Email: "jeanne@example.com"})
	o := f.AddOrder(prestashopfake.Order{Reference: "FNAC12345", Customer: cust})
	r := channel.Reply{MessageID: 2, OrderRef: "FNAC12345", Body: "Bonjour, votre commande est partie.", CreatedAt: f.Now()}
	sent, err := c.Send(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	posts := f.Posted()
	if len(posts) != 2 || posts[0].Resource != "customer_threads" || posts[1].Resource != "customer_messages" {
		t.Fatalf("posted %+v", posts)
	}
	tf := posts[0].Fields
	if tf["id_order"] != strconv.Itoa(o) || tf["id_customer"] != strconv.Itoa(cust) || tf["email"] != "jeanne@example.com" ||
		tf["status"] != "open" || tf["id_contact"] != strconv.Itoa(prestashopfake.ContactCustomerService) || tf["token"] == "" || tf["id_lang"] != "1" {
		t.Errorf("thread written %+v", tf)
	}
	if sent.ThreadExternalID != strconv.Itoa(posts[0].ID) || posts[1].Fields["id_customer_thread"] != sent.ThreadExternalID {
		t.Errorf("sent %+v, posts %+v", sent, posts)
	}
	if _, err := c.Send(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if p := f.Posted(); len(p) != 3 || p[2].Fields["id_customer_thread"] != sent.ThreadExternalID {
		t.Errorf("second reply: %+v, want it in the thread created first", p[2:])
	}
}

func TestReplyRefusals(t *testing.T) {
	f, c := setup(t)
	th := f.AddThread(prestashopfake.Thread{Email: "a@example.com"})
	for name, r := range map[string]channel.Reply{
		"no text":        {ThreadExternalID: strconv.Itoa(th), Body: "  "},
		"files":          {ThreadExternalID: strconv.Itoa(th), Body: "voir pièce jointe", Files: []channel.File{{Name: "a.pdf", Data: []byte("%PDF")}}},
		"no thread":      {Body: "Bonjour"},
		"unknown thread": {ThreadExternalID: "999", Body: "Bonjour"},
	} {
		_, err := c.Send(context.Background(), r)
		e := kindOf(t, err, channel.Refused)
		if e.Message == "" {
			t.Errorf("%s: no message", name)
		}
	}
}
