package store

import (
	"context"
	"database/sql"
	"fmt"

	"guichet/internal/desk"
)

func (t *tx) Threads(ctx context.Context, ticketID int64) ([]desk.Thread, error) {
	rows, err := t.query(ctx, `SELECT id, ticket_id, kind, external_id, subject, created_at, status, status_label FROM threads WHERE ticket_id = $1 ORDER BY id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Thread
	for rows.Next() {
		th, err := scanThread(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, th)
	}
	return out, rows.Err()
}

func scanThread(r scanner) (desk.Thread, error) {
	var th desk.Thread
	var created int64
	err := r.Scan(&th.ID, &th.TicketID, &th.Kind, &th.ExternalID, &th.Subject, &created, &th.Status, &th.StatusLabel)
	th.CreatedAt = fromMS(created)
	return th, err
}

func (t *tx) ThreadByKind(ctx context.Context, ticketID int64, kind desk.ThreadKind, externalID string) (desk.Thread, error) {
	th, err := scanThread(t.queryRow(ctx, `SELECT id, ticket_id, kind, external_id, subject, created_at, status, status_label FROM threads
		WHERE ticket_id = $1 AND kind = $2 AND external_id = $3`, ticketID, kind, externalID))
	return th, notFound(err, "fil de discussion")
}

// InsertThread stores th, or finds the thread of that kind and id the ticket
// has already, and sets th.ID.
func (t *tx) InsertThread(ctx context.Context, th *desk.Thread) error {
	id, inserted, err := t.insertID(ctx, `INSERT INTO threads (ticket_id, kind, external_id, subject, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (ticket_id, kind, external_id) DO NOTHING`,
		th.TicketID, th.Kind, th.ExternalID, th.Subject, ms(th.CreatedAt))
	if err == nil && !inserted {
		err = t.queryRow(ctx, `SELECT id FROM threads WHERE ticket_id = $1 AND kind = $2 AND external_id = $3`,
			th.TicketID, th.Kind, th.ExternalID).Scan(&id)
	}
	if err != nil {
		return fmt.Errorf("insert thread: %w", t.s.dialect.mapError(err))
	}
	th.ID = id
	return nil
}

func (t *tx) InsertMessage(ctx context.Context, m *desk.Message, channelID int64) (bool, error) {
	if m.Seq > maxSeq {
		return false, desk.Errorf(desk.EConflict, "ticket %d : trop de messages", m.TicketID)
	}
	id, inserted, err := t.insertID(ctx, `INSERT INTO messages (ticket_id, thread_id, seq, channel_id, direction, author_kind,
			author_agent_id, author_name, body, body_html, internal, source_id, template_id, template_name,
			delivery, delivery_error, created_at, altered, auto_kind)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
		ON CONFLICT (channel_id, source_id) DO NOTHING`,
		m.TicketID, nullID(m.ThreadID), m.Seq, channelID, m.Direction, m.AuthorKind,
		nullID(m.AuthorAgentID), m.AuthorName, m.Body, m.BodyHTML, boolInt(m.Internal), nullString(m.SourceID),
		nullID(m.TemplateID), m.TemplateName, m.Delivery, m.DeliveryError, ms(m.CreatedAt), boolInt(m.Altered), m.AutoKind)
	if err != nil {
		return false, fmt.Errorf("insert message: %w", t.s.dialect.mapError(err))
	}
	if !inserted {
		return false, nil
	}
	m.ID = id
	t.indexDoc(docID(m.TicketID, m.Seq), m.Body, true)
	return true, nil
}

// Messages returns a ticket's messages in order, with their attachments, in
// one query: on PostgreSQL each query is a round trip, a tenth of a ticket
// page's time.
func (t *tx) Messages(ctx context.Context, ticketID int64) ([]desk.Message, error) {
	rows, err := t.query(ctx, `SELECT m.id, m.ticket_id, m.thread_id, m.seq, m.direction, m.author_kind, m.author_agent_id,
			m.author_name, m.body, m.body_html, m.internal, m.source_id, m.template_id, m.template_name, m.delivery,
			m.delivery_error, m.created_at, m.altered, m.auto_kind, a.id, a.name, a.content_type, a.size, a.kind, a.blob_key
		FROM messages m LEFT JOIN attachments a ON a.message_id = m.id
		WHERE m.ticket_id = $1 ORDER BY m.seq, a.id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Message
	for rows.Next() {
		var m desk.Message
		var thread, agent, tpl, attID, attSize sql.NullInt64
		var source, attName, attType, attKind, attKey sql.NullString
		var created int64
		if err := rows.Scan(&m.ID, &m.TicketID, &thread, &m.Seq, &m.Direction, &m.AuthorKind, &agent,
			&m.AuthorName, &m.Body, &m.BodyHTML, &m.Internal, &source, &tpl, &m.TemplateName, &m.Delivery,
			&m.DeliveryError, &created, &m.Altered, &m.AutoKind, &attID, &attName, &attType, &attSize, &attKind, &attKey); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != m.ID {
			m.ThreadID, m.AuthorAgentID, m.TemplateID = thread.Int64, agent.Int64, tpl.Int64
			m.SourceID, m.CreatedAt = source.String, fromMS(created)
			out = append(out, m)
		}
		if attID.Valid {
			last := &out[len(out)-1]
			last.Attachments = append(last.Attachments, desk.Attachment{ID: attID.Int64, MessageID: m.ID, Name: attName.String,
				ContentType: attType.String, Size: attSize.Int64, Kind: desk.AttachmentKind(attKind.String), BlobKey: attKey.String})
		}
	}
	return out, rows.Err()
}

func scanAttachment(r scanner, extra ...any) (desk.Attachment, error) {
	var a desk.Attachment
	err := r.Scan(append([]any{&a.ID, &a.MessageID, &a.Name, &a.ContentType, &a.Size, &a.Kind, &a.BlobKey}, extra...)...)
	return a, err
}

func (t *tx) InsertAttachment(ctx context.Context, a *desk.Attachment) error {
	var err error
	a.ID, _, err = t.insertID(ctx, `INSERT INTO attachments (message_id, name, content_type, size, kind, blob_key)
		VALUES ($1, $2, $3, $4, $5, $6)`, a.MessageID, a.Name, a.ContentType, a.Size, a.Kind, a.BlobKey)
	if err != nil {
		return fmt.Errorf("insert attachment: %w", t.s.dialect.mapError(err))
	}
	return nil
}

func (t *tx) Attachment(ctx context.Context, id int64) (desk.Attachment, int64, error) {
	var ticketID int64
	a, err := scanAttachment(t.queryRow(ctx, `SELECT a.id, a.message_id, a.name, a.content_type, a.size, a.kind, a.blob_key, m.ticket_id
		FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = $1`, id), &ticketID)
	return a, ticketID, notFound(err, "pièce jointe")
}

func (t *tx) InsertEvent(ctx context.Context, e *desk.Event) error {
	var err error
	e.ID, _, err = t.insertID(ctx, `INSERT INTO events (ticket_id, at, agent_id, actor_name, kind, old, new, message_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.TicketID, ms(e.At), nullID(e.AgentID), e.ActorName, e.Kind, e.Old, e.New, nullID(e.MessageID))
	if err != nil {
		return fmt.Errorf("insert event: %w", t.s.dialect.mapError(err))
	}
	return nil
}

func (t *tx) Events(ctx context.Context, ticketID int64) ([]desk.Event, error) {
	rows, err := t.query(ctx, `SELECT id, ticket_id, at, agent_id, actor_name, kind, old, new, message_id
		FROM events WHERE ticket_id = $1 ORDER BY id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Event
	for rows.Next() {
		var e desk.Event
		var at int64
		var agent, msg sql.NullInt64
		if err := rows.Scan(&e.ID, &e.TicketID, &at, &agent, &e.ActorName, &e.Kind, &e.Old, &e.New, &msg); err != nil {
			return nil, err
		}
		e.At, e.AgentID, e.MessageID = fromMS(at), agent.Int64, msg.Int64
		out = append(out, e)
	}
	return out, rows.Err()
}
