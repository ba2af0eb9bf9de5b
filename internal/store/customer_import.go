package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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

const customerUpsertSet = ` ON CONFLICT (channel_id, external_id) DO UPDATE SET name = excluded.name, email = excluded.email, real_email = excluded.real_email,
	first_name = excluded.first_name, last_name = excluded.last_name, title = excluded.title, age = excluded.age,
	enabled = excluded.enabled, newsletter = excluded.newsletter, optin = excluded.optin,
	registered_at = excluded.registered_at, last_visit_at = excluded.last_visit_at
	RETURNING id, channel_id, external_id, email, real_email, created_at`

// UpsertShopCustomers writes customers and their identities in a few
// statements a chunk: the identity triggers (one set of inserts per row on
// SQLite) are paused for its own statements and it writes the same
// identities itself, once per chunk.
func (t *tx) UpsertShopCustomers(ctx context.Context, cs []desk.Customer) (int, error) {
	if err := t.pauseIdentityTriggers(ctx, true); err != nil {
		return 0, err
	}
	kinds := map[int64]desk.ChannelKind{}
	written := 0
	per := importRows
	if t.s.dialect.name() == "postgres" {
		per = len(cs) // arrays: no limit on parameters
	}
	err := chunks(cs, per, func(cs []desk.Customer) error {
		rows, err := t.upsertCustomerRows(ctx, cs)
		if err != nil {
			return fmt.Errorf("upsert customers: %w", t.s.dialect.mapError(err))
		}
		ids, err := t.customerIdentities(ctx, rows, kinds)
		if err != nil {
			return err
		}
		if err := t.insertIdentities(ctx, ids); err != nil {
			return fmt.Errorf("customer identities: %w", t.s.dialect.mapError(err))
		}
		written += len(rows)
		return nil
	})
	if err != nil {
		// The caller rolls back; resumed anyway, should it commit what came before.
		t.pauseIdentityTriggers(ctx, false)
		return 0, err
	}
	return written, t.pauseIdentityTriggers(ctx, false)
}

// pauseIdentityTriggers pauses (or resumes) the identity triggers of
// migration 0014 for this transaction only; an error on the way rolls the
// transaction back, pause included, so they are never left paused.
func (t *tx) pauseIdentityTriggers(ctx context.Context, pause bool) error {
	var err error
	switch {
	case t.s.dialect.name() == "postgres":
		state := ""
		if pause {
			state = "paused"
		}
		_, err = t.exec(ctx, `SELECT set_config('guichet.customer_identities', $1, true)`, state)
	case pause:
		_, err = t.exec(ctx, `INSERT INTO customer_identities_paused (paused) VALUES (1) ON CONFLICT DO NOTHING`)
	default:
		_, err = t.exec(ctx, `DELETE FROM customer_identities_paused`)
	}
	if err != nil {
		return fmt.Errorf("identity triggers: %w", err)
	}
	return nil
}

// upsertedCustomer is a row as the upsert left it.
type upsertedCustomer struct {
	id, channelID           int64
	externalID, email, real string
	createdAt               int64
}

// upsertCustomerRows upserts one chunk. PostgreSQL takes it as one array
// per column (unnest), so that the text is fixed and stays prepared;
// SQLite as a VALUES list (it has no arrays), kept prepared at full size.
func (t *tx) upsertCustomerRows(ctx context.Context, cs []desk.Customer) ([]upsertedCustomer, error) {
	var rows *sql.Rows
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
		rows, err = t.query(ctx, `INSERT INTO customers (`+customerUpsertColumns+`)
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
			rows, err = t.query(ctx, q, args...)
		} else {
			rows, err = t.queryOnce(ctx, q, args...)
		}
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]upsertedCustomer, 0, len(cs))
	for rows.Next() {
		var u upsertedCustomer
		if err := rows.Scan(&u.id, &u.channelID, &u.externalID, &u.email, &u.real, &u.createdAt); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// identityRow is a customer_identities row; channelID 0 is NULL.
type identityRow struct {
	customerID int64
	kind       desk.IdentityKind
	channelID  int64
	value      string // lowered in SQL, as the triggers do
	createdAt  int64
}

// customerIdentities are the identities the triggers of migration 0012
// give the rows: the shop's customer id, the address (relay or email by
// the channel's kind) and the real address where it differs. Writing one
// already there is a no-op, as in the triggers.
func (t *tx) customerIdentities(ctx context.Context, rows []upsertedCustomer, kinds map[int64]desk.ChannelKind) ([]identityRow, error) {
	ids := make([]identityRow, 0, 2*len(rows))
	for _, r := range rows {
		kind, ok := kinds[r.channelID]
		if !ok {
			if err := t.queryRow(ctx, `SELECT kind FROM channels WHERE id = $1`, r.channelID).Scan(&kind); err != nil {
				return nil, fmt.Errorf("customer identities: %w", notFound(err, "canal"))
			}
			kinds[r.channelID] = kind
		}
		if r.externalID != "" {
			ids = append(ids, identityRow{r.id, desk.IdentityBuyer, r.channelID, r.externalID, r.createdAt})
		}
		if r.email != "" {
			address := desk.IdentityRelay
			if kind == desk.ChannelPrestaShop || kind == desk.ChannelEmail {
				address = desk.IdentityEmail
			}
			ids = append(ids, identityRow{r.id, address, r.channelID, r.email, r.createdAt})
		}
		if r.real != "" && r.real != r.email {
			ids = append(ids, identityRow{r.id, desk.IdentityEmail, 0, r.real, r.createdAt})
		}
	}
	return ids, nil
}

func (t *tx) insertIdentities(ctx context.Context, ids []identityRow) error {
	if t.s.dialect.name() == "postgres" {
		customer, kind, channel, value, created := make([]int64, len(ids)), make([]string, len(ids)), make([]int64, len(ids)), make([]string, len(ids)), make([]int64, len(ids))
		for i, id := range ids {
			customer[i], kind[i], channel[i], value[i], created[i] = id.customerID, string(id.kind), id.channelID, id.value, id.createdAt
		}
		_, err := t.exec(ctx, `INSERT INTO customer_identities (customer_id, kind, channel_id, value, created_at)
			SELECT u.customer_id, u.kind, NULLIF(u.channel_id, 0), lower(u.value), u.created_at
			FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[]) AS u (customer_id, kind, channel_id, value, created_at)
			ON CONFLICT DO NOTHING`, customer, kind, channel, value, created)
		return err
	}
	return chunks(ids, importRows, func(ids []identityRow) error {
		args := make([]any, 0, 5*len(ids))
		var b strings.Builder
		for i, id := range ids {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, NULLIF(?, 0), lower(?), ?)")
			args = append(args, id.customerID, string(id.kind), id.channelID, id.value, id.createdAt)
		}
		q := `INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at) VALUES ` + b.String()
		var err error
		if len(ids) == importRows {
			_, err = t.exec(ctx, q, args...)
		} else {
			_, err = t.execOnce(ctx, q, args...)
		}
		return err
	})
}

// importRows is a CSV chunk's rows per statement on SQLite (15 parameters
// each, under its limit of 32 766); a full one is kept prepared.
const importRows = 500
