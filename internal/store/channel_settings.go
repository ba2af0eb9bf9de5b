package store

import "context"

// ChannelSettings returns the channel's sealed connector settings (nil: none).
func (t *tx) ChannelSettings(ctx context.Context, channelID int64) ([]byte, error) {
	var b []byte
	err := t.queryRow(ctx, `SELECT settings FROM channels WHERE id = $1`, channelID).Scan(&b)
	return b, notFound(err, "canal")
}

// SetChannelSettings stores the channel's sealed connector settings.
func (t *tx) SetChannelSettings(ctx context.Context, channelID int64, sealed []byte) error {
	_, err := t.exec(ctx, `UPDATE channels SET settings = $2 WHERE id = $1`, channelID, sealed)
	return err
}
