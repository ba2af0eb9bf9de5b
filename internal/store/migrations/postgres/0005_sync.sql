-- Where each channel's sync stands: the cursor its next fetch starts from
-- (written in the transaction that stores the messages before it), its
-- schedule and its last results, and the lease of the run that holds it
-- (one process at a time fetches a channel). Rows are made when a channel
-- is first claimed. Times in Unix ms, 0 for none.
CREATE TABLE channel_sync (
	channel_id    BIGINT PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
	cursor        TEXT    NOT NULL DEFAULT '',
	every         BIGINT NOT NULL DEFAULT 0,          -- ms between two runs; 0: the kind's default
	next_run_at   BIGINT NOT NULL DEFAULT 0,
	last_run_at   BIGINT NOT NULL DEFAULT 0,
	last_ok_at    BIGINT NOT NULL DEFAULT 0,
	last_error    TEXT    NOT NULL DEFAULT '',
	last_error_at BIGINT NOT NULL DEFAULT 0,
	failures      INTEGER NOT NULL DEFAULT 0,       -- in a row: the backoff's exponent
	last_fetched  INTEGER NOT NULL DEFAULT 0,
	fetched       BIGINT NOT NULL DEFAULT 0,
	lease_owner   TEXT    NOT NULL DEFAULT '',
	lease_until   BIGINT NOT NULL DEFAULT 0,
	requested_at  BIGINT  NOT NULL DEFAULT 0           -- « Synchroniser maintenant », until a run starts after it
);
CREATE INDEX channel_sync_due ON channel_sync (next_run_at);

-- The outbox: one row per reply to deliver. messages.delivery is what the
-- agents see (queued, sent, failed); state is the detail: 'sending' is
-- written before the connector is called, so that a crash never leads to a
-- blind second send, and 'unknown' waits for an agent. next_at is when the
-- row may be claimed: a retry's time, or the end of the lease that holds it.
CREATE TABLE deliveries (
	message_id  BIGINT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
	ticket_id   BIGINT NOT NULL,
	channel_id  BIGINT NOT NULL,
	state       TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'unknown', 'sent', 'failed')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	next_at     BIGINT NOT NULL DEFAULT 0,
	last_error  TEXT    NOT NULL DEFAULT '',
	lease_owner TEXT    NOT NULL DEFAULT '',
	lease_until BIGINT NOT NULL DEFAULT 0,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (next_at) WHERE state IN ('queued', 'sending');
CREATE INDEX deliveries_state ON deliveries (state, updated_at);

-- The channel's own status of a conversation ("opened", "both_closed"),
-- and how the thread shows it.
ALTER TABLE threads ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE threads ADD COLUMN status_label TEXT NOT NULL DEFAULT '';
