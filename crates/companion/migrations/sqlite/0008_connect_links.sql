-- "Ask your ATS admin": a single-use link, for one provider, that lets
-- whoever holds the ATS key connect it to the team without an account.
-- Only the SHA-256 of the link's code is kept.
CREATE TABLE connect_links (
    code_hash TEXT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    team_id TEXT NOT NULL REFERENCES teams(id),
    provider TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    -- Set while a key is being checked (and kept once it connected).
    used_at BIGINT,
    revoked_at BIGINT,
    connection_id TEXT
);
CREATE INDEX connect_links_team ON connect_links(team_id);
