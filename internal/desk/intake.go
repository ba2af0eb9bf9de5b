package desk

import "context"

// MaxIntakeBatch is how many messages one intake call may bring.
const MaxIntakeBatch = 500

// IngestChannel stores messages a system pushes for a channel that has no
// connector (POST /api/v1/channels/{id}/messages): the same path as a
// sync's (parking, dedupe by source id), for one channel. Integrations and
// admins only: an ADV's own token does not feed channels.
func (d *Desk) IngestChannel(ctx context.Context, actor Actor, channelID int64, batch []Incoming) (IngestResult, error) {
	if actor.AgentID != 0 && !actor.IsAdmin() {
		return IngestResult{}, Errorf(EForbidden, "réservé aux intégrations et aux administrateurs")
	}
	switch {
	case len(batch) == 0:
		return IngestResult{}, Invalid("messages", "au moins un message attendu")
	case len(batch) > MaxIntakeBatch:
		return IngestResult{}, &Error{Code: ETooLarge, Field: "messages", Message: "trop de messages dans le lot (500 au plus)"}
	}
	if _, err := d.Channel(ctx, channelID); err != nil {
		return IngestResult{}, err
	}
	for i := range batch {
		batch[i].ChannelID = channelID
	}
	return d.Ingest(ctx, batch)
}
