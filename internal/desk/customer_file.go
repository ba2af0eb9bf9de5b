package desk

import (
	"context"
	"sort"
)

// Events of a ticket's history when its customer is linked to another
// person or unlinked from it.
const (
	EventCustomerLinked   EventKind = "customer_linked"
	EventCustomerUnlinked EventKind = "customer_unlinked"
)

// CustomerFile is a person's page: the person, the records linked to it
// (each from a channel, or the shop), every identity, and their tickets.
type CustomerFile struct {
	Person     Customer   `json:"person"`
	Records    []Customer `json:"records"` // the person's own record first
	Identities []Identity `json:"identities"`
	Tickets    []Ticket   `json:"tickets"`
}

// Linked reports the records linked to the person (not its own).
func (f CustomerFile) Linked() []Customer {
	if len(f.Records) <= 1 {
		return nil
	}
	return f.Records[1:]
}

// RecordIDs are the ids of the person's records.
func (f CustomerFile) RecordIDs() []int64 {
	ids := make([]int64, len(f.Records))
	for i, r := range f.Records {
		ids[i] = r.ID
	}
	return ids
}

const customerFileTickets = 200

// CustomerFile returns the person a customer record belongs to, with what
// its page shows. A record linked to another person gives that person.
func (d *Desk) CustomerFile(ctx context.Context, actor Actor, id int64) (CustomerFile, error) {
	if actor.AgentID == 0 {
		return CustomerFile{}, Errorf(EForbidden, "réservé aux agents")
	}
	var f CustomerFile
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		f, err = loadCustomerFile(ctx, tx, id)
		return err
	})
	return f, err
}

func loadCustomerFile(ctx context.Context, tx Tx, id int64) (CustomerFile, error) {
	var f CustomerFile
	c, err := tx.CustomerByID(ctx, id)
	if err != nil {
		return f, err
	}
	if f.Records, err = tx.CustomerRecords(ctx, c.PersonID()); err != nil {
		return f, err
	}
	if len(f.Records) == 0 {
		return f, NotFound("client")
	}
	f.Person = f.Records[0]
	ids := f.RecordIDs()
	if f.Identities, err = tx.CustomerIdentities(ctx, ids); err != nil {
		return f, err
	}
	if f.Tickets, err = tx.TicketsOfCustomers(ctx, ids, customerFileTickets); err != nil {
		return f, err
	}
	// The person's real address: its own, or the first a linked record has.
	for _, r := range f.Records {
		if f.Person.RealEmail == "" {
			f.Person.RealEmail = r.RealEmail
		}
	}
	return f, nil
}

// SetCustomerNote stores a person's private note (agents only, never shown
// to the customer).
func (d *Desk) SetCustomerNote(ctx context.Context, actor Actor, id int64, note string) error {
	if actor.AgentID == 0 {
		return Errorf(EForbidden, "réservé aux agents")
	}
	if err := checkText("note", note); err != nil {
		return err
	}
	if len([]rune(note)) > 5000 {
		return Invalid("note", "note trop longue (5 000 caractères au plus)")
	}
	return d.store.Write(ctx, func(tx Tx) error {
		c, err := tx.CustomerByID(ctx, id)
		if err != nil {
			return err
		}
		return tx.SetCustomerNote(ctx, c.PersonID(), note)
	})
}

