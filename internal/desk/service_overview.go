package desk

import "context"

// ServiceStats is the customer service's activity since the start
// (« Statistiques »). Messages from agents leave out the desk's automatic
// ones (signed « Système »).
type ServiceStats struct {
	Threads          int `json:"threads"` // tickets
	Pending          int `json:"pending"` // waiting for the customer
	CustomerMessages int `json:"customer_messages"`
	AgentMessages    int `json:"agent_messages"`
	Unread           int `json:"unread"` // waiting for us: a customer's message unanswered
	Closed           int `json:"closed"`
}

// ContactBox is one contact's box of the overview: its new messages.
type ContactBox struct {
	Contact
	New int `json:"new"` // its form messages on tickets waiting for us
}

// ServiceOverview is the customer-service page: a box per contact, the
// status legend (Statuses) and the statistics.
type ServiceOverview struct {
	Contacts []ContactBox `json:"contacts"`
	Stats    ServiceStats `json:"stats"`
}

// OverviewTx counts for the overview.
type OverviewTx interface {
	ServiceStats(ctx context.Context) (ServiceStats, error)
	// ContactsNew counts, per contact, its form messages on tickets waiting for us.
	ContactsNew(ctx context.Context) (map[int64]int, error)
}

// ServiceOverview returns the customer-service overview. Agents only.
func (d *Desk) ServiceOverview(ctx context.Context, actor Actor) (ServiceOverview, error) {
	if actor.AgentID == 0 {
		return ServiceOverview{}, Errorf(EForbidden, "réservé aux agents")
	}
	var o ServiceOverview
	err := d.store.Read(ctx, func(tx Tx) error {
		cs, err := tx.Contacts(ctx)
		if err != nil {
			return err
		}
		counts, err := tx.ContactsNew(ctx)
		if err != nil {
			return err
		}
		o.Contacts = o.Contacts[:0]
		for _, c := range cs {
			o.Contacts = append(o.Contacts, ContactBox{Contact: c, New: counts[c.ID]})
		}
		o.Stats, err = tx.ServiceStats(ctx)
		return err
	})
	return o, err
}

// TicketFormMessages is what the form knew of a ticket's messages (browser,
// address, product), by message id. Agents only.
func (d *Desk) TicketFormMessages(ctx context.Context, actor Actor, ticketID int64) (map[int64]FormMessage, error) {
	if actor.AgentID == 0 {
		return nil, Errorf(EForbidden, "réservé aux agents")
	}
	out := map[int64]FormMessage{}
	err := d.store.Read(ctx, func(tx Tx) error {
		fs, err := tx.FormMessages(ctx, ticketID)
		for _, f := range fs {
			out[f.MessageID] = f
		}
		return err
	})
	return out, err
}
