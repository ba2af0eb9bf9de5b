package kaufland_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/kaufland/kauflandfake"
	"guichet/internal/desk"
)

func TestSendWithFileAndEcho(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{})
	tk := f.OpenTicket(o.ID, "product_defect", "")
	f.AddMessage(tk, "buyer", "Photo ?")
	_, _, cur := drain(t, c, "")
	png := []byte("\x89PNG\r\n\x1a\nfake image")
	r := channel.Reply{MessageID: 9, OrderRef: o.ID, ThreadKind: desk.ThreadCustomer, ThreadExternalID: tk,
		Body: "Voici l'étiquette de retour.", CreatedAt: f.Now(),
		Files: []channel.File{{Name: "etiquette.png", ContentType: "image/png", Data: png}}}
	sent, err := c.Send(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	posted := f.Posted()
	if len(posted) != 1 || posted[0].Text != r.Body || len(posted[0].Files) != 1 {
		t.Fatalf("posted %+v", posted)
	}
	if pf := posted[0].Files[0]; pf.Name != "etiquette.png" || pf.MimeType != "image/png" || !bytes.Equal(pf.Data, png) {
		t.Errorf("file %+v", pf)
	}
	if want := "m" + itoa(posted[0].ID); sent.SourceID != want {
		t.Errorf("SourceID %q, want %q", sent.SourceID, want)
	}
	// The echo comes back with the same SourceID, marked as ours.
	msgs, _, _ := drain(t, c, cur)
	if len(msgs) != 1 || msgs[0].SourceID != sent.SourceID || !msgs[0].FromSeller {
		t.Errorf("echo %+v", msgs)
	}
	got, found, err := c.Lookup(context.Background(), r)
	if err != nil || !found || got.SourceID != sent.SourceID {
		t.Errorf("Lookup: %+v %v %v", got, found, err)
	}
	r.Body = "Jamais envoyé"
	if _, found, err := c.Lookup(context.Background(), r); err != nil || found {
		t.Errorf("Lookup of a never-sent reply: found %v, %v", found, err)
	}
}

func TestLookupIgnoresOldSameText(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{})
	tk := f.OpenTicket(o.ID, "product_defect", "")
	f.AddMessageAt(tk, "seller", "Merci  pour\nvotre patience.", f.Now().Add(-time.Hour))
	r := channel.Reply{ThreadExternalID: tk, Body: "Merci pour votre patience.", CreatedAt: f.Now()}
	if _, found, _ := c.Lookup(context.Background(), r); found {
		t.Error("an hour-old message taken for this reply")
	}
	f.AddMessageAt(tk, "seller", "Merci  pour\nvotre patience.", f.Now().Add(-30*time.Second))
	if _, found, _ := c.Lookup(context.Background(), r); !found {
		t.Error("a reply with reflowed whitespace not found")
	}
}

func TestSendRefusals(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{})
	tk := f.OpenTicket(o.ID, "product_defect", "")
	for _, r := range []channel.Reply{
		{OrderRef: o.ID, ThreadKind: desk.ThreadOperator, Body: "Pas d'opérateur par l'API"},
		{Body: "Pas de commande"},
		{ThreadExternalID: tk, Body: "   "},
		{ThreadExternalID: tk, Body: strings.Repeat("a", 65536)},
	} {
		_, err := c.Send(context.Background(), r)
		e := kindOf(t, err, channel.Refused)
		if e.Message == "" {
			t.Error("refusal without a message")
		}
	}
	if len(f.Posted()) != 0 {
		t.Errorf("posted %+v", f.Posted())
	}
	f.SetStatus(tk, "customer_service_closed_final")
	_, err := c.Send(context.Background(), channel.Reply{ThreadExternalID: tk, Body: "Trop tard"})
	if e := kindOf(t, err, channel.Refused); e.Message != "Ticket is finally closed" {
		t.Errorf("message %q", e.Message)
	}
}

// A reply on an order without a Kaufland ticket opens one with the buyer;
// after a lost answer, Lookup finds it by the order and names the ticket.
func TestSendOpensTicket(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{})
	ctx := context.Background()
	r := channel.Reply{OrderRef: o.ID, ThreadKind: desk.ThreadCustomer, Body: "Bonjour, votre colis part demain.", CreatedAt: f.Now()}
	sent, err := c.Send(ctx, r)
	if err != nil || sent.ThreadExternalID == "" || sent.SourceID == "" {
		t.Fatalf("Send without a ticket: %+v %v", sent, err)
	}
	got, found, err := c.Lookup(ctx, r)
	if err != nil || !found || got.ThreadExternalID != sent.ThreadExternalID || got.SourceID != sent.SourceID {
		t.Errorf("Lookup by the order: %+v %v %v, want %+v", got, found, err, sent)
	}
	other := r
	other.Body = "Un autre texte"
	if _, found, err := c.Lookup(ctx, other); err != nil || found {
		t.Errorf("Lookup of a reply never sent: %v %v", found, err)
	}
}

func TestSendSurvivesEchoReadFailure(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{})
	tk := f.OpenTicket(o.ID, "product_defect", "")
	f.Inject(kauflandfake.Fault{Kind: kauflandfake.ServerError, Path: "/tickets/" + tk})
	sent, err := c.Send(context.Background(), channel.Reply{ThreadExternalID: tk, Body: "Bonjour"})
	if err != nil || sent.SourceID != "" {
		t.Fatalf("sent %+v, %v: the reply went, its id is unknown", sent, err)
	}
	if len(f.Posted()) != 1 {
		t.Errorf("posted %d", len(f.Posted()))
	}
}

// The answer to a posted reply is lost: Send says Transient, and Lookup
// finds the reply so that it is not sent twice.
func TestSendOutcomeUnknownThenLookup(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{})
	tk := f.OpenTicket(o.ID, "product_defect", "")
	f.Inject(kauflandfake.Fault{Kind: kauflandfake.DropAfter, Path: "/tickets/" + tk + "/messages"})
	r := channel.Reply{ThreadExternalID: tk, Body: "Remboursement effectué.", CreatedAt: f.Now()}
	_, err := c.Send(context.Background(), r)
	kindOf(t, err, channel.Transient)
	got, found, err := c.Lookup(context.Background(), r)
	if err != nil || !found || len(f.Posted()) != 1 || got.SourceID != "m"+itoa(f.Posted()[0].ID) {
		t.Errorf("Lookup %+v %v %v, posted %+v", got, found, err, f.Posted())
	}
}
