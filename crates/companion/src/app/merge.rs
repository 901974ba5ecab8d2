//! Merge with a selected candidate: fill nothing that is set, append a note
//! (with the LinkedIn URL) where the provider takes notes, add the job if one
//! was chosen.
//!
//! A merge is a few ATS writes in a row, and any of them can fail. Each
//! merge has a row like an upload's (same lease, same key handling) that
//! remembers which steps are done, so a retry with the same key resumes
//! where the last attempt stopped: the note is never written twice.

use crate::app::auth::AuthUser;
use crate::app::uploads::{self, Begun, Failure, Work, ATTEMPT_CAP};
use crate::error::{AppError, AppResult};
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::storage::audit::{self, Entry};
use crate::storage::connections::Connection;
use crate::storage::db::{now_ms, rfc3339};
use crate::storage::idempotency::{self, Scope};
use crate::storage::mirror;
use crate::storage::uploads as stored_uploads;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sourcebar_ats::{AtsError, Priority};
use sourcebar_core::api::sourcing::{Change, ChangeAction, MergeAnswer, MergeRequest, MergedField};
use sourcebar_core::email::normalize_email;
use sourcebar_core::profile_url::{canonical_linkedin_url, linkedin_public_id};

/// A merge as stored: enough for any server to finish it.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct StoredMerge {
    pub idempotency_key: String,
    pub user_name: String,
    pub ats_id: String,
    pub request: MergeRequest,
}

/// A step of a merge, recorded once done.
const NOTE: &str = "note";
/// Recorded before the note is sent: a later attempt that finds it without
/// [`NOTE`] does not know whether the note arrived, and looks first.
const NOTE_SENT: &str = "note_sent";
const JOB: &str = "job";
/// The LinkedIn URL was added to the record's own link field.
const LINK: &str = "link";

/// `POST /v1/candidates/{ats_id}/merge`: claims the key, then merges inline
/// under the lease, resuming the steps an earlier attempt finished.
pub async fn merge(
    state: &AppState,
    user: &AuthUser,
    conn: &Connection,
    ats_id: &str,
    req: MergeRequest,
    key: &str,
    fingerprint: &str,
) -> AppResult<(u16, Value)> {
    let scope = Scope {
        team_id: &user.team_id,
        user_id: &user.user_id,
        key,
    };
    let stored = StoredMerge {
        idempotency_key: key.to_string(),
        user_name: user.name_or_email(),
        ats_id: ats_id.to_string(),
        request: req,
    };
    let work = Work {
        kind: "merge",
        connection_id: &conn.id,
        target_id: Some(ats_id),
        request: serde_json::to_string(&stored).map_err(|e| AppError::internal("merge", e))?,
    };
    let (id, steps) = match uploads::begin(state, scope, fingerprint, work).await? {
        Begun::Started { upload_id, steps } => (upload_id, steps),
        Begun::Replay(status, body) | Begun::Pending(status, body) => return Ok((status, body)),
    };
    match attempt(state, scope, conn, &id, &steps, &stored).await {
        Ok(body) => Ok((200, body)),
        Err(e) => {
            // The steps done stay recorded: a retry with this key resumes.
            uploads::fail(state, &id, &e.reason()).await?;
            idempotency::release(&state.db, scope).await?;
            Err(e.into())
        }
    }
}

/// One attempt at a merge, capped in time; records it when done.
pub(crate) async fn attempt(
    state: &AppState,
    scope: Scope<'_>,
    conn: &Connection,
    id: &str,
    steps: &str,
    stored: &StoredMerge,
) -> Result<Value, Failure> {
    let body = tokio::time::timeout(ATTEMPT_CAP, run_steps(state, conn, id, steps, stored))
        .await
        .unwrap_or_else(|_| Err(AtsError::Unreachable("took too long".into()).into()))?;
    let mut tx = state.db.begin().await?;
    stored_uploads::mark_merged(&mut tx, id, now_ms()).await?;
    idempotency::store(&mut tx, scope, 200, &body).await?;
    tx.commit().await?;
    Metrics::inc(&state.metrics.merges);
    audit::record(
        &state.db,
        Entry {
            team_id: scope.team_id,
            user_id: Some(scope.user_id),
            action: "merge",
            connection_id: Some(&conn.id),
            candidate_id: Some(&stored.ats_id),
            detail: json!({"changes": body["changes"], "upload_id": id}),
        },
    )
    .await?;
    Ok(body)
}

