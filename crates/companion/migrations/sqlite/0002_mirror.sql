-- The candidate mirror, its sync state, idempotency keys and the upload queue.
CREATE TABLE mirror (
    connection_id TEXT NOT NULL,
    ats_id TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    profile_url TEXT,
    location TEXT,
    ats_url TEXT,
    apply_date TEXT,
    -- 0 while only the list row is known; 1 once the detail (email, URL) was read.
    detailed BIGINT NOT NULL DEFAULT 0,
    seen_run BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (connection_id, ats_id)
);
CREATE INDEX mirror_pending ON mirror(connection_id, detailed, apply_date);
-- LinkedIn URLs we attached by merge or upload (JazzHR cannot store them).
CREATE TABLE mirror_links (
    connection_id TEXT NOT NULL,
    ats_id TEXT NOT NULL,
    profile_url TEXT NOT NULL,
    PRIMARY KEY (connection_id, ats_id, profile_url)
);
CREATE TABLE sync_state (
    connection_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    phase TEXT NOT NULL,
    next_page BIGINT NOT NULL DEFAULT 1,
    run BIGINT NOT NULL DEFAULT 0,
    full_done BIGINT NOT NULL DEFAULT 0,
    requested BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until BIGINT,
    last_full_at BIGINT,
    last_sync_at BIGINT,
    last_error TEXT,
    -- bumped on every mirror write, so each server knows its index is stale.
    version BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE idempotency (
    team_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code BIGINT,
    response TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, key)
);
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    request TEXT NOT NULL,
    state TEXT NOT NULL,
    candidate_id TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    lease_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX uploads_queue ON uploads(state, seq);
