-- Customers as people: see the SQLite migration of the same name.
ALTER TABLE customers ADD COLUMN first_name    TEXT    NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN last_name     TEXT    NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN title         TEXT    NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN age           INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN enabled       INTEGER NOT NULL DEFAULT 1;
ALTER TABLE customers ADD COLUMN newsletter    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN optin         INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN registered_at BIGINT  NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN last_visit_at BIGINT  NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN last_ip       TEXT    NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN real_email    TEXT    NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN merged_into   BIGINT  REFERENCES customers (id);

CREATE TABLE customer_identities (
	customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	kind        TEXT   NOT NULL CHECK (kind IN ('buyer', 'relay', 'email', 'phone')),
	value       TEXT   NOT NULL,
	channel_id  BIGINT REFERENCES channels (id),
	created_at  BIGINT NOT NULL,
	PRIMARY KEY (customer_id, kind, value)
);
CREATE INDEX customer_identities_value ON customer_identities (value);

UPDATE customers SET
	first_name = CASE WHEN position(' ' IN btrim(name)) > 0 THEN split_part(btrim(name), ' ', 1) ELSE '' END,
	last_name  = CASE WHEN position(' ' IN btrim(name)) > 0 THEN btrim(substr(btrim(name), position(' ' IN btrim(name)) + 1)) ELSE btrim(name) END,
	registered_at = created_at;
INSERT INTO customer_identities (customer_id, kind, channel_id, value, created_at)
	SELECT id, 'buyer', channel_id, external_id, created_at FROM customers WHERE external_id IS NOT NULL AND external_id <> '';
INSERT INTO customer_identities (customer_id, kind, channel_id, value, created_at)
	SELECT c.id, CASE WHEN ch.kind IN ('prestashop', 'email') THEN 'email' ELSE 'relay' END, c.channel_id, lower(c.email), c.created_at
	FROM customers c LEFT JOIN channels ch ON ch.id = c.channel_id WHERE c.email <> '';
INSERT INTO customer_identities (customer_id, kind, channel_id, value, created_at)
	SELECT id, 'phone', channel_id, phone, created_at FROM customers WHERE phone <> '';
UPDATE customers SET real_email = email
	WHERE email <> '' AND (channel_id IS NULL OR channel_id IN (SELECT id FROM channels WHERE kind IN ('prestashop', 'email')));
INSERT INTO customer_identities (customer_id, kind, channel_id, value, created_at)
	SELECT t.customer_id, 'email', NULL, lower(t.real_email), t.opened_at FROM tickets t WHERE t.customer_id IS NOT NULL AND t.real_email <> ''
	ON CONFLICT DO NOTHING;
UPDATE customers SET real_email = (SELECT t.real_email FROM tickets t WHERE t.customer_id = customers.id AND t.real_email <> '' ORDER BY t.id DESC LIMIT 1)
	WHERE real_email = '' AND EXISTS (SELECT 1 FROM tickets t WHERE t.customer_id = customers.id AND t.real_email <> '');

-- Before each insert: the name split, registered when first seen (no query:
-- it runs for every row of a bulk load).
CREATE FUNCTION customers_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.first_name = '' AND NEW.last_name = '' AND NEW.name <> '' THEN
		IF position(' ' IN btrim(NEW.name)) > 0 THEN
			NEW.first_name := split_part(btrim(NEW.name), ' ', 1);
			NEW.last_name := btrim(substr(btrim(NEW.name), position(' ' IN btrim(NEW.name)) + 1));
		ELSE
			NEW.last_name := btrim(NEW.name);
		END IF;
	END IF;
	IF NEW.registered_at = 0 THEN
		NEW.registered_at := NEW.created_at;
	END IF;
	RETURN NEW;
END $$;

-- After each statement: the identities of the rows it wrote, in one
-- INSERT … SELECT over the statement's rows (transition tables), so a
-- batch of a thousand customers costs one statement, not a thousand.
CREATE FUNCTION customers_identities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO customer_identities (customer_id, kind, channel_id, value, created_at)
	SELECT n.id, 'buyer', n.channel_id, n.external_id, n.created_at FROM written n
		WHERE n.external_id IS NOT NULL AND n.external_id <> ''
	UNION ALL
	SELECT n.id, CASE WHEN n.channel_id IS NULL OR ch.kind IN ('prestashop', 'email') THEN 'email' ELSE 'relay' END,
		n.channel_id, lower(n.email), n.created_at
		FROM written n LEFT JOIN channels ch ON ch.id = n.channel_id WHERE n.email <> ''
	UNION ALL
	SELECT n.id, 'phone', n.channel_id, n.phone, n.created_at FROM written n WHERE n.phone <> ''
	UNION ALL
	SELECT n.id, 'email', NULL, lower(n.real_email), n.created_at FROM written n WHERE n.real_email <> ''
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;

CREATE TRIGGER customers_names BEFORE INSERT ON customers
	FOR EACH ROW EXECUTE FUNCTION customers_names();
CREATE TRIGGER customers_identities_insert AFTER INSERT ON customers
	REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION customers_identities();
CREATE TRIGGER customers_identities_update AFTER UPDATE ON customers
	REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION customers_identities();

CREATE INDEX customers_merged            ON customers (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX customers_last_name         ON customers (last_name, id) WHERE merged_into IS NULL;
CREATE INDEX customers_first_name        ON customers (first_name, id) WHERE merged_into IS NULL;
CREATE INDEX customers_email             ON customers (email, id) WHERE merged_into IS NULL;
CREATE INDEX customers_registered        ON customers (registered_at, id) WHERE merged_into IS NULL;
CREATE INDEX customers_last_visit        ON customers (last_visit_at, id) WHERE merged_into IS NULL;
CREATE INDEX customers_enabled           ON customers (enabled, id) WHERE merged_into IS NULL;
CREATE INDEX customers_newsletter        ON customers (newsletter, id) WHERE merged_into IS NULL;
CREATE INDEX customers_optin             ON customers (optin, id) WHERE merged_into IS NULL;
CREATE INDEX customers_last_name_lower   ON customers (lower(last_name), id);
CREATE INDEX customers_first_name_lower  ON customers (lower(first_name), id);
CREATE INDEX customers_email_lower       ON customers (lower(email));
CREATE INDEX customers_real_email_lower  ON customers (lower(real_email));
CREATE INDEX customers_last_ip           ON customers (last_ip) WHERE last_ip <> '';

CREATE TABLE customer_imports (
	id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	agent_id    BIGINT  NOT NULL REFERENCES agents (id),
	channel_id  BIGINT  NOT NULL REFERENCES channels (id),
	file_name   TEXT    NOT NULL DEFAULT '',
	state       TEXT    NOT NULL CHECK (state IN ('preview', 'running', 'done', 'failed')),
	total       INTEGER NOT NULL DEFAULT 0,
	done        INTEGER NOT NULL DEFAULT 0,
	written     INTEGER NOT NULL DEFAULT 0,
	rejected    TEXT    NOT NULL DEFAULT '[]',
	error       TEXT    NOT NULL DEFAULT '',
	created_at  BIGINT  NOT NULL,
	finished_at BIGINT  NOT NULL DEFAULT 0
);

-- The file, apart: progress updates rewrite a small row, not the file.
CREATE TABLE customer_import_files (
	import_id BIGINT PRIMARY KEY REFERENCES customer_imports (id) ON DELETE CASCADE,
	data      BYTEA    NOT NULL
);
