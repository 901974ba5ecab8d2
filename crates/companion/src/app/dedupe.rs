//! `POST /v1/dedupe`: answered from the mirror's index; while a first sync
//! is still running, also from a bounded live check of the ATS.

use crate::app::connections;
use crate::app::lookup::{self, Reach, Wanted};
use crate::error::{AppError, AppResult};
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::storage::audit;
use crate::storage::connections::Connection;
use crate::storage::mirror;
use sourcebar_ats::Listed;
use sourcebar_core::email::normalize_email;
use sourcebar_core::index::MatchIndex;
use sourcebar_core::matching::{
    rank, score_candidate, verdict_for, DedupeMatch, DedupeResponse, MAX_MATCHES,
};
use sourcebar_core::Profile;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Longest one connection's index may take to score a profile.
const SCORING_DEADLINE: Duration = Duration::from_secs(2);

/// How many name hits the live check reads in detail (each one ATS call).
const LIVE_DETAILS: usize = 3;
/// A live check the rate budget cannot start within this is skipped: the
/// answer already says the mirror is incomplete.
const LIVE_BUDGET_WAIT: Duration = Duration::from_secs(1);
/// Wall-clock cap on a whole live check (a search and a few details).
const LIVE_CHECK_CAP: Duration = Duration::from_millis(2500);

/// Potential duplicates of `profile` in every active connection of the team.
pub async fn dedupe(
    state: &AppState,
    team_id: &str,
    profile: &Profile,
) -> AppResult<DedupeResponse> {
    dedupe_all(state, team_id, std::slice::from_ref(profile))
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("dedupe", "no answer for the profile"))
}

/// The answer of [`dedupe`] for each of `profiles`, in the same order, with
/// each connection's index read once for them all (`POST /v1/dedupe/batch`
/// and imports). The live check of a mirror still syncing is for one
/// profile at a time: a batch is answered from the mirror, and says so.
pub async fn dedupe_all(
    state: &AppState,
    team_id: &str,
    profiles: &[Profile],
) -> AppResult<Vec<DedupeResponse>> {
    state
        .metrics
        .dedupe_requests
        .fetch_add(profiles.len() as u64, std::sync::atomic::Ordering::Relaxed);
    let mut found: Vec<Vec<DedupeMatch>> = vec![Vec::new(); profiles.len()];
    let mut complete = true;
    for conn in connections::list(state, team_id).await? {
        if conn.status == "deactivated" && !has_mirror(state, &conn.id).await? {
            continue;
        }
        let index = state.mirror.index(&state.db, &conn.id).await?;
        for (matches, more) in found.iter_mut().zip(query_index(index, profiles).await?) {
            matches.extend(more);
        }
        if conn.status != "deactivated" && !mirror_complete(state, &conn.id).await? {
            complete = false;
            if let [profile] = profiles {
                Metrics::inc(&state.metrics.dedupe_live_fallbacks);
                found[0].extend(bounded_live_check(state, &conn, profile).await);
            }
        }
    }
    let mut ranked: Vec<Vec<DedupeMatch>> = found.into_iter().map(best_of_each).collect();
    with_history(state, team_id, &mut ranked).await?;
    crate::app::applications::attach(state, &mut ranked).await?;
    Ok(ranked
        .into_iter()
        .map(|matches| DedupeResponse {
            verdict: verdict_for(&matches),
            matches,
            mirror_complete: complete,
        })
        .collect())
}

/// One candidate may come from the index and the live check: keeps the
/// best of each, ranked.
fn best_of_each(mut matches: Vec<DedupeMatch>) -> Vec<DedupeMatch> {
    matches.sort_by(|a, b| {
        (&a.connection_id, &a.candidate.id)
            .cmp(&(&b.connection_id, &b.candidate.id))
            .then(b.score.total_cmp(&a.score))
            .then(
                b.candidate
                    .email
                    .is_some()
                    .cmp(&a.candidate.email.is_some()),
            )
    });
    matches.dedup_by(|a, b| a.connection_id == b.connection_id && a.candidate.id == b.candidate.id);
    rank(matches)
}

/// Fills each match's team history from the audit log (one query for all
/// the answers).
async fn with_history(
    state: &AppState,
    team_id: &str,
    answers: &mut [Vec<DedupeMatch>],
) -> AppResult<()> {
    let keys: Vec<(&str, &str)> = answers
        .iter()
        .flatten()
        .map(|m| (m.connection_id.as_str(), m.candidate.id.as_str()))
        .collect();
    let found = audit::history(&state.db, team_id, &keys).await?;
    for m in answers.iter_mut().flatten() {
        if let Some(events) = found.get(&(m.connection_id.clone(), m.candidate.id.clone())) {
            m.history.clone_from(events);
        }
    }
    Ok(())
}

