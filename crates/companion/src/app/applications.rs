//! Each candidate's applications: kept in the mirror with the candidate by
//! the sync, carried by every dedupe match, and read fresh from the ATS
//! when a sourcer selects a match (else from the mirror, said to be stale).

use crate::app::connections;
use crate::error::AppResult;
use crate::state::AppState;
use crate::storage::applications as store;
use crate::storage::db::now_ms;
use sourcebar_ats::Priority;
use sourcebar_core::api::applications::Application;
use sourcebar_core::matching::DedupeMatch;
use std::time::Duration;

/// How long a sourcer waits for the ATS before the mirror answers.
const LIVE_WAIT: Duration = Duration::from_secs(3);

/// Fills every match of every answer with its applications from the
/// mirror, in one query for them all.
pub async fn attach(state: &AppState, answers: &mut [Vec<DedupeMatch>]) -> AppResult<()> {
    let keys: Vec<(&str, &str)> = answers
        .iter()
        .flatten()
        .map(|m| (m.connection_id.as_str(), m.candidate.id.as_str()))
        .collect();
    let found = store::of_candidates(&state.db, &keys).await?;
    for m in answers.iter_mut().flatten() {
        if let Some(applications) = found.get(&(m.connection_id.clone(), m.candidate.id.clone())) {
            // One person can match several answers of a batch: each gets a copy.
            m.applications.clone_from(applications);
        }
    }
    Ok(())
}

/// A candidate's applications: fresh from the ATS when it answers within
/// [`LIVE_WAIT`] (and the mirror is brought up to date), else the mirror's,
/// each marked `stale`. The flag says whether they are fresh. Where the
/// ATS cannot read applications (`capabilities.applications` false) the
/// mirror is all there is: nothing newer can be read, so nothing is stale.
pub async fn of_candidate(
    state: &AppState,
    team_id: &str,
    connection_id: Option<&str>,
    candidate_id: &str,
) -> AppResult<(Vec<Application>, bool)> {
    let conn = connections::active(state, team_id, connection_id).await?;
    if !conn.capabilities(state).applications {
        let kept = store::of_candidate(&state.db, &conn.id, candidate_id).await?;
        return Ok((kept, true));
    }
    let ats = conn.open(state)?;
    let live = tokio::time::timeout(
        LIVE_WAIT,
        ats.list_applications(candidate_id, Priority::Interactive),
    )
    .await;
    match live {
        Ok(Ok(fresh)) => {
            store::replace(&state.db, &conn.id, candidate_id, &fresh, now_ms()).await?;
            // Read back, so job titles the ATS left out come from the job mirror.
            let kept = store::of_candidate(&state.db, &conn.id, candidate_id).await?;
            return Ok((kept, true));
        }
        Ok(Err(e)) => {
            tracing::info!(error = %e, "applications answered from the mirror");
        }
        Err(_) => tracing::info!("the ATS was slow: applications answered from the mirror"),
    }
    let mut kept = store::of_candidate(&state.db, &conn.id, candidate_id).await?;
    for a in &mut kept {
        a.stale = true;
    }
    Ok((kept, false))
}
