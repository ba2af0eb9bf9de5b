-- An incoming message a machine wrote: an auto-reply (RFC 3834, "out of
-- office") or a bounce (a delivery status notification). Shown on its
-- ticket; never opens one, never answered automatically.
ALTER TABLE messages ADD COLUMN auto_kind TEXT NOT NULL DEFAULT '';

-- The automatic messages the desk sent, one per ticket and key
-- ("ack", "reminder:3", "form-ack"...): what makes "never twice" hold
-- across processes and restarts.
CREATE TABLE system_messages (
	ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	key        TEXT   NOT NULL,
	message_id INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (ticket_id, key)
);

-- What an agent is told in the app (a ticket forwarded to them, a
-- deadline about to pass), and whether it is also to go by email:
-- email_state '' (no), 'pending' (to send), 'sent', 'failed'.
CREATE TABLE notifications (
	id          INTEGER PRIMARY KEY,
	agent_id    INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
	ticket_id   INTEGER REFERENCES tickets (id) ON DELETE CASCADE,
	kind        TEXT   NOT NULL,
	text        TEXT   NOT NULL,
	by_name     TEXT   NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	read_at     INTEGER NOT NULL DEFAULT 0,
	email_state TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX notifications_agent ON notifications (agent_id, read_at, id);
CREATE INDEX notifications_email ON notifications (email_state) WHERE email_state = 'pending';
