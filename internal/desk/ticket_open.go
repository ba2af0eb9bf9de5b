package desk

import (
	"context"
	"time"
)

// customerUpsertTx is what upsertCustomers needs: CustomersByExternal
// finds the channel's customers of these external ids, InsertCustomers
// stores customers of distinct external ids, or finds those that exist.
type customerUpsertTx interface {
	CustomersByExternal(ctx context.Context, channelID int64, externalIDs []string) ([]Customer, error)
	InsertCustomers(ctx context.Context, cs []*Customer) error
	UpdateCustomer(ctx context.Context, c *Customer) error
}

// CustomerTx reads and stores customers.
type CustomerTx interface {
	customerUpsertTx
	CustomerByID(ctx context.Context, id int64) (Customer, error)
	CustomerByExternal(ctx context.Context, channelID int64, externalID string) (Customer, error)
	InsertCustomer(ctx context.Context, c *Customer) error
}

// CustomerInput describes a customer as a channel or a person knows them.
type CustomerInput struct {
	ExternalID string `json:"external_id,omitempty"`
	Name       string `json:"name,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
}

// OpenInput asks for the ticket of an order.
type OpenInput struct {
	ChannelID int64         `json:"channel_id"`
	OrderRef  string        `json:"order_ref"`
	Customer  CustomerInput `json:"customer"`
	Subject   string        `json:"subject,omitempty"`
	Problem   string        `json:"customer_problem,omitempty"`
	// CustomerID, when set, is the customer record the ticket is for (an
	// agent opening it from a customer's page); Customer is then ignored.
	CustomerID int64 `json:"customer_id,omitempty"`
}

// OpenTicket returns the ticket of an order, creating it if the order has none.
// This is what the shop's order-page button calls. A ticket opened by an agent
// is theirs; one opened by the system goes to the channel's responsible ADV.
func (d *Desk) OpenTicket(ctx context.Context, actor Actor, in OpenInput) (t Ticket, created bool, err error) {
	ref, err := checkLine("order_ref", in.OrderRef, maxOrderRef, false)
	if err != nil {
		return Ticket{}, false, err
	}
	subject, err := checkLine("subject", in.Subject, maxLine, false)
	if err != nil {
		return Ticket{}, false, err
	}
	problem, err := checkLine("customer_problem", in.Problem, maxLine, false)
	if err != nil {
		return Ticket{}, false, err
	}
	cust, err := checkCustomer(in.Customer)
	if err != nil {
		return Ticket{}, false, err
	}
	if in.ChannelID <= 0 {
		return Ticket{}, false, Invalid("channel_id", "canal obligatoire")
	}
	now := d.Now()
	err = d.store.Write(ctx, func(tx Tx) error {
		ch, err := tx.ChannelByID(ctx, in.ChannelID)
		if IsNotFound(err) {
			return Invalid("channel_id", "canal inconnu")
		}
		if err != nil {
			return err
		}
		if ref != "" {
			t, err = tx.TicketByOrder(ctx, ch.ID, ref)
			if err == nil || !IsNotFound(err) {
				return err
			}
		}
		t = Ticket{
			ChannelID: ch.ID, OrderRef: ref, Subject: subject, Problem: problem,
			Status: StatusWaitingAdmin, Priority: P1,
			AssigneeID: actor.AgentID,
			OpenedAt:   now, LastActivityAt: now,
		}
		dl, err := d.startDeadline(ctx, tx, ch, &t, now)
		if err != nil {
			return err
		}
		if actor.AgentID == 0 {
			t.AssigneeID = ch.ResponsibleID
		}
		if in.CustomerID != 0 {
			if _, err := tx.CustomerByID(ctx, in.CustomerID); IsNotFound(err) {
				return Invalid("customer_id", "client inconnu")
			} else if err != nil {
				return err
			}
			t.CustomerID = in.CustomerID
		} else if t.CustomerID, err = upsertCustomer(ctx, tx, ch.ID, cust, now); err != nil {
			return err
		}
		if t.RealEmail, err = personRealEmail(ctx, tx, t.CustomerID); err != nil {
			return err
		}
		if created, err = tx.InsertTicket(ctx, &t); err != nil {
			return err
		}
		if !created { // another call opened it just before us
			t, err = tx.TicketByOrder(ctx, ch.ID, ref)
			return err
		}
		if err := tx.IndexTicket(ctx, t.ID); err != nil {
			return err
		}
		if err := tx.InsertEvent(ctx, &Event{TicketID: t.ID, At: now, AgentID: actor.AgentID, ActorName: actor.Name, Kind: EventCreated, New: ch.Name}); err != nil {
			return err
		}
		dl.TicketID = t.ID
		return tx.InsertEvent(ctx, &dl)
	})
	if err != nil {
		return Ticket{}, false, err
	}
	if created {
		d.notify(Change{TicketID: t.ID, Kind: EventCreated, AgentID: actor.AgentID})
	}
	return t, created, nil
}

func checkCustomer(c CustomerInput) (CustomerInput, error) {
	var err error
	if c.ExternalID, err = checkLine("customer.external_id", c.ExternalID, maxOrderRef, false); err != nil {
		return c, err
	}
	if c.Name, err = checkLine("customer.name", c.Name, maxNameChars, false); err != nil {
		return c, err
	}
	if c.Email, err = checkEmail("customer.email", c.Email); err != nil {
		return c, err
	}
	if c.Phone, err = checkLine("customer.phone", c.Phone, 40, false); err != nil {
		return c, err
	}
	return c, nil
}

// upsertCustomer finds the channel's customer by external id, or stores a new
// one; it returns 0 when nothing is known of the customer.
func upsertCustomer(ctx context.Context, tx customerUpsertTx, channelID int64, in CustomerInput, now time.Time) (int64, error) {
	ids, err := upsertCustomers(ctx, tx, channelID, []CustomerInput{in}, now)
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// upsertCustomers returns the customer of each input (0 for an empty one):
// the channel's customer of that external id, brought up to date with what
// the input says, or a new one. Each statement serves all the inputs.
func upsertCustomers(ctx context.Context, tx customerUpsertTx, channelID int64, ins []CustomerInput, now time.Time) ([]int64, error) {
	var external []string
	for _, in := range ins {
		if in.ExternalID != "" {
			external = append(external, in.ExternalID)
		}
	}
	known := map[string]*Customer{}
	if len(external) > 0 {
		found, err := tx.CustomersByExternal(ctx, channelID, external)
		if err != nil {
			return nil, err
		}
		for i := range found {
			known[found[i].ExternalID] = &found[i]
		}
	}
	of := make([]*Customer, len(ins))
	var fresh []*Customer
	for i, in := range ins {
		if in == (CustomerInput{}) {
			continue
		}
		if c := known[in.ExternalID]; c != nil && in.ExternalID != "" {
			of[i] = c
			if c.ID != 0 && ((in.Name != "" && in.Name != c.Name) || (in.Email != "" && in.Email != c.Email) || (in.Phone != "" && in.Phone != c.Phone)) {
				c.Name, c.Email, c.Phone = or(in.Name, c.Name), or(in.Email, c.Email), or(in.Phone, c.Phone)
				if err := tx.UpdateCustomer(ctx, c); err != nil {
					return nil, err
				}
			}
			continue
		}
		c := &Customer{ChannelID: channelID, ExternalID: in.ExternalID, Name: in.Name, Email: in.Email, Phone: in.Phone, CreatedAt: now}
		if in.ExternalID != "" {
			known[in.ExternalID] = c // the batch's other orders of this customer take it too
		}
		of[i] = c
		fresh = append(fresh, c)
	}
	if len(fresh) > 0 {
		if err := tx.InsertCustomers(ctx, fresh); err != nil {
			return nil, err
		}
	}
	ids := make([]int64, len(ins))
	for i, c := range of {
		if c != nil {
			ids[i] = c.ID
		}
	}
	return ids, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
