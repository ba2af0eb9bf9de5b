package store

import (
	"context"
	"fmt"

	"guichet/internal/desk"
)

func (t *tx) InsertCustomerImport(ctx context.Context, im *desk.CustomerImport) error {
	err := t.queryRow(ctx, `INSERT INTO customer_imports (agent_id, channel_id, file_name, state, total, done, written, rejected, error, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		im.AgentID, im.ChannelID, im.FileName, string(im.State), im.Total, im.Done, im.Written, im.RejectedJSON(), im.Error, ms(im.CreatedAt)).Scan(&im.ID)
	if err != nil || im.Data == nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO customer_import_files (import_id, data) VALUES ($1, $2)`, im.ID, im.Data)
	return err
}

func (t *tx) CustomerImportByID(ctx context.Context, id int64, withData bool) (desk.CustomerImport, error) {
	data := "NULL"
	if withData {
		data = "(SELECT f.data FROM customer_import_files f WHERE f.import_id = i.id)"
	}
	var im desk.CustomerImport
	var rejected string
	var created, finished int64
	err := t.queryRow(ctx, `SELECT i.id, i.agent_id, i.channel_id, i.file_name, `+data+`, i.state, i.total, i.done, i.written, i.rejected, i.error, i.created_at, i.finished_at
		FROM customer_imports i WHERE i.id = $1`, id).Scan(&im.ID, &im.AgentID, &im.ChannelID, &im.FileName, &im.Data, &im.State,
		&im.Total, &im.Done, &im.Written, &rejected, &im.Error, &created, &finished)
	if err != nil {
		return im, notFound(err, "import")
	}
	im.CreatedAt, im.FinishedAt = fromMS(created), fromMS(finished)
	return im, im.SetRejectedJSON(rejected)
}

// UpdateCustomerImport writes an import's state and progress; its file is
// dropped once the import is over.
func (t *tx) UpdateCustomerImport(ctx context.Context, im *desk.CustomerImport) error {
	_, err := t.exec(ctx, `UPDATE customer_imports SET state = $2, total = $3, done = $4, written = $5, rejected = $6, error = $7,
		finished_at = $8 WHERE id = $1`,
		im.ID, string(im.State), im.Total, im.Done, im.Written, im.RejectedJSON(), im.Error, ms(im.FinishedAt))
	if err != nil || im.State == desk.ImportPreview || im.State == desk.ImportRunning {
		return err
	}
	_, err = t.exec(ctx, `DELETE FROM customer_import_files WHERE import_id = $1`, im.ID)
	return err
}

// customerUpsertColumns are what a CSV line sets on a customer.
const customerUpsertColumns = `channel_id, external_id, name, email, real_email, first_name, last_name, title, age,
	enabled, newsletter, optin, registered_at, last_visit_at, created_at`

var customerUpsertTypes = []string{"bigint", "text", "text", "text", "text", "text", "text", "text", "integer",
	"integer", "integer", "integer", "bigint", "bigint", "bigint"}

func (t *tx) UpsertShopCustomers(ctx context.Context, cs []desk.Customer) (int, error) {
	written := 0
	err := chunks(cs, importRows, func(cs []desk.Customer) error {
		args := make([]any, 0, len(cs)*len(customerUpsertTypes))
		for _, c := range cs {
			args = append(args, c.ChannelID, c.ExternalID, c.Name, c.Email, c.RealEmail, c.FirstName, c.LastName, c.Title, c.Age,
				boolInt(c.Enabled), boolInt(c.Newsletter), boolInt(c.Optin), ms(c.RegisteredAt), ms(c.LastVisitAt), ms(c.CreatedAt))
		}
		res, err := t.execOnce(ctx, `INSERT INTO customers (`+customerUpsertColumns+`) VALUES `+t.typedRowsSQL(len(cs), customerUpsertTypes)+`
			ON CONFLICT (channel_id, external_id) DO UPDATE SET name = excluded.name, email = excluded.email, real_email = excluded.real_email,
				first_name = excluded.first_name, last_name = excluded.last_name, title = excluded.title, age = excluded.age,
				enabled = excluded.enabled, newsletter = excluded.newsletter, optin = excluded.optin,
				registered_at = excluded.registered_at, last_visit_at = excluded.last_visit_at`, args...)
		if err != nil {
			return fmt.Errorf("upsert customers: %w", t.s.dialect.mapError(err))
		}
		n, _ := res.RowsAffected()
		written += int(n)
		return nil
	})
	return written, err
}

// importRows is a CSV chunk's rows per statement (15 parameters each,
// under SQLite's limit of 32 766).
const importRows = 500
