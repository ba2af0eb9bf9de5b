package mail_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/channeltest"
	"guichet/internal/channel/mail/mailtest"
	"guichet/internal/desk"
)

func TestContract(t *testing.T) {
	channeltest.Run(t, channeltest.Harness{New: func(t *testing.T) channeltest.Fixture {
		s := startServers(t, mailtest.TLS, mailtest.StartTLS)
		c := connector(t, desk.ChannelEmail, s.settings())
		var n atomic.Int64
		sender := func(conv int) string { return fmt.Sprintf("client%d@client.test", conv) }
		return channeltest.Fixture{
			Connector: c,
			AddMessage: func(conv int, at time.Time, body string) {
				id := n.Add(1)
				s.imap.Append(t, "sav", "INBOX", []byte(email(body, "From", sender(conv), "To", "sav@boutique.test",
					"Subject", fmt.Sprintf("Conversation %d", conv), "Date", at.Format(time.RFC1123Z), "Message-ID", fmt.Sprintf("<m%d@client.test>", id))))
			},
			Now: time.Now,
			Reply: func(conv int) channel.Reply {
				return channel.Reply{TicketID: int64(conv + 1), ThreadKind: desk.ThreadCustomer, ThreadExternalID: sender(conv),
					CustomerEmail: sender(conv), Subject: fmt.Sprintf("Conversation %d", conv), TicketNumber: strconv.Itoa(conv + 1)}
			},
			PageSize: 100,
			CursorNotBefore: func(a, b string) (bool, error) {
				ua, err := lastUID(a)
				if err != nil {
					return false, err
				}
				ub, err := lastUID(b)
				return ua >= ub, err
			},
		}
	}})
}

func lastUID(cursor string) (uint64, error) {
	parts := strings.Split(cursor, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("cursor %q", cursor)
	}
	return strconv.ParseUint(parts[2], 10, 32)
}
