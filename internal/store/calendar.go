package store

import (
	"context"
	"encoding/json"
	"fmt"

	"guichet/internal/deadline"
	"guichet/internal/desk"
)

const calendarColumns = `id, name, time_zone, hours, country, closures, updated_at`

func scanCalendar(r scanner) (desk.Calendar, error) {
	var c desk.Calendar
	var hours, closures string
	var updated int64
	if err := r.Scan(&c.ID, &c.Name, &c.TimeZone, &hours, &c.Country, &closures, &updated); err != nil {
		return c, err
	}
	c.UpdatedAt = fromMS(updated)
	// A stored calendar that does not read is shown as it is (and its
	// channels report it): its hours stay empty rather than failing the page.
	var hs []string
	if err := json.Unmarshal([]byte(hours), &hs); err == nil {
		copy(c.Hours[:], hs)
	}
	if err := json.Unmarshal([]byte(closures), &c.Closures); err != nil {
		c.Closures = []deadline.Closure{{Label: fmt.Sprintf("fermetures illisibles : %v", err)}}
	}
	return c, nil
}

func (t *tx) Calendars(ctx context.Context) ([]desk.Calendar, error) {
	rows, err := t.query(ctx, `SELECT `+calendarColumns+` FROM calendars ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Calendar
	for rows.Next() {
		c, err := scanCalendar(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (t *tx) CalendarByID(ctx context.Context, id int64) (desk.Calendar, error) {
	c, err := scanCalendar(t.queryRow(ctx, `SELECT `+calendarColumns+` FROM calendars WHERE id = $1`, id))
	return c, notFound(err, "calendrier")
}

func (t *tx) InsertCalendar(ctx context.Context, c *desk.Calendar) error {
	err := t.queryRow(ctx, `INSERT INTO calendars (name, time_zone, hours, country, closures, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		c.Name, c.TimeZone, jsonText(c.Hours), c.Country, jsonText(c.Closures), ms(c.UpdatedAt)).Scan(&c.ID)
	if err != nil {
		return nameConflict(t.s.dialect.mapError(err), "un calendrier porte déjà ce nom")
	}
	return nil
}

func (t *tx) UpdateCalendar(ctx context.Context, c *desk.Calendar) error {
	_, err := t.exec(ctx, `UPDATE calendars SET name = $2, time_zone = $3, hours = $4, country = $5, closures = $6, updated_at = $7 WHERE id = $1`,
		c.ID, c.Name, c.TimeZone, jsonText(c.Hours), c.Country, jsonText(c.Closures), ms(c.UpdatedAt))
	return nameConflict(err, "un calendrier porte déjà ce nom")
}
