package outmail_test

import (
	"bytes"
	"context"
	"net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/internal/blob"
	"guichet/internal/channel"
	gmail "guichet/internal/channel/mail"
	"guichet/internal/channel/mail/mailtest"
	"guichet/internal/desk"
	"guichet/internal/outmail"
	"guichet/internal/store/storetest"
)

// Through the real email connector: a ticket forwarded outside with its
// attachment, and a contact's forward-only form message with the
// customer as Reply-To, reach a real SMTP server on loopback.
func TestWorkerThroughTheEmailConnector(t *testing.T) {
	ctx := context.Background()
	s := storetest.SQLite(t)
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d := desk.New(desk.Config{Store: s, Blobs: blobs})
	if _, err := d.EnsureAdmin(ctx, "admin@example.fr"); err != nil {
		t.Fatal(err)
	}
	agents, _ := d.Agents(ctx)
	admin := desk.ActorOf(agents[0])
	ch, err := d.SaveChannel(ctx, admin, desk.Channel{Kind: desk.ChannelEmail, Name: "SAV", GuardNames: []string{}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	smtpSrv := mailtest.StartSMTP(t, mailtest.TLS, "envoi", "secret-smtp")
	settings, err := gmail.Kind().Check(map[string]string{"host": "127.0.0.1", "port": "993", "username": "sav", "password": "x",
		"smtp_host": smtpSrv.Host, "smtp_port": strconv.Itoa(smtpSrv.Port), "smtp_username": "envoi", "smtp_password": "secret-smtp",
		"smtp_security": string(smtpSrv.Security), "smtp_skip_verify": "true", "from": "Service client <sav@boutique.test>", "timeout": "5"})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := gmail.New(channel.Config{Channel: ch, Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	r, err := d.Ingest(ctx, []desk.Incoming{{ChannelID: ch.ID, SourceID: "m1", OrderRef: "A-1", Body: "Voici la photo",
		Files: []desk.IncomingFile{{Name: "photo.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\nbytes")}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.ForwardTicket(ctx, admin, desk.ForwardInput{TicketID: r.Tickets[0], Email: "transport@example.fr", Comment: "Litige colis"}); err != nil {
		t.Fatal(err)
	}
	cs, _ := d.Contacts(ctx)
	web := cs[1]
	web.SaveMessages, web.Email = false, "webmaster@boutique.test"
	if _, err := d.SaveContact(ctx, admin, web); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SubmitContactForm(ctx, desk.FormInput{ContactID: web.ID, Email: "jean@example.fr", Body: "Le paiement échoue.", UserAgent: "Firefox", Address: "192.0.2.7"}); err != nil {
		t.Fatal(err)
	}
	w := &outmail.Worker{Desk: d, Connectors: connectors{ch.ID: conn}, Blobs: blobs}
	if res, err := w.RunOnce(ctx); err != nil || res.Sent != 2 {
		t.Fatalf("run: %+v, %v", res, err)
	}
	got := map[string]*mail.Message{}
	for _, m := range smtpSrv.Wait(t, 2, 10*time.Second) {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		got[m.To[0]] = msg
	}
	fwd, form := got["transport@example.fr"], got["webmaster@boutique.test"]
	if fwd == nil || form == nil {
		t.Fatalf("received for %v", got)
	}
	var raw bytes.Buffer
	raw.ReadFrom(fwd.Body)
	if !strings.Contains(fwd.Header.Get("Content-Type"), "multipart/mixed") || !strings.Contains(raw.String(), "photo.png") || !strings.Contains(raw.String(), "Litige colis") {
		t.Errorf("forward: %v\n%s", fwd.Header, raw.String())
	}
	if !strings.Contains(form.Header.Get("Reply-To"), "jean@example.fr") {
		t.Errorf("form forward's Reply-To: %q", form.Header.Get("Reply-To"))
	}
	es, _ := d.TicketEmails(ctx, admin, r.Tickets[0])
	if len(es) != 1 || es[0].State != desk.EmailSent || es[0].MessageID == "" {
		t.Errorf("recorded: %+v", es)
	}
}
