package kaufland_test

import (
	"net/http"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/channeltest"
	"guichet/internal/channel/kaufland"
	"guichet/internal/channel/kaufland/kauflandfake"
	"guichet/internal/desk"
)

func TestContract(t *testing.T) {
	channeltest.Run(t, channeltest.Harness{New: func(t *testing.T) channeltest.Fixture {
		f := kauflandfake.Start(t)
		c := connect(t, f, &http.Client{Timeout: 5 * time.Second})
		type conv struct{ order, ticket string }
		convs := map[int]conv{}
		open := func(i int) conv {
			if cv, ok := convs[i]; ok {
				return cv
			}
			o := f.AddOrder(kauflandfake.Order{})
			cv := conv{o.ID, f.OpenTicket(o.ID, "product_not_delivered", "delivery_not_received")}
			convs[i] = cv
			return cv
		}
		return channeltest.Fixture{
			Connector: c,
			AddMessage: func(i int, at time.Time, body string) {
				f.AddMessageAt(open(i).ticket, "buyer", body, at)
			},
			Now: f.Now,
			Reply: func(i int) channel.Reply {
				cv := open(i)
				return channel.Reply{OrderRef: cv.order, ThreadKind: desk.ThreadCustomer, ThreadExternalID: cv.ticket}
			},
			PageSize:        30,
			CursorNotBefore: kaufland.CursorNotBefore,
		}
	}})
}
