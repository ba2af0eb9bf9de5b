package store_test

import (
	"bytes"
	"testing"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// A channel's sealed settings are stored beside it, never on desk.Channel,
// and only admins set them.
func TestChannelSettings(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		d := desk.New(desk.Config{Store: s})
		d.EnsureAdmin(ctx, "admin@example.fr")
		agents, _ := d.Agents(ctx)
		admin := desk.ActorOf(agents[0])
		ch, err := d.SaveChannel(ctx, admin, desk.Channel{Kind: desk.ChannelKaufland, Name: "Kaufland", DeadlinePolicy: "48h business", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if b, err := d.SealedSettings(ctx, ch.ID); err != nil || b != nil {
			t.Fatalf("new channel's settings: %x %v", b, err)
		}
		sealed := []byte{1, 2, 3, 0, 255}
		if err := d.SetSealedSettings(ctx, desk.Actor{AgentID: 99, Role: desk.RoleADV}, ch.ID, sealed); desk.ErrorCode(err) != desk.EForbidden {
			t.Errorf("an ADV set settings: %v", err)
		}
		if err := d.SetSealedSettings(ctx, admin, ch.ID, sealed); err != nil {
			t.Fatal(err)
		}
		if b, err := d.SealedSettings(ctx, ch.ID); err != nil || !bytes.Equal(b, sealed) {
			t.Errorf("settings read back: %x %v", b, err)
		}
		// Saving the channel's other fields keeps its settings.
		ch.Name = "Kaufland.de"
		if _, err := d.SaveChannel(ctx, admin, ch); err != nil {
			t.Fatal(err)
		}
		if b, _ := d.SealedSettings(ctx, ch.ID); !bytes.Equal(b, sealed) {
			t.Errorf("settings after a channel save: %x", b)
		}
		if _, err := d.SealedSettings(ctx, 9999); !desk.IsNotFound(err) {
			t.Errorf("unknown channel: %v", err)
		}
		if err := d.SetSealedSettings(ctx, admin, 9999, sealed); !desk.IsNotFound(err) {
			t.Errorf("unknown channel: %v", err)
		}
	})
}
