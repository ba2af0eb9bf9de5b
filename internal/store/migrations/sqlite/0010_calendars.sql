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

-- Texts to start from, switched off: the admin reads them and turns them on.
INSERT INTO system_rules (channel_id, kind, language, body, enabled, days, updated_at) VALUES
	(0, 'ack', 'fr', 'Bonjour {nom_client},

Nous avons bien reçu votre message et vous répondrons au plus vite.

Le service client', 0, 0, 0),
	(0, 'out_of_hours', 'fr', 'Bonjour {nom_client},

Merci pour votre message. Notre service client est actuellement fermé ; nous vous répondrons dès sa réouverture, le {ouverture}.

Le service client', 0, 0, 0),
	(0, 'reminder', 'fr', 'Bonjour {nom_client},

Nous attendons votre réponse pour traiter votre demande. Sans nouvelles de votre part, elle sera close automatiquement dans quelques jours.

Le service client', 0, 5, 0),
	(0, 'auto_close', 'fr', 'Bonjour {nom_client},

Sans réponse de votre part, nous clôturons votre demande. Vous pouvez nous écrire à tout moment pour la rouvrir.

Le service client', 0, 10, 0),
	(0, 'ack', 'de', 'Guten Tag {nom_client},

wir haben Ihre Nachricht erhalten und melden uns so schnell wie möglich.

Ihr Kundenservice', 0, 0, 0),
	(0, 'out_of_hours', 'de', 'Guten Tag {nom_client},

vielen Dank für Ihre Nachricht. Unser Kundenservice ist derzeit nicht erreichbar; wir antworten Ihnen ab {ouverture}.

Ihr Kundenservice', 0, 0, 0),
	(0, 'reminder', 'de', 'Guten Tag {nom_client},

wir warten noch auf Ihre Antwort, um Ihre Anfrage zu bearbeiten. Ohne Rückmeldung wird sie in einigen Tagen automatisch geschlossen.

Ihr Kundenservice', 0, 5, 0),
	(0, 'auto_close', 'de', 'Guten Tag {nom_client},

da wir keine Antwort erhalten haben, schließen wir Ihre Anfrage. Sie können uns jederzeit erneut schreiben.

Ihr Kundenservice', 0, 10, 0);
