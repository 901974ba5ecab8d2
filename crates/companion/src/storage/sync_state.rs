//! Each connection's sync state: its phase, its lease, and what a member
//! asked for.

use crate::storage::db::Db;
use sqlx::Row;

/// Asks the workers for a sync of this connection as soon as they can.
pub async fn request(db: &Db, connection_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sync_state SET requested = 1 WHERE connection_id = $1")
        .bind(connection_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A new key was accepted: the failure the old one caused is over, and a
/// sync is asked for at once (else the connection would read "needs
/// attention" until the next scheduled sync).
pub async fn key_replaced(db: &Db, connection_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sync_state SET requested = 1, last_error = NULL, \
         state = CASE WHEN state = 'failed' THEN 'idle' ELSE state END WHERE connection_id = $1",
    )
    .bind(connection_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Where a connection's sync stands, as shown to the team.
pub struct Progress {
    /// `idle`, `running`, ...; `idle` before the first sync.
    pub state: String,
    /// A full sync finished at least once.
    pub complete: bool,
    pub last_sync_at: Option<i64>,
    pub last_error: Option<String>,
    pub requested: bool,
    /// Mirrored records read in detail.
    pub done: i64,
    /// Mirrored records.
    pub total: i64,
}

/// A connection's sync state and mirror counts.
pub async fn progress(db: &Db, connection_id: &str) -> Result<Progress, sqlx::Error> {
    let row = sqlx::query("SELECT state, full_done, last_sync_at, last_error, requested FROM sync_state WHERE connection_id = $1")
        .bind(connection_id)
        .fetch_optional(&db.pool)
        .await?;
    let counts = sqlx::query("SELECT COUNT(*) AS total, CAST(COALESCE(SUM(detailed), 0) AS BIGINT) AS done FROM mirror WHERE connection_id = $1")
        .bind(connection_id)
        .fetch_one(&db.pool)
        .await?;
    let (state, complete, last_sync_at, last_error, requested) = match row {
        Some(r) => (
            r.try_get::<String, _>("state")?,
            r.try_get::<i64, _>("full_done")? != 0,
            r.try_get::<Option<i64>, _>("last_sync_at")?,
            r.try_get::<Option<String>, _>("last_error")?,
            r.try_get::<i64, _>("requested")? != 0,
        ),
        None => ("idle".to_string(), false, None, None, false),
    };
    Ok(Progress {
        state,
        complete,
        last_sync_at,
        last_error,
        requested,
        done: counts.try_get::<i64, _>("done")?,
        total: counts.try_get::<i64, _>("total")?,
    })
}

/// What a sync is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Walking every record (a first sync or a slow re-list).
    List,
    /// Walking what changed since the last finished pass.
    Changes,
    /// Reading partial records one by one.
    Details,
    /// Waiting for the next pass.
    Idle,
}

impl Phase {
    fn as_str(self) -> &'static str {
        match self {
            Phase::List => "list",
            Phase::Changes => "changes",
            Phase::Details => "details",
            Phase::Idle => "idle",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "list" => Phase::List,
            "changes" => Phase::Changes,
            "details" => Phase::Details,
            _ => Phase::Idle,
        }
    }
}

/// Where a connection's sync is, as its worker reads it at each step.
pub struct Cursor {
    pub phase: Phase,
    /// Where the walk resumes, as the ATS's adapter wrote it (`None`: at
    /// its first page).
    pub cursor: Option<String>,
    /// The walk before this details phase was a full one.
    pub pass_full: bool,
    pub run: i64,
    pub requested: bool,
    pub last_sync_at: Option<i64>,
    pub last_full_at: Option<i64>,
    /// When the last finished pass began: an incremental walk asks for
    /// what changed since then (`None`: no pass finished yet).
    pub synced_from: Option<i64>,
}

/// A connection's sync cursor.
pub async fn cursor(db: &Db, connection_id: &str) -> Result<Cursor, sqlx::Error> {
    let r = sqlx::query("SELECT phase, cursor, pass_full, run, requested, last_sync_at, last_full_at, synced_from FROM sync_state WHERE connection_id = $1")
        .bind(connection_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(Cursor {
        phase: Phase::parse(&r.try_get::<String, _>("phase")?),
        cursor: r.try_get("cursor")?,
        pass_full: r.try_get::<i64, _>("pass_full")? != 0,
        run: r.try_get("run")?,
        requested: r.try_get::<i64, _>("requested")? != 0,
        last_sync_at: r.try_get("last_sync_at")?,
        last_full_at: r.try_get("last_full_at")?,
        synced_from: r.try_get("synced_from")?,
    })
}

/// Takes (or extends) the lease on a connection's sync for `owner` until
/// `now + lease_ms`, unless another owner holds an unexpired one; true
/// when taken.
pub async fn claim_lease(
    db: &Db,
    connection_id: &str,
    owner: &str,
    now: i64,
    lease_ms: i64,
) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "UPDATE sync_state SET lease_owner = $1, lease_until = $2 WHERE connection_id = $3 \
         AND (lease_until IS NULL OR lease_until < $4 OR lease_owner = $5)",
    )
    .bind(owner)
    .bind(now + lease_ms)
    .bind(connection_id)
    .bind(now)
    .bind(owner)
    .execute(&db.pool)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Gives the lease back and records the step's ATS error (none clears
/// it); a lasting error marks the sync `failed`.
pub async fn release_lease(
    db: &Db,
    connection_id: &str,
    error: Option<&str>,
    failed: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sync_state SET lease_owner = NULL, lease_until = NULL, last_error = $1, \
         state = CASE WHEN $2 = 1 THEN 'failed' ELSE state END WHERE connection_id = $3",
    )
    .bind(error)
    .bind(i64::from(failed))
    .bind(connection_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Gives the lease back and leaves everything else as it was.
pub async fn release_lease_only(db: &Db, connection_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sync_state SET lease_owner = NULL, lease_until = NULL WHERE connection_id = $1",
    )
    .bind(connection_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Starts a new pass: a full walk (as a new run, so records it does not
/// see can be found removed) or an incremental one.
pub async fn begin_pass(db: &Db, connection_id: &str, full: bool) -> Result<(), sqlx::Error> {
    let (phase, next_run) = if full {
        (Phase::List, "run + 1")
    } else {
        (Phase::Changes, "run")
    };
    sqlx::query(&format!(
        "UPDATE sync_state SET phase = $1, cursor = NULL, run = {next_run}, state = 'running' \
         WHERE connection_id = $2"
    ))
    .bind(phase.as_str())
    .bind(connection_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A walk begins at its first page at `now`: the request it answers is
/// cleared (one made while it runs stays pending), and `now` is what the
/// next incremental walk will ask "changed since" of.
pub async fn walk_started(
    db: &Db,
    connection_id: &str,
    run: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sync_state SET state = 'running', run = $1, requested = 0, pass_started_at = $2 \
         WHERE connection_id = $3",
    )
    .bind(run)
    .bind(now)
    .bind(connection_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Where the walk resumes after a crash.
pub async fn set_cursor(db: &Db, connection_id: &str, cursor: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sync_state SET cursor = $1 WHERE connection_id = $2")
        .bind(cursor)
        .bind(connection_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The walk is over: partial records are read in detail next.
pub async fn walk_done(db: &Db, connection_id: &str, full: bool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sync_state SET phase = 'details', cursor = NULL, pass_full = $1 WHERE connection_id = $2",
    )
    .bind(i64::from(full))
    .bind(connection_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Marks the sync as running (the request, if any, is left alone).
pub async fn mark_running(db: &Db, connection_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sync_state SET state = 'running' WHERE connection_id = $1")
        .bind(connection_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A details pass is complete at `now` (a full one when `was_full`): the
/// sync is idle and its error cleared, and the connection records when it
/// last synced.
pub async fn pass_finished(
    db: &Db,
    connection_id: &str,
    now: i64,
    was_full: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sync_state SET phase = 'idle', state = 'idle', full_done = 1, pass_full = 0, last_sync_at = $1, \
         last_full_at = CASE WHEN $2 = 1 THEN $3 ELSE last_full_at END, last_error = NULL, \
         synced_from = pass_started_at WHERE connection_id = $4",
    )
    .bind(now)
    .bind(i64::from(was_full))
    .bind(now)
    .bind(connection_id)
    .execute(&db.pool)
    .await?;
    sqlx::query("UPDATE connections SET last_sync_at = $1 WHERE id = $2")
        .bind(now)
        .bind(connection_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Whether a full sync of the connection finished at least once.
pub async fn full_done(db: &Db, connection_id: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT full_done FROM sync_state WHERE connection_id = $1")
        .bind(connection_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64, _>("full_done"))
        .transpose()?
        .unwrap_or(0)
        != 0)
}
