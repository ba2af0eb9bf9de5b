-- The hourly counts rolled up per UTC day (Unix days: day = hour / 24),
-- channel and agent, so that a month's dashboard reads about thirty days
-- of rows instead of seven hundred hours. Kept by triggers on perf_hours,
-- in the same transaction as the change that counted the hour. A period
-- reads its whole UTC days here and its edges (the desk's days start at
-- 22:00 or 23:00 UTC) from perf_hours: the figures are exactly the hours'.
CREATE TABLE perf_days (
	day        INTEGER NOT NULL,
	channel_id INTEGER NOT NULL,
	agent_id   INTEGER NOT NULL,
	msgs_in    INTEGER NOT NULL DEFAULT 0,
	msgs_out   INTEGER NOT NULL DEFAULT 0,
	closed     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, channel_id, agent_id)
);

CREATE TRIGGER perf_days_insert AFTER INSERT ON perf_hours
BEGIN
	INSERT INTO perf_days (day, channel_id, agent_id, msgs_in, msgs_out, closed)
	VALUES (NEW.hour / 24, NEW.channel_id, NEW.agent_id, NEW.msgs_in, NEW.msgs_out, NEW.closed)
	ON CONFLICT (day, channel_id, agent_id) DO UPDATE SET msgs_in = msgs_in + excluded.msgs_in,
		msgs_out = msgs_out + excluded.msgs_out, closed = closed + excluded.closed;
END;

-- The hours' upserts are updates (SQLite fires them for ON CONFLICT DO
-- UPDATE); an hour never moves to another key.
CREATE TRIGGER perf_days_update AFTER UPDATE ON perf_hours
BEGIN
	INSERT INTO perf_days (day, channel_id, agent_id, msgs_in, msgs_out, closed)
	VALUES (NEW.hour / 24, NEW.channel_id, NEW.agent_id, NEW.msgs_in - OLD.msgs_in, NEW.msgs_out - OLD.msgs_out, NEW.closed - OLD.closed)
	ON CONFLICT (day, channel_id, agent_id) DO UPDATE SET msgs_in = msgs_in + excluded.msgs_in,
		msgs_out = msgs_out + excluded.msgs_out, closed = closed + excluded.closed;
END;

CREATE TRIGGER perf_days_delete AFTER DELETE ON perf_hours
BEGIN
	UPDATE perf_days SET msgs_in = msgs_in - OLD.msgs_in, msgs_out = msgs_out - OLD.msgs_out, closed = closed - OLD.closed
	WHERE day = OLD.hour / 24 AND channel_id = OLD.channel_id AND agent_id = OLD.agent_id;
END;

-- What was there before.
INSERT INTO perf_days (day, channel_id, agent_id, msgs_in, msgs_out, closed)
SELECT hour / 24, channel_id, agent_id, sum(msgs_in), sum(msgs_out), sum(closed) FROM perf_hours
GROUP BY hour / 24, channel_id, agent_id;
