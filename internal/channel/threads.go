package channel

import (
	"context"
	"slices"

	"guichet/internal/desk"
)

// StartsThreads says which conversations a reply can open on a ticket of
// the channel that has none of that kind yet (see ThreadStarter). known is
// false when the channel has no connector, or one that does not say: the
// page then keeps its default (the customer thread).
func (cs *Connectors) StartsThreads(ctx context.Context, ch desk.Channel, withOrder bool) (kinds []desk.ThreadKind, known bool) {
	conn, err := cs.Connector(ctx, ch)
	if err != nil {
		return nil, false
	}
	ts, ok := conn.(ThreadStarter)
	if !ok {
		return nil, false
	}
	return slices.Clone(ts.StartsThreads(withOrder)), true
}
