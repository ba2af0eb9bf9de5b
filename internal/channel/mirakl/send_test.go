package mirakl_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/mirakl/miraklfake"
	"guichet/internal/desk"
)

func TestSendGoesToTheThreadsParticipants(t *testing.T) {
	f := miraklfake.Start(t, miraklfake.WithShopID(2001))
	c := connect(t, f, nil)
	o := f.AddOrder(miraklfake.Order{})
	cust := f.AddThread(o.ID, []string{"CUSTOMER", "OPERATOR"}, "Colis non reçu")
	op := f.AddThread(o.ID, []string{"OPERATOR"}, "Réclamation client")
	f.AddMessage(cust, "CUSTOMER", "Où est mon colis ?", f.Now())
	f.AddMessage(op, "OPERATOR", "Le client attend.", f.Now())
	ctx := context.Background()

	s1, err := c.Send(ctx, channel.Reply{OrderRef: o.ID, ThreadKind: desk.ThreadCustomer, ThreadExternalID: cust,
		Body: "Votre colis part aujourd'hui.", CreatedAt: f.Now(),
		Files: []channel.File{{Name: "bordereau.pdf", ContentType: "application/pdf", Data: []byte("%PDF bordereau")}}})
	if err != nil {
		t.Fatal(err)
	}
	s2, err := c.Send(ctx, channel.Reply{OrderRef: o.ID, ThreadKind: desk.ThreadOperator, ThreadExternalID: op,
		Body: "Colis expédié, numéro de suivi joint.", CreatedAt: f.Now()})
	if err != nil {
		t.Fatal(err)
	}
	posts := f.Posted()
	if len(posts) != 2 {
		t.Fatalf("posts: %+v", posts)
	}
	p := posts[0]
	if p.Op != "M12" || p.Thread != cust || p.Message != s1.SourceID || len(p.To) != 1 || p.To[0].Type != "CUSTOMER" ||
		p.To[0].ID != o.Customer.ID || len(p.Files) != 1 || p.Files[0].Name != "bordereau.pdf" || string(p.Files[0].Data) != "%PDF bordereau" || p.ShopID != "2001" {
		t.Errorf("customer reply: %+v", p)
	}
	p = posts[1]
	if p.Op != "M12" || p.Thread != op || p.Message != s2.SourceID || len(p.To) != 1 || p.To[0].Type != "OPERATOR" {
		t.Errorf("operator reply: %+v", p)
	}
	// The echo comes back as ours, with the id Send gave.
	msgs, _, _ := drain(t, c, "")
	if m, ok := msgs[s1.SourceID]; !ok || !m.FromSeller || m.ThreadExternalID != cust {
		t.Errorf("echo: %+v", m)
	}
}

