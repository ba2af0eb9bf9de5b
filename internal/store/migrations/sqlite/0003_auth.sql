-- Sign-in throttling, password changes and API tokens.
--
-- api_tokens: an integration's token (the shop's order-page button) acts as
-- the system, not as an agent: agent_id becomes optional (NULL: an
-- integration, named by name). last_used_at is refreshed at most once a
-- minute per token (0: never used). SQLite cannot drop NOT NULL in place:
-- the table is rebuilt; nothing references it.
CREATE TABLE api_tokens_new (
	id           INTEGER PRIMARY KEY,
	agent_id     INTEGER REFERENCES agents (id) ON DELETE CASCADE,
	name         TEXT    NOT NULL,
	token_hash   BLOB    NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO api_tokens_new (id, agent_id, name, token_hash, created_at)
	SELECT id, agent_id, name, token_hash, created_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_agent ON api_tokens (agent_id);

-- A password change ends the agent's other sessions.
CREATE INDEX sessions_agent ON sessions (agent_id);

-- Browsers that signed in to an agent's account (OWASP « device cookies »):
-- the cookie holds a random token, this table its SHA-256. Presenting it
-- exempts a sign-in from the per-address limit and the account's lockout.
CREATE TABLE devices (
	id           INTEGER PRIMARY KEY,
	agent_id     INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
	token_hash   BLOB    NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL
);
CREATE INDEX devices_agent ON devices (agent_id, last_used_at);
CREATE INDEX devices_last_used ON devices (last_used_at);
