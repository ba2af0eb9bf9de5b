package mirakl_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/mirakl/miraklfake"
)

func TestOrderWithTracking(t *testing.T) {
	f := miraklfake.Start(t)
	c := connect(t, f, nil)
	shipped := f.Now().Add(-48 * time.Hour)
	received := f.Now().Add(-2 * time.Hour)
	o := f.AddOrder(miraklfake.Order{Carrier: "Colissimo", Tracking: "6A12345678901",
		TrackingURL: "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901", Shipped: shipped, Received: received,
		Lines: []miraklfake.Line{{Title: "Casque audio", SKU: "CASQ-01", Quantity: 2, Price: 15980, Shipping: 490},
			{Title: "Câble USB-C", SKU: "USBC-1", Quantity: 1, Price: 990}}})
	got, err := c.Order(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Ref != o.ID || got.Total != 15980+490+990 || got.Currency != "EUR" || got.Status != "Expédiée" || got.Buyer != "Camille Durand" ||
		!strings.Contains(got.Address, "69003 Lyon") || len(got.Lines) != 2 || got.Lines[0].Price != 15980 || got.Lines[0].Quantity != 2 ||
		got.Lines[0].SKU != "CASQ-01" || got.Lines[0].Product != "Casque audio" {
		t.Errorf("order: %+v", got)
	}
	if len(got.Shipments) != 1 || got.Shipments[0].Carrier != "Colissimo" || got.Shipments[0].TrackingNumber != "6A12345678901" ||
		got.TrackingURL() == "" || !got.Shipments[0].ShippedAt.Equal(shipped) || !got.Delivered.Equal(received) {
		t.Errorf("shipping: %+v delivered %v", got.Shipments, got.Delivered)
	}
	if _, err := c.Order(context.Background(), "NOPE-1"); channel.KindOf(err) != channel.Refused {
		t.Errorf("unknown order: %v", err)
	}
}

func TestActionsRefundAndCancel(t *testing.T) {
	f := miraklfake.Start(t)
	c := connect(t, f, nil)
	ctx := context.Background()
	shipped := f.AddOrder(miraklfake.Order{Lines: []miraklfake.Line{{Title: "Casque", Quantity: 1, Price: 7990}}})
	acts, err := c.Actions(ctx, channel.Target{OrderRef: shipped.ID})
	if err != nil {
		t.Fatal(err)
	}
	if ids := actionIDs(acts); ids != "order,refund_line" {
		t.Fatalf("a shipped order offers %s", ids)
	}
	refund := acts[1]
	if refund.Label != "Rembourser une ligne" || refund.Confirm == "" || refund.Params[2].Kind != channel.ParamSelect || len(refund.Params[2].Options) != 3 {
		t.Errorf("refund action: %+v", refund)
	}
	line := shipped.Lines[0].ID
	res, err := c.RunAction(ctx, channel.Target{OrderRef: shipped.ID}, "refund_line", map[string]string{"line": line, "amount": "1250", "reason": "14"})
	if err != nil || !strings.Contains(res.Message, "12,50") {
		t.Fatalf("refund: %+v %v", res, err)
	}
	if r := f.Refunds(); len(r) != 1 || r[0].Line != line || r[0].Amount != 1250 || r[0].Reason != "14" {
		t.Errorf("refunds: %+v", r)
	}
	// More than is left: Mirakl refuses, in its words.
	_, err = c.RunAction(ctx, channel.Target{OrderRef: shipped.ID}, "refund_line", map[string]string{"line": line, "amount": "7990", "reason": "14"})
	if e, ok := err.(*channel.Error); !ok || e.Kind != channel.Refused || !strings.Contains(e.Message, "exceeds") {
		t.Errorf("refund over the line: %v", err)
	}

	waiting := f.AddOrder(miraklfake.Order{State: "SHIPPING", CanCancel: true, Lines: []miraklfake.Line{
		{Title: "Casque", Quantity: 1, Price: 7990, Shipping: 490}, {Title: "Câble", Quantity: 2, Price: 1980}}})
	acts, err = c.Actions(ctx, channel.Target{OrderRef: waiting.ID})
	if err != nil || actionIDs(acts) != "order,cancel_order,cancel_line" {
		t.Fatalf("an order to ship offers %s (%v)", actionIDs(acts), err)
	}
	if _, err := c.RunAction(ctx, channel.Target{OrderRef: waiting.ID}, "cancel_line", map[string]string{"line": waiting.Lines[1].ID, "reason": "34"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RunAction(ctx, channel.Target{OrderRef: waiting.ID}, "cancel_order", nil); err != nil {
		t.Fatal(err)
	}
	cs := f.Cancelations()
	if len(cs) != 2 || cs[0].Line != waiting.Lines[1].ID || cs[0].Quantity != 2 || cs[0].Amount != 1980 || cs[0].Reason != "34" || cs[1].Order != waiting.ID || cs[1].Line != "" {
		t.Errorf("cancelations: %+v", cs)
	}
	// Cancelled: nothing more to cancel, and Mirakl would refuse.
	if acts, _ := c.Actions(ctx, channel.Target{OrderRef: waiting.ID}); actionIDs(acts) != "order" {
		t.Errorf("a cancelled order offers %s", actionIDs(acts))
	}
	if _, err := c.RunAction(ctx, channel.Target{OrderRef: waiting.ID}, "cancel_order", nil); channel.KindOf(err) != channel.Refused {
		t.Errorf("cancel twice: %v", err)
	}
	if res, err := c.RunAction(ctx, channel.Target{OrderRef: waiting.ID}, "order", nil); err != nil || res.Order == nil || res.Order.Status != "Annulée" {
		t.Errorf("details: %+v %v", res, err)
	}
}

func actionIDs(acts []channel.Action) string {
	var ids []string
	for _, a := range acts {
		ids = append(ids, a.ID)
	}
	return strings.Join(ids, ",")
}
