-- Customers as people. A customers row is now a person record: what the
-- shop's directory shows (first and last name, title, age, account flags,
-- registration and last visit), the person's real address, and merged_into,
-- the person it was linked to by an agent (NULL: a person of its own).
-- Linking never moves tickets nor identities: the person of a record is
-- COALESCE(merged_into, id), so unlinking (merged_into = NULL) restores the
-- separate people exactly.
ALTER TABLE customers ADD COLUMN first_name    TEXT    NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN last_name     TEXT    NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN title         TEXT    NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN age           INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN enabled       INTEGER NOT NULL DEFAULT 1;
ALTER TABLE customers ADD COLUMN newsletter    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN optin         INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN registered_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN last_visit_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN last_ip       TEXT    NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN real_email    TEXT    NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN merged_into   INTEGER REFERENCES customers (id);

-- The ways a person is known: a channel's buyer id ('buyer'), an address
-- the channel gives ('relay' on a marketplace, 'email' elsewhere), a real
-- address ('email'), a phone ('phone'). Kept by the triggers below from
-- what the channels and the agents write, so no path forgets one.
CREATE TABLE customer_identities (
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	kind        TEXT    NOT NULL CHECK (kind IN ('buyer', 'relay', 'email', 'phone')),
	value       TEXT    NOT NULL,
	channel_id  INTEGER REFERENCES channels (id),
	created_at  INTEGER NOT NULL,
	PRIMARY KEY (customer_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX customer_identities_value ON customer_identities (value);

-- Today's customers: names split (first word, the rest), registered when
-- first seen, and their identities.
UPDATE customers SET
	first_name = CASE WHEN instr(trim(name), ' ') > 0 THEN substr(trim(name), 1, instr(trim(name), ' ') - 1) ELSE '' END,
	last_name  = CASE WHEN instr(trim(name), ' ') > 0 THEN trim(substr(trim(name), instr(trim(name), ' ') + 1)) ELSE trim(name) END,
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
-- A ticket's « Email client » typed by an agent is the person's real address.
INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at)
	SELECT t.customer_id, 'email', NULL, lower(t.real_email), t.opened_at FROM tickets t WHERE t.customer_id IS NOT NULL AND t.real_email <> '';
UPDATE customers SET real_email = (SELECT t.real_email FROM tickets t WHERE t.customer_id = customers.id AND t.real_email <> '' ORDER BY t.id DESC LIMIT 1)
	WHERE real_email = '' AND EXISTS (SELECT 1 FROM tickets t WHERE t.customer_id = customers.id AND t.real_email <> '');

-- What a new row lacks, each a trigger of its own that runs only when
-- needed (a CSV line has its names and dates: only its identities run).
CREATE TRIGGER customers_names AFTER INSERT ON customers
	WHEN NEW.first_name = '' AND NEW.last_name = '' AND NEW.name <> '' BEGIN
	UPDATE customers SET
		first_name = CASE WHEN instr(trim(name), ' ') > 0 THEN substr(trim(name), 1, instr(trim(name), ' ') - 1) ELSE '' END,
		last_name  = CASE WHEN instr(trim(name), ' ') > 0 THEN trim(substr(trim(name), instr(trim(name), ' ') + 1)) ELSE trim(name) END
		WHERE id = NEW.id;
END;

CREATE TRIGGER customers_registered AFTER INSERT ON customers WHEN NEW.registered_at = 0 BEGIN
	UPDATE customers SET registered_at = NEW.created_at WHERE id = NEW.id;
END;

CREATE TRIGGER customers_identities_insert AFTER INSERT ON customers BEGIN
	INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at)
		SELECT NEW.id, 'buyer', NEW.channel_id, NEW.external_id, NEW.created_at WHERE NEW.external_id IS NOT NULL AND NEW.external_id <> '';
	INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at)
		SELECT NEW.id, CASE WHEN NEW.channel_id IS NULL OR (SELECT kind FROM channels WHERE id = NEW.channel_id) IN ('prestashop', 'email') THEN 'email' ELSE 'relay' END,
			NEW.channel_id, lower(NEW.email), NEW.created_at WHERE NEW.email <> '';
	INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at)
		SELECT NEW.id, 'phone', NEW.channel_id, NEW.phone, NEW.created_at WHERE NEW.phone <> '';
	INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at)
		SELECT NEW.id, 'email', NULL, lower(NEW.real_email), NEW.created_at WHERE NEW.real_email <> '' AND lower(NEW.real_email) <> lower(NEW.email);
