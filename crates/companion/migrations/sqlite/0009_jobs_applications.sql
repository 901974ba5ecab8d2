-- The job mirror: every job of a connection whatever its state, so the
-- picker answers at once and a job closed or deleted in the ATS leaves it
-- at the next job sync. `title_folded` is the title folded like names
-- (case, accents, punctuation) for type-to-filter.
CREATE TABLE job_mirror (
    connection_id TEXT NOT NULL,
    ats_id TEXT NOT NULL,
    title TEXT NOT NULL,
    title_folded TEXT NOT NULL,
    department TEXT,
    location TEXT,
    -- The ATS's own word ("Open", "published").
    ats_status TEXT NOT NULL,
    -- open, closed, draft or archived.
    state TEXT NOT NULL,
    confidential BIGINT NOT NULL DEFAULT 0,
    synced_at BIGINT NOT NULL,
    PRIMARY KEY (connection_id, ats_id)
);
CREATE INDEX job_mirror_picker ON job_mirror(connection_id, state, confidential, title_folded);
-- Each mirrored candidate's applications, where the ATS has them.
CREATE TABLE application_mirror (
    connection_id TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    ats_id TEXT NOT NULL,
    job_id TEXT,
    job_title TEXT,
    stage TEXT,
    -- active, rejected, hired, withdrawn or other.
    status TEXT NOT NULL,
    -- RFC 3339 as the ATS gave it.
    updated_at TEXT,
    ats_url TEXT,
    synced_at BIGINT NOT NULL,
    PRIMARY KEY (connection_id, candidate_id, ats_id)
);
-- When jobs and applications were last refreshed, and what a member asked.
CREATE TABLE job_sync (
    connection_id TEXT PRIMARY KEY,
    requested BIGINT NOT NULL DEFAULT 0,
    last_run_at BIGINT,
    last_ok_at BIGINT,
    last_error TEXT
);
