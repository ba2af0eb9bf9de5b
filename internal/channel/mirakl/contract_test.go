package mirakl_test

import (
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/channel/channeltest"
	"guichet/internal/channel/mirakl"
	"guichet/internal/channel/mirakl/miraklfake"
	"guichet/internal/desk"
)

func TestContract(t *testing.T) {
	channeltest.Run(t, channeltest.Harness{New: func(t *testing.T) channeltest.Fixture {
		f := miraklfake.Start(t)
		c := connect(t, f, nil)
		type conv struct{ order, thread string }
		convs := map[int]conv{}
		open := func(i int) conv {
			if cv, ok := convs[i]; ok {
				return cv
			}
			o := f.AddOrder(miraklfake.Order{})
			cv := conv{o.ID, f.AddThread(o.ID, []string{"CUSTOMER", "OPERATOR"}, "Colis non reçu")}
			convs[i] = cv
			return cv
		}
		return channeltest.Fixture{
			Connector: c,
			AddMessage: func(i int, at time.Time, body string) {
				f.AddMessage(open(i).thread, "CUSTOMER", body, at)
			},
			Now: f.Now,
			Reply: func(i int) channel.Reply {
				cv := open(i)
				return channel.Reply{OrderRef: cv.order, ThreadKind: desk.ThreadCustomer, ThreadExternalID: cv.thread}
			},
			PageSize:        50,
			CursorNotBefore: mirakl.CursorNotBefore,
		}
	}})
}
