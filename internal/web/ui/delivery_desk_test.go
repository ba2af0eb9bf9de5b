package ui_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/channel"
	"guichet/internal/desk"
	gsync "guichet/internal/sync"
)

// refusingChannel refuses every reply for good, as a marketplace does a
// message it will never take.
type refusingChannel struct{}

func (refusingChannel) Fetch(ctx context.Context, cursor string) (channel.Batch, error) {
	return channel.Batch{Cursor: cursor}, nil
}

func (refusingChannel) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	return channel.Sent{}, &channel.Error{Kind: channel.Refused, Status: 400, Message: "message too long"}
}

// Through the real desk and the real outbox (no fake SyncControl or
// DeliveryControl): a reply the channel refuses shows on its ticket as
// failed, with the channel's reason and « Réessayer »; the history says so
// in French; « Réessayer » (a POST) puts it back in the outbox, queued,
// and the history says who did.
func TestFailedDeliveryRetriedFromTheTicket(t *testing.T) {
	var rc realChannels
	e := newEnv(t, withDeskControls(&rc))
	ts := e.seed()
	reply, err := e.d.Reply(ctx, e.lea, desk.ReplyInput{TicketID: ts.kauf.ID, Body: "Bonjour, votre colis part demain.", Status: desk.StatusWaitingCustomer})
	if err != nil {
		t.Fatal(err)
	}
	runner := gsync.New(gsync.Config{Desk: e.d, Leases: e.s, Connectors: gsync.ConnectorsFunc(func(ctx context.Context, ch desk.Channel) (channel.Connector, error) {
		return refusingChannel{}, nil
	})})
	rep, err := runner.DeliverDue(ctx, e.kaufland.ID)
	if err != nil || len(rep.Channels) != 1 || rep.Channels[0].Failed != 1 {
		t.Fatalf("outbox pass: %+v %v", rep, err)
	}
	failed, err := e.d.Deliveries(ctx, e.admin, desk.DeliveryFilter{States: []desk.DeliveryState{desk.OutboxFailed}})
	if err != nil || len(failed) != 1 || failed[0].MessageID != reply.ID {
		t.Fatalf("failed deliveries: %+v %v", failed, err)
	}

	lea := e.client().signIn("lea@example.fr")
	page := "/tickets/" + ts.kauf.Number
	_, body := lea.get(page)
	retry := "/tickets/" + itoa(ts.kauf.ID) + "/messages/" + itoa(reply.ID) + "/retry"
	m := regexp.MustCompile(`<form method="post" action="([^"]*/retry)"[^>]*>.{0,200}?>Réessayer</button>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no « Réessayer » on the ticket:\n%s", excerpt(body, "msg out"))
	}
	if m[1] != retry {
		t.Errorf("« Réessayer » posts to %s; want %s", m[1], retry)
	}
	for _, want := range []string{`data-delivery="failed"`, "Échec : refusé par le canal : 400 : message too long", "Envoi d&#39;une réponse en échec"} {
		if !strings.Contains(body, want) {
			t.Errorf("ticket page lacks %q:\n%s", want, excerpt(body, "data-delivery"))
		}
	}

	res, _ := lea.postForm(retry, url.Values{"csrf": {lea.csrf}})
	if res.StatusCode != 303 {
		t.Fatalf("Réessayer: %d", res.StatusCode)
	}
	queued, err := e.d.Deliveries(ctx, e.admin, desk.DeliveryFilter{States: []desk.DeliveryState{desk.OutboxQueued}})
	if err != nil || len(queued) != 1 || queued[0].MessageID != reply.ID || queued[0].Attempts != 0 {
		t.Fatalf("queued deliveries after « Réessayer »: %+v %v", queued, err)
	}
	if failed, _ := e.d.Deliveries(ctx, e.admin, desk.DeliveryFilter{}); len(failed) != 0 {
		t.Errorf("still failed or uncertain: %+v", failed)
	}
	_, body = lea.get(res.Header.Get("Location"))
	for _, want := range []string{`data-delivery="queued"`, "En file d&#39;envoi", "Léa Martin a relancé l&#39;envoi d&#39;une réponse", "Envoi d&#39;une réponse en échec"} {
		if !strings.Contains(body, want) {
			t.Errorf("after « Réessayer », the ticket page lacks %q", want)
		}
	}
	if strings.Contains(body, ">Réessayer</button>") {
		t.Error("« Réessayer » still offered on a queued reply")
	}
}

// An uncertain delivery shows as such to the ADV on the ticket (not as
// « En file d'envoi »), with « Renvoyer » and « Marquer comme envoyé »:
// the page asks the outbox for the ticket's deliveries, which desk once
// refused to anyone but an admin (the page then showed the reply queued).
func TestUncertainDeliveryShowsToTheADV(t *testing.T) {
	var rc realChannels
	e := newEnv(t, withDeskControls(&rc))
	ts := e.seed()
	reply, err := e.d.Reply(ctx, e.lea, desk.ReplyInput{TicketID: ts.kauf.ID, Body: "Bonjour, votre colis part demain.", Status: desk.StatusWaitingCustomer})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.DeliveryUnknown(ctx, reply.ID, "délai dépassé"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Deliveries(ctx, e.marc, desk.DeliveryFilter{}); err == nil {
		t.Error("an ADV lists every channel's deliveries")
	}
	if es, err := e.d.Deliveries(ctx, e.marc, desk.DeliveryFilter{TicketID: ts.fnac.ID}); err != nil || len(es) != 0 {
		t.Errorf("another ticket's deliveries: %+v %v", es, err)
	}
	lea := e.client().signIn("lea@example.fr")
	_, body := lea.get("/tickets/" + ts.kauf.Number)
	base := "/tickets/" + itoa(ts.kauf.ID) + "/messages/" + itoa(reply.ID)
	for _, want := range []string{`data-delivery="unknown"`, ">Envoi incertain<", `action="` + base + `/retry"`, `action="` + base + `/delivered"`,
		">Marquer comme envoyé</button>", "délai dépassé", "Envoi d&#39;une réponse incertain : à vérifier sur le canal"} {
		if !strings.Contains(body, want) {
			t.Errorf("the ADV's ticket page lacks %q:\n%s", want, excerpt(body, "data-delivery"))
		}
	}
	res, _ := lea.postForm(base+"/delivered", url.Values{"csrf": {lea.csrf}})
	if res.StatusCode != 303 {
		t.Fatalf("Marquer comme envoyé: %d", res.StatusCode)
	}
	if v := e.view(ts.kauf.ID); v.Messages[len(v.Messages)-1].Delivery != desk.DeliverySent {
		t.Errorf("after « Marquer comme envoyé »: %+v", v.Messages[len(v.Messages)-1])
	}
	_, body = lea.get("/tickets/" + ts.kauf.Number)
	if !strings.Contains(body, "Léa Martin a confirmé l&#39;envoi d&#39;une réponse") {
		t.Errorf("history lacks the confirmation:\n%s", excerpt(body, `id="history"`))
	}
}

// excerpt is the part of a page around what, for a failure's message.
func excerpt(body, what string) string {
	i := strings.Index(body, what)
	if i < 0 {
		return body
	}
	return body[max(0, i-200):min(len(body), i+1500)]
}
