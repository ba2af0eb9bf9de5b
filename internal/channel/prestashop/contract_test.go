package prestashop_test

import (
	"strconv"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/channeltest"
	"guichet/internal/channel/prestashop"
	"guichet/internal/channel/prestashop/prestashopfake"
	"guichet/internal/desk"
)

func TestContract(t *testing.T) {
	channeltest.Run(t, channeltest.Harness{New: func(t *testing.T) channeltest.Fixture {
		f := prestashopfake.Start(t)
		c := connect(t, f, nil)
		type conv struct {
			order  string
			thread int
		}
		convs := map[int]conv{}
		open := func(i int) conv {
			if cv, ok := convs[i]; ok {
				return cv
			}
			var cv conv
			if i%2 == 0 {
				o := f.AddOrder(prestashopfake.Order{})
				cv = conv{f.OrderRef(o), f.AddThread(prestashopfake.Thread{Order: o, Customer: 0, Email: "client@example.com"})}
			} else { // the contact form: no order
				cv = conv{"", f.AddThread(prestashopfake.Thread{Email: "visiteur@example.com", Contact: prestashopfake.ContactWebmaster})}
			}
			convs[i] = cv
			return cv
		}
		return channeltest.Fixture{
			Connector: c,
			AddMessage: func(i int, at time.Time, body string) {
				f.AddMessage(open(i).thread, false, body, at)
			},
			Now: f.Now,
			Reply: func(i int) channel.Reply {
				cv := open(i)
				return channel.Reply{OrderRef: cv.order, ThreadKind: desk.ThreadCustomer, ThreadExternalID: strconv.Itoa(cv.thread)}
			},
			PageSize:        50,
			CursorNotBefore: prestashop.CursorNotBefore,
		}
	}})
}
