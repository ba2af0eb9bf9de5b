package kaufland_test

import (
	"context"
	"slices"
	"testing"

	"guichet/internal/channel"
	"guichet/internal/channel/kaufland/kauflandfake"
	"guichet/internal/desk"
)

func TestActionsInSeedOrder(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{Units: []kauflandfake.Unit{{Title: "Grille-pain", Price: 2999}, {Status: "sent"}}})
	tk := f.OpenTicket(o.ID, "product_defect", "")
	target := channel.Target{OrderRef: o.ID, Threads: []channel.ThreadRef{{Kind: desk.ThreadCustomer, ExternalID: tk, Status: "opened"}}}
	acts, err := c.Actions(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range acts {
		ids = append(ids, a.ID)
	}
	if want := []string{"order", "refund", "customer_service", "cancel_unit", "open_ticket", "close"}; !slices.Equal(ids, want) {
		t.Fatalf("actions %v, want %v", ids, want)
	}
	if acts[0].Label != "Afficher les détails de la commande" || !acts[0].ReadOnly {
		t.Errorf("order action %+v", acts[0])
	}
	if acts[2].URL == "" {
		t.Errorf("customer service is a link to the portal: %+v", acts[2])
	}
	if units := acts[3].Params[0].Options; len(units) != 1 || units[0].Value != itoa(o.Units[0].ID) {
		t.Errorf("a sent unit cannot be cancelled: %+v", units)
	}

	res, err := c.RunAction(context.Background(), target, "order", nil)
	if err != nil || res.Order == nil || len(res.Order.Lines) != 2 || res.Order.Lines[0].Product != "Grille-pain" ||
		res.Order.Lines[0].Price != 2999 || res.Order.Email == "" && res.Order.Buyer == "" {
		t.Errorf("order: %+v %v", res, err)
	}
	if _, err := c.RunAction(context.Background(), target, "refund",
		map[string]string{"unit": itoa(o.Units[0].ID), "amount": "1250", "reason": "delivery_delay"}); err != nil {
		t.Fatal(err)
	}
	if r := f.Refunds(); len(r) != 1 || r[0].Amount != 1250 || r[0].Reason != "delivery_delay" || r[0].Unit != o.Units[0].ID {
		t.Errorf("refunds %+v", r)
	}
	if _, err := c.RunAction(context.Background(), target, "refund",
		map[string]string{"unit": "123", "amount": "100", "reason": "delivery_delay"}); channel.KindOf(err) != channel.Refused {
		t.Errorf("refund of a unit of another order: %v", err)
	}
	if _, err := c.RunAction(context.Background(), target, "cancel_unit",
		map[string]string{"unit": itoa(o.Units[0].ID), "reason": "NoInventory"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Order(o.ID); got.Units[0].Status != "cancelled" || len(f.Cancels()) != 1 {
		t.Errorf("unit %+v, cancels %+v", got.Units[0], f.Cancels())
	}
	res, err = c.RunAction(context.Background(), target, "open_ticket",
		map[string]string{"unit": itoa(o.Units[1].ID), "reason": "contact_other", "message": "Le colis part demain."})
	if op := f.Opened(); err != nil || len(op) != 1 || !slices.Equal(op[0].Units, []int64{o.Units[1].ID}) || op[0].Message != "Le colis part demain." {
		t.Errorf("open a ticket: %+v %v (opened %+v)", res, err, f.Opened())
	}
	if _, err := c.RunAction(context.Background(), target, "open_ticket",
		map[string]string{"unit": "123", "reason": "contact_other", "message": "x"}); channel.KindOf(err) != channel.Refused {
		t.Errorf("a ticket on a unit of another order: %v", err)
	}
	if _, err := c.RunAction(context.Background(), target, "close", nil); err != nil {
		t.Fatal(err)
	}
	if tt, _ := f.Ticket(tk); tt.Status != "seller_closed" || !slices.Equal(f.Closed(), []string{tk}) {
		t.Errorf("ticket %+v", tt)
	}
	_, err = c.RunAction(context.Background(), target, "close", nil)
	if e := kindOf(t, err, channel.Refused); e.Message == "" {
		t.Error("closing twice: no message from Kaufland")
	}
}

func TestOpenThread(t *testing.T) {
	f, c := setup(t)
	o := f.AddOrder(kauflandfake.Order{Units: []kauflandfake.Unit{{}, {}}})
	if rs, err := c.Reasons(context.Background()); len(rs) != 5 || err != nil {
		t.Errorf("reasons %+v %v", rs, err)
	}
	ref, err := c.OpenThread(context.Background(), channel.NewThread{OrderRef: o.ID, Reason: "contact_other", Body: "Votre colis part demain."})
	if err != nil {
		t.Fatal(err)
	}
	op := f.Opened()
	if len(op) != 1 || op[0].TicketID != ref.ExternalID || len(op[0].Units) != 2 || op[0].Message != "Votre colis part demain." {
		t.Errorf("opened %+v, ref %+v", op, ref)
	}
	ref, err = c.OpenThread(context.Background(), channel.NewThread{OrderRef: o.ID, Unit: itoa(o.Units[1].ID), Reason: "product_return", Body: "Retour"})
	if err != nil || len(f.Opened()) != 2 || !slices.Equal(f.Opened()[1].Units, []int64{o.Units[1].ID}) {
		t.Errorf("open on one unit: %+v %v", f.Opened(), err)
	}
	if _, err := c.OpenThread(context.Background(), channel.NewThread{OrderRef: o.ID, Reason: "nope", Body: "x"}); channel.KindOf(err) != channel.Refused {
		t.Errorf("unknown reason: %v", err)
	}
}
