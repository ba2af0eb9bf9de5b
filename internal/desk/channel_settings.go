package desk

import "context"

// SettingsTx keeps a channel's connector settings, sealed (see package
// secret): desk stores and hands back bytes it cannot read, and they never
// sit on Channel, which the API returns.
type SettingsTx interface {
	// ChannelSettings returns the sealed settings (nil when none are set);
	// ENotFound for an unknown channel.
	ChannelSettings(ctx context.Context, channelID int64) ([]byte, error)
	SetChannelSettings(ctx context.Context, channelID int64, sealed []byte) error
}

// Channel returns one channel.
func (d *Desk) Channel(ctx context.Context, id int64) (Channel, error) {
	var c Channel
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		c, err = tx.ChannelByID(ctx, id)
		return err
	})
	return c, err
}

// SealedSettings returns a channel's sealed connector settings, nil when
// none are set. For the connectors' wiring only: no page or API shows them.
func (d *Desk) SealedSettings(ctx context.Context, channelID int64) ([]byte, error) {
	var b []byte
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		b, err = tx.ChannelSettings(ctx, channelID)
		return err
	})
	return b, err
}

// maxSealedSettings bounds what a channel's settings take once sealed.
const maxSealedSettings = 64 << 10

// SetSealedSettings stores a channel's sealed connector settings. Admins only.
func (d *Desk) SetSealedSettings(ctx context.Context, actor Actor, channelID int64, sealed []byte) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if len(sealed) > maxSealedSettings {
		return &Error{Code: ETooLarge, Field: "settings", Message: "réglages trop volumineux"}
	}
	return d.store.Write(ctx, func(tx Tx) error {
		if _, err := tx.ChannelByID(ctx, channelID); err != nil {
			return err
		}
		return tx.SetChannelSettings(ctx, channelID, sealed)
	})
}
