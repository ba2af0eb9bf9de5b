-- Service performance, kept as things happen so that a month's dashboard
-- reads a few thousand rows, never the messages. (See the SQLite file for
-- the meaning of each column.)

-- One row per ticket a customer's message opened, with its first answer by
-- an agent, counted the channel's way; reopenings never change it.
CREATE TABLE ticket_facts (
	ticket_id         BIGINT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
	channel_id        BIGINT NOT NULL,
	opened_at         BIGINT NOT NULL,
	first_response_at BIGINT,
	responder_id      BIGINT,
	response_ms       BIGINT,
	in_time           INTEGER
);
CREATE INDEX ticket_facts_opened ON ticket_facts (opened_at, channel_id, responder_id, response_ms, in_time, first_response_at, ticket_id);

-- Messages in and out and closings per Unix hour, channel and agent (0:
-- none), kept by triggers in the same transaction as the change.
CREATE TABLE perf_hours (
	hour       BIGINT  NOT NULL,
	channel_id BIGINT  NOT NULL,
	agent_id   BIGINT  NOT NULL,
	msgs_in    INTEGER NOT NULL DEFAULT 0,
	msgs_out   INTEGER NOT NULL DEFAULT 0,
	closed     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour, channel_id, agent_id)
);

CREATE FUNCTION perf_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.internal = 0 AND NEW.direction = 'in' AND NEW.auto_kind = '' AND NEW.author_kind IN ('customer', 'operator') THEN
		INSERT INTO perf_hours (hour, channel_id, agent_id, msgs_in) VALUES (NEW.created_at / 3600000, NEW.channel_id, 0, 1)
		ON CONFLICT (hour, channel_id, agent_id) DO UPDATE SET msgs_in = perf_hours.msgs_in + 1;
	ELSIF NEW.internal = 0 AND NEW.direction = 'out' AND NEW.author_kind = 'agent' AND NEW.author_agent_id IS NOT NULL THEN
		INSERT INTO perf_hours (hour, channel_id, agent_id, msgs_out) VALUES (NEW.created_at / 3600000, NEW.channel_id, NEW.author_agent_id, 1)
		ON CONFLICT (hour, channel_id, agent_id) DO UPDATE SET msgs_out = perf_hours.msgs_out + 1;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER perf_message AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION perf_message();

CREATE FUNCTION perf_ticket_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO perf_hours (hour, channel_id, agent_id, closed)
	VALUES (coalesce(NEW.closed_at, NEW.last_activity_at) / 3600000, NEW.channel_id, coalesce(NEW.closed_by, 0), 1)
	ON CONFLICT (hour, channel_id, agent_id) DO UPDATE SET closed = perf_hours.closed + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER perf_ticket_closed_insert AFTER INSERT ON tickets FOR EACH ROW
	WHEN (NEW.status = 'closed') EXECUTE FUNCTION perf_ticket_closed();
CREATE TRIGGER perf_ticket_closed_update AFTER UPDATE OF status ON tickets FOR EACH ROW
	WHEN (NEW.status = 'closed' AND OLD.status <> 'closed') EXECUTE FUNCTION perf_ticket_closed();

-- The young part of the open backlog by age, per channel and assignee,
-- read from the index alone (the rest is the per-status counters' total).
CREATE INDEX tickets_backlog ON tickets (status, opened_at, channel_id, assignee_id);

-- The service's rules an admin sets (priority rules, the warnings' lead time).
CREATE TABLE service_rules (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- The warnings sent before a deadline passes: one per ticket and deadline.
CREATE TABLE deadline_warnings (
	ticket_id   BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	deadline_at BIGINT NOT NULL,
	agent_id    BIGINT NOT NULL,
	sent_at     BIGINT NOT NULL,
	PRIMARY KEY (ticket_id, deadline_at)
);

-- What was there before (see the SQLite file).
INSERT INTO ticket_facts (ticket_id, channel_id, opened_at, first_response_at, responder_id, response_ms)
SELECT t.id, t.channel_id, t.opened_at, r.created_at, r.author_agent_id, r.created_at - t.opened_at
FROM tickets t
JOIN messages m1 ON m1.ticket_id = t.id AND m1.seq = 1 AND m1.author_kind = 'customer' AND m1.direction = 'in'
LEFT JOIN messages r ON r.id = (SELECT min(a.id) FROM messages a WHERE a.ticket_id = t.id AND a.direction = 'out'
	AND a.internal = 0 AND a.author_kind = 'agent' AND a.author_agent_id IS NOT NULL);

INSERT INTO perf_hours (hour, channel_id, agent_id, msgs_in, msgs_out, closed)
SELECT hour, channel_id, agent_id, sum(i), sum(o), sum(c) FROM (
	SELECT created_at / 3600000 AS hour, channel_id, 0::bigint AS agent_id, 1 AS i, 0 AS o, 0 AS c FROM messages
	WHERE direction = 'in' AND internal = 0 AND auto_kind = '' AND author_kind IN ('customer', 'operator')
	UNION ALL
	SELECT created_at / 3600000, channel_id, author_agent_id, 0, 1, 0 FROM messages
	WHERE direction = 'out' AND internal = 0 AND author_kind = 'agent' AND author_agent_id IS NOT NULL
	UNION ALL
	SELECT coalesce(closed_at, last_activity_at) / 3600000, channel_id, coalesce(closed_by, 0), 0, 0, 1 FROM tickets
	WHERE status = 'closed'
) x GROUP BY hour, channel_id, agent_id;
