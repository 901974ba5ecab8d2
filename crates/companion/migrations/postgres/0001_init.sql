-- Teams, people, tokens, invites, ATS connections, audit.
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    created_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE UNIQUE INDEX users_team_email ON users(team_id, email) WHERE removed_at IS NULL;
-- Only the SHA-256 of each token is kept.
CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE TABLE invites (
    code_hash TEXT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    team_id TEXT NOT NULL REFERENCES teams(id),
    role TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    revoked_at BIGINT
);
CREATE TABLE connections (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    provider TEXT NOT NULL,
    name TEXT NOT NULL,
    base_url TEXT,
    -- v1:<key_id>:<nonce>:<ciphertext>, AES-256-GCM bound to team and connection; NULL once deleted.
    key_ciphertext TEXT,
    key_last4 TEXT NOT NULL,
    status TEXT NOT NULL,
    is_default BIGINT NOT NULL DEFAULT 0,
    last_sync_at BIGINT,
    last_error TEXT,
    deleted_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    team_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    user_id TEXT,
    action TEXT NOT NULL,
    connection_id TEXT,
    candidate_id TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX audit_team ON audit(team_id, id);
CREATE TABLE integration_requests (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
