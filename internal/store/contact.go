package store

import (
	"context"
	"database/sql"
	"fmt"

	"guichet/internal/desk"
)

const contactColumns = `id, name, email, channel_id, save_messages, description, position, created_at`

func scanContact(r scanner) (desk.Contact, error) {
	var c desk.Contact
	var channel sql.NullInt64
	var save int
	var created int64
	err := r.Scan(&c.ID, &c.Name, &c.Email, &channel, &save, &c.Description, &c.Position, &created)
	c.ChannelID, c.SaveMessages, c.CreatedAt = channel.Int64, save != 0, fromMS(created)
	return c, err
}

func (t *tx) Contacts(ctx context.Context) ([]desk.Contact, error) {
	rows, err := t.query(ctx, `SELECT `+contactColumns+` FROM contacts ORDER BY position, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (t *tx) ContactByID(ctx context.Context, id int64) (desk.Contact, error) {
	c, err := scanContact(t.queryRow(ctx, `SELECT `+contactColumns+` FROM contacts WHERE id = $1`, id))
	return c, notFound(err, "contact")
}

func (t *tx) InsertContact(ctx context.Context, c *desk.Contact) error {
	var err error
	c.ID, _, err = t.insertID(ctx, `INSERT INTO contacts (name, email, channel_id, save_messages, description, position, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.Name, c.Email, nullID(c.ChannelID), boolInt(c.SaveMessages), c.Description, c.Position, ms(c.CreatedAt))
	if desk.ErrorCode(err) == desk.EConflict {
		return desk.Invalid("name", "un contact porte déjà ce nom")
	}
	if err != nil {
		return fmt.Errorf("insert contact: %w", err)
	}
	return nil
}

func (t *tx) UpdateContact(ctx context.Context, c *desk.Contact) error {
	_, err := t.exec(ctx, `UPDATE contacts SET name = $1, email = $2, channel_id = $3, save_messages = $4, description = $5, position = $6
		WHERE id = $7`, c.Name, c.Email, nullID(c.ChannelID), boolInt(c.SaveMessages), c.Description, c.Position, c.ID)
	if desk.ErrorCode(err) == desk.EConflict {
		return desk.Invalid("name", "un contact porte déjà ce nom")
	}
	return err
}

func (t *tx) DeleteContact(ctx context.Context, id int64) error {
	_, err := t.exec(ctx, `DELETE FROM contacts WHERE id = $1`, id)
	return err
}

func (t *tx) ServiceSettings(ctx context.Context) (map[string]string, error) {
	rows, err := t.query(ctx, `SELECT key, value FROM service_settings`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

func (t *tx) SetServiceSetting(ctx context.Context, key, value string) error {
	_, err := t.exec(ctx, `INSERT INTO service_settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

func (t *tx) InsertFormMessage(ctx context.Context, f desk.FormMessage) error {
	_, err := t.exec(ctx, `INSERT INTO form_messages (message_id, contact_id, email, product, user_agent, address, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, f.MessageID, nullID(f.ContactID), f.Email, f.Product, f.UserAgent, f.Address, ms(f.CreatedAt))
	return err
}

func (t *tx) FormMessages(ctx context.Context, ticketID int64) ([]desk.FormMessage, error) {
	rows, err := t.query(ctx, `SELECT f.message_id, f.contact_id, f.email, f.product, f.user_agent, f.address, f.created_at
		FROM form_messages f JOIN messages m ON m.id = f.message_id WHERE m.ticket_id = $1 ORDER BY f.message_id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.FormMessage
	for rows.Next() {
		var f desk.FormMessage
		var contact sql.NullInt64
		var created int64
		if err := rows.Scan(&f.MessageID, &contact, &f.Email, &f.Product, &f.UserAgent, &f.Address, &created); err != nil {
			return nil, err
		}
		f.ContactID, f.CreatedAt = contact.Int64, fromMS(created)
		out = append(out, f)
	}
	return out, rows.Err()
}

func (t *tx) MessageBySource(ctx context.Context, channelID int64, sourceID string) (desk.Message, error) {
	var id int64
	err := t.queryRow(ctx, `SELECT m.id FROM messages m JOIN tickets k ON k.id = m.ticket_id
		WHERE m.source_id = $1 AND k.channel_id = $2`, sourceID, channelID).Scan(&id)
	if err != nil {
		return desk.Message{}, notFound(err, "message")
	}
	return t.MessageByID(ctx, id)
}

func (t *tx) ServiceStats(ctx context.Context) (desk.ServiceStats, error) {
	var s desk.ServiceStats
	counts, err := t.CountTickets(ctx, desk.CountFilter{})
	if err != nil {
		return s, err
	}
	for st, n := range counts.ByStatus {
		s.Threads += n
		switch st {
		case desk.StatusWaitingCustomer:
			s.Pending = n
		case desk.StatusWaitingAdmin:
			s.Unread = n
		case desk.StatusClosed:
			s.Closed = n
		}
	}
	rows, err := t.query(ctx, `SELECT author_kind, sum(n) FROM message_counts GROUP BY author_kind`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return s, err
		}
		switch desk.AuthorKind(kind) {
		case desk.AuthorCustomer:
			s.CustomerMessages = n
		case desk.AuthorAgent:
			s.AgentMessages = n
		}
	}
	return s, rows.Err()
}

func (t *tx) ContactsNew(ctx context.Context) (map[int64]int, error) {
	rows, err := t.query(ctx, `SELECT f.contact_id, count(*) FROM form_messages f
		JOIN messages m ON m.id = f.message_id JOIN tickets k ON k.id = m.ticket_id
		WHERE k.status = 'waiting_admin' AND f.contact_id IS NOT NULL GROUP BY f.contact_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

func (t *tx) AgentNotifyByEmail(ctx context.Context, agentID int64) (bool, error) {
	var on int
	err := t.queryRow(ctx, `SELECT notify_email FROM agents WHERE id = $1`, agentID).Scan(&on)
	return on != 0, notFound(err, "agent")
}

func (t *tx) SetAgentNotifyByEmail(ctx context.Context, agentID int64, on bool) error {
	_, err := t.exec(ctx, `UPDATE agents SET notify_email = $1 WHERE id = $2`, boolInt(on), agentID)
	return err
}
