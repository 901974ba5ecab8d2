//! Upload as new candidate: the row, its lease, and the inline attempt.
//!
//! An upload never creates two applicants. Its idempotency key is claimed
//! and its row written `queued`, leased by this server, in one transaction
//! before the ATS is called; the server then delivers it inline under that
//! lease. When the outcome is unknown (the ATS is down, the answer was lost
//! or unreadable, this server crashed), the row stays queued and the
//! delivery worker ([`crate::app::delivery`]) takes it over once the lease runs
//! out, first looking for an applicant the lost attempt may have created.
//! A replay of an unfinished key answers `202 {"upload_id","state"}`.

use crate::app::auth::AuthUser;
use crate::app::lookup::{self, Reach, Wanted};
use crate::error::{AppError, AppResult};
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::storage::audit::{self, Entry};
use crate::storage::connections::Connection;
use crate::storage::db::{new_id, now_ms, rfc3339};
use crate::storage::idempotency::{self, Claim, Scope};
use crate::storage::mirror::{self, Batch};
use crate::storage::uploads as stored_uploads;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sourcebar_ats::{Ats, AtsError, Listed, NewCandidate, Priority};
use sourcebar_core::api::sourcing::{
    UploadAnswer, UploadRequest, UploadStatus, WorkKind, WorkState,
};
use sourcebar_core::email::{canonical_email_for_matching, normalize_email};
use sourcebar_core::names::fold_name;
use sourcebar_core::profile_url::canonical_linkedin_url;
use sourcebar_core::providers::Capabilities;
use sourcebar_core::Candidate;
use std::fmt::Write as _;
use std::time::Duration;

pub use crate::app::delivery::deliver_queued;
pub use crate::app::merge::merge;

/// How long a server holds an upload it is delivering. Past it, another
/// server (or this one after a restart) takes the upload over.
pub const LEASE_MS: i64 = 45_000;
/// Wall-clock cap on one delivery attempt; well inside the lease.
pub const ATTEMPT_CAP: Duration = Duration::from_secs(35);

/// An upload as stored.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Stored {
    pub idempotency_key: String,
    pub user_name: String,
    pub request: UploadRequest,
}

/// Checks the required fields and builds what the ATS receives.
pub fn new_candidate(
    req: &UploadRequest,
    uploader: &str,
    capabilities: Capabilities,
) -> AppResult<NewCandidate> {
    let p = &req.profile;
    let required = |v: &Option<String>, field: &str| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .ok_or_else(|| AppError::invalid(format!("{field} is required.")))
    };
    let first_name = required(&p.first_name, "first_name")?;
    let last_name = required(&p.last_name, "last_name")?;
    // Whether an email is required is the provider's declared rule.
    let email = match p.emails.first() {
        Some(e) => Some(
            normalize_email(e).ok_or_else(|| AppError::invalid("email is not a valid address."))?,
        ),
        None if capabilities.create_without_email => None,
        None => return Err(AppError::invalid("email is required.")),
    };
    let job_id = req.job_id.clone().filter(|j| !j.trim().is_empty());
    if job_id.is_none() && !capabilities.create_without_job {
        return Err(AppError::invalid(
            "job_id is required: this ATS adds a new candidate to a job.",
        ));
    }
    let mut note = format!("Uploaded from LinkedIn by {uploader} with Sourcebar.");
    for (label, value) in [
        ("Headline", &p.headline),
        ("Company", &p.company),
        ("Title", &p.title),
        ("Location", &p.location),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            // Writing to a String cannot fail.
            let _ = write!(note, "\n{label}: {v}");
        }
    }
    Ok(NewCandidate {
        first_name,
        last_name,
        email,
        phone: p.phones.first().cloned(),
        profile_url: p.profile_url.as_deref().and_then(canonical_linkedin_url),
        job_id,
        note: Some(note),
        source: Some("Sourcebar (LinkedIn)".into()),
    })
}

/// Whether a failed create may still have created the applicant: a lost,
/// late or unreadable answer. Such an upload is queued, never re-sent blind,
/// and its key is never released.
pub fn outcome_unknown(e: &AtsError) -> bool {
    e.is_transient() || matches!(e, AtsError::Malformed(_))
}

/// Why an attempt at an upload or a merge did not finish: the ATS (whose
/// error says whether the outcome is known), or this server.
#[derive(Debug)]
pub enum Failure {
    Ats(AtsError),
    Server(AppError),
}

