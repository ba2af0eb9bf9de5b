package desk

import (
	"context"
	"time"
)

// DefaultSyncEvery is the time between two fetches of a channel whose
// admins set none (a connector's kind may have its own).
const DefaultSyncEvery = 2 * time.Minute

// MinSyncEvery bounds how often a channel may be fetched: marketplaces
// rate-limit their APIs.
const MinSyncEvery = 30 * time.Second

func (d *Desk) syncView(st SyncState, now time.Time) SyncState {
	st.Running = st.LeaseOwner != "" && st.LeaseUntil.After(now)
	if st.Every == 0 {
		st.Every = DefaultSyncEvery
	}
	return st
}

// SyncState is where a channel's sync stands.
func (d *Desk) SyncState(ctx context.Context, channelID int64) (SyncState, error) {
	var st SyncState
	err := d.store.Read(ctx, func(tx Tx) error {
		if _, err := tx.ChannelByID(ctx, channelID); err != nil {
			return err
		}
		var err error
		st, err = tx.SyncState(ctx, channelID)
		return err
	})
	return d.syncView(st, d.Now()), err
}

// SyncStates lists every channel's sync state, in the channels' order.
func (d *Desk) SyncStates(ctx context.Context) ([]SyncState, error) {
	var chs []Channel
	var sts []SyncState
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		if chs, err = tx.Channels(ctx); err != nil {
			return err
		}
		sts, err = tx.SyncStates(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	byID := map[int64]SyncState{}
	for _, st := range sts {
		byID[st.ChannelID] = st
	}
	now := d.Now()
	out := make([]SyncState, 0, len(chs))
	for _, c := range chs {
		st, ok := byID[c.ID]
		if !ok {
			st = SyncState{ChannelID: c.ID}
		}
		out = append(out, d.syncView(st, now))
	}
	return out, nil
}

// RequestSync makes a channel due now (« Synchroniser maintenant »): the
// next look of any process's scheduler runs it.
func (d *Desk) RequestSync(ctx context.Context, actor Actor, channelID int64) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return d.store.Write(ctx, func(tx Tx) error {
		if _, err := tx.ChannelByID(ctx, channelID); err != nil {
			return err
		}
		return tx.RequestSync(ctx, channelID, d.Now())
	})
}

// SetSyncEvery sets the time between two fetches of a channel.
func (d *Desk) SetSyncEvery(ctx context.Context, actor Actor, channelID int64, every time.Duration) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if every < MinSyncEvery || every > 24*time.Hour {
		return Invalid("every", "entre 30 secondes et 24 heures")
	}
	return d.store.Write(ctx, func(tx Tx) error {
		if _, err := tx.ChannelByID(ctx, channelID); err != nil {
			return err
		}
		return tx.SetSyncEvery(ctx, channelID, every.Truncate(time.Second))
	})
}

// Deliveries lists outbox entries, most recently changed first: all of
// them for the admins (« Envois en échec »), one ticket's (f.TicketID)
// for any agent, who sees every ticket and acts on its replies' delivery.
func (d *Desk) Deliveries(ctx context.Context, actor Actor, f DeliveryFilter) ([]OutboxEntry, error) {
	if f.TicketID != 0 && actor.AgentID != 0 {
		// an agent on a ticket's page
	} else if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if len(f.States) == 0 {
		f.States = []DeliveryState{OutboxFailed, OutboxUnknown}
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	var out []OutboxEntry
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Deliveries(ctx, f)
		return err
	})
	return out, err
}

// RetryDelivery queues a failed or uncertain reply again, now, with its
// attempts counted from zero.
func (d *Desk) RetryDelivery(ctx context.Context, actor Actor, messageID int64) error {
	return d.agentSettles(ctx, actor, messageID, OutboxQueued)
}

// MarkDelivered records that an agent found an uncertain (or failed)
// reply on the channel: it is sent, and will not be sent again.
func (d *Desk) MarkDelivered(ctx context.Context, actor Actor, messageID int64) error {
	return d.agentSettles(ctx, actor, messageID, OutboxSent)
}

func (d *Desk) agentSettles(ctx context.Context, actor Actor, messageID int64, to DeliveryState) error {
	if actor.AgentID == 0 {
		return Errorf(EForbidden, "réservé aux agents")
	}
	var ev Event
	err := d.store.Write(ctx, func(tx Tx) error {
		e, err := tx.Delivery(ctx, messageID)
		if err != nil {
			return err
		}
		if e.State != OutboxFailed && e.State != OutboxUnknown {
			return Errorf(EConflict, "cet envoi n'est ni en échec ni incertain")
		}
		now := d.Now()
		ev = Event{TicketID: e.TicketID, At: now, AgentID: actor.AgentID, ActorName: actor.Name, Kind: EventDelivery,
			Old: string(e.State), New: string(to), MessageID: messageID}
		e.State, e.LastError, e.UpdatedAt, e.NextAt = to, "", now, time.Time{}
		delivery := DeliverySent
		if to == OutboxQueued {
			e.Attempts, e.NextAt, delivery = 0, now, DeliveryQueued
		}
		if err := tx.UpdateDelivery(ctx, &e); err != nil {
			return err
		}
		if err := tx.SetMessageDelivery(ctx, messageID, delivery, "", ""); err != nil {
			return err
		}
		return tx.InsertEvent(ctx, &ev)
	})
	if err == nil {
		d.notifyEvents(actor, []Event{ev})
	}
	return err
}

// OutboxCounts counts the deliveries not sent, by state (for /metrics).
func (d *Desk) OutboxCounts(ctx context.Context) (map[DeliveryState]int, error) {
	var out map[DeliveryState]int
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		out, err = tx.CountDeliveries(ctx)
		return err
	})
	for _, s := range []DeliveryState{OutboxQueued, OutboxSending, OutboxUnknown, OutboxFailed} {
		if _, ok := out[s]; !ok && err == nil {
			out[s] = 0
		}
	}
	return out, err
}
