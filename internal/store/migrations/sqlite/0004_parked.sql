-- Incoming messages that could not be stored (a file over the limit, a
-- missing source id...), kept with their reason so that the rest of their
-- batch is stored and an admin sees them. One row per (channel, source
-- key): the same message fetched again updates it. content is the message
-- as JSON, files described but without their bytes.
CREATE TABLE parked_messages (
	id          INTEGER PRIMARY KEY,
	channel_id  INTEGER NOT NULL REFERENCES channels (id),
	source_key  TEXT    NOT NULL,              -- the source id, or a digest when it has none usable
	source_id   TEXT    NOT NULL DEFAULT '',
	order_ref   TEXT    NOT NULL DEFAULT '',
	code        TEXT    NOT NULL,              -- desk's error code: invalid, too_large
	field       TEXT    NOT NULL DEFAULT '',
	reason      TEXT    NOT NULL,
	content     TEXT    NOT NULL,
	first_seen  INTEGER NOT NULL,
	last_seen   INTEGER NOT NULL,
	times_seen  INTEGER NOT NULL DEFAULT 1,
	UNIQUE (channel_id, source_key)
);
CREATE INDEX parked_messages_last_seen ON parked_messages (last_seen, id);

-- A message whose text the channel sent broken (NUL, invalid UTF-8) is
-- stored cleaned, and says so.
ALTER TABLE messages ADD COLUMN altered INTEGER NOT NULL DEFAULT 0;
