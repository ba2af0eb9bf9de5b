-- Where a marketplace channel's orders are in the PrestaShop back office:
-- the PrestaShop channel, the orders field the marketplace module writes
-- the marketplace's reference into, and how (a pattern with {order}).
ALTER TABLE channels ADD COLUMN backoffice_id BIGINT REFERENCES channels (id) ON DELETE SET NULL;
ALTER TABLE channels ADD COLUMN backoffice_field TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN backoffice_pattern TEXT NOT NULL DEFAULT '';
