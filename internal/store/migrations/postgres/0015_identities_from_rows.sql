-- Current identities are read from the customers row; customer_identities
-- keeps the earlier ones only. See the SQLite migration of the same name.
DROP TRIGGER customers_identities_insert ON customers;
DROP TRIGGER customers_identities_update ON customers;
DROP FUNCTION customers_identities();

DELETE FROM customer_identities i USING customers c WHERE c.id = i.customer_id AND (
	(i.kind = 'buyer' AND i.value = c.external_id AND i.channel_id IS NOT DISTINCT FROM c.channel_id)
	OR (i.kind IN ('email', 'relay') AND i.value = lower(c.email))
	OR (i.kind = 'phone' AND i.value = c.phone)
	OR (i.kind = 'email' AND i.value = lower(c.real_email)));

CREATE FUNCTION customers_earlier_identities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO customer_identities (customer_id, kind, channel_id, value, created_at)
	SELECT OLD.id, CASE WHEN OLD.channel_id IS NULL OR ch.kind IN ('prestashop', 'email') THEN 'email' ELSE 'relay' END,
		OLD.channel_id, lower(OLD.email), OLD.created_at
		FROM (SELECT 1) one LEFT JOIN channels ch ON ch.id = OLD.channel_id WHERE OLD.email <> '' AND lower(OLD.email) <> lower(NEW.email)
	UNION ALL
	SELECT OLD.id, 'phone', OLD.channel_id, OLD.phone, OLD.created_at WHERE OLD.phone <> '' AND OLD.phone <> NEW.phone
	UNION ALL
	SELECT OLD.id, 'email', NULL, lower(OLD.real_email), OLD.created_at
		WHERE OLD.real_email <> '' AND lower(OLD.real_email) <> lower(NEW.real_email)
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;

-- Only a change runs it: a CSV line that says again what the row says costs nothing.
CREATE TRIGGER customers_identities_update AFTER UPDATE OF email, phone, real_email ON customers
	FOR EACH ROW WHEN (lower(OLD.email) <> lower(NEW.email) OR OLD.phone <> NEW.phone OR lower(OLD.real_email) <> lower(NEW.real_email))
	EXECUTE FUNCTION customers_earlier_identities();

-- Names and addresses sort without regard to case, on the search's lower() indexes.
DROP INDEX customers_last_name;
DROP INDEX customers_first_name;
DROP INDEX customers_email;
DROP INDEX customers_email_lower;
CREATE INDEX customers_email_lower ON customers (lower(email), id);
