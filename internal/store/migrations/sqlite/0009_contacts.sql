-- The public contact form's contacts (« Service client », « Webmaster »...):
-- the email channel whose tickets their messages open, and whether those
-- messages are stored at all (save_messages = 0: only forwarded by email to
-- the contact's address).
CREATE TABLE contacts (
	id            INTEGER PRIMARY KEY,
	name          TEXT    NOT NULL UNIQUE,
	email         TEXT    NOT NULL DEFAULT '',
	channel_id    INTEGER REFERENCES channels (id) ON DELETE SET NULL,
	save_messages INTEGER NOT NULL DEFAULT 1,
	description   TEXT    NOT NULL DEFAULT '',
	position      INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL
);
INSERT INTO contacts (name, description, position, created_at) VALUES
	('Service client', 'Pour toute question ou réclamation sur une commande', 1, 0),
	('Webmaster', 'Si un problème technique survient sur le site', 2, 0);

-- The customer-service options (« Options de SAV »), one row per key:
-- allow_upload, default_reply, frame_ancestors, sending_channel_id.
CREATE TABLE service_settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO service_settings (key, value) VALUES
	('allow_upload', '1'),
	('default_reply', 'Bonjour,

Cordialement,
Le service client');

-- What the form knew of a message it stored: the contact, the product named,
-- the customer's browser and address.
CREATE TABLE form_messages (
	message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
	contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
	email      TEXT    NOT NULL,
	product    TEXT    NOT NULL DEFAULT '',
	user_agent TEXT    NOT NULL DEFAULT '',
	address    TEXT    NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);

-- Emails that are not a reply on a thread (a ticket forwarded outside with a
-- comment, a form message of a contact that stores nothing, an agent's
-- notification), sent through an email channel's connector by a worker,
-- retried with backoff: state 'queued', 'sent' or 'failed' (given up).
CREATE TABLE outgoing_emails (
	id              INTEGER PRIMARY KEY,
	channel_id      INTEGER REFERENCES channels (id) ON DELETE SET NULL,
	ticket_id       INTEGER REFERENCES tickets (id) ON DELETE CASCADE,
	notification_id INTEGER REFERENCES notifications (id) ON DELETE SET NULL,
	recipients      TEXT    NOT NULL, -- JSON array
	reply_to        TEXT    NOT NULL DEFAULT '',
	subject         TEXT    NOT NULL,
	body            TEXT    NOT NULL,
	files           TEXT    NOT NULL DEFAULT '[]', -- JSON: name, content_type, blob key
	state           TEXT    NOT NULL DEFAULT 'queued',
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_at         INTEGER NOT NULL,
	lease_until     INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT    NOT NULL DEFAULT '',
	message_id      TEXT    NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	sent_at         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outgoing_emails_due ON outgoing_emails (next_at) WHERE state = 'queued';

-- « Recevoir mes notifications par email ».
ALTER TABLE agents ADD COLUMN notify_email INTEGER NOT NULL DEFAULT 0;

-- Messages per author kind, internal notes apart (the customer service's
-- statistics), kept by triggers in the same transaction as the message:
-- the overview never counts the messages table.
CREATE TABLE message_counts (
	author_kind TEXT    PRIMARY KEY,
	n           INTEGER NOT NULL
);
INSERT INTO message_counts (author_kind, n)
	SELECT author_kind, count(*) FROM messages WHERE internal = 0 GROUP BY author_kind;
CREATE TRIGGER messages_count_insert AFTER INSERT ON messages WHEN NEW.internal = 0 BEGIN
	INSERT INTO message_counts (author_kind, n) VALUES (NEW.author_kind, 1)
	ON CONFLICT (author_kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER messages_count_delete AFTER DELETE ON messages WHEN OLD.internal = 0 BEGIN
	UPDATE message_counts SET n = n - 1 WHERE author_kind = OLD.author_kind;
END;
