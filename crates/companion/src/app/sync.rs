//! Keeping the mirror in step with the ATS, inside the rate budget.
//!
//! A pass walks the ATS's listing page by page from the cursor its adapter
//! gives, storing records as complete as the list makes them, then reads
//! the partial ones in detail (email, LinkedIn URL), newest first. The
//! first pass walks everything; then an incremental walk of what changed
//! since the last pass began runs every `sync_interval` (or on demand), and
//! a slow full re-list every `refresh_interval` also drops records removed
//! from the ATS (where it reports deletions, they leave at once).
//!
//! Progress lives in the database, so a sync resumes where it stopped after
//! a crash, and a lease there makes sure only one server works on a
//! connection at a time. Nothing here knows which ATS it talks to.

use crate::app::connections;
use crate::error::AppResult;
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::storage::connections::{self as stored_connections, Connection};
use crate::storage::db::now_ms;
use crate::storage::mirror::{self, Batch};
use crate::storage::sync_state::{self, Cursor, Phase};
use sourcebar_ats::{Ats, AtsError, Listed, Listing, PageStart, Priority, SyncCursor};

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
    // Jobs refresh on their own clock; a failure there is recorded apart
    // and never stops the candidate sync.
    let jobs_refreshed = crate::app::jobs::refresh_if_due(state, conn, &*ats).await?;
    let now = now_ms();
    let interval = i64::try_from(state.settings.sync_interval.as_millis()).unwrap_or(i64::MAX);
    let refresh = i64::try_from(state.settings.refresh_interval.as_millis()).unwrap_or(i64::MAX);
    match row.phase {
        Phase::List | Phase::Changes => walk(state, conn, &*ats, &row).await.map(|()| true),
        Phase::Details => {
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
        Phase::Idle => {
            let relist_due = row.last_full_at.is_some_and(|t| now - t >= refresh);
            let changes_due = row.requested || row.last_sync_at.is_none_or(|t| now - t >= interval);
            let full = relist_due || row.synced_from.is_none();
            if !full && !changes_due {
                return Ok(jobs_refreshed);
            }
            // A slow re-list catches edits and removals (and finishes a
            // first full walk that never did); else what changed since.
            sync_state::begin_pass(&state.db, &conn.id, full).await?;
            let row = sync_state::cursor(&state.db, &conn.id).await?;
            walk(state, conn, &*ats, &row).await.map(|()| true)
        }
    }
}

/// Walks a few pages of the current listing, storing each page with the
/// cursor of the next one, so a crash resumes at the page after the last
/// one stored.
async fn walk(
    state: &AppState,
    conn: &Connection,
    ats: &dyn Ats,
    row: &Cursor,
) -> Result<(), StepError> {
    let full = row.phase == Phase::List;
    let run = row.run.max(1);
    let mut cursor = row.cursor.clone().map(SyncCursor);
    if cursor.is_none() {
        sync_state::walk_started(&state.db, &conn.id, run, now_ms()).await?;
    } else {
        sync_state::mark_running(&state.db, &conn.id).await?;
    }
    let listing = match row.synced_from {
        Some(since) if !full => Listing::ChangedSince(since),
        _ => Listing::Full,
    };
    for _ in 0..PAGES_PER_STEP {
        let start = cursor
            .as_ref()
            .map_or(PageStart::Begin(listing), PageStart::Resume);
        let page = ats.list_page(start, Priority::Background).await?;
        let mut batch = Batch::begin(&state.db, &conn.id).await?;
        for record in &page.records {
            match record {
                Listed::Complete(c) => {
                    batch.upsert_candidate(c, run).await?;
                    Metrics::inc(&state.metrics.sync_candidates_written);
                }
                Listed::Partial(summary) => batch.upsert_summary(summary, run).await?,
            }
        }
        for id in &page.removed {
            batch.remove(id).await?;
        }
        batch.commit().await?;
        match page.next {
            None => {
                sync_state::walk_done(&state.db, &conn.id, full).await?;
                return Ok(());
            }
            Some(next) => {
                // Resume here after a crash.
                sync_state::set_cursor(&state.db, &conn.id, &next.0).await?;
                cursor = Some(next);
            }
        }
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
        match ats
            .get_candidate_with_applications(id, Priority::Background)
            .await
        {
            Ok((c, applications)) => {
                let mut batch = Batch::begin(&state.db, &conn.id).await?;
                batch.upsert_candidate(&c, row.run.max(1)).await?;
                batch.commit().await?;
                // Where the same read carried them, the applications too.
                if let Some(applications) = applications {
                    crate::storage::applications::replace(
                        &state.db,
                        &conn.id,
                        &c.id,
                        &applications,
                        now_ms(),
                    )
                    .await?;
                }
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
    let was_full = row.pass_full;
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
