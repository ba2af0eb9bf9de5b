package store

import (
	"context"
	"database/sql"
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

func (t *tx) CountCustomerImport(ctx context.Context, id int64, done, written int) error {
	_, err := t.exec(ctx, `UPDATE customer_imports SET done = done + $2, written = written + $3 WHERE id = $1`, id, done, written)
	return err
}

// customerUpsertColumns are what a CSV line sets on a customer.
const customerUpsertColumns = `channel_id, external_id, name, email, real_email, first_name, last_name, title, age,
	enabled, newsletter, optin, registered_at, last_visit_at, created_at`

var customerUpsertTypes = []string{"bigint", "text", "text", "text", "text", "text", "text", "text", "integer",
	"integer", "integer", "integer", "bigint", "bigint", "bigint"}

const customerUpsertSet = ` ON CONFLICT (channel_id, external_id) DO UPDATE SET name = excluded.name, email = excluded.email, real_email = excluded.real_email,
	first_name = excluded.first_name, last_name = excluded.last_name, title = excluded.title, age = excluded.age,
	enabled = excluded.enabled, newsletter = excluded.newsletter, optin = excluded.optin,
	registered_at = excluded.registered_at, last_visit_at = excluded.last_visit_at`

// UpsertShopCustomers writes customers, a statement per chunk. Their
// identities are the rows themselves (migration 0015); a changed address
// leaves its earlier value to the identities' trigger.
func (t *tx) UpsertShopCustomers(ctx context.Context, cs []desk.Customer) (int, error) {
	written := 0
	per := importRows
	if t.s.dialect.name() == "postgres" {
		per = len(cs) // arrays: no limit on parameters
	}
	err := chunks(cs, per, func(cs []desk.Customer) error {
		n, err := t.upsertCustomerRows(ctx, cs)
		if err != nil {
			return fmt.Errorf("upsert customers: %w", t.s.dialect.mapError(err))
		}
		written += n
		return nil
	})
	return written, err
}

// upsertCustomerRows upserts one chunk. PostgreSQL takes it as one array
// per column (unnest), so that the text is fixed and stays prepared;
// SQLite as a VALUES list (it has no arrays), kept prepared at full size.
func (t *tx) upsertCustomerRows(ctx context.Context, cs []desk.Customer) (int, error) {
	var res sql.Result
	var err error
	if t.s.dialect.name() == "postgres" {
		ch, ext, name, email, real, first, last, title := make([]int64, len(cs)), make([]string, len(cs)), make([]string, len(cs)),
			make([]string, len(cs)), make([]string, len(cs)), make([]string, len(cs)), make([]string, len(cs)), make([]string, len(cs))
		age, enabled, news, optin := make([]int32, len(cs)), make([]int32, len(cs)), make([]int32, len(cs)), make([]int32, len(cs))
		registered, visit, created := make([]int64, len(cs)), make([]int64, len(cs)), make([]int64, len(cs))
		for i, c := range cs {
			ch[i], ext[i], name[i], email[i], real[i], first[i], last[i], title[i] = c.ChannelID, c.ExternalID, c.Name, c.Email, c.RealEmail, c.FirstName, c.LastName, c.Title
			age[i], enabled[i], news[i], optin[i] = int32(c.Age), int32(boolInt(c.Enabled)), int32(boolInt(c.Newsletter)), int32(boolInt(c.Optin))
			registered[i], visit[i], created[i] = ms(c.RegisteredAt), ms(c.LastVisitAt), ms(c.CreatedAt)
		}
		res, err = t.exec(ctx, `INSERT INTO customers (`+customerUpsertColumns+`)
			SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
				$9::integer[], $10::integer[], $11::integer[], $12::integer[], $13::bigint[], $14::bigint[], $15::bigint[])`+customerUpsertSet,
			ch, ext, name, email, real, first, last, title, age, enabled, news, optin, registered, visit, created)
	} else {
		args := make([]any, 0, len(cs)*len(customerUpsertTypes))
		for _, c := range cs {
			args = append(args, c.ChannelID, c.ExternalID, c.Name, c.Email, c.RealEmail, c.FirstName, c.LastName, c.Title, c.Age,
				boolInt(c.Enabled), boolInt(c.Newsletter), boolInt(c.Optin), ms(c.RegisteredAt), ms(c.LastVisitAt), ms(c.CreatedAt))
		}
		q := `INSERT INTO customers (` + customerUpsertColumns + `) VALUES ` + t.rowsSQL(len(cs), len(customerUpsertTypes)) + customerUpsertSet
		if len(cs) == importRows {
			res, err = t.exec(ctx, q, args...)
		} else {
			res, err = t.execOnce(ctx, q, args...)
		}
	}
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// importRows is a CSV chunk's rows per statement on SQLite (15 parameters
// each, under its limit of 32 766); a full one is kept prepared.
const importRows = 500