impl From<AtsError> for Failure {
    fn from(e: AtsError) -> Self {
        Failure::Ats(e)
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure::Server(e)
    }
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::Server(e.into())
    }
}

impl Failure {
    /// Whether trying again later may succeed (never after the ATS refused).
    pub fn worth_retrying(&self) -> bool {
        match self {
            Failure::Ats(e) => outcome_unknown(e),
            Failure::Server(_) => true,
        }
    }

    /// A short reason, for the row's `last_error`.
    pub fn reason(&self) -> String {
        match self {
            Failure::Ats(e) => e.to_string(),
            Failure::Server(e) => e.message.clone(),
        }
    }
}

impl From<Failure> for AppError {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Ats(e) => e.into(),
            Failure::Server(e) => e,
        }
    }
}

/// What an upload or a merge records before the ATS is called.
pub struct Work<'a> {
    /// `upload` or `merge`.
    pub kind: &'static str,
    pub connection_id: &'a str,
    /// The merge's ATS record; `None` for an upload.
    pub target_id: Option<&'a str>,
    /// The stored request (JSON), enough to finish the work without the caller.
    pub request: String,
}

/// What [`begin`] found.
pub enum Begun {
    /// The key is ours and the row leased to this server: do the work.
    Started { upload_id: String, steps: String },
    /// The key was answered already: replay this.
    Replay(u16, Value),
    /// An earlier call holds the key and has not finished.
    Pending(u16, Value),
}

/// Claims the key and writes the leased row, in one transaction. A row that
/// failed earlier under the same key and request is taken up again (a merge
/// keeps the steps it had done).
pub async fn begin(
    state: &AppState,
    scope: Scope<'_>,
    fingerprint: &str,
    work: Work<'_>,
) -> AppResult<Begun> {
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    match idempotency::claim(&mut tx, scope, fingerprint).await? {
        Claim::Replay(status, body) => {
            tx.commit().await?;
            return Ok(Begun::Replay(status, body));
        }
        Claim::Pending(upload_id) => {
            tx.commit().await?;
            return pending(state, upload_id.as_deref()).await;
        }
        Claim::New => {}
    }
    let owner = stored_uploads::Owner {
        team_id: scope.team_id,
        user_id: scope.user_id,
        key: scope.key,
        kind: work.kind,
        request_hash: fingerprint,
    };
    let earlier = stored_uploads::failed_earlier(&mut tx, &owner).await?;
    let (upload_id, steps) = if let Some((id, steps)) = earlier {
        stored_uploads::queue_again(&mut tx, &id, state.instance.as_str(), now + LEASE_MS, now)
            .await?;
        (id, steps)
    } else {
        let id = new_id();
        let new = stored_uploads::NewWork {
            id: &id,
            connection_id: work.connection_id,
            request: &work.request,
            target_id: work.target_id,
            lease_owner: state.instance.as_str(),
            lease_until: now + LEASE_MS,
            now,
        };
        stored_uploads::insert(&mut tx, &owner, &new).await?;
        (id, String::new())
    };
    idempotency::attach_upload(&mut tx, scope, &upload_id).await?;
    tx.commit().await?;
    Ok(Begun::Started { upload_id, steps })
}

/// The answer to a replay whose first call has not finished.
async fn pending(state: &AppState, upload_id: Option<&str>) -> AppResult<Begun> {
    let row = match upload_id {
        Some(id) => stored_uploads::state_of(&state.db, id).await?,
        None => None,
    };
    match (upload_id, row) {
        (Some(id), Some(upload_state)) => {
            let state = WorkState::parse(&upload_state).ok_or_else(|| {
                AppError::internal("upload state", format!("unknown state {upload_state}"))
            })?;
            Ok(Begun::Pending(
                202,
                answer_value(&queued_answer(id, state))?,
            ))
        }
        // Only keys claimed before uploads were leased can lack a row.
        _ => Err(AppError::new(
            sourcebar_core::ErrorCode::Conflict,
            "The same request is still being processed.",
        )),
    }
}