func TestSendWithoutThreadOpensOne(t *testing.T) {
	f := miraklfake.Start(t)
	c := connect(t, f, nil)
	o := f.AddOrder(miraklfake.Order{})
	ctx := context.Background()
	s, err := c.Send(ctx, channel.Reply{OrderRef: o.ID, ThreadKind: desk.ThreadOperator, Body: "Bonjour, le client conteste la livraison.", CreatedAt: f.Now()})
	if err != nil || s.ThreadExternalID == "" || s.SourceID == "" {
		t.Fatalf("%+v %v", s, err)
	}
	th, ok := f.Thread(s.ThreadExternalID)
	if !ok || th.EntityID != o.ID || len(th.Participants) != 2 || th.Participants[1].Type != "OPERATOR" || th.Messages[0].ID != s.SourceID {
		t.Errorf("thread opened: %+v", th)
	}
	if p := f.Posted()[0]; p.Op != "OR43" || p.Topic == "" {
		t.Errorf("post: %+v", p)
	}
	// Without an order, a question to the operator: M14.
	ref, err := c.OpenThread(ctx, channel.NewThread{Kind: desk.ThreadOperator, Body: "Comment modifier nos délais d'expédition ?", Reason: "Délais d'expédition"})
	if err != nil || ref.Kind != desk.ThreadOperator || ref.ExternalID == "" {
		t.Fatalf("M14: %+v %v", ref, err)
	}
	if th, _ := f.Thread(ref.ExternalID); th.EntityType != "SELLER_OPERATOR" || th.Topic != "Délais d'expédition" {
		t.Errorf("order-less thread: %+v", th)
	}
	// On an order, with the operator: the kind says so, not the reason.
	reasons, err := c.Reasons(ctx)
	if err != nil || len(reasons) != 1 || reasons[0].Value != "code:51" {
		t.Fatalf("reasons (the operator's ORDER_MESSAGING): %+v %v", reasons, err)
	}
	ref, err = c.OpenThread(ctx, channel.NewThread{OrderRef: o.ID, Kind: desk.ThreadOperator, Reason: reasons[0].Value, Body: "Le client dit n'avoir rien reçu."})
	if err != nil || ref.Kind != desk.ThreadOperator {
		t.Fatalf("OR43 to the operator: %+v %v", ref, err)
	}
	if th, _ := f.Thread(ref.ExternalID); th.Participants[1].Type != "OPERATOR" || th.TopicType != "REASON_CODE" || th.Topic != "51" {
		t.Errorf("operator thread opened: %+v", th)
	}
	// On an order, with the customer: OR43 to CUSTOMER.
	ref, err = c.OpenThread(ctx, channel.NewThread{OrderRef: o.ID, Body: "Bonjour, pouvez-vous confirmer votre adresse ?", Reason: "Suivi de livraison",
		Files: []channel.File{{Name: "photo.jpg", Data: []byte("jpeg")}}})
	if err != nil || ref.Kind != desk.ThreadCustomer {
		t.Fatalf("OR43: %+v %v", ref, err)
	}
	if th, _ := f.Thread(ref.ExternalID); th.Participants[1].Type != "CUSTOMER" || len(th.Messages[0].Files) != 1 {
		t.Errorf("customer thread opened: %+v", th)
	}
	if _, err := c.OpenThread(ctx, channel.NewThread{OrderRef: "NOPE-1", Body: "Bonjour ?"}); channel.KindOf(err) != channel.Refused {
		t.Errorf("unknown order: %v", err)
	}
}

func TestSendRefusedAndLookup(t *testing.T) {
	f := miraklfake.Start(t)
	c := connect(t, f, nil)
	o := f.AddOrder(miraklfake.Order{})
	th := f.AddThread(o.ID, []string{"CUSTOMER"}, "Question")
	f.AddMessage(th, "CUSTOMER", "Bonjour", f.Now())
	ctx := context.Background()
	// Too short for Mirakl: refused with its words, nothing posted.
	_, err := c.Send(ctx, channel.Reply{ThreadKind: desk.ThreadCustomer, ThreadExternalID: th, Body: "ok"})
	var e *channel.Error
	if !errors.As(err, &e) || e.Kind != channel.Refused || e.Message == "" {
		t.Errorf("short body: %v", err)
	}
	f.TakeViolations() // the request broke the spec on purpose
	// Sent but the answer lost: Lookup finds it, so it is not sent twice.
	r := channel.Reply{ThreadKind: desk.ThreadCustomer, ThreadExternalID: th, Body: "Votre colis arrive demain.", CreatedAt: f.Now()}
	f.Inject(miraklfake.Fault{Kind: miraklfake.DropAfter, Path: "/api/inbox/threads/" + th + "/message"})
	if _, err := c.Send(ctx, r); channel.KindOf(err) != channel.Transient {
		t.Fatalf("dropped after: %v", err)
	}
	got, found, err := c.Lookup(ctx, r)
	if err != nil || !found || got.SourceID != f.Posted()[0].Message {
		t.Errorf("Lookup: %+v %v %v", got, found, err)
	}
	// A reply from before the minute's margin is not this one.
	old := r
	old.CreatedAt = f.Now().Add(2 * time.Minute)
	if _, found, _ := c.Lookup(ctx, old); found {
		t.Error("found a reply written before this one was")
	}
	// By the order, when the thread is not known.
	byOrder := r
	byOrder.ThreadExternalID, byOrder.OrderRef = "", o.ID
	if got, found, err := c.Lookup(ctx, byOrder); err != nil || !found || got.ThreadExternalID != th {
		t.Errorf("Lookup by order: %+v %v %v", got, found, err)
	}
}
