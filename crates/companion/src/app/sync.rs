//! Keeping the mirror in step with the ATS, inside the rate budget.
//!
//! A full sync lists every page, then reads each applicant's details (email,
//! LinkedIn URL), newest first. Progress lives in the database, so a sync
//! resumes where it stopped after a crash, and a lease there makes sure only
//! one server works on a connection at a time. Afterwards: new applicants by
//! apply date every `sync_interval` (or on demand), and a slow full re-list
//! every `refresh_interval` that also drops applicants removed from the ATS.

use crate::app::connections;
use crate::error::AppResult;
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::storage::connections::{self as stored_connections, Connection};
use crate::storage::db::now_ms;
use crate::storage::mirror::{self, Batch};
use crate::storage::sync_state::{self, Cursor};
use sourcebar_ats::{Ats, AtsError, Priority};

/// Pages listed per step; details read per step. Small steps keep leases short.
const PAGES_PER_STEP: usize = 5;
const DETAILS_PER_STEP: i64 = 25;
const LEASE_MS: i64 = 90_000;

/// Why a sync step stopped early.
#[derive(Debug)]
enum StepError {
    /// The ATS refused, failed or was out of reach: recorded on the
    /// connection for the team to see.
    Ats(AtsError),
    /// Our own database failed: reported as a database error; the
    /// connection and the ATS are not blamed.
    Database(sqlx::Error),
}

impl From<AtsError> for StepError {
    fn from(e: AtsError) -> Self {
        StepError::Ats(e)
    }
}

impl From<sqlx::Error> for StepError {
    fn from(e: sqlx::Error) -> Self {
        StepError::Database(e)
    }
}

/// One capped step of work for every active connection, one after the
/// other; returns how many moved. Tests and tools call this; the server
/// gives each connection its own task ([`run_connection`]).
pub async fn run_once(state: &AppState) -> AppResult<usize> {
    let mut worked = 0;
    for id in syncing_connections(state).await? {
        if step_once(state, &id).await? == Some(true) {
            worked += 1;
        }
    }
    Ok(worked)
}

/// The connections that sync: live and not deactivated.
pub async fn syncing_connections(state: &AppState) -> AppResult<Vec<String>> {
    Ok(stored_connections::syncing_ids(&state.db).await?)
}

/// Keeps one connection in step until it is removed or deactivated. Each
/// connection has its own task, so a slow ATS only ever slows its own team.
pub async fn run_connection(state: AppState, connection_id: String) {
    loop {
        match step_once(&state, &connection_id).await {
            // More to do: go on at once (the rate budget paces the calls).
            Ok(Some(true)) => tokio::task::yield_now().await,
            Ok(Some(false)) => tokio::time::sleep(state.settings.tick).await,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e.message, connection_id, "sync step failed");
                tokio::time::sleep(state.settings.tick).await;
            }
        }
    }
}

/// One step for one connection, under its lease and within the step's
/// wall-clock cap. `None` when the connection no longer syncs;
/// `Some(true)` when work was done. A database failure is answered as one
/// (and logged as such); the connection's status is left alone.
async fn step_once(state: &AppState, connection_id: &str) -> AppResult<Option<bool>> {
    let Some(conn) = stored_connections::find_syncing(&state.db, connection_id).await? else {
        return Ok(None);
    };
    mirror::ensure_state(&state.db, &conn.id).await?;
    let claimed = sync_state::claim_lease(
        &state.db,
        &conn.id,
        state.instance.as_str(),
        now_ms(),
        LEASE_MS,
    )
    .await?;
    if !claimed {
        return Ok(Some(false));
    }
    let result = tokio::time::timeout(state.settings.step_timeout, step(state, &conn))
        .await
        .unwrap_or_else(|_| {
            Err(StepError::Ats(AtsError::Unreachable(
                "the sync step took too long".into(),
            )))
        });
    match result {
        Ok(worked) => {
            release(state, &conn.id, None).await?;
            Ok(Some(worked))
        }
        Err(StepError::Ats(e)) => {
            release(state, &conn.id, Some(&e)).await?;
            Ok(Some(false))
        }
        Err(StepError::Database(e)) => {
            sync_state::release_lease_only(&state.db, &conn.id).await?;
            Err(e.into())
        }
    }
}

async fn release(state: &AppState, id: &str, error: Option<&AtsError>) -> AppResult<()> {
    let message = error.map(ToString::to_string);
    sync_state::release_lease(
        &state.db,
        id,
        message.as_deref(),
        error.is_some_and(|e| !e.is_transient()),
    )
    .await?;
    if let Some(e) = error {
        Metrics::inc(&state.metrics.ats_errors);
        if !e.is_transient() {
            connections::set_health(state, id, Some(&e.to_string())).await?;
        }
    }
    Ok(())
}

