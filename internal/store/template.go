package store

import (
	"context"
	"encoding/json"
	"fmt"

	"guichet/internal/desk"
)

func scanTemplate(r scanner) (desk.Template, error) {
	var tp desk.Template
	var channels string
	if err := r.Scan(&tp.ID, &tp.Name, &tp.Body, &tp.Lang, &channels); err != nil {
		return tp, err
	}
	if err := json.Unmarshal([]byte(channels), &tp.ChannelIDs); err != nil {
		return tp, fmt.Errorf("template %d channels: %w", tp.ID, err)
	}
	return tp, nil
}

func (t *tx) Templates(ctx context.Context) ([]desk.Template, error) {
	rows, err := t.query(ctx, `SELECT id, name, body, lang, channel_ids FROM templates ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Template
	for rows.Next() {
		tp, err := scanTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, tp)
	}
	return out, rows.Err()
}

func (t *tx) TemplateByID(ctx context.Context, id int64) (desk.Template, error) {
	tp, err := scanTemplate(t.queryRow(ctx, `SELECT id, name, body, lang, channel_ids FROM templates WHERE id = $1`, id))
	return tp, notFound(err, "réponse par défaut")
}

func channelIDsText(ids []int64) string {
	if ids == nil {
		ids = []int64{}
	}
	return jsonText(ids)
}

func (t *tx) InsertTemplate(ctx context.Context, tp *desk.Template) error {
	return t.queryRow(ctx, `INSERT INTO templates (name, body, lang, channel_ids) VALUES ($1, $2, $3, $4) RETURNING id`,
		tp.Name, tp.Body, tp.Lang, channelIDsText(tp.ChannelIDs)).Scan(&tp.ID)
}

func (t *tx) UpdateTemplate(ctx context.Context, tp *desk.Template) error {
	_, err := t.exec(ctx, `UPDATE templates SET name = $2, body = $3, lang = $4, channel_ids = $5 WHERE id = $1`,
		tp.ID, tp.Name, tp.Body, tp.Lang, channelIDsText(tp.ChannelIDs))
	return err
}

func (t *tx) DeleteTemplate(ctx context.Context, id int64) error {
	_, err := t.exec(ctx, `DELETE FROM templates WHERE id = $1`, id)
	return err
}