/// `POST /v1/candidates`: claims the key, then delivers inline under the
/// lease. Returns `(status, body)`.
pub async fn upload(
    state: &AppState,
    user: &AuthUser,
    conn: &Connection,
    req: UploadRequest,
    key: &str,
    fingerprint: &str,
) -> AppResult<(u16, Value)> {
    let new = new_candidate(&req, &user.name_or_email(), conn.capabilities(state))?;
    let scope = Scope {
        team_id: &user.team_id,
        user_id: &user.user_id,
        key,
    };
    let stored = Stored {
        idempotency_key: key.to_string(),
        user_name: user.name_or_email(),
        request: req,
    };
    let work = Work {
        kind: "upload",
        connection_id: &conn.id,
        target_id: None,
        request: serde_json::to_string(&stored).map_err(|e| AppError::internal("upload", e))?,
    };
    let id = match begin(state, scope, fingerprint, work).await? {
        Begun::Started { upload_id, .. } => upload_id,
        Begun::Replay(status, body) | Begun::Pending(status, body) => return Ok((status, body)),
    };
    let ats = conn.open(state)?;
    let attempt = tokio::time::timeout(
        ATTEMPT_CAP,
        deliver(&*ats, conn.capabilities(state), &new, false),
    )
    .await
    .unwrap_or_else(|_| Err(AtsError::Unreachable("took too long".into())));
    match attempt {
        Ok(candidate) => {
            let body = finish(state, &id, scope, conn, &candidate).await?;
            Metrics::inc(&state.metrics.uploads_created);
            Ok((201, body))
        }
        Err(e) if outcome_unknown(&e) => {
            // Due at once: the worker's first look-and-retry comes next tick.
            requeue(state, &id, None, &e.to_string()).await?;
            Metrics::inc(&state.metrics.uploads_queued);
            Ok((202, answer_value(&queued_answer(&id, WorkState::Queued))?))
        }
        Err(e) => {
            fail(state, &id, &e.to_string()).await?;
            idempotency::release(&state.db, scope).await?;
            Err(e.into())
        }
    }
}

/// Creates the applicant, unless `look_first` finds it was already created.
pub(crate) async fn deliver(
    ats: &dyn Ats,
    capabilities: Capabilities,
    new: &NewCandidate,
    look_first: bool,
) -> Result<Candidate, AtsError> {
    if look_first && !can_confirm(capabilities, new) {
        // Sending it again blind could make a second record: the person
        // is told to look in the ATS instead.
        return Err(AtsError::Unsupported(
            "tell whether the attempt whose answer was lost created this candidate: look for them in the ATS before uploading again",
        ));
    }
    let found = if look_first {
        find_created(ats, capabilities, new).await?
    } else {
        None
    };
    let id = match found {
        Some(id) => id,
        None => ats.create_candidate(new).await?,
    };
    let candidate = match ats.get_candidate(&id, Priority::Interactive).await {
        Ok(c) => c,
        // Created but not readable now: what we sent is what it holds.
        Err(_) => Candidate {
            id: id.clone(),
            first_name: new.first_name.clone(),
            last_name: new.last_name.clone(),
            email: new.email.clone(),
            phone: new.phone.clone(),
            profile_url: new.profile_url.clone(),
            ..Candidate::default()
        },
    };
    Ok(candidate)
}

/// Whether this ATS can tell if a lost attempt created `new`: by its email
/// where the ATS searches by email, else by its name (then its email or
/// LinkedIn URL) where it searches by name.
fn can_confirm(capabilities: Capabilities, new: &NewCandidate) -> bool {
    let email = new
        .email
        .as_deref()
        .and_then(canonical_email_for_matching)
        .is_some();
    let url = new
        .profile_url
        .as_deref()
        .and_then(canonical_linkedin_url)
        .is_some();
    (email && capabilities.email_search) || (capabilities.name_search && (email || url))
}

/// A record created by an earlier attempt whose answer was lost: found by
/// the ATS's own search (by email where it can, else by the same name), then
/// the same email, or, for a person sent without an email, the same
/// LinkedIn URL.
async fn find_created(
    ats: &dyn Ats,
    capabilities: Capabilities,
    new: &NewCandidate,
) -> Result<Option<String>, AtsError> {
    let name = format!("{} {}", new.first_name, new.last_name);
    let wanted_names = (fold_name(&new.first_name), fold_name(&new.last_name));
    let email = new.email.as_deref().and_then(canonical_email_for_matching);
    let url = new.profile_url.as_deref().and_then(canonical_linkedin_url);
    if email.is_none() && url.is_none() {
        return Ok(None);
    }
    let wanted = Wanted {
        email: new.email.as_deref(),
        name: Some(&name),
    };
    let reach = Reach {
        name_pages: 10,
        details: 5,
    };
    let same_name = |hit: &Listed| {
        let (first, last) = hit.names();
        ((fold_name(first), fold_name(last)) == wanted_names).then_some(1.0)
    };
    let found = lookup::find(ats, capabilities, &wanted, &reach, same_name).await?;
    Ok(found
        .into_iter()
        .find(|c| {
            if email.is_some() {
                c.email.as_deref().and_then(canonical_email_for_matching) == email
            } else {
                c.profile_url.as_deref().and_then(canonical_linkedin_url) == url
            }
        })
        .map(|c| c.id))
}

