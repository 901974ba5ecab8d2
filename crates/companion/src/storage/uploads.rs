//! The upload and merge queue: one row per piece of work, leased by the
//! server doing it, with the steps a merge has done.

use crate::storage::db::Db;
use sqlx::{AnyConnection, Row};

/// Whose work a row is, and under which idempotency key and request.
pub struct Owner<'a> {
    pub team_id: &'a str,
    pub user_id: &'a str,
    pub key: &'a str,
    /// `upload` or `merge`.
    pub kind: &'a str,
    pub request_hash: &'a str,
}

/// The latest row that failed under the same key and request: its id and
/// the steps it had done.
pub async fn failed_earlier(
    conn: &mut AnyConnection,
    owner: &Owner<'_>,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT id, steps FROM uploads WHERE team_id = $1 AND user_id = $2 AND idempotency_key = $3 AND kind = $4 AND request_hash = $5 AND state = 'failed' ORDER BY seq DESC LIMIT 1")
        .bind(owner.team_id)
        .bind(owner.user_id)
        .bind(owner.key)
        .bind(owner.kind)
        .bind(owner.request_hash)
        .fetch_optional(conn)
        .await?;
    row.map(|r| Ok((r.try_get("id")?, r.try_get("steps")?)))
        .transpose()
}

/// Queues a failed row again, leased to `lease_owner` until `lease_until`.
pub async fn queue_again(
    conn: &mut AnyConnection,
    id: &str,
    lease_owner: &str,
    lease_until: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE uploads SET state = 'queued', lease_owner = $1, lease_until = $2, attempts = attempts + 1, last_error = NULL, updated_at = $3 WHERE id = $4")
        .bind(lease_owner)
        .bind(lease_until)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A new queued row, leased to the server that starts it.
pub struct NewWork<'a> {
    pub id: &'a str,
    pub connection_id: &'a str,
    /// The stored request (JSON).
    pub request: &'a str,
    /// The merge's ATS record; `None` for an upload.
    pub target_id: Option<&'a str>,
    pub lease_owner: &'a str,
    pub lease_until: i64,
    pub now: i64,
}

/// Stores a new queued row (its first attempt).
pub async fn insert(
    conn: &mut AnyConnection,
    owner: &Owner<'_>,
    work: &NewWork<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO uploads (id, team_id, user_id, connection_id, seq, request, state, candidate_id, attempts, lease_owner, lease_until, kind, idempotency_key, request_hash, steps, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, 1, $8, $9, $10, $11, $12, '', $13, $14)",
    )
    .bind(work.id)
    .bind(owner.team_id)
    .bind(owner.user_id)
    .bind(work.connection_id)
    .bind(work.now)
    .bind(work.request)
    .bind(work.target_id)
    .bind(work.lease_owner)
    .bind(work.lease_until)
    .bind(owner.kind)
    .bind(owner.key)
    .bind(owner.request_hash)
    .bind(work.now)
    .bind(work.now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A row's state (`queued`, `created`, `merged`, `failed`).
pub async fn state_of(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT state FROM uploads WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get::<String, _>("state"))
        .transpose()
}

/// An upload is done: the ATS record it created, the lease given back.
pub async fn mark_created(
    conn: &mut AnyConnection,
    id: &str,
    candidate_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE uploads SET state = 'created', candidate_id = $1, last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $2 WHERE id = $3")
        .bind(candidate_id)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A merge is done: the lease given back.
pub async fn mark_merged(conn: &mut AnyConnection, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE uploads SET state = 'merged', last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Appends a finished merge step to the row's list (both databases
/// concatenate with `||`).
pub async fn append_step(db: &Db, id: &str, step: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE uploads SET steps = CASE WHEN steps = '' THEN $1 ELSE steps || ',' || $2 END, updated_at = $3 WHERE id = $4")
        .bind(step)
        .bind(step)
        .bind(now)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Gives a queued row's lease back, due again at `retry_at` (`None`: at
/// once), unless `lease_owner` lost the lease meanwhile.
pub async fn release_for_retry(
    db: &Db,
    id: &str,
    retry_at: Option<i64>,
    reason: &str,
    now: i64,
    lease_owner: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE uploads SET lease_owner = NULL, lease_until = $1, last_error = $2, updated_at = $3 WHERE id = $4 AND state = 'queued' AND lease_owner = $5")
        .bind(retry_at)
        .bind(reason)
        .bind(now)
        .bind(id)
        .bind(lease_owner)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A row failed for good, with the reason.
pub async fn mark_failed(db: &Db, id: &str, reason: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE uploads SET state = 'failed', last_error = $1, lease_owner = NULL, lease_until = NULL, updated_at = $2 WHERE id = $3")
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A row as its owner's team sees it.
pub struct Status {
    pub state: String,
    pub kind: String,
    pub candidate_id: Option<String>,
    pub connection_id: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One row of a team.
pub async fn status(db: &Db, team_id: &str, id: &str) -> Result<Option<Status>, sqlx::Error> {
    let row = sqlx::query("SELECT state, kind, candidate_id, connection_id, attempts, last_error, created_at, updated_at FROM uploads WHERE id = $1 AND team_id = $2")
        .bind(id)
        .bind(team_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| {
        Ok(Status {
            state: r.try_get("state")?,
            kind: r.try_get("kind")?,
            candidate_id: r.try_get("candidate_id")?,
            connection_id: r.try_get("connection_id")?,
            attempts: r.try_get("attempts")?,
            last_error: r.try_get("last_error")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    })
    .transpose()
}

/// The connections with queued rows due at `now`.
pub async fn due_connections(db: &Db, now: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query("SELECT DISTINCT connection_id FROM uploads WHERE state = 'queued' AND (lease_until IS NULL OR lease_until <= $1)")
        .bind(now)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| r.try_get("connection_id")).collect()
}

/// A queued row, as a worker needs it.
pub struct Queued {
    pub id: String,
    pub kind: String,
    pub team_id: String,
    pub user_id: String,
    pub connection_id: String,
    pub request: String,
    /// Attempts so far.
    pub attempts: i64,
    pub steps: String,
}

/// Up to `limit` rows of one connection due at `now`, oldest first.
pub async fn due_rows(
    db: &Db,
    connection_id: &str,
    now: i64,
    limit: i64,
) -> Result<Vec<Queued>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, kind, team_id, user_id, connection_id, request, attempts, steps FROM uploads WHERE connection_id = $1 AND state = 'queued' AND (lease_until IS NULL OR lease_until <= $2) ORDER BY seq LIMIT $3")
        .bind(connection_id)
        .bind(now)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Queued {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                team_id: row.try_get("team_id")?,
                user_id: row.try_get("user_id")?,
                connection_id: row.try_get("connection_id")?,
                request: row.try_get("request")?,
                attempts: row.try_get("attempts")?,
                steps: row.try_get("steps")?,
            })
        })
        .collect()
}

/// Leases a row that is still queued and due at `now` to `lease_owner`
/// until `lease_until`, counting an attempt; true when taken.
pub async fn lease(
    db: &Db,
    id: &str,
    lease_owner: &str,
    lease_until: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query("UPDATE uploads SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 WHERE id = $3 AND state = 'queued' AND (lease_until IS NULL OR lease_until <= $4)")
        .bind(lease_owner)
        .bind(lease_until)
        .bind(id)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(taken.rows_affected() == 1)
}
