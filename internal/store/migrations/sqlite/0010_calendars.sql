-- Calendars: a time zone, opening hours per weekday (JSON array of seven
-- strings, Sunday first: "09:00-12:00, 14:00-18:00", "" closed), a set of
-- public holidays ("fr", "de", "de-BY"...) and the company's closures
-- (JSON array of {"From","To","Label"}). A channel counts its deadlines on one.
CREATE TABLE calendars (
	id         INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL UNIQUE,
	time_zone  TEXT    NOT NULL,
	hours      TEXT    NOT NULL,
	country    TEXT    NOT NULL DEFAULT '',
	closures   TEXT    NOT NULL DEFAULT '[]',
	updated_at INTEGER NOT NULL
);
INSERT INTO calendars (name, time_zone, hours, country, updated_at) VALUES
	('France', 'Europe/Paris', '["","09:00-12:00, 14:00-18:00","09:00-12:00, 14:00-18:00","09:00-12:00, 14:00-18:00","09:00-12:00, 14:00-18:00","09:00-12:00, 14:00-18:00",""]', 'fr', 0),
	('Allemagne', 'Europe/Berlin', '["","09:00-12:00, 14:00-18:00","09:00-12:00, 14:00-18:00","09:00-12:00, 14:00-18:00","09:00-12:00, 14:00-18:00","09:00-12:00, 14:00-18:00",""]', 'de', 0);

-- A channel's calendar and language ('' : the customer's, French by default).
ALTER TABLE channels ADD COLUMN calendar_id INTEGER REFERENCES calendars (id);
ALTER TABLE channels ADD COLUMN language TEXT NOT NULL DEFAULT '';
UPDATE channels SET calendar_id = (SELECT id FROM calendars WHERE name = 'France');
UPDATE channels SET calendar_id = (SELECT id FROM calendars WHERE name = 'Allemagne'), language = 'de' WHERE kind = 'kaufland';
UPDATE channels SET deadline_policy = '24h clock' WHERE deadline_policy = '24h';

-- A deadline runs only while an ADV must act: other tickets keep the
-- largest value, so that they sort after every running deadline and are
-- never overdue. waiting_since is when a ticket began to wait for the
-- customer (the reminder and the automatic close count from it).
UPDATE tickets SET deadline_at = 9223372036854775807 WHERE status <> 'waiting_admin';
ALTER TABLE tickets ADD COLUMN waiting_since INTEGER;
UPDATE tickets SET waiting_since = last_activity_at WHERE status = 'waiting_customer';
CREATE INDEX tickets_waiting_since ON tickets (waiting_since) WHERE waiting_since IS NOT NULL;

-- The automatic messages' texts and conditions, per channel (0: every
-- channel) and language: kind 'ack', 'out_of_hours', 'reminder' (after
-- days of waiting for the customer), 'auto_close' (after days).
CREATE TABLE system_rules (
	id         INTEGER PRIMARY KEY,
	channel_id INTEGER NOT NULL DEFAULT 0,
	kind       TEXT    NOT NULL CHECK (kind IN ('ack', 'out_of_hours', 'reminder', 'auto_close')),
	language   TEXT    NOT NULL,
	body       TEXT    NOT NULL DEFAULT '',
	enabled    INTEGER NOT NULL DEFAULT 0,
	days       INTEGER NOT NULL DEFAULT 0,
	updated_at INTEGER NOT NULL,
	UNIQUE (channel_id, kind, language)
);
