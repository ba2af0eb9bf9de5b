-- Service performance, kept as things happen so that a month's dashboard
-- reads a few thousand rows, never the messages.

-- One row per ticket a customer's message opened: when, and its first
-- answer by an agent (system messages, notes and back-office echoes are no
-- answer). response_ms is counted the channel's way (around the clock,
-- working days, opening hours) when the answer is given; in_time says
-- whether it came before the deadline then in force (NULL: not answered, or
-- unknown for tickets answered before this migration). Reopenings never
-- change it: a ticket's first response is measured once.
CREATE TABLE ticket_facts (
	ticket_id         INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
	channel_id        INTEGER NOT NULL,
	opened_at         INTEGER NOT NULL,
	first_response_at INTEGER,
	responder_id      INTEGER,
	response_ms       INTEGER,
	in_time           INTEGER
);
CREATE INDEX ticket_facts_opened ON ticket_facts (opened_at, channel_id, responder_id, response_ms, in_time, first_response_at, ticket_id);

-- Messages in and out and closings per hour (Unix hours: periods in any
-- time zone with whole-hour offsets fall on their boundaries), channel and
-- agent (0: none), kept by triggers in the same transaction as the change.
-- In: customers' and operators' messages, auto-replies and bounces left out;
-- out: agents' messages to the channel (no notes, system or back-office
-- messages); closed: each closing, by who closed.
CREATE TABLE perf_hours (
	hour       INTEGER NOT NULL,
	channel_id INTEGER NOT NULL,
	agent_id   INTEGER NOT NULL,
	msgs_in    INTEGER NOT NULL DEFAULT 0,
	msgs_out   INTEGER NOT NULL DEFAULT 0,
	closed     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour, channel_id, agent_id)
);

CREATE TRIGGER perf_message_in AFTER INSERT ON messages
WHEN NEW.direction = 'in' AND NEW.internal = 0 AND NEW.auto_kind = '' AND NEW.author_kind IN ('customer', 'operator')
BEGIN
	INSERT INTO perf_hours (hour, channel_id, agent_id, msgs_in) VALUES (NEW.created_at / 3600000, NEW.channel_id, 0, 1)
	ON CONFLICT (hour, channel_id, agent_id) DO UPDATE SET msgs_in = msgs_in + 1;
END;

CREATE TRIGGER perf_message_out AFTER INSERT ON messages
WHEN NEW.direction = 'out' AND NEW.internal = 0 AND NEW.author_kind = 'agent' AND NEW.author_agent_id IS NOT NULL
BEGIN
	INSERT INTO perf_hours (hour, channel_id, agent_id, msgs_out) VALUES (NEW.created_at / 3600000, NEW.channel_id, NEW.author_agent_id, 1)
	ON CONFLICT (hour, channel_id, agent_id) DO UPDATE SET msgs_out = msgs_out + 1;
END;

CREATE TRIGGER perf_ticket_closed_insert AFTER INSERT ON tickets
WHEN NEW.status = 'closed'
BEGIN
	INSERT INTO perf_hours (hour, channel_id, agent_id, closed)
	VALUES (coalesce(NEW.closed_at, NEW.last_activity_at) / 3600000, NEW.channel_id, coalesce(NEW.closed_by, 0), 1)
	ON CONFLICT (hour, channel_id, agent_id) DO UPDATE SET closed = closed + 1;
END;

CREATE TRIGGER perf_ticket_closed_update AFTER UPDATE OF status ON tickets
WHEN NEW.status = 'closed' AND OLD.status <> 'closed'
BEGIN
	INSERT INTO perf_hours (hour, channel_id, agent_id, closed)
	VALUES (coalesce(NEW.closed_at, NEW.last_activity_at) / 3600000, NEW.channel_id, coalesce(NEW.closed_by, 0), 1)
	ON CONFLICT (hour, channel_id, agent_id) DO UPDATE SET closed = closed + 1;
END;

-- The young part of the open backlog by age, per channel and assignee,
-- read from the index alone (the rest is the per-status counters' total).
CREATE INDEX tickets_backlog ON tickets (status, opened_at, channel_id, assignee_id);

-- The service's rules an admin sets (priority rules, the warnings' lead
-- time): key → value.
CREATE TABLE service_rules (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- The warnings sent before a deadline passes: one per ticket and deadline,
-- across processes and restarts.
CREATE TABLE deadline_warnings (
	ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	deadline_at INTEGER NOT NULL,
	agent_id    INTEGER NOT NULL,
	sent_at     INTEGER NOT NULL,
	PRIMARY KEY (ticket_id, deadline_at)
);

-- What was there before: tickets a customer opened, answered around the
-- clock (the deadline then in force is not known: in_time NULL), and the
-- hourly counts (closings: the last one of each closed ticket).
INSERT INTO ticket_facts (ticket_id, channel_id, opened_at, first_response_at, responder_id, response_ms)
SELECT t.id, t.channel_id, t.opened_at, r.created_at, r.author_agent_id, r.created_at - t.opened_at
FROM tickets t
JOIN messages m1 ON m1.ticket_id = t.id AND m1.seq = 1 AND m1.author_kind = 'customer' AND m1.direction = 'in'
LEFT JOIN messages r ON r.id = (SELECT min(a.id) FROM messages a WHERE a.ticket_id = t.id AND a.direction = 'out'
	AND a.internal = 0 AND a.author_kind = 'agent' AND a.author_agent_id IS NOT NULL);

INSERT INTO perf_hours (hour, channel_id, agent_id, msgs_in, msgs_out, closed)
SELECT hour, channel_id, agent_id, sum(i), sum(o), sum(c) FROM (
	SELECT created_at / 3600000 AS hour, channel_id, 0 AS agent_id, 1 AS i, 0 AS o, 0 AS c FROM messages
	WHERE direction = 'in' AND internal = 0 AND auto_kind = '' AND author_kind IN ('customer', 'operator')
	UNION ALL
	SELECT created_at / 3600000, channel_id, author_agent_id, 0, 1, 0 FROM messages
	WHERE direction = 'out' AND internal = 0 AND author_kind = 'agent' AND author_agent_id IS NOT NULL
	UNION ALL
	SELECT coalesce(closed_at, last_activity_at) / 3600000, channel_id, coalesce(closed_by, 0), 0, 0, 1 FROM tickets
	WHERE status = 'closed'
) x GROUP BY hour, channel_id, agent_id;
