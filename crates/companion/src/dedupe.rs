//! `POST /v1/dedupe`: answered from the mirror's index; while a first sync
//! is still running, also from a bounded live check of the ATS.

use crate::connections::{self, Connection};
use crate::error::AppResult;
use crate::metrics::Metrics;
use crate::mirror;
use crate::state::AppState;
use sourcebar_ats::Priority;
use sourcebar_core::matching::{
    rank, score_candidate, verdict_for, DedupeMatch, DedupeResponse, MAX_MATCHES,
};
use sourcebar_core::Profile;
use sqlx::Row;

/// How many name hits the live check reads in detail (each one ATS call).
const LIVE_DETAILS: usize = 3;

/// Potential duplicates of `profile` in every active connection of the team.
pub async fn dedupe(
    state: &AppState,
    team_id: &str,
    profile: &Profile,
) -> AppResult<DedupeResponse> {
    Metrics::inc(&state.metrics.dedupe_requests);
    let mut matches: Vec<DedupeMatch> = Vec::new();
    let mut complete = true;
    for conn in connections::list(state, team_id).await? {
        if conn.status == "deactivated" && !has_mirror(state, &conn.id).await? {
            continue;
        }
        let index = state.mirror.index(&state.db, &conn.id).await?;
        matches.extend(
            index
                .read()
                .map(|i| i.query(profile, MAX_MATCHES))
                .unwrap_or_default(),
        );
        if conn.status != "deactivated" && !mirror_complete(state, &conn.id).await? {
            complete = false;
            Metrics::inc(&state.metrics.dedupe_live_fallbacks);
            matches.extend(live_check(state, &conn, profile).await);
        }
    }
    // One candidate may come from the index and the live check: keep the best.
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
    let matches = rank(matches);
    Ok(DedupeResponse {
        verdict: verdict_for(&matches),
        matches,
        mirror_complete: complete,
    })
}

async fn mirror_complete(state: &AppState, connection_id: &str) -> AppResult<bool> {
    let row = sqlx::query("SELECT full_done FROM sync_state WHERE connection_id = $1")
        .bind(connection_id)
        .fetch_optional(&state.db.pool)
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64, _>("full_done"))
        .transpose()?
        .unwrap_or(0)
        != 0)
}

async fn has_mirror(state: &AppState, connection_id: &str) -> AppResult<bool> {
    Ok(mirror::version(&state.db, connection_id).await? > 0)
}

/// Name search, then the details of the few best hits; failures only make
/// the answer less complete (the caller already says it is).
async fn live_check(state: &AppState, conn: &Connection, profile: &Profile) -> Vec<DedupeMatch> {
    let name = match (&profile.first_name, &profile.last_name) {
        (Some(f), Some(l)) => format!("{f} {l}"),
        _ => profile.full_name.clone().unwrap_or_default(),
    };
    let Ok(ats) = conn.open(state) else {
        return Vec::new();
    };
    let Ok(hits) = ats.search_by_name(name.trim(), Priority::Interactive).await else {
        Metrics::inc(&state.metrics.ats_errors);
        return Vec::new();
    };
    let mut scored: Vec<_> = hits
        .into_iter()
        .filter_map(|h| {
            let c = sourcebar_core::Candidate {
                id: h.id.clone(),
                first_name: h.first_name.clone(),
                last_name: h.last_name.clone(),
                ..Default::default()
            };
            score_candidate(profile, &c, &[]).map(|(s, _)| (s, h))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.apply_date.cmp(&a.1.apply_date))
    });
    let mut out = Vec::new();
    for (_, hit) in scored.into_iter().take(LIVE_DETAILS) {
        let Ok(candidate) = ats.get_candidate(&hit.id, Priority::Interactive).await else {
            continue;
        };
        let _ = mirror::upsert_candidate(&state.db, &conn.id, &candidate, 0).await;
        if let Some((score, reasons)) = score_candidate(profile, &candidate, &[]) {
            out.push(DedupeMatch {
                connection_id: conn.id.clone(),
                candidate,
                score,
                reasons,
            });
        }
    }
    out
}
