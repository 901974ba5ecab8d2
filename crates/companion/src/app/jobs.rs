//! The job mirror: refreshed every `job_sync_interval` and on "Sync now",
//! it answers the job picker at once. A job closed, made confidential or
//! deleted in the ATS leaves the picker at the next refresh.

use crate::app::connections;
use crate::error::AppResult;
use crate::state::AppState;
use crate::storage::connections::Connection;
use crate::storage::db::now_ms;
use crate::storage::jobs::{self as store, JobSync};
use sourcebar_ats::{Ats, AtsError, Job, Priority};
use sourcebar_core::names::fold_name;

/// Most jobs one picker answer lists.
const PICKER_LIMIT: i64 = 200;

/// After a failed refresh, the next try comes this soon (or at the
/// interval, if that is shorter).
const RETRY_AFTER_FAILURE_MS: i64 = 60_000;

/// Where the picker's answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobsSource {
    /// The job mirror (the usual case).
    Mirror,
    /// The ATS, live: the mirror has never refreshed its jobs yet.
    Live,
}

impl JobsSource {
    /// The word sent in the answer's `Sourcebar-Jobs-Source` header.
    pub const fn as_str(self) -> &'static str {
        match self {
            JobsSource::Mirror => "mirror",
            JobsSource::Live => "live",
        }
    }
}

/// Open, non-confidential jobs whose title contains `q` (case and accents
/// ignored), from the mirror; from the ATS only while the mirror has never
/// held this connection's jobs (a first sync not yet run).
pub async fn picker(
    state: &AppState,
    team_id: &str,
    connection_id: Option<&str>,
    q: &str,
) -> AppResult<(Vec<Job>, JobsSource)> {
    let conn = connections::active(state, team_id, connection_id).await?;
    if store::sync_state(&state.db, &conn.id)
        .await?
        .last_ok_at
        .is_some()
    {
        let jobs = store::open_jobs(&state.db, &conn.id, q, PICKER_LIMIT).await?;
        return Ok((jobs, JobsSource::Mirror));
    }
    let wanted = fold_name(q);
    let jobs = conn
        .open(state)?
        .list_open_jobs()
        .await?
        .into_iter()
        .filter(|j| fold_name(&j.title).contains(&wanted))
        .collect();
    Ok((jobs, JobsSource::Live))
}

/// Whether the connection's jobs are due for a refresh at `now`.
fn due(sync: &JobSync, now: i64, interval_ms: i64) -> bool {
    let Some(last) = sync.last_run_at else {
        return true;
    };
    let wait = if sync.last_error.is_some() {
        interval_ms.min(RETRY_AFTER_FAILURE_MS)
    } else {
        interval_ms
    };
    sync.requested || now - last >= wait
}

/// When the next refresh is due (ms), `now` when it is due already.
pub fn next_run(sync: &JobSync, now: i64, interval_ms: i64) -> i64 {
    if due(sync, now, interval_ms) {
        return now;
    }
    let last = sync.last_run_at.unwrap_or(now);
    let wait = if sync.last_error.is_some() {
        interval_ms.min(RETRY_AFTER_FAILURE_MS)
    } else {
        interval_ms
    };
    last + wait
}

/// The refresh interval in ms.
pub fn interval_ms(state: &AppState) -> i64 {
    i64::try_from(state.settings.job_sync_interval.as_millis()).unwrap_or(i64::MAX)
}

/// Refreshes the connection's jobs when due; true when it ran. An ATS
/// failure is recorded for the team to read (and retried soon); it never
/// stops the candidate sync that runs beside it.
pub async fn refresh_if_due(
    state: &AppState,
    conn: &Connection,
    ats: &dyn Ats,
) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let sync = store::sync_state(&state.db, &conn.id).await?;
    if !due(&sync, now, interval_ms(state)) {
        return Ok(false);
    }
    match ats.list_jobs(Priority::Background).await {
        Ok(jobs) => {
            store::replace(&state.db, &conn.id, &jobs, now).await?;
            store::record_run(&state.db, &conn.id, now, None).await?;
        }
        Err(e) => {
            let words = match e {
                AtsError::Unsupported(_) => {
                    "This ATS cannot list all its jobs; the job picker asks it live.".to_string()
                }
                e => e.to_string(),
            };
            tracing::warn!(connection_id = conn.id, error = %words, "job refresh failed");
            store::record_run(&state.db, &conn.id, now, Some(&words)).await?;
        }
    }
    Ok(true)
}

/// Asks for a refresh of jobs and applications at the next step.
pub async fn request(state: &AppState, connection_id: &str) -> AppResult<()> {
    Ok(store::request(&state.db, connection_id).await?)
}

/// About how long reading `remaining` records one by one takes at the
/// connection's rate budget (one call each), in seconds; `None` when the
/// provider is unknown.
pub fn first_sync_eta_secs(state: &AppState, conn: &Connection, remaining: i64) -> Option<i64> {
    let budget = conn.budget(state).ok()?;
    let per_window = i64::try_from(budget.limit().max(1)).ok()?;
    let window = i64::try_from(budget.window().as_secs().max(1)).ok()?;
    Some(remaining.max(0).saturating_mul(window) / per_window)
}

/// What the sync status adds about jobs: the mirror's job and application
/// counts, when jobs next refresh (ms), and the last refresh's error.
pub struct JobsStatus {
    pub jobs: i64,
    pub applications: i64,
    pub next_run_at: i64,
    pub last_run_at: Option<i64>,
    pub last_error: Option<String>,
}

/// The job side of a connection's sync status.
pub async fn status(state: &AppState, connection_id: &str) -> AppResult<JobsStatus> {
    let sync = store::sync_state(&state.db, connection_id).await?;
    let (jobs, applications) = store::counts(&state.db, connection_id).await?;
    Ok(JobsStatus {
        jobs,
        applications,
        next_run_at: next_run(&sync, now_ms(), interval_ms(state)),
        last_run_at: sync.last_run_at,
        last_error: sync.last_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_is_due_first_on_request_and_after_the_interval() {
        let never = JobSync::default();
        assert!(due(&never, 1_000, 10_000));
        let ran = JobSync {
            last_run_at: Some(1_000),
            last_ok_at: Some(1_000),
            ..JobSync::default()
        };
        assert!(!due(&ran, 5_000, 10_000));
        assert_eq!(next_run(&ran, 5_000, 10_000), 11_000);
        assert!(due(&ran, 11_000, 10_000));
        let asked = JobSync {
            requested: true,
            ..ran.clone()
        };
        assert!(due(&asked, 5_000, 10_000));
    }

    #[test]
    fn a_failed_refresh_is_tried_again_within_a_minute() {
        let failed = JobSync {
            last_run_at: Some(0),
            last_error: Some("ATS unreachable".into()),
            ..JobSync::default()
        };
        assert!(!due(&failed, 30_000, 21_600_000));
        assert!(due(&failed, 60_000, 21_600_000));
    }
}
