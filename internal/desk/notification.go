package desk

import (
	"context"
	"time"
)

// Notification is what an agent is told in the app: a ticket forwarded to
// them, a deadline about to pass. Email asks for it to go by email too
// (when the agent wants their notifications by email).
type Notification struct {
	ID        int64     `json:"id"`
	AgentID   int64     `json:"agent_id"`
	TicketID  int64     `json:"ticket_id,omitempty"`
	Kind      string    `json:"kind"` // "forward", "deadline"...
	Text      string    `json:"text"`
	ByName    string    `json:"by_name,omitempty"` // who caused it; "" for the desk itself
	CreatedAt time.Time `json:"created_at"`
	ReadAt    time.Time `json:"read_at,omitzero"`
	// EmailState: "" (app only), "pending" (to send by email), "sent", "failed".
	EmailState string `json:"email_state,omitempty"`
}

// NotificationTx stores agents' notifications.
type NotificationTx interface {
	InsertNotification(ctx context.Context, n *Notification) error
	// Notifications lists an agent's latest first; unread counts them all.
	Notifications(ctx context.Context, agentID int64, limit int) (ns []Notification, unread int, err error)
	// ReadNotifications marks the agent's notifications read: ids, or all
	// of them when ids is empty.
	ReadNotifications(ctx context.Context, agentID int64, ids []int64, at time.Time) error
}

// EventNotified is the Change sent to an agent's pages when they get a
// notification (live updates); it is not stored in a ticket's history.
const EventNotified EventKind = "notified"

const maxNotificationsShown = 50

// Notify stores a notification for an agent and tells their open pages.
func (d *Desk) Notify(ctx context.Context, n Notification) (Notification, error) {
	text, err := checkLine("text", n.Text, 500, true)
	if err != nil {
		return Notification{}, err
	}
	if n.AgentID == 0 || n.Kind == "" {
		return Notification{}, Invalid("agent_id", "destinataire et type requis")
	}
	n.Text, n.CreatedAt, n.ReadAt = text, d.Now(), time.Time{}
	if err := d.store.Write(ctx, func(tx Tx) error { return tx.InsertNotification(ctx, &n) }); err != nil {
		return Notification{}, err
	}
	if d.notifier != nil {
		d.notifier.Notify(Change{TicketID: n.TicketID, Kind: EventNotified, AgentID: n.AgentID})
	}
	return n, nil
}

// Notifications lists the actor's notifications, latest first, and how
// many are unread.
func (d *Desk) Notifications(ctx context.Context, actor Actor) ([]Notification, int, error) {
	if actor.AgentID == 0 {
		return nil, 0, Errorf(EForbidden, "réservé aux agents")
	}
	var ns []Notification
	var unread int
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		ns, unread, err = tx.Notifications(ctx, actor.AgentID, maxNotificationsShown)
		return err
	})
	return ns, unread, err
}

// ReadNotifications marks the actor's notifications read (all of them
// when ids is empty).
func (d *Desk) ReadNotifications(ctx context.Context, actor Actor, ids []int64) error {
	if actor.AgentID == 0 {
		return Errorf(EForbidden, "réservé aux agents")
	}
	return d.store.Write(ctx, func(tx Tx) error { return tx.ReadNotifications(ctx, actor.AgentID, ids, d.Now()) })
}
