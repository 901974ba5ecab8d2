-- Bulk imports: one row per import, one per person read from its files.
-- The audit log records an import's names and counts; its contents live
-- only here, visible to the importer and the team's admins.
CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    files TEXT NOT NULL,
    state TEXT NOT NULL,
    rows_total BIGINT NOT NULL,
    checked BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX imports_by_team ON imports(team_id, created_at);

-- A row's request is fixed the first time it is chosen (job, connection,
-- match), so however often upload or merge is called, its idempotency key
-- always carries the same body: the ATS sees it once.
CREATE TABLE import_rows (
    import_id TEXT NOT NULL,
    row_no BIGINT NOT NULL,
    source TEXT NOT NULL,
    profile TEXT,
    error TEXT,
    duplicate_of BIGINT,
    verdict TEXT,
    matches TEXT,
    state TEXT NOT NULL DEFAULT 'pending',
    action TEXT,
    request TEXT,
    upload_id TEXT,
    candidate_id TEXT,
    last_error TEXT,
    PRIMARY KEY (import_id, row_no)
);
CREATE INDEX import_rows_by_verdict ON import_rows(import_id, verdict, row_no);
