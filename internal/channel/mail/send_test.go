package mail_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jhillyerd/enmime/v2"

	"guichet/internal/channel"
	"guichet/internal/channel/mail/mailtest"
	"guichet/internal/desk"
)

func TestMailSendsOverEachSecurity(t *testing.T) {
	for _, sec := range []mailtest.Security{mailtest.TLS, mailtest.StartTLS, mailtest.None} {
		t.Run(string(sec), func(t *testing.T) {
			s := startServers(t, mailtest.None, sec)
			c := connector(t, desk.ChannelEmail, s.settings())
			id, err := c.Mail(context.Background(), channel.Email{
				To: []string{"client@example.com"}, Cc: []string{"chef@boutique.test"}, ReplyTo: "sav+x@boutique.test",
				Subject: "Transfert : commande 42", Text: "Bonjour,\nvoici la demande.", HTML: "<p>Bonjour,<br>voici la demande.</p>",
				Files:     []channel.File{{Name: "facture.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 facture")}},
				InReplyTo: "abc@client.example",
			})
			if err != nil {
				t.Fatal(err)
			}
			got := s.smtp.Wait(t, 1, 5*time.Second)[0]
			if strings.Join(got.To, ",") != "client@example.com,chef@boutique.test" || got.From != "sav@boutique.test" {
				t.Errorf("envelope: from %q to %v", got.From, got.To)
			}
			env, err := enmime.ReadEnvelope(bytes.NewReader(got.Data))
			if err != nil {
				t.Fatal(err)
			}
			if mid := strings.Trim(env.GetHeader("Message-ID"), "<>"); mid != id {
				t.Errorf("Message-ID %q, Mail returned %q", mid, id)
			}
			if env.GetHeader("In-Reply-To") != "<abc@client.example>" || env.GetHeader("Reply-To") != "<sav+x@boutique.test>" {
				t.Errorf("In-Reply-To %q, Reply-To %q", env.GetHeader("In-Reply-To"), env.GetHeader("Reply-To"))
			}
			if !strings.Contains(env.Text, "voici la demande") || !strings.Contains(env.HTML, "<p>Bonjour") {
				t.Errorf("text %q html %q", env.Text, env.HTML)
			}
			if len(env.Attachments) != 1 || env.Attachments[0].FileName != "facture.pdf" || string(env.Attachments[0].Content) != "%PDF-1.4 facture" {
				t.Errorf("attachments: %+v", env.Attachments)
			}
		})
	}
}

func TestSMTPWrongPasswordNeedsAnAdmin(t *testing.T) {
	s := startServers(t, mailtest.None, mailtest.StartTLS)
	c := connector(t, desk.ChannelEmail, s.settings("smtp_password", "faux"))
	_, err := c.Mail(context.Background(), channel.Email{To: []string{"client@example.com"}, Subject: "x", Text: "x"})
	if channel.KindOf(err) != channel.Unauthorized {
		t.Fatalf("err %v (kind %v), want Unauthorized", err, channel.KindOf(err))
	}
	if len(s.smtp.Messages()) != 0 {
		t.Error("a message went through")
	}
}

func TestSMTPSelfSignedRefusedUnlessSkipVerify(t *testing.T) {
	for _, sec := range []mailtest.Security{mailtest.TLS, mailtest.StartTLS} {
		s := startServers(t, mailtest.None, sec)
		c := connector(t, desk.ChannelEmail, s.settings("smtp_skip_verify", "false"))
		_, err := c.Mail(context.Background(), channel.Email{To: []string{"client@example.com"}, Subject: "x", Text: "x"})
		if err == nil || channel.KindOf(err) != channel.Unauthorized {
			t.Errorf("%s: a self-signed certificate: err %v (kind %v), want refused, Unauthorized", sec, err, channel.KindOf(err))
		}
		if len(s.smtp.Messages()) != 0 {
			t.Errorf("%s: a message went through", sec)
		}
	}
}

// « Tester la connexion » logs in to both servers and sends nothing.
func TestConnectionTest(t *testing.T) {
	s := startServers(t, mailtest.StartTLS, mailtest.TLS)
	if err := connector(t, desk.ChannelEmail, s.settings()).Test(context.Background()); err != nil {
		t.Fatalf("good settings: %v", err)
	}
	for _, bad := range [][]string{{"password", "faux"}, {"smtp_password", "faux"}} {
		err := connector(t, desk.ChannelEmail, s.settings(bad...)).Test(context.Background())
		if channel.KindOf(err) != channel.Unauthorized {
			t.Errorf("%s wrong: %v (kind %v), want Unauthorized", bad[0], err, channel.KindOf(err))
		}
	}
	if n := len(s.smtp.Messages()); n != 0 {
		t.Errorf("the test sent %d messages", n)
	}
}
