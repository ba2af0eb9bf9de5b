package sync_test

import (
	"context"
	gosync "sync"
	"testing"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
	gsync "guichet/internal/sync"
)

// Two replies queued in a thread the channel has no conversation for yet:
// the first opens it; the second, delivered at the same time by another
// sender, waits for it instead of opening a second conversation, then
// goes into the one opened.
func TestRepliesWaitForTheOneThatOpensTheConversation(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e, fake, ch := outboxEnv(t, s)
		first := e.replyTo(t, ch, "K-0", "Première réponse")
		second := e.replyTo(t, ch, "K-0", "Deuxième réponse")
		rec := &openRecorder{fakeChannel: fake}
		e.fakes[ch.ID] = rec
		many := func(c *gsync.Config) { c.Senders = 4 }
		e.runner("p1", many).DeliverDue(ctx, 0)
		e.clock.Add(time.Minute)
		e.runner("p1", many).DeliverDue(ctx, 0)
		if got := rec.threads(); len(got) != 2 || got[first.ID] != "" || got[second.ID] != "conv-K-0" {
			t.Errorf("sent with conversations %v; want the first to open it, the second into it", got)
		}
		for _, id := range []int64{first.ID, second.ID} {
			if d := e.delivery(t, id); d.State != desk.OutboxSent {
				t.Errorf("reply %d: %+v", id, d)
			}
		}
	})
}

// openRecorder opens a conversation for a reply without one, and records
// the conversation each reply was sent with.
type openRecorder struct {
	*fakeChannel
	mu   gosync.Mutex
	sent map[int64]string
}

func (o *openRecorder) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	o.mu.Lock()
	if o.sent == nil {
		o.sent = map[int64]string{}
	}
	o.sent[r.MessageID] = r.ThreadExternalID
	o.mu.Unlock()
	s, err := o.fakeChannel.Send(ctx, r)
	if r.ThreadExternalID == "" {
		s.ThreadExternalID = "conv-" + r.OrderRef
	}
	return s, err
}

func (o *openRecorder) threads() map[int64]string {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := map[int64]string{}
	for k, v := range o.sent {
		out[k] = v
	}
	return out
}
