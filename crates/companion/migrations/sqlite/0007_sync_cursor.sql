-- Provider-neutral sync: a listing resumes from the cursor its ATS gave
-- (a page path, an offset token, a `Link` URL) instead of a page number.
-- phase: 'list' (a full walk), 'changes' (changed since `synced_from`),
-- 'details' (partial records read one by one), 'idle'.
ALTER TABLE sync_state ADD COLUMN cursor TEXT;
-- The walk that led to the current details phase was a full one (records
-- not seen in it were removed from the ATS).
ALTER TABLE sync_state ADD COLUMN pass_full BIGINT NOT NULL DEFAULT 0;
-- When the current walk began, and when the last finished one did: the
-- next incremental walk asks for what changed since then.
ALTER TABLE sync_state ADD COLUMN pass_started_at BIGINT;
ALTER TABLE sync_state ADD COLUMN synced_from BIGINT;
-- A details phase reached by a full listing said so with next_page > 1.
UPDATE sync_state SET pass_full = 1 WHERE phase = 'details' AND next_page > 1;
UPDATE sync_state SET synced_from = last_sync_at;
-- A listing in progress starts again from its first page, once.
ALTER TABLE sync_state DROP COLUMN next_page;
