//! Keeping the mirror in step with the ATS, inside the rate budget.
//!
//! A full sync lists every page, then reads each applicant's details (email,
//! LinkedIn URL), newest first. Progress lives in the database, so a sync
//! resumes where it stopped after a crash, and a lease there makes sure only
//! one server works on a connection at a time. Afterwards: new applicants by
//! apply date every `sync_interval` (or on demand), and a slow full re-list
//! every `refresh_interval` that also drops applicants removed from the ATS.

use crate::connections::{self, Connection};
use crate::db::now_ms;
use crate::error::AppResult;
use crate::metrics::Metrics;
use crate::mirror;
use crate::state::AppState;
use sourcebar_ats::{Ats, AtsError, Priority};
use sqlx::Row;

/// Pages listed per step; details read per step. Small steps keep leases short.
const PAGES_PER_STEP: usize = 5;
const DETAILS_PER_STEP: i64 = 25;
const LEASE_MS: i64 = 90_000;

struct SyncRow {
    phase: String,
    next_page: i64,
    run: i64,
    requested: bool,
    last_sync_at: Option<i64>,
    last_full_at: Option<i64>,
}

/// One step of work for every active connection; returns how many moved.
pub async fn run_once(state: &AppState) -> AppResult<usize> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM connections WHERE deleted_at IS NULL AND status <> 'deactivated'",
        connections::COLUMNS
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let mut worked = 0;
    for row in rows {
        let conn = Connection::from_row(&row)?;
        mirror::ensure_state(&state.db, &conn.id).await?;
        if !claim(state, &conn.id).await? {
            continue;
        }
        let result = step(state, &conn).await;
        release(state, &conn.id, result.as_ref().err()).await?;
        if matches!(result, Ok(true)) {
            worked += 1;
        }
    }
    Ok(worked)
}

