-- The CSV import writes its customers' identities itself, a batch per
-- statement (store.UpsertShopCustomers): within its transaction it sets
-- guichet.customer_identities to 'paused' (set_config, local to the
-- transaction, so no other session sees it) and the identity triggers skip.
CREATE OR REPLACE FUNCTION customers_identities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('guichet.customer_identities', true) = 'paused' THEN
		RETURN NULL;
	END IF;
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

-- The names trigger runs its function only for a row that needs it (a CSV
-- line has its names and, mostly, its registration date).
DROP TRIGGER customers_names ON customers;
CREATE TRIGGER customers_names BEFORE INSERT ON customers
	FOR EACH ROW WHEN ((NEW.first_name = '' AND NEW.last_name = '' AND NEW.name <> '') OR NEW.registered_at = 0)
	EXECUTE FUNCTION customers_names();
