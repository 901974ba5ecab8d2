-- Idempotency keys belong to one user (two users may pick the same key), and
-- an unfinished key points at its upload, so a replay can say how it stands.
CREATE TABLE idempotency_by_user (
    team_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code BIGINT,
    response TEXT,
    upload_id TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id, key)
);
-- An upload's key finds its user through the upload; a merge's cannot
-- (merges left no row), so it stays with nobody and is never replayed.
INSERT INTO idempotency_by_user (team_id, user_id, key, request_hash, status_code, response, upload_id, created_at)
SELECT i.team_id,
       COALESCE((SELECT u.user_id FROM uploads u WHERE u.team_id = i.team_id
                 AND json_extract(u.request, '$.idempotency_key') = i.key ORDER BY u.seq DESC LIMIT 1), ''),
       i.key, i.request_hash, i.status_code, i.response,
       (SELECT u.id FROM uploads u WHERE u.team_id = i.team_id
        AND json_extract(u.request, '$.idempotency_key') = i.key ORDER BY u.seq DESC LIMIT 1),
       i.created_at
FROM idempotency i;
DROP TABLE idempotency;
ALTER TABLE idempotency_by_user RENAME TO idempotency;

-- Uploads and merges are delivered under a lease held by one server; a
-- merge remembers which of its steps are done, so a retry resumes.
ALTER TABLE uploads ADD COLUMN lease_owner TEXT;
ALTER TABLE uploads ADD COLUMN kind TEXT NOT NULL DEFAULT 'upload';
ALTER TABLE uploads ADD COLUMN idempotency_key TEXT;
ALTER TABLE uploads ADD COLUMN request_hash TEXT;
ALTER TABLE uploads ADD COLUMN steps TEXT NOT NULL DEFAULT '';
-- Rows a crash left 'delivering' were never recovered: queue them, to be
-- delivered after a look for what the lost attempt may have created.
UPDATE uploads SET state = 'queued', lease_until = NULL WHERE state = 'delivering';
CREATE INDEX uploads_by_key ON uploads(team_id, user_id, idempotency_key);
