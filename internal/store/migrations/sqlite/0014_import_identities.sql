-- The CSV import writes its customers' identities itself, a batch per
-- statement (store.UpsertShopCustomers), instead of four trigger inserts
-- per row, which took half of the import's time. While this table has its
-- row the identity triggers skip. The row only ever exists inside the
-- importing transaction, which inserts and deletes it: SQLite runs one
-- write transaction at a time and readers see only what is committed, so
-- no other writer and no reader ever sees the triggers paused.
CREATE TABLE customer_identities_paused (
	paused INTEGER PRIMARY KEY CHECK (paused = 1)
);

DROP TRIGGER customers_identities_insert;
CREATE TRIGGER customers_identities_insert AFTER INSERT ON customers
	WHEN NOT EXISTS (SELECT 1 FROM customer_identities_paused) BEGIN
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

DROP TRIGGER customers_identities_update;
CREATE TRIGGER customers_identities_update AFTER UPDATE OF email, phone, real_email ON customers
	WHEN NOT EXISTS (SELECT 1 FROM customer_identities_paused) BEGIN
	INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at)
		SELECT NEW.id, CASE WHEN NEW.channel_id IS NULL OR ch.kind IN ('prestashop', 'email') THEN 'email' ELSE 'relay' END, NEW.channel_id, lower(NEW.email), NEW.created_at
		FROM (SELECT 1) LEFT JOIN channels ch ON ch.id = NEW.channel_id WHERE NEW.email <> '' AND NEW.email <> OLD.email;
	INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at)
		SELECT NEW.id, 'phone', NEW.channel_id, NEW.phone, NEW.created_at WHERE NEW.phone <> '' AND NEW.phone <> OLD.phone;
	INSERT OR IGNORE INTO customer_identities (customer_id, kind, channel_id, value, created_at)
		SELECT NEW.id, 'email', NULL, lower(NEW.real_email), NEW.created_at WHERE NEW.real_email <> '' AND NEW.real_email <> OLD.real_email;
END;