END;

CREATE TRIGGER customers_identities_update AFTER UPDATE OF email, phone, real_email ON customers BEGIN
	INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at)
		SELECT NEW.id, CASE WHEN NEW.channel_id IS NULL OR ch.kind IN ('prestashop', 'email') THEN 'email' ELSE 'relay' END, NEW.channel_id, lower(NEW.email), NEW.created_at
		FROM (SELECT 1) LEFT JOIN channels ch ON ch.id = NEW.channel_id WHERE NEW.email <> '' AND NEW.email <> OLD.email;
	INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at)
		SELECT NEW.id, 'phone', NEW.channel_id, NEW.phone, NEW.created_at WHERE NEW.phone <> '' AND NEW.phone <> OLD.phone;
	INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at)
		SELECT NEW.id, 'email', NULL, lower(NEW.real_email), NEW.created_at WHERE NEW.real_email <> '' AND NEW.real_email <> OLD.real_email;
END;

-- The directory: every sort is a keyset scan of one index (people only).
CREATE INDEX customers_merged            ON customers (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX customers_last_name         ON customers (last_name, id) WHERE merged_into IS NULL;
CREATE INDEX customers_first_name        ON customers (first_name, id) WHERE merged_into IS NULL;
CREATE INDEX customers_email             ON customers (email, id) WHERE merged_into IS NULL;
CREATE INDEX customers_registered        ON customers (registered_at, id) WHERE merged_into IS NULL;
CREATE INDEX customers_last_visit        ON customers (last_visit_at, id) WHERE merged_into IS NULL;
CREATE INDEX customers_enabled           ON customers (enabled, id) WHERE merged_into IS NULL;
CREATE INDEX customers_newsletter        ON customers (newsletter, id) WHERE merged_into IS NULL;
CREATE INDEX customers_optin             ON customers (optin, id) WHERE merged_into IS NULL;
-- Search: one word, the start of a first or last name, any case; an email; an IP.
CREATE INDEX customers_last_name_lower   ON customers (lower(last_name), id);
CREATE INDEX customers_first_name_lower  ON customers (lower(first_name), id);
CREATE INDEX customers_email_lower       ON customers (lower(email));
CREATE INDEX customers_real_email_lower  ON customers (lower(real_email));
CREATE INDEX customers_last_ip           ON customers (last_ip) WHERE last_ip <> '';

-- A CSV import of customers: the file kept between its preview and the
-- import, then the job's progress and the lines it rejected (JSON).
CREATE TABLE customer_imports (
	id          INTEGER PRIMARY KEY,
	agent_id    INTEGER NOT NULL REFERENCES agents (id),
	channel_id  INTEGER NOT NULL REFERENCES channels (id),
	file_name   TEXT    NOT NULL DEFAULT '',
	state       TEXT    NOT NULL CHECK (state IN ('preview', 'running', 'done', 'failed')),
	total       INTEGER NOT NULL DEFAULT 0,
	done        INTEGER NOT NULL DEFAULT 0,
	written     INTEGER NOT NULL DEFAULT 0,
	rejected    TEXT    NOT NULL DEFAULT '[]',
	error       TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	finished_at INTEGER NOT NULL DEFAULT 0
);

-- The file, apart: progress updates rewrite a small row, not the file.
CREATE TABLE customer_import_files (
	import_id INTEGER PRIMARY KEY REFERENCES customer_imports (id) ON DELETE CASCADE,
	data      BLOB    NOT NULL
);
