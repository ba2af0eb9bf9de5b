-- Email threading: a customer's answer names, in In-Reply-To and
-- References, the Message-IDs of what it answers; ours are kept as the
-- source id of the messages we sent, on any channel's ticket (the Email
-- thread of a Kaufland ticket is sent by an email channel).
CREATE INDEX messages_source ON messages (source_id) WHERE source_id IS NOT NULL;

-- Secrets of the desk itself, made at first use and shared by every
-- process on the database: the key that signs the tokens of our emails.
CREATE TABLE desk_secrets (
	name  TEXT PRIMARY KEY,
	value BYTEA NOT NULL
);