async fn run_steps(
    state: &AppState,
    conn: &Connection,
    id: &str,
    steps: &str,
    stored: &StoredMerge,
) -> Result<Value, Failure> {
    let done = |step: &str| steps.split(',').any(|s| s == step);
    let ats_id = stored.ats_id.as_str();
    let req = &stored.request;
    let ats = conn.open(state)?;
    let mut current = ats.get_candidate(ats_id, Priority::Interactive).await?;
    let links = mirror::links_of(&state.db, &conn.id, ats_id).await?;
    let p = &req.profile;
    // A record's own fields are never overwritten: a link goes into the
    // record's link list where the ATS can add one, and everything else the
    // ATS lacks is appended in a note, where the provider takes notes.
    let capabilities = conn.capabilities(state);
    let takes_notes = capabilities.notes;
    let appended = if takes_notes {
        ChangeAction::Appended
    } else {
        ChangeAction::Unchanged
    };
    let mut changes = vec![
        Change::new(MergedField::FirstName, ChangeAction::Unchanged),
        Change::new(MergedField::LastName, ChangeAction::Unchanged),
    ];
    let mut note_lines = vec![format!(
        "Merged from LinkedIn by {} with Sourcebar on {}.",
        stored.user_name,
        rfc3339(now_ms())
    )];

    let url = p.profile_url.as_deref().and_then(canonical_linkedin_url);
    if let Some(url) = &url {
        let public_id = linkedin_public_id(url);
        let known = current
            .profile_url
            .iter()
            .chain(&links)
            .any(|u| linkedin_public_id(u) == public_id);
        let action = if known {
            ChangeAction::Unchanged
        } else if capabilities.link_update {
            if !done(LINK) {
                ats.add_link(ats_id, url).await?;
                mark_done(state, id, LINK).await?;
            }
            ChangeAction::Appended
        } else {
            appended
        };
        changes.push(Change::new(MergedField::ProfileUrl, action));
        note_lines.insert(0, format!("LinkedIn: {url}"));
    }
    let email = p.emails.first().and_then(|e| normalize_email(e));
    match (&current.email, &email) {
        (Some(_), _) | (None, None) => {
            changes.push(Change::new(MergedField::Email, ChangeAction::Unchanged));
        }
        (None, Some(e)) => {
            note_lines.push(format!("Email: {e}"));
            changes.push(Change::new(MergedField::Email, appended));
        }
    }
    for (label, value) in [
        ("Headline", &p.headline),
        ("Company", &p.company),
        ("Title", &p.title),
        ("Location", &p.location),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            note_lines.push(format!("{label}: {v}"));
        }
    }
    if takes_notes && !done(NOTE) {
        // The reference finds this note again if its answer is lost.
        let marker = format!("Sourcebar ref: {id}");
        note_lines.push(marker.clone());
        let arrived = done(NOTE_SENT) && ats.note_exists(ats_id, &marker).await? == Some(true);
        if !arrived {
            if !done(NOTE_SENT) {
                mark_done(state, id, NOTE_SENT).await?;
            }
            ats.add_note(ats_id, &note_lines.join("\n")).await?;
        }
        mark_done(state, id, NOTE).await?;
    }
    if takes_notes {
        changes.push(Change::new(MergedField::Note, ChangeAction::Appended));
    }
    if let Some(job) = req.job_id.as_deref().filter(|j| !j.is_empty()) {
        if !done(JOB) {
            ats.add_to_job(ats_id, job).await?;
            mark_done(state, id, JOB).await?;
        }
        changes.push(Change::new(MergedField::Job, ChangeAction::Added));
    }
    if (takes_notes || capabilities.link_update) && current.profile_url.is_none() {
        current.profile_url.clone_from(&url);
    }
    uploads::remember(state, conn, &current).await?;
    Ok(uploads::answer_value(&MergeAnswer {
        candidate: current,
        changes,
        upload_id: Some(id.to_string()),
    })?)
}

/// Records a finished step at once, so no crash or failure repeats it.
async fn mark_done(state: &AppState, id: &str, step: &str) -> AppResult<()> {
    stored_uploads::append_step(&state.db, id, step, now_ms()).await?;
    Ok(())
}
