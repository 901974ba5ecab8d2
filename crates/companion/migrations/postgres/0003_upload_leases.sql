-- Idempotency keys belong to one user (two users may pick the same key), and
-- an unfinished key points at its upload, so a replay can say how it stands.
ALTER TABLE idempotency ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE idempotency ADD COLUMN upload_id TEXT;
-- An upload's key finds its user through the upload; a merge's cannot
-- (merges left no row), so it stays with nobody and is never replayed.
UPDATE idempotency i SET user_id = u.user_id, upload_id = u.id
FROM uploads u
WHERE u.team_id = i.team_id AND (u.request::json ->> 'idempotency_key') = i.key;
ALTER TABLE idempotency DROP CONSTRAINT idempotency_pkey;
ALTER TABLE idempotency ADD PRIMARY KEY (team_id, user_id, key);

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
