-- The hourly counts rolled up per UTC day (day = hour / 24), channel and
-- agent, kept by triggers on perf_hours in the same transaction (see the
-- SQLite file).
CREATE TABLE perf_days (
	day        BIGINT  NOT NULL,
	channel_id BIGINT  NOT NULL,
	agent_id   BIGINT  NOT NULL,
	msgs_in    INTEGER NOT NULL DEFAULT 0,
	msgs_out   INTEGER NOT NULL DEFAULT 0,
	closed     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, channel_id, agent_id)
);

-- An hour's insert adds its counts, its update (the hours' upserts) the
-- difference, its delete takes them away; an hour never moves to another key.
CREATE FUNCTION perf_days_roll() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	d_in BIGINT := 0;
	d_out BIGINT := 0;
	d_closed BIGINT := 0;
BEGIN
	IF TG_OP = 'DELETE' THEN
		UPDATE perf_days SET msgs_in = msgs_in - OLD.msgs_in, msgs_out = msgs_out - OLD.msgs_out, closed = closed - OLD.closed
		WHERE day = OLD.hour / 24 AND channel_id = OLD.channel_id AND agent_id = OLD.agent_id;
		RETURN NULL;
	END IF;
	IF TG_OP = 'UPDATE' THEN
		d_in := OLD.msgs_in;
		d_out := OLD.msgs_out;
		d_closed := OLD.closed;
	END IF;
	INSERT INTO perf_days AS d (day, channel_id, agent_id, msgs_in, msgs_out, closed)
	VALUES (NEW.hour / 24, NEW.channel_id, NEW.agent_id, NEW.msgs_in - d_in, NEW.msgs_out - d_out, NEW.closed - d_closed)
	ON CONFLICT (day, channel_id, agent_id) DO UPDATE SET msgs_in = d.msgs_in + excluded.msgs_in,
		msgs_out = d.msgs_out + excluded.msgs_out, closed = d.closed + excluded.closed;
	RETURN NULL;
END $$;
CREATE TRIGGER perf_days_roll AFTER INSERT OR UPDATE OR DELETE ON perf_hours FOR EACH ROW EXECUTE FUNCTION perf_days_roll();

-- What was there before.
INSERT INTO perf_days (day, channel_id, agent_id, msgs_in, msgs_out, closed)
SELECT hour / 24, channel_id, agent_id, sum(msgs_in), sum(msgs_out), sum(closed) FROM perf_hours
GROUP BY hour / 24, channel_id, agent_id;
