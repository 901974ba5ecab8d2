-- Several companions on one database.
-- The mirror's change log: every write to a connection's mirror takes the
-- next `sync_state.version` of that connection (in the writing transaction,
-- so versions commit in order) and records here which candidates it touched.
-- Each server's index catches up by reading the entries after its version.
CREATE TABLE mirror_changes (
    connection_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    ats_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (connection_id, seq, ats_id)
);
CREATE INDEX mirror_changes_at ON mirror_changes(at);
-- Entries up to this version were pruned: an index older than it is rebuilt.
ALTER TABLE sync_state ADD COLUMN changes_floor BIGINT NOT NULL DEFAULT 0;
-- The rate budget of each ATS connection, shared by every server
-- (PostgreSQL; a single SQLite server keeps it in memory): the calls in
-- flight or answered within the last window, and until when a user is
-- waiting for one.
CREATE TABLE rate_budgets (
    connection_id TEXT PRIMARY KEY,
    users_waiting_until BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE rate_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id TEXT NOT NULL,
    -- when the call was allowed, or once done, when its answer came
    at BIGINT NOT NULL,
    done BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX rate_calls_connection ON rate_calls(connection_id, at);
