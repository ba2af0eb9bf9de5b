package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"testing"

	"guichet/internal/channel"
	"guichet/internal/channel/mail/mailtest"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// An auto-reply and a bounce open no ticket (parked, with why); an
// auto-reply that threads is shown on its ticket and changes nothing.
func TestAutoRepliesAndBouncesOpenNoTicket(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ch := e.mailbox(desk.ChannelEmail, "SAV")
		e.deliver(email("Je suis absent jusqu'au 3 janvier.", "From", "Jean <jean@client.test>", "To", "sav@boutique.test",
			"Subject", "Réponse automatique : absent", "Auto-Submitted", "auto-replied", "Message-ID", "<ooo1@client.test>"))
		e.deliver(email("Absent du bureau", "From", "Outlook <bob@client.test>", "To", "sav@boutique.test",
			"Subject", "Automatic reply", "X-MS-Exchange-Generated-Message-Source", "Mailbox Rules Agent", "Message-ID", "<ooo2@client.test>"))
		e.deliver("From: Mail Delivery System <MAILER-DAEMON@mx.boutique.test>\r\nTo: sav@boutique.test\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
			"Message-ID: <bounce1@mx.boutique.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n" +
			"--b1\r\nContent-Type: text/plain\r\n\r\nThis is the mail system. I'm sorry to have to inform you that your message could not be delivered.\r\n" +
			"--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.boutique.test\r\n\r\nFinal-Recipient: rfc822; nobody@client.test\r\nAction: failed\r\nStatus: 5.1.1\r\n--b1--\r\n")
		rep := e.sync(ch)
		if rep.Stored != 0 || rep.Parked != 3 {
			t.Fatalf("sync: %+v", rep)
		}
		if ts := e.tickets(ch); len(ts) != 0 {
			t.Fatalf("tickets opened: %+v", ts)
		}
		reasons := ""
		for _, p := range e.parked() {
			reasons += p.Content.Subject + " → " + p.Reason + "\n"
		}
		if strings.Count(reasons, "réponse automatique qui ne se rattache à aucun ticket") != 2 || strings.Count(reasons, "erreur de distribution") != 1 {
			t.Errorf("parked:\n%s", reasons)
		}

		// On a ticket: stored, marked, the status left as the agent set it.
		e.deliver(email("Bonjour, une question.", "From", "Jean <jean@client.test>", "To", "sav@boutique.test", "Subject", "Question", "Message-ID", "<q@client.test>"))
		e.sync(ch)
		tk := e.tickets(ch)[0]
		if _, err := e.d.Reply(ctx, e.agent, desk.ReplyInput{TicketID: tk.ID, Body: "Voici la réponse.", Status: desk.StatusWaitingCustomer}); err != nil {
			t.Fatal(err)
		}
		e.sync(ch)
		before := e.view(tk.ID).Ticket
		e.deliver(email("Je suis absent.", "From", "Jean <jean@client.test>", "To", "sav@boutique.test", "Subject", "Absent",
			"Auto-Submitted", "auto-replied", "In-Reply-To", "<q@client.test>", "Message-ID", "<ooo3@client.test>"))
		if rep := e.sync(ch); rep.Stored != 1 {
			t.Fatalf("threaded auto-reply: %+v", rep)
		}
		after := e.view(tk.ID)
		last := after.Messages[len(after.Messages)-1]
		if last.AutoKind != desk.AutoReply || after.Ticket.Status != desk.StatusWaitingCustomer || !after.Ticket.Deadline.Equal(before.Deadline) {
			t.Errorf("auto-reply on its ticket: kind %q, status %s, deadline %v → %v", last.AutoKind, after.Ticket.Status, before.Deadline, after.Ticket.Deadline)
		}
	})
}

