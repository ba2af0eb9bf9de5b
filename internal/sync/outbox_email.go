package sync

import (
	"context"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// sendsEmail says whether a channel's own connector sends by email: its
// replies on the Email thread go through it.
func sendsEmail(k desk.ChannelKind) bool { return k == desk.ChannelEmail || k == desk.ChannelAmazon }

// emailSender is the connector that sends the Email thread's replies of
// tickets whose channel is no email channel: Config.EmailChannel, or the
// first active channel of kind email (the lowest id). found is false when
// there is none.
func (r *Runner) emailSender(ctx context.Context) (channel.Connector, bool, error) {
	chs, err := r.channels(ctx)
	if err != nil {
		return nil, false, err
	}
	for _, ch := range chs {
		if ch.Kind != desk.ChannelEmail || !ch.Active || (r.c.EmailChannel != 0 && ch.ID != r.c.EmailChannel) {
			continue
		}
		conn, ok, err := r.connector(ctx, ch)
		if err != nil || !ok {
			return nil, false, err
		}
		return conn, true, nil
	}
	return nil, false, nil
}
