package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"guichet/internal/desk"
)

const channelColumns = `id, kind, name, responsible_id, deadline_policy, order_url, guard_names, forbid_contact, active, created_at,
	backoffice_id, backoffice_field, backoffice_pattern, calendar_id, language`

func scanChannel(r scanner) (desk.Channel, error) {
	var c desk.Channel
	var responsible, backoffice, calendar sql.NullInt64
	var names string
	var created int64
	if err := r.Scan(&c.ID, &c.Kind, &c.Name, &responsible, &c.DeadlinePolicy, &c.OrderURL, &names, &c.ForbidContact, &c.Active, &created,
		&backoffice, &c.Backoffice.Field, &c.Backoffice.Pattern, &calendar, &c.Language); err != nil {
		return c, err
	}
	c.ResponsibleID, c.CreatedAt, c.Backoffice.ChannelID, c.CalendarID = responsible.Int64, fromMS(created), backoffice.Int64, calendar.Int64
	if !c.Backoffice.Set() { // the back-office channel was deleted
		c.Backoffice = desk.BackofficeRule{}
	}
	if err := json.Unmarshal([]byte(names), &c.GuardNames); err != nil {
		return c, fmt.Errorf("channel %d guard names: %w", c.ID, err)
	}
	return c, nil
}

func (t *tx) Channels(ctx context.Context) ([]desk.Channel, error) {
	rows, err := t.query(ctx, `SELECT `+channelColumns+` FROM channels ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Channel
	for rows.Next() {
		c, err := scanChannel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (t *tx) ChannelByID(ctx context.Context, id int64) (desk.Channel, error) {
	c, err := scanChannel(t.queryRow(ctx, `SELECT `+channelColumns+` FROM channels WHERE id = $1`, id))
	return c, notFound(err, "canal")
}

func (t *tx) InsertChannel(ctx context.Context, c *desk.Channel) error {
	err := t.queryRow(ctx, `INSERT INTO channels (kind, name, responsible_id, deadline_policy, order_url, guard_names, forbid_contact, active, created_at,
		backoffice_id, backoffice_field, backoffice_pattern, calendar_id, language)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		c.Kind, c.Name, nullID(c.ResponsibleID), c.DeadlinePolicy, c.OrderURL, jsonText(nonNil(c.GuardNames)), boolInt(c.ForbidContact), boolInt(c.Active), ms(c.CreatedAt),
		nullID(c.Backoffice.ChannelID), c.Backoffice.Field, c.Backoffice.Pattern, nullID(c.CalendarID), c.Language,
	).Scan(&c.ID)
	if err != nil {
		return nameConflict(t.s.dialect.mapError(err), "un canal porte déjà ce nom")
	}
	return nil
}

func (t *tx) UpdateChannel(ctx context.Context, c *desk.Channel) error {
	_, err := t.exec(ctx, `UPDATE channels SET kind = $2, name = $3, responsible_id = $4, deadline_policy = $5, order_url = $6,
		guard_names = $7, forbid_contact = $8, active = $9, backoffice_id = $10, backoffice_field = $11, backoffice_pattern = $12,
		calendar_id = $13, language = $14 WHERE id = $1`,
		c.ID, c.Kind, c.Name, nullID(c.ResponsibleID), c.DeadlinePolicy, c.OrderURL, jsonText(nonNil(c.GuardNames)), boolInt(c.ForbidContact), boolInt(c.Active),
		nullID(c.Backoffice.ChannelID), c.Backoffice.Field, c.Backoffice.Pattern, nullID(c.CalendarID), c.Language)
	return nameConflict(err, "un canal porte déjà ce nom")
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// nameConflict gives a unique-constraint conflict a message that says what clashed.
func nameConflict(err error, msg string) error {
	if desk.ErrorCode(err) == desk.EConflict {
		return &desk.Error{Code: desk.EConflict, Field: "name", Message: msg}
	}
	return err
}