// Charsets, encodings, HTML without a text part (Outlook's conditional
// comments), inline cid: images, a forwarded message, and a 20 MB file.
func TestMIMEIntake(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ch := e.mailbox(desk.ChannelEmail, "SAV")
		// ISO-8859-1, quoted-printable, an encoded subject.
		e.deliver("From: =?ISO-8859-1?Q?Ren=E9e_L=E9ger?= <renee@client.test>\r\nTo: sav@boutique.test\r\nSubject: =?ISO-8859-1?Q?Probl=E8me_de_livraison?=\r\n" +
			"Message-ID: <latin1@client.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			"J'ai re=E7u un colis ab=EEm=E9, d=E9j=E0 ouvert.\r\n")
		// Windows-1252 (€, œ, curly quotes), 8bit, from an old Outlook.
		e.deliver(string([]byte("From: Zo\xe9 <zoe@client.test>\r\nTo: sav@boutique.test\r\nSubject: Remboursement\r\nMessage-ID: <cp1252@client.test>\r\n" +
			"X-Mailer: Microsoft Office Outlook 11\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
			"Le c\x9cur du probl\xe8me : 49,90 \x80 pay\xe9s, \x93rien re\xe7u\x94.\r\n")))
		// HTML only, base64, with Outlook's conditional comments and an inline image.
		html := `<html><head><style>p{color:red}</style></head><body><!--[if mso]><p>MSO ONLY</p><![endif]--><p>Bonjour,</p><p>voir la photo&nbsp;:</p><img src="cid:photo1" alt="photo"><ul><li>carton écrasé</li></ul></body></html>`
		png := []byte("\x89PNG\r\n\x1a\nfake image bytes")
		e.deliver("From: Hugo <hugo@client.test>\r\nTo: sav@boutique.test\r\nSubject: Photo\r\nMessage-ID: <html@client.test>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/related; boundary=\"r1\"\r\n\r\n--r1\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			base64.StdEncoding.EncodeToString([]byte(html)) + "\r\n--r1\r\nContent-Type: image/png\r\nContent-ID: <photo1>\r\nContent-Disposition: inline; filename=\"photo.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			base64.StdEncoding.EncodeToString(png) + "\r\n--r1--\r\n")
		// A forwarded message (message/rfc822).
		e.deliver("From: Chef <chef@boutique.test>\r\nTo: sav@boutique.test\r\nSubject: TR: plainte\r\nMessage-ID: <fw@boutique.test>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/mixed; boundary=\"m1\"\r\n\r\n--m1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nÀ traiter, merci.\r\n" +
			"--m1\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\nFrom: Client <client@ailleurs.test>\r\nSubject: Plainte\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nJe suis très mécontent.\r\n--m1--\r\n")
		// 20 MB attachment.
		big := bytes.Repeat([]byte("0123456789abcdef"), 20<<20/16)
		e.deliver("From: Gros <gros@client.test>\r\nTo: sav@boutique.test\r\nSubject: Vidéo\r\nMessage-ID: <big@client.test>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/mixed; boundary=\"g1\"\r\n\r\n--g1\r\nContent-Type: text/plain\r\n\r\nLa vidéo du déballage.\r\n" +
			"--g1\r\nContent-Type: video/mp4\r\nContent-Disposition: attachment; filename=\"deballage.mp4\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			wrap(base64.StdEncoding.EncodeToString(big)) + "\r\n--g1--\r\n")
		if rep := e.sync(ch); rep.Stored != 5 || rep.Parked != 0 {
			t.Fatalf("sync: %+v, parked %+v", rep, e.parked())
		}
		bySubject := map[string]desk.TicketView{}
		for _, tk := range e.tickets(ch) {
			bySubject[tk.Subject] = e.view(tk.ID)
		}
		check := func(subject, want string) desk.Message {
			t.Helper()
			v, ok := bySubject[subject]
			if !ok || len(v.Messages) == 0 {
				t.Fatalf("no ticket %q (have %v)", subject, keys(bySubject))
			}
			m := v.Messages[0]
			if !strings.Contains(m.Body, want) {
				t.Errorf("%s: body %q, want %q", subject, m.Body, want)
			}
			return m
		}
		check("Problème de livraison", "J'ai reçu un colis abîmé, déjà ouvert.")
		if v := bySubject["Problème de livraison"]; v.Customer == nil || v.Customer.Name != "Renée Léger" {
			t.Errorf("ISO-8859-1 name: %+v", v.Customer)
		}
		check("Remboursement", "Le cœur du problème : 49,90 € payés, “rien reçu”.")
		m := check("Photo", "Bonjour,\nvoir la photo :")
		if strings.Contains(m.Body, "MSO ONLY") || strings.Contains(m.Body, "color:red") || !strings.Contains(m.Body, "- carton écrasé") {
			t.Errorf("HTML to text: %q", m.Body)
		}
		if !strings.Contains(m.BodyHTML, "cid:photo1") || len(m.Attachments) != 1 || m.Attachments[0].Name != "photo.png" {
			t.Errorf("inline image: html %q, files %+v", m.BodyHTML, m.Attachments)
		}
		check("TR: plainte", "---------- Message transféré ----------\nDe : Client <client@ailleurs.test>\nObjet : Plainte\n\nJe suis très mécontent.")
		m = check("Vidéo", "La vidéo du déballage.")
		if len(m.Attachments) != 1 || m.Attachments[0].Size != int64(len(big)) || m.Attachments[0].Name != "deballage.mp4" {
			t.Fatalf("20 MB file: %+v", m.Attachments)
		}
		_, rc, err := e.d.Attachment(ctx, e.admin, m.Attachments[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(data, big) {
			t.Error("the 20 MB file's bytes differ")
		}
	})
}

func wrap(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

func keys(m map[string]desk.TicketView) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// A message whose MIME is broken is parked with its reason and its bytes;
// the one after it is imported.
func TestMalformedEmailParkedNextImported(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ch := e.mailbox(desk.ChannelEmail, "SAV")
		broken := "From: Casse <casse@client.test>\r\nTo: sav@boutique.test\r\nSubject: cassé\r\nMessage-ID: <broken@client.test>\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\n--sans-frontiere\r\nrien\r\n"
		e.deliver(broken)
		e.deliver(email("Le suivant passe.", "From", "Suivant <next@client.test>", "To", "sav@boutique.test", "Subject", "Suivant", "Message-ID", "<next@client.test>"))
		rep := e.sync(ch)
		if rep.Stored != 1 || rep.Parked != 1 {
			t.Fatalf("sync: %+v", rep)
		}
		ps := e.parked()
		if len(ps) != 1 || ps[0].SourceID != "broken@client.test" || !strings.Contains(ps[0].Reason, "MIME") {
			t.Fatalf("parked: %+v", ps)
		}
		rc, err := e.d.ParkedRaw(ctx, e.admin, ps[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(rc)
		rc.Close()
		if string(raw) != broken {
			t.Errorf("kept bytes: %q", raw)
		}
		if _, err := e.d.ParkedRaw(ctx, e.agent, ps[0].ID); desk.ErrorCode(err) != desk.EForbidden {
			t.Errorf("an ADV reads the raw bytes: %v", err)
		}
		if ts := e.tickets(ch); len(ts) != 1 || ts[0].Subject != "Suivant" {
			t.Errorf("tickets: %+v", ts)
		}
	})
}

// With unknown_senders off, a message that threads to no ticket is parked
// and opens none.
func TestUnknownSendersOff(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ch := e.mailbox(desk.ChannelEmail, "SAV", "unknown_senders", "false")
		e.deliver(email("Publicité.", "From", "Spam <spam@ailleurs.test>", "To", "sav@boutique.test", "Subject", "Offre", "Message-ID", "<spam@ailleurs.test>"))
		rep := e.sync(ch)
		if rep.Stored != 0 || rep.Parked != 1 || len(e.tickets(ch)) != 0 {
			t.Fatalf("sync: %+v", rep)
		}
		if ps := e.parked(); len(ps) != 1 || !strings.Contains(ps[0].Reason, "expéditeur inconnu") {
			t.Errorf("parked: %+v", ps)
		}
	})
}

// Messages are deleted from the mailbox after sync only when asked, and
// only once stored (the next fetch deletes what the committed cursor covers).
func TestDeleteAfterSync(t *testing.T) {
	for _, del := range []string{"false", "true"} {
		t.Run("delete_after_sync="+del, func(t *testing.T) {
			storetest.ForEach(t, func(t *testing.T, s *store.Store) {
				e := newEnv(t, s)
				ch := e.mailbox(desk.ChannelEmail, "SAV "+del, "delete_after_sync", del)
				for i := range 3 {
					e.deliver(email(fmt.Sprintf("Message %d", i), "From", "A <a@client.test>", "To", "sav@boutique.test",
						"Subject", "x", "Message-ID", fmt.Sprintf("<del-%s-%d@client.test>", del, i)))
				}
				if rep := e.sync(ch); rep.Stored != 3 {
					t.Fatalf("delete_after_sync=%s: %+v", del, rep)
				}
				if n := e.srv.imap.Count(t, "sav", "INBOX"); n != 3 && del == "false" {
					t.Errorf("kept: %d messages left, want 3", n)
				}
				e.sync(ch) // the next fetch deletes what the first one stored
				want := map[string]int{"false": 3, "true": 0}[del]
				if n := e.srv.imap.Count(t, "sav", "INBOX"); n != want {
					t.Errorf("delete_after_sync=%s: %d messages left, want %d", del, n, want)
				}
				if n := len(e.incoming(e.tickets(ch)[0].ID)); n != 3 {
					t.Errorf("delete_after_sync=%s: %d messages stored", del, n)
				}
			})
		})
	}
}

// A self-signed IMAP server is refused (for an admin to decide) unless
// skip_verify says to accept it.
func TestIMAPSelfSignedRefusedUnlessSkipVerify(t *testing.T) {
	for _, sec := range []mailtest.Security{mailtest.TLS, mailtest.StartTLS} {
		s := startServers(t, sec, mailtest.None)
		s.imap.Append(t, "sav", "INBOX", []byte(email("x", "From", "a@b.test", "Subject", "x")))
		strict := connector(t, desk.ChannelEmail, s.settings("skip_verify", "false"))
		if _, err := strict.Fetch(context.Background(), ""); err == nil || channel.KindOf(err) != channel.Unauthorized {
			t.Errorf("%s, verified: err %v (kind %v), want the certificate refused", sec, err, channel.KindOf(err))
		}
		lax := connector(t, desk.ChannelEmail, s.settings("skip_verify", "true"))
		b, err := lax.Fetch(context.Background(), "")
		if err != nil || len(b.Messages) != 1 {
			t.Errorf("%s, skip_verify: %d messages, %v", sec, len(b.Messages), err)
		}
	}
}

// A wrong IMAP password needs an admin: Unauthorized, not retried blindly.
func TestIMAPWrongPassword(t *testing.T) {
	s := startServers(t, mailtest.TLS, mailtest.None)
	c := connector(t, desk.ChannelEmail, s.settings("password", "faux"))
	if _, err := c.Fetch(context.Background(), ""); channel.KindOf(err) != channel.Unauthorized {
		t.Fatalf("err %v (kind %v), want Unauthorized", err, channel.KindOf(err))
	}
}
