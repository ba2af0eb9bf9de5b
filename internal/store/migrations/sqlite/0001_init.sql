-- guichet's first schema, SQLite. Times are Unix milliseconds (UTC).

CREATE TABLE agents (
	id            INTEGER PRIMARY KEY,
	email         TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL,
	role          TEXT    NOT NULL CHECK (role IN ('admin', 'adv')),
	lang          TEXT    NOT NULL DEFAULT 'fr',
	active        INTEGER NOT NULL DEFAULT 1,
	password_hash TEXT    NOT NULL,
	created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
	token_hash BLOB    PRIMARY KEY,
	agent_id   INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
	csrf       TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	agent_id   INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
	name       TEXT    NOT NULL,
	token_hash BLOB    NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
);

CREATE TABLE channels (
	id              INTEGER PRIMARY KEY,
	kind            TEXT    NOT NULL,
	name            TEXT    NOT NULL UNIQUE,
	responsible_id  INTEGER REFERENCES agents (id),
	deadline_policy TEXT    NOT NULL,
	order_url       TEXT    NOT NULL DEFAULT '',
	guard_names     TEXT    NOT NULL DEFAULT '[]', -- JSON array
	forbid_contact  INTEGER NOT NULL DEFAULT 0,
	active          INTEGER NOT NULL DEFAULT 1,
	settings        BLOB,                          -- connector settings, encrypted
	created_at      INTEGER NOT NULL
);

CREATE TABLE customers (
	id          INTEGER PRIMARY KEY,
	channel_id  INTEGER REFERENCES channels (id),
	external_id TEXT,
	name        TEXT    NOT NULL DEFAULT '',
	email       TEXT    NOT NULL DEFAULT '',
	phone       TEXT    NOT NULL DEFAULT '',
	note        TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	UNIQUE (channel_id, external_id)
);

CREATE TABLE tickets (
	id               INTEGER PRIMARY KEY,
	channel_id       INTEGER NOT NULL REFERENCES channels (id),
	order_ref        TEXT,                          -- NULL: a question without an order
	customer_id      INTEGER REFERENCES customers (id),
	status           TEXT    NOT NULL CHECK (status IN ('waiting_admin', 'waiting_customer', 'closed')),
	priority         TEXT    NOT NULL CHECK (priority IN ('P1', 'P2')),
	assignee_id      INTEGER REFERENCES agents (id),
	deadline_at      INTEGER NOT NULL,
	opened_at        INTEGER NOT NULL,
	last_activity_at INTEGER NOT NULL,
	closed_at        INTEGER,
	closed_by        INTEGER REFERENCES agents (id),
	problem          TEXT    NOT NULL DEFAULT '',
	real_email       TEXT    NOT NULL DEFAULT '',
	delivery_date    TEXT    NOT NULL DEFAULT '',
	reason           TEXT    NOT NULL DEFAULT '',
	subject          TEXT    NOT NULL DEFAULT '',
	message_count    INTEGER NOT NULL DEFAULT 0,
	preview          TEXT    NOT NULL DEFAULT '', -- the start of the last message, for the inbox
	UNIQUE (channel_id, order_ref)                  -- one order = one ticket
);
-- One index per inbox sort, so that a page is a range scan, never a sort.
CREATE INDEX tickets_status_deadline   ON tickets (status, deadline_at, id);
CREATE INDEX tickets_status_activity   ON tickets (status, last_activity_at, id);
CREATE INDEX tickets_status_opened     ON tickets (status, opened_at, id);
CREATE INDEX tickets_assignee_deadline ON tickets (assignee_id, status, deadline_at, id);
CREATE INDEX tickets_assignee_activity ON tickets (assignee_id, status, last_activity_at, id);
CREATE INDEX tickets_channel_deadline  ON tickets (channel_id, status, deadline_at, id);
CREATE INDEX tickets_order_ref         ON tickets (upper(order_ref));
CREATE INDEX tickets_customer          ON tickets (customer_id);

-- Counters per status, assignee and channel, kept by triggers in the same
-- transaction as the change: the inbox never counts rows.
CREATE TABLE ticket_counts (
	status      TEXT    NOT NULL,
	assignee_id INTEGER NOT NULL,  -- 0: nobody
	channel_id  INTEGER NOT NULL,
	n           INTEGER NOT NULL,
	PRIMARY KEY (status, assignee_id, channel_id)
);

CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets BEGIN
	INSERT INTO ticket_counts (status, assignee_id, channel_id, n)
	VALUES (NEW.status, coalesce(NEW.assignee_id, 0), NEW.channel_id, 1)
	ON CONFLICT (status, assignee_id, channel_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_count_update AFTER UPDATE OF status, assignee_id, channel_id ON tickets
WHEN OLD.status IS NOT NEW.status OR OLD.assignee_id IS NOT NEW.assignee_id OR OLD.channel_id IS NOT NEW.channel_id
BEGIN
	UPDATE ticket_counts SET n = n - 1
	WHERE status = OLD.status AND assignee_id = coalesce(OLD.assignee_id, 0) AND channel_id = OLD.channel_id;
	INSERT INTO ticket_counts (status, assignee_id, channel_id, n)
	VALUES (NEW.status, coalesce(NEW.assignee_id, 0), NEW.channel_id, 1)
	ON CONFLICT (status, assignee_id, channel_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets BEGIN
	UPDATE ticket_counts SET n = n - 1
	WHERE status = OLD.status AND assignee_id = coalesce(OLD.assignee_id, 0) AND channel_id = OLD.channel_id;
END;

CREATE TABLE threads (
	id          INTEGER PRIMARY KEY,
	ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	kind        TEXT    NOT NULL CHECK (kind IN ('customer', 'operator', 'email')),
	external_id TEXT    NOT NULL DEFAULT '',
	subject     TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	UNIQUE (ticket_id, kind, external_id)
);
CREATE INDEX threads_external ON threads (external_id) WHERE external_id <> '';

CREATE TABLE templates (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	body        TEXT NOT NULL,
	lang        TEXT NOT NULL DEFAULT 'fr',
	channel_ids TEXT NOT NULL DEFAULT '[]' -- JSON array; empty: every channel
);

CREATE TABLE messages (
	id              INTEGER PRIMARY KEY,
	ticket_id       INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	thread_id       INTEGER REFERENCES threads (id),
	seq             INTEGER NOT NULL,
	channel_id      INTEGER NOT NULL,
	direction       TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
	author_kind     TEXT    NOT NULL CHECK (author_kind IN ('customer', 'agent', 'operator', 'system')),
	author_agent_id INTEGER REFERENCES agents (id),
	author_name     TEXT    NOT NULL DEFAULT '',
	body            TEXT    NOT NULL,
	body_html       TEXT    NOT NULL DEFAULT '',
	internal        INTEGER NOT NULL DEFAULT 0,
	source_id       TEXT,                          -- the channel's id: fetched twice, stored once
	template_id     INTEGER,                       -- no reference: a deleted template keeps its name here
	template_name   TEXT    NOT NULL DEFAULT '',
	delivery        TEXT    NOT NULL DEFAULT '' CHECK (delivery IN ('', 'queued', 'sent', 'failed')),
	delivery_error  TEXT    NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	UNIQUE (ticket_id, seq),
	UNIQUE (channel_id, source_id)
);
CREATE INDEX messages_queued ON messages (id) WHERE delivery = 'queued';

CREATE TABLE attachments (
	id           INTEGER PRIMARY KEY,
	message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	name         TEXT    NOT NULL,
	content_type TEXT    NOT NULL,
	size         INTEGER NOT NULL,
	kind         TEXT    NOT NULL DEFAULT '',
	blob_key     TEXT    NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id);

CREATE TABLE events (
	id         INTEGER PRIMARY KEY,
	ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	at         INTEGER NOT NULL,
	agent_id   INTEGER REFERENCES agents (id),
	actor_name TEXT    NOT NULL DEFAULT '',
	kind       TEXT    NOT NULL,
	old        TEXT    NOT NULL DEFAULT '',
	new        TEXT    NOT NULL DEFAULT '',
	message_id INTEGER
);
CREATE INDEX events_ticket ON events (ticket_id, id);

-- Full-text search: one entry per message and one per ticket (its number,
-- order, customer); rowid = ticket_id << 20 | seq. Contentless: the text
-- stays in messages only. guichet writes it folded (lower case, no accents)
-- as on PostgreSQL; the tokenizer would fold it the same.
CREATE VIRTUAL TABLE search_fts USING fts5 (
	body,
	content = '',
	contentless_delete = 1,
	detail = none,
	tokenize = 'unicode61 remove_diacritics 2'
);
-- Every word ever indexed, so that search can turn a word into the terms it
-- starts: FTS5 reads the lists of a prefix query ("w"*) in full before the
-- first row, but an OR of exact terms lazily, newest first.
CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
