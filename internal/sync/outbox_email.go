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
// tickets whose channel is no email channel: the desk's sending email
// channel (the one forwards and notifications leave by). found is false
// when there is none.
func (r *Runner) emailSender(ctx context.Context) (channel.Connector, bool, error) {
	ch, err := r.c.Desk.SendingChannel(ctx)
	if desk.IsNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return r.connector(ctx, ch)
}