async fn claim(state: &AppState, id: &str) -> AppResult<bool> {
    let now = now_ms();
    let claimed = sqlx::query(
        "UPDATE sync_state SET lease_owner = $1, lease_until = $2 WHERE connection_id = $3 \
         AND (lease_until IS NULL OR lease_until < $4 OR lease_owner = $5)",
    )
    .bind(state.instance.as_str())
    .bind(now + LEASE_MS)
    .bind(id)
    .bind(now)
    .bind(state.instance.as_str())
    .execute(&state.db.pool)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

async fn release(state: &AppState, id: &str, error: Option<&AtsError>) -> AppResult<()> {
    let message = error.map(ToString::to_string);
    sqlx::query(
        "UPDATE sync_state SET lease_owner = NULL, lease_until = NULL, last_error = $1, \
         state = CASE WHEN $2 = 1 THEN 'failed' ELSE state END WHERE connection_id = $3",
    )
    .bind(&message)
    .bind(i64::from(error.is_some_and(|e| !e.is_transient())))
    .bind(id)
    .execute(&state.db.pool)
    .await?;
    if let Some(e) = error {
        Metrics::inc(&state.metrics.ats_errors);
        if !e.is_transient() {
            connections::set_health(state, id, Some(&e.to_string())).await?;
        }
    }
    Ok(())
}

async fn load(state: &AppState, id: &str) -> AppResult<SyncRow> {
    let r = sqlx::query("SELECT phase, next_page, run, requested, last_sync_at, last_full_at FROM sync_state WHERE connection_id = $1")
        .bind(id)
        .fetch_one(&state.db.pool)
        .await?;
    Ok(SyncRow {
        phase: r.try_get("phase")?,
        next_page: r.try_get("next_page")?,
        run: r.try_get("run")?,
        requested: r.try_get::<i64, _>("requested")? != 0,
        last_sync_at: r.try_get("last_sync_at")?,
        last_full_at: r.try_get("last_full_at")?,
    })
}

async fn set(state: &AppState, id: &str, sql: &str, a: i64) -> AppResult<()> {
    sqlx::query(&format!(
        "UPDATE sync_state SET {sql} WHERE connection_id = $2"
    ))
    .bind(a)
    .bind(id)
    .execute(&state.db.pool)
    .await?;
    Ok(())
}

/// One bounded piece of work. `Ok(true)` when something was done.
async fn step(state: &AppState, conn: &Connection) -> Result<bool, AtsError> {
    let db_err = |e: crate::error::AppError| AtsError::Ats(e.message);
    let row = load(state, &conn.id).await.map_err(db_err)?;
    let ats = conn.open(state).map_err(db_err)?;
    let now = now_ms();
    let interval = state.settings.sync_interval.as_millis() as i64;
    let refresh = state.settings.refresh_interval.as_millis() as i64;
    match row.phase.as_str() {
        "list" => list_pages(state, conn, &*ats, &row).await.map(|_| true),
        "details" => {
            // Keep reading while the budget allows, a few seconds at most,
            // so a fast ATS (or the sandbox) syncs quickly and a slow one
            // never holds the lease long.
            let started = std::time::Instant::now();
            loop {
                let more = read_details(state, conn, &*ats, &row).await?;
                if !more
                    || started.elapsed() > std::time::Duration::from_secs(4)
                    || state.budget(&conn.id).available() == 0
                {
                    return Ok(more);
                }
            }
        }
        _ => {
            if row.last_full_at.is_some_and(|t| now - t >= refresh) {
                // A slow re-list, to catch edits and removals.
                sqlx::query("UPDATE sync_state SET phase = 'list', next_page = 1, run = run + 1, state = 'running' WHERE connection_id = $1")
                    .bind(&conn.id)
                    .execute(&state.db.pool)
                    .await
                    .map_err(|e| AtsError::Ats(e.to_string()))?;
                return Ok(true);
            }
            if row.requested || row.last_sync_at.is_none_or(|t| now - t >= interval) {
                new_applicants(state, conn, &*ats, &row).await?;
                return Ok(true);
            }
            Ok(false)
        }
    }
}

async fn list_pages(
    state: &AppState,
    conn: &Connection,
    ats: &dyn Ats,
    row: &SyncRow,
) -> Result<(), AtsError> {
    let e = |e: sqlx::Error| AtsError::Ats(e.to_string());
    let run = row.run.max(1);
    set(state, &conn.id, "state = 'running', run = $1", run)
        .await
        .map_err(|x| AtsError::Ats(x.message))?;
    let mut page = row.next_page.max(1);
    for _ in 0..PAGES_PER_STEP {
        let listed = ats
            .list_candidates(page as u32, Priority::Background)
            .await?;
        for summary in &listed.rows {
            mirror::upsert_summary(&state.db, &conn.id, summary, run)
                .await
                .map_err(e)?;
        }
        mirror::bump(&state.db, &conn.id).await.map_err(e)?;
        page += 1;
        if !listed.has_more {
            sqlx::query(
                "UPDATE sync_state SET phase = 'details', next_page = $1 WHERE connection_id = $2",
            )
            .bind(page)
            .bind(&conn.id)
            .execute(&state.db.pool)
            .await
            .map_err(e)?;
            return Ok(());
        }
        // Resume here after a crash.
        set(state, &conn.id, "next_page = $1", page)
            .await
            .map_err(|x| AtsError::Ats(x.message))?;
    }
    Ok(())
}

async fn read_details(
    state: &AppState,
    conn: &Connection,
    ats: &dyn Ats,
    row: &SyncRow,
) -> Result<bool, AtsError> {
    let e = |e: sqlx::Error| AtsError::Ats(e.to_string());
    set(state, &conn.id, "state = 'running', requested = $1", 0)
        .await
        .map_err(|x| AtsError::Ats(x.message))?;
    let pending = sqlx::query("SELECT ats_id FROM mirror WHERE connection_id = $1 AND detailed = 0 ORDER BY apply_date DESC, ats_id LIMIT $2")
        .bind(&conn.id)
        .bind(DETAILS_PER_STEP)
        .fetch_all(&state.db.pool)
        .await
        .map_err(e)?;
    for p in &pending {
        let id: String = p.try_get("ats_id").map_err(e)?;
        match ats.get_candidate(&id, Priority::Background).await {
            Ok(c) => {
                mirror::upsert_candidate(&state.db, &conn.id, &c, row.run.max(1))
                    .await
                    .map_err(e)?;
                Metrics::inc(&state.metrics.sync_candidates_written);
            }
            // Removed from the ATS since it was listed: it leaves the mirror.
            Err(AtsError::NotFound) => {
                sqlx::query("DELETE FROM mirror WHERE connection_id = $1 AND ats_id = $2")
                    .bind(&conn.id)
                    .bind(&id)
                    .execute(&state.db.pool)
                    .await
                    .map_err(e)?;
            }
            Err(err) => {
                mirror::bump(&state.db, &conn.id).await.map_err(e)?;
                return Err(err);
            }
        }
    }
    mirror::bump(&state.db, &conn.id).await.map_err(e)?;
    if !pending.is_empty() {
        return Ok(true);
    }
    // All details read: the pass is complete.
    let now = now_ms();
    let was_full = row.next_page > 1;
    if was_full {
        // Seen in an earlier pass and not in this one: removed from the ATS.
        sqlx::query(
            "DELETE FROM mirror WHERE connection_id = $1 AND seen_run > 0 AND seen_run < $2",
        )
        .bind(&conn.id)
        .bind(row.run.max(1))
        .execute(&state.db.pool)
        .await
        .map_err(e)?;
        mirror::bump(&state.db, &conn.id).await.map_err(e)?;
    }
    sqlx::query(
        "UPDATE sync_state SET phase = 'idle', state = 'idle', full_done = 1, next_page = 1, last_sync_at = $1, \
         last_full_at = CASE WHEN $2 = 1 THEN $3 ELSE last_full_at END, last_error = NULL WHERE connection_id = $4",
    )
    .bind(now)
    .bind(i64::from(was_full))
    .bind(now)
    .bind(&conn.id)
    .execute(&state.db.pool)
    .await
    .map_err(e)?;
    sqlx::query("UPDATE connections SET last_sync_at = $1 WHERE id = $2")
        .bind(now)
        .bind(&conn.id)
        .execute(&state.db.pool)
        .await
        .map_err(e)?;
    connections::set_health(state, &conn.id, None)
        .await
        .map_err(|x| AtsError::Ats(x.message))?;
    Ok(true)
}

/// New applicants since the newest apply date we hold (JazzHR has no
/// "updated since"; apply date is what it filters on).
async fn new_applicants(
    state: &AppState,
    conn: &Connection,
    ats: &dyn Ats,
    row: &SyncRow,
) -> Result<(), AtsError> {
    let e = |e: sqlx::Error| AtsError::Ats(e.to_string());
    let newest: Option<String> = sqlx::query(
        "SELECT MAX(apply_date) AS d FROM mirror WHERE connection_id = $1 AND detailed = 1",
    )
    .bind(&conn.id)
    .fetch_one(&state.db.pool)
    .await
    .map_err(e)?
    .try_get("d")
    .map_err(e)?;
    let since = newest.unwrap_or_else(|| "1970-01-01".into());
    let since: String = since.chars().take(10).collect();
    let rows = ats.changes_since(&since, Priority::Background).await?;
    for summary in &rows {
        mirror::upsert_summary(&state.db, &conn.id, summary, row.run.max(1))
            .await
            .map_err(e)?;
    }
    mirror::bump(&state.db, &conn.id).await.map_err(e)?;
    sqlx::query("UPDATE sync_state SET phase = 'details', next_page = 1, requested = 0, state = 'running' WHERE connection_id = $1")
        .bind(&conn.id)
        .execute(&state.db.pool)
        .await
        .map_err(e)?;
    Ok(())
}
