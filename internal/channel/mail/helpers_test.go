package mail_test

import (
	"strconv"
	"testing"

	"guichet/internal/channel"
	"guichet/internal/channel/mail"
	"guichet/internal/channel/mail/mailtest"
	"guichet/internal/desk"
)

// servers are an IMAP and an SMTP server for one mailbox.
type servers struct {
	imap *mailtest.IMAP
	smtp *mailtest.SMTP
}

func startServers(t *testing.T, imapSec, smtpSec mailtest.Security) servers {
	t.Helper()
	s := servers{imap: mailtest.StartIMAP(t, imapSec), smtp: mailtest.StartSMTP(t, smtpSec, "envoi", "secret-smtp")}
	s.imap.AddUser(t, "sav", "secret-imap")
	return s
}

// settings are the connector's settings on s; extra ones override.
func (s servers) settings(extra ...string) map[string]string {
	m := map[string]string{
		"host": s.imap.Host, "port": strconv.Itoa(s.imap.Port), "username": "sav", "password": "secret-imap",
		"security": string(s.imap.Security), "skip_verify": "true",
		"smtp_host": s.smtp.Host, "smtp_port": strconv.Itoa(s.smtp.Port), "smtp_username": "envoi", "smtp_password": "secret-smtp",
		"smtp_security": string(s.smtp.Security), "smtp_skip_verify": "true",
		"from": "Service client <sav@boutique.test>", "timeout": "5",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

func connector(t *testing.T, kind desk.ChannelKind, settings map[string]string) *mail.Connector {
	t.Helper()
	k := mail.Kind()
	if kind == desk.ChannelAmazon {
		k = mail.AmazonKind()
	}
	checked, err := k.Check(settings)
	if err != nil {
		t.Fatal(err)
	}
	c, err := mail.New(channel.Config{Channel: desk.Channel{ID: 1, Kind: kind, Name: "SAV"}, Settings: checked})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