// LinkCustomers says that the person of other is the person of id: its
// records join id's person (the first stays the person). Each ticket of
// both records tells it in its history. Undone by UnlinkCustomer.
func (d *Desk) LinkCustomers(ctx context.Context, actor Actor, id, other int64) error {
	if actor.AgentID == 0 {
		return Errorf(EForbidden, "réservé aux agents")
	}
	now := d.Now()
	var changed []int64
	err := d.store.Write(ctx, func(tx Tx) error {
		into, err := loadCustomerFile(ctx, tx, id)
		if err != nil {
			return err
		}
		from, err := loadCustomerFile(ctx, tx, other)
		if IsNotFound(err) {
			return Invalid("other", "client inconnu")
		}
		if err != nil {
			return err
		}
		if from.Person.ID == into.Person.ID {
			return Invalid("other", "ces fiches sont déjà celles d'une même personne")
		}
		for _, r := range from.Records {
			if err := tx.SetCustomerMerged(ctx, r.ID, into.Person.ID); err != nil {
				return err
			}
		}
		text := from.Person.DisplayName() + " → " + into.Person.DisplayName()
		for _, t := range append(into.Tickets, from.Tickets...) {
			if err := tx.InsertEvent(ctx, &Event{TicketID: t.ID, At: now, AgentID: actor.AgentID, ActorName: actor.Name,
				Kind: EventCustomerLinked, New: text}); err != nil {
				return err
			}
			changed = append(changed, t.ID)
		}
		return nil
	})
	if err == nil {
		d.announce(changed, EventCustomerLinked, actor)
	}
	return err
}

// UnlinkCustomer makes a linked record a person of its own again, as it was
// before LinkCustomers; the tickets of both tell it in their history.
func (d *Desk) UnlinkCustomer(ctx context.Context, actor Actor, recordID int64) error {
	if actor.AgentID == 0 {
		return Errorf(EForbidden, "réservé aux agents")
	}
	now := d.Now()
	var changed []int64
	err := d.store.Write(ctx, func(tx Tx) error {
		rec, err := tx.CustomerByID(ctx, recordID)
		if err != nil {
			return err
		}
		if rec.MergedInto == 0 {
			return Invalid("record", "cette fiche n'est liée à personne")
		}
		person, err := loadCustomerFile(ctx, tx, rec.MergedInto)
		if err != nil {
			return err
		}
		if err := tx.SetCustomerMerged(ctx, rec.ID, 0); err != nil {
			return err
		}
		text := rec.DisplayName() + " ↛ " + person.Person.DisplayName()
		for _, t := range person.Tickets {
			if err := tx.InsertEvent(ctx, &Event{TicketID: t.ID, At: now, AgentID: actor.AgentID, ActorName: actor.Name,
				Kind: EventCustomerUnlinked, New: text}); err != nil {
				return err
			}
			changed = append(changed, t.ID)
		}
		return nil
	})
	if err == nil {
		d.announce(changed, EventCustomerUnlinked, actor)
	}
	return err
}

func (d *Desk) announce(ticketIDs []int64, kind EventKind, actor Actor) {
	sort.Slice(ticketIDs, func(i, j int) bool { return ticketIDs[i] < ticketIDs[j] })
	cs := make([]Change, 0, len(ticketIDs))
	for _, id := range ticketIDs {
		cs = append(cs, Change{TicketID: id, Kind: kind, AgentID: actor.AgentID})
	}
	if len(cs) > 0 {
		d.notify(cs...)
	}
}

// rememberRealEmail makes a ticket's « Email client », typed by an agent,
// the real address of the ticket's person (customers brief: the ticket's
// email is the person's).
func rememberRealEmail(ctx context.Context, tx Tx, t Ticket, email *string) error {
	if email == nil || *email == "" || t.CustomerID == 0 {
		return nil
	}
	c, err := tx.CustomerByID(ctx, t.CustomerID)
	if err != nil {
		return err
	}
	return tx.SetCustomerRealEmail(ctx, c.PersonID(), *email)
}

// personRealEmail is the real address of a record's person, which a new
// ticket's « Email client » starts from ("" when none is known).
func personRealEmail(ctx context.Context, tx Tx, customerID int64) (string, error) {
	if customerID == 0 {
		return "", nil
	}
	c, err := tx.CustomerByID(ctx, customerID)
	if err != nil {
		return "", err
	}
	if c.MergedInto != 0 {
		if c, err = tx.CustomerByID(ctx, c.MergedInto); err != nil {
			return "", err
		}
	}
	return c.RealEmail, nil
}