/// Records a delivered upload: the mirror first (so dedupe finds the person
/// at once, and a status read never sees `created` without its candidate),
/// then the row and the answer to replay, committed together; then audit.
pub(crate) async fn finish(
    state: &AppState,
    upload_id: &str,
    scope: Scope<'_>,
    conn: &Connection,
    candidate: &Candidate,
) -> AppResult<Value> {
    let body = answer_value(&UploadAnswer {
        state: WorkState::Created,
        upload_id: Some(upload_id.to_string()),
        candidate: Some(candidate.clone()),
    })?;
    remember(state, conn, candidate).await?;
    let mut tx = state.db.begin().await?;
    stored_uploads::mark_created(&mut tx, upload_id, &candidate.id, now_ms()).await?;
    idempotency::store(&mut tx, scope, 201, &body).await?;
    tx.commit().await?;
    audit::record(
        &state.db,
        Entry {
            team_id: scope.team_id,
            user_id: Some(scope.user_id),
            action: "upload",
            connection_id: Some(&conn.id),
            candidate_id: Some(&candidate.id),
            detail: json!({"name": format!("{} {}", candidate.first_name, candidate.last_name), "upload_id": upload_id}),
        },
    )
    .await?;
    Ok(body)
}

/// Puts a candidate (and its LinkedIn URL) in the mirror; every server's
/// index picks it up from the mirror's change log (this one before its
/// next dedupe answer).
pub(crate) async fn remember(
    state: &AppState,
    conn: &Connection,
    candidate: &Candidate,
) -> AppResult<()> {
    let mut batch = Batch::begin(&state.db, &conn.id).await?;
    batch.upsert_candidate(candidate, 0).await?;
    if let Some(url) = &candidate.profile_url {
        batch.add_link(&candidate.id, url).await?;
    }
    batch.commit().await?;
    Ok(())
}

/// Gives the lease back after an attempt whose outcome is unknown: the row
/// stays queued, due again at `retry_at` (`None`: at once). A server whose
/// lease was taken over in the meantime leaves the row alone.
pub(crate) async fn requeue(
    state: &AppState,
    id: &str,
    retry_at: Option<i64>,
    reason: &str,
) -> AppResult<()> {
    stored_uploads::release_for_retry(
        &state.db,
        id,
        retry_at,
        reason,
        now_ms(),
        state.instance.as_str(),
    )
    .await?;
    Ok(())
}

/// Marks an upload (or merge) failed for good, with the reason.
pub(crate) async fn fail(state: &AppState, id: &str, reason: &str) -> AppResult<()> {
    stored_uploads::mark_failed(&state.db, id, reason, now_ms()).await?;
    Ok(())
}

/// `GET /v1/uploads/{id}`.
pub async fn status(state: &AppState, team_id: &str, id: &str) -> AppResult<UploadStatus> {
    let row = stored_uploads::status(&state.db, team_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("upload"))?;
    let candidate = match &row.candidate_id {
        Some(cid) => mirror::get(&state.db, &row.connection_id, cid).await?,
        None => None,
    };
    let unknown = |what: &str, value: &str| {
        AppError::internal("upload row", format!("unknown {what} {value}"))
    };
    Ok(UploadStatus {
        upload_id: id.to_string(),
        kind: match row.kind.as_str() {
            "upload" => WorkKind::Upload,
            "merge" => WorkKind::Merge,
            other => return Err(unknown("kind", other)),
        },
        state: WorkState::parse(&row.state).ok_or_else(|| unknown("state", &row.state))?,
        candidate,
        attempts: row.attempts,
        last_error: row.last_error,
        created_at: rfc3339(row.created_at),
        updated_at: rfc3339(row.updated_at),
    })
}

/// The `202` answer of an upload (or merge) that is not finished.
fn queued_answer(upload_id: &str, state: WorkState) -> UploadAnswer {
    UploadAnswer {
        state,
        upload_id: Some(upload_id.to_string()),
        candidate: None,
    }
}

/// An answer as stored for replay under its idempotency key.
pub(crate) fn answer_value(answer: &impl Serialize) -> AppResult<Value> {
    serde_json::to_value(answer).map_err(|e| AppError::internal("answer", e))
}