/// Scores `profiles` against one connection's index on a blocking thread,
/// so a slow query never holds an async worker, and gives up after
/// [`SCORING_DEADLINE`] per profile.
async fn query_index(
    index: Arc<RwLock<MatchIndex>>,
    profiles: &[Profile],
) -> AppResult<Vec<Vec<DedupeMatch>>> {
    let profiles = profiles.to_vec();
    let deadline =
        SCORING_DEADLINE.saturating_mul(u32::try_from(profiles.len()).unwrap_or(u32::MAX).max(1));
    blocking_with_deadline(deadline, move || {
        let Ok(index) = index.read() else {
            return vec![Vec::new(); profiles.len()];
        };
        profiles
            .iter()
            .map(|p| index.query(p, MAX_MATCHES))
            .collect()
    })
    .await
}

/// Runs `work` on a blocking thread and waits for it at most `deadline`
/// (the thread finishes on its own; nobody waits for it).
async fn blocking_with_deadline<T: Send + 'static>(
    deadline: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    match tokio::time::timeout(deadline, tokio::task::spawn_blocking(work)).await {
        Ok(Ok(found)) => Ok(found),
        Ok(Err(e)) => Err(AppError::internal("dedupe scoring", e)),
        Err(_) => Err(AppError::internal(
            "dedupe scoring",
            format!("over the {deadline:?} deadline"),
        )),
    }
}

async fn mirror_complete(state: &AppState, connection_id: &str) -> AppResult<bool> {
    Ok(crate::storage::sync_state::full_done(&state.db, connection_id).await?)
}

async fn has_mirror(state: &AppState, connection_id: &str) -> AppResult<bool> {
    Ok(mirror::version(&state.db, connection_id).await? > 0)
}

/// A live check only when it can be served promptly: a free slot among the
/// connection's live checks, a budget that serves it within about a second,
/// and a cap on the whole check. Otherwise nothing (the mirror answers).
async fn bounded_live_check(
    state: &AppState,
    conn: &Connection,
    profile: &Profile,
) -> Vec<DedupeMatch> {
    let Some(_slot) = state.live_check_slot(&conn.id) else {
        return Vec::new();
    };
    let Ok(budget) = conn.budget(state) else {
        return Vec::new();
    };
    if budget.interactive_wait().await > LIVE_BUDGET_WAIT {
        return Vec::new();
    }
    tokio::time::timeout(LIVE_CHECK_CAP, live_check(state, conn, profile))
        .await
        .unwrap_or_default()
}

/// The ATS's own search (by email where it can, else by name), then the
/// details of the few best hits; failures only make the answer less
/// complete (the caller already says it is).
async fn live_check(state: &AppState, conn: &Connection, profile: &Profile) -> Vec<DedupeMatch> {
    let Ok(ats) = conn.open(state) else {
        return Vec::new();
    };
    let email = profile.emails.iter().find_map(|e| normalize_email(e));
    let name = profile.display_name();
    let wanted = Wanted {
        email: email.as_deref(),
        name: name.as_deref(),
    };
    let reach = Reach {
        name_pages: 1,
        details: LIVE_DETAILS,
    };
    // Name hits are ranked by how well their names alone match.
    let by_name = |hit: &Listed| {
        let (first_name, last_name) = hit.names();
        let c = sourcebar_core::Candidate {
            id: hit.id().to_string(),
            first_name: first_name.to_string(),
            last_name: last_name.to_string(),
            ..Default::default()
        };
        score_candidate(profile, &c, &[]).map(|(s, _)| s)
    };
    let capabilities = conn.capabilities(state);
    let Ok(found) = lookup::find(&*ats, capabilities, &wanted, &reach, by_name).await else {
        Metrics::inc(&state.metrics.ats_errors);
        return Vec::new();
    };

    let mut out = Vec::new();
    for candidate in found {
        if let Ok(mut batch) = mirror::Batch::begin(&state.db, &conn.id).await {
            if batch.upsert_candidate(&candidate, 0).await.is_ok() {
                let _ = batch.commit().await;
            }
        }
        if let Some((score, reasons)) = score_candidate(profile, &candidate, &[]) {
            out.push(DedupeMatch {
                connection_id: conn.id.clone(),
                candidate,
                score,
                reasons,
                history: Vec::new(),
                applications: Vec::new(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::blocking_with_deadline;
    use std::time::{Duration, Instant};

    // One async worker: were scoring run on it, the deadline could not fire
    // until the scoring ended, and the other task could not move meanwhile.
    #[tokio::test(flavor = "current_thread")]
    async fn slow_scoring_gives_up_at_its_deadline_and_never_holds_the_async_worker() {
        let other = tokio::spawn(async {
            for _ in 0..5 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Instant::now()
        });
        let start = Instant::now();
        let answer = blocking_with_deadline(Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(3));
        })
        .await;
        assert!(answer.is_err(), "over its deadline, scoring is an error");
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        let other_done = other.await.unwrap();
        assert!(
            other_done < start + Duration::from_secs(2),
            "the worker was held"
        );
    }

    #[tokio::test]
    async fn scoring_within_its_deadline_answers() {
        let answer = blocking_with_deadline(Duration::from_secs(5), || 42).await;
        assert_eq!(answer.unwrap(), 42);
    }
}