/// One bounded piece of work. `Ok(true)` when something was done.
async fn step(state: &AppState, conn: &Connection) -> Result<bool, StepError> {
    let row = sync_state::cursor(&state.db, &conn.id).await?;
    // A key that cannot be opened is the connection's problem: recorded on
    // it, like the ATS's own refusals.
    let ats = conn
        .open(state)
        .map_err(|e| StepError::Ats(AtsError::Ats(e.message)))?;
    let now = now_ms();
    let interval = i64::try_from(state.settings.sync_interval.as_millis()).unwrap_or(i64::MAX);
    let refresh = i64::try_from(state.settings.refresh_interval.as_millis()).unwrap_or(i64::MAX);
    match row.phase.as_str() {
        "list" => list_pages(state, conn, &*ats, &row).await.map(|()| true),
        "details" => {
            // Keep reading while the budget allows, a few seconds at most,
            // so a fast ATS (or the sandbox) syncs quickly and a slow one
            // never holds the lease long.
            let started = std::time::Instant::now();
            loop {
                // A finished pass ends the step: reading on would only
                // finish it again, rewriting `last_sync_at` each time.
                if read_details(state, conn, &*ats, &row).await? == Details::Finished
                    || started.elapsed() > std::time::Duration::from_secs(4)
                {
                    return Ok(true);
                }
                if let Ok(budget) = conn.budget(state) {
                    if budget.available().await == 0 {
                        return Ok(true);
                    }
                }
            }
        }
        _ => {
            if row.last_full_at.is_some_and(|t| now - t >= refresh) {
                // A slow re-list, to catch edits and removals.
                sync_state::start_relist(&state.db, &conn.id).await?;
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
    row: &Cursor,
) -> Result<(), StepError> {
    let run = row.run.max(1);
    sync_state::start_listing(&state.db, &conn.id, run).await?;
    if row.next_page <= 1 {
        // A full list from the first page covers every request made so far;
        // one made later (while listing or reading details) stays pending.
        sync_state::clear_request(&state.db, &conn.id).await?;
    }
    let mut page = row.next_page.max(1);
    for _ in 0..PAGES_PER_STEP {
        let listed = ats
            .list_candidates(
                u32::try_from(page).unwrap_or(u32::MAX),
                Priority::Background,
            )
            .await?;
        let mut batch = Batch::begin(&state.db, &conn.id).await?;
        for summary in &listed.rows {
            batch.upsert_summary(summary, run).await?;
        }
        batch.commit().await?;
        page += 1;
        if !listed.has_more {
            sync_state::listing_done(&state.db, &conn.id, page).await?;
            return Ok(());
        }
        // Resume here after a crash.
        sync_state::set_next_page(&state.db, &conn.id, page).await?;
    }
    Ok(())
}

/// Where a details pass stands after a batch.
#[derive(Debug, PartialEq, Eq)]
enum Details {
    /// Records are still waiting for their details.
    More,
    /// Every record is detailed: the pass is recorded as complete.
    Finished,
}

async fn read_details(
    state: &AppState,
    conn: &Connection,
    ats: &dyn Ats,
    row: &Cursor,
) -> Result<Details, StepError> {
    // `requested` is left alone: a sync asked for now runs after this pass.
    sync_state::mark_running(&state.db, &conn.id).await?;
    let pending = mirror::undetailed(&state.db, &conn.id, DETAILS_PER_STEP).await?;
    for id in &pending {
        match ats.get_candidate(id, Priority::Background).await {
            Ok(c) => {
                let mut batch = Batch::begin(&state.db, &conn.id).await?;
                batch.upsert_candidate(&c, row.run.max(1)).await?;
                batch.commit().await?;
                Metrics::inc(&state.metrics.sync_candidates_written);
            }
            // Removed from the ATS since it was listed: it leaves the mirror.
            Err(AtsError::NotFound) => {
                let mut batch = Batch::begin(&state.db, &conn.id).await?;
                batch.remove(id).await?;
                batch.commit().await?;
            }
            Err(err) => return Err(err.into()),
        }
    }
    if !pending.is_empty() {
        return Ok(Details::More);
    }
    // All details read: the pass is complete.
    let now = now_ms();
    let was_full = row.next_page > 1;
    if was_full {
        // Seen in an earlier pass and not in this one: removed from the ATS.
        let mut batch = Batch::begin(&state.db, &conn.id).await?;
        batch.remove_unseen_in(row.run.max(1)).await?;
        batch.commit().await?;
    }
    sync_state::pass_finished(&state.db, &conn.id, now, was_full).await?;
    stored_connections::set_health(&state.db, &conn.id, "connected", None).await?;
    Ok(Details::Finished)
}

/// New applicants since the newest apply date we hold (JazzHR has no
/// "updated since"; apply date is what it filters on).
async fn new_applicants(
    state: &AppState,
    conn: &Connection,
    ats: &dyn Ats,
    row: &Cursor,
) -> Result<(), StepError> {
    let newest = mirror::newest_detailed_apply_date(&state.db, &conn.id).await?;
    let since = newest.unwrap_or_else(|| "1970-01-01".into());
    let since: String = since.chars().take(10).collect();
    let rows = ats.changes_since(&since, Priority::Background).await?;
    let mut batch = Batch::begin(&state.db, &conn.id).await?;
    for summary in &rows {
        batch.upsert_summary(summary, row.run.max(1)).await?;
    }
    batch.commit().await?;
    sync_state::new_applicants_listed(&state.db, &conn.id).await?;
    Ok(())
}
