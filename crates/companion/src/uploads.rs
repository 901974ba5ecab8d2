//! Upload as new candidate, and merge with a selected one.
//!
//! An upload never creates two applicants: its idempotency key is claimed
//! before the ATS is called; when the ATS is down the upload is queued and a
//! worker delivers it later, in order, first looking for an applicant the
//! lost attempt may have created (JazzHR may accept a request whose answer
//! never arrives).

use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::connections::Connection;
use crate::db::{new_id, now_ms, rfc3339};
use crate::error::{AppError, AppResult};
use crate::idempotency;
use crate::metrics::Metrics;
use crate::mirror;
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sourcebar_ats::{Ats, AtsError, NewCandidate, Priority};
use sourcebar_core::email::{canonical_email_for_matching, normalize_email};
use sourcebar_core::names::fold_name;
use sourcebar_core::profile_url::{canonical_linkedin_url, linkedin_public_id};
use sourcebar_core::{Candidate, Profile};
use sqlx::Row;
use std::sync::Arc;

/// `POST /v1/candidates` body.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UploadRequest {
    #[serde(default)]
    pub connection_id: Option<String>,
    #[schema(value_type = Object)]
    pub profile: Profile,
    #[serde(default)]
    pub job_id: Option<String>,
}

/// A queued upload as stored.
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    idempotency_key: String,
    user_name: String,
    request: UploadRequest,
}

/// Checks the required fields and builds what the ATS receives.
pub fn new_candidate(req: &UploadRequest, uploader: &str) -> AppResult<NewCandidate> {
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
    let email = p
        .emails
        .first()
        .ok_or_else(|| AppError::invalid("email is required."))
        .and_then(|e| {
            normalize_email(e).ok_or_else(|| AppError::invalid("email is not a valid address."))
        })?;
    let mut note = format!("Uploaded from LinkedIn by {uploader} with Sourcebar.");
    for (label, value) in [
        ("Headline", &p.headline),
        ("Company", &p.company),
        ("Title", &p.title),
        ("Location", &p.location),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            note.push_str(&format!("\n{label}: {v}"));
        }
    }
    Ok(NewCandidate {
        first_name,
        last_name,
        email,
        phone: p.phones.first().cloned(),
        profile_url: p.profile_url.as_deref().and_then(canonical_linkedin_url),
        job_id: req.job_id.clone().filter(|j| !j.is_empty()),
        note: Some(note),
        source: Some("Sourcebar (LinkedIn)".into()),
    })
}

/// Runs an upload whose idempotency key was just claimed: `(status, body)`.
pub async fn upload(
    state: &AppState,
    user: &AuthUser,
    conn: &Connection,
    req: UploadRequest,
    key: &str,
) -> AppResult<(u16, Value)> {
    let new = new_candidate(&req, &user.name_or_email())?;
    let id = new_id();
    let stored = Stored {
        idempotency_key: key.to_string(),
        user_name: user.name_or_email(),
        request: req,
    };
    let now = now_ms();
    sqlx::query(
        "INSERT INTO uploads (id, team_id, user_id, connection_id, seq, request, state, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'delivering', $7, $8)",
    )
    .bind(&id)
    .bind(&user.team_id)
    .bind(&user.user_id)
    .bind(&conn.id)
    .bind(now)
    .bind(serde_json::to_string(&stored).map_err(|e| AppError::internal("upload", e))?)
    .bind(now)
    .bind(now)
    .execute(&state.db.pool)
    .await?;
    let ats = conn.open(state)?;
    match deliver(&*ats, &new, false).await {
        Ok(candidate) => {
            finish(
                state,
                &id,
                &user.team_id,
                Some(&user.user_id),
                conn,
                &candidate,
                key,
            )
            .await?;
            Metrics::inc(&state.metrics.uploads_created);
            Ok((
                201,
                json!({"candidate": candidate, "state": "created", "upload_id": id}),
            ))
        }
        Err(e) if e.is_transient() => {
            set_state(state, &id, "queued", Some(&e.to_string())).await?;
            Metrics::inc(&state.metrics.uploads_queued);
            let body = json!({"upload_id": id, "state": "queued"});
            idempotency::store(&state.db, &user.team_id, key, 202, &body).await?;
            Ok((202, body))
        }
        Err(e) => {
            set_state(state, &id, "failed", Some(&e.to_string())).await?;
            idempotency::release(&state.db, &user.team_id, key).await?;
            Err(e.into())
        }
    }
}

/// Creates the applicant, unless `look_first` finds it was already created.
async fn deliver(
    ats: &dyn Ats,
    new: &NewCandidate,
    look_first: bool,
) -> Result<Candidate, AtsError> {
    let found = if look_first {
        find_created(ats, new).await?
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
            email: Some(new.email.clone()),
            phone: new.phone.clone(),
            profile_url: new.profile_url.clone(),
            ..Candidate::default()
        },
    };
    Ok(candidate)
}

/// An applicant created by an earlier attempt whose answer was lost: same
/// name (by the ATS's name search), then same email (by its details).
async fn find_created(ats: &dyn Ats, new: &NewCandidate) -> Result<Option<String>, AtsError> {
    let name = format!("{} {}", new.first_name, new.last_name);
    let wanted = (fold_name(&new.first_name), fold_name(&new.last_name));
    let email = canonical_email_for_matching(&new.email);
    let mut hits: Vec<_> = ats
        .search_by_name_pages(&name, 10, Priority::Interactive)
        .await?
        .into_iter()
        .filter(|r| (fold_name(&r.first_name), fold_name(&r.last_name)) == wanted)
        .collect();
    hits.sort_by(|a, b| b.apply_date.cmp(&a.apply_date));
    for hit in hits.into_iter().take(5) {
        let c = ats.get_candidate(&hit.id, Priority::Interactive).await?;
        if c.email.as_deref().and_then(canonical_email_for_matching) == email {
            return Ok(Some(c.id));
        }
    }
    Ok(None)
}

/// Records a delivered upload: mirror at once, audit, idempotent answer.
async fn finish(
    state: &AppState,
    upload_id: &str,
    team_id: &str,
    user_id: Option<&str>,
    conn: &Connection,
    candidate: &Candidate,
    key: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE uploads SET state = 'created', candidate_id = $1, last_error = NULL, updated_at = $2 WHERE id = $3")
        .bind(&candidate.id)
        .bind(now_ms())
        .bind(upload_id)
        .execute(&state.db.pool)
        .await?;
    remember(state, conn, candidate).await?;
    let body = json!({"candidate": candidate, "state": "created", "upload_id": upload_id});
    idempotency::store(&state.db, team_id, key, 201, &body).await?;
    audit::record(&state.db, Entry { team_id, user_id, action: "upload", connection_id: Some(&conn.id), candidate_id: Some(&candidate.id), detail: json!({"name": format!("{} {}", candidate.first_name, candidate.last_name), "upload_id": upload_id}) }).await?;
    Ok(())
}

/// Puts a candidate (and its LinkedIn URL) in the mirror and this server's index.
async fn remember(state: &AppState, conn: &Connection, candidate: &Candidate) -> AppResult<()> {
    mirror::ensure_state(&state.db, &conn.id).await?;
    mirror::upsert_candidate(&state.db, &conn.id, candidate, 0).await?;
    if let Some(url) = &candidate.profile_url {
        mirror::add_link(&state.db, &conn.id, &candidate.id, url).await?;
    }
    let version = mirror::bump(&state.db, &conn.id).await?;
    let c = candidate.clone();
    state.mirror.apply(&conn.id, version, |index| {
        let id = c.id.clone();
        let url = c.profile_url.clone();
        index.insert(&conn.id, c);
        if let Some(url) = url {
            index.attach_profile_url(&conn.id, &id, &url);
        }
    });
    Ok(())
}

async fn set_state(state: &AppState, id: &str, to: &str, error: Option<&str>) -> AppResult<()> {
    sqlx::query("UPDATE uploads SET state = $1, last_error = $2, updated_at = $3 WHERE id = $4")
        .bind(to)
        .bind(error)
        .bind(now_ms())
        .bind(id)
        .execute(&state.db.pool)
        .await?;
    Ok(())
}

/// `GET /v1/uploads/{id}`.
pub async fn status(state: &AppState, team_id: &str, id: &str) -> AppResult<Value> {
    let row = sqlx::query("SELECT state, candidate_id, connection_id, attempts, last_error, created_at, updated_at FROM uploads WHERE id = $1 AND team_id = $2")
        .bind(id)
        .bind(team_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::not_found("upload"))?;
    let candidate_id: Option<String> = row.try_get("candidate_id")?;
    let connection_id: String = row.try_get("connection_id")?;
    let candidate = match &candidate_id {
        Some(cid) => mirror::get(&state.db, &connection_id, cid).await?,
        None => None,
    };
    Ok(json!({
        "upload_id": id,
        "state": row.try_get::<String, _>("state")?,
        "candidate": candidate,
        "attempts": row.try_get::<i64, _>("attempts")?,
        "last_error": row.try_get::<Option<String>, _>("last_error")?,
        "created_at": rfc3339(row.try_get("created_at")?),
        "updated_at": rfc3339(row.try_get("updated_at")?),
    }))
}

/// Delivers queued uploads, oldest first per connection; a delivery that
/// fails again waits longer each time. Any server may run this: an upload is
/// claimed through the database before it is touched.
pub async fn deliver_queued(state: &AppState) -> AppResult<usize> {
    let now = now_ms();
    let rows = sqlx::query("SELECT id, team_id, user_id, connection_id, request, attempts, lease_until FROM uploads WHERE state = 'queued' ORDER BY seq LIMIT 50")
        .fetch_all(&state.db.pool)
        .await?;
    let mut seen = std::collections::HashSet::new();
    let mut delivered = 0;
    for row in rows {
        let connection_id: String = row.try_get("connection_id")?;
        // In order: only the oldest queued upload of each connection moves.
        if !seen.insert(connection_id.clone()) {
            continue;
        }
        if row
            .try_get::<Option<i64>, _>("lease_until")?
            .is_some_and(|t| t > now)
        {
            continue;
        }
        let id: String = row.try_get("id")?;
        let attempts: i64 = row.try_get("attempts")?;
        let lease = now + backoff_ms(attempts);
        let claimed = sqlx::query("UPDATE uploads SET lease_until = $1, attempts = attempts + 1 WHERE id = $2 AND state = 'queued' AND (lease_until IS NULL OR lease_until <= $3)")
            .bind(lease)
            .bind(&id)
            .bind(now)
            .execute(&state.db.pool)
            .await?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        let team_id: String = row.try_get("team_id")?;
        let user_id: String = row.try_get("user_id")?;
        let stored: Stored = serde_json::from_str(&row.try_get::<String, _>("request")?)
            .map_err(|e| AppError::internal("queued upload", e))?;
        let conn = match crate::connections::load(state, &team_id, &connection_id).await {
            Ok(c) if c.status != "deactivated" => c,
            _ => continue,
        };
        let new = new_candidate(&stored.request, &stored.user_name)?;
        let ats: Arc<dyn Ats> = conn.open(state)?;
        match deliver(&*ats, &new, true).await {
            Ok(candidate) => {
                finish(
                    state,
                    &id,
                    &team_id,
                    Some(&user_id),
                    &conn,
                    &candidate,
                    &stored.idempotency_key,
                )
                .await?;
                Metrics::inc(&state.metrics.uploads_delivered_later);
                delivered += 1;
            }
            Err(e) if e.is_transient() => {
                set_state(state, &id, "queued", Some(&e.to_string())).await?
            }
            Err(e) => set_state(state, &id, "failed", Some(&e.to_string())).await?,
        }
    }
    Ok(delivered)
}

fn backoff_ms(attempts: i64) -> i64 {
    (2_000i64 << attempts.clamp(0, 5)).min(60_000)
}

/// `POST /v1/candidates/{ats_id}/merge` body.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MergeRequest {
    #[serde(default)]
    pub connection_id: Option<String>,
    #[schema(value_type = Object)]
    pub profile: Profile,
    #[serde(default)]
    pub job_id: Option<String>,
}

/// Merges what was captured into an existing record: fills nothing that is
/// set, appends a note (with the LinkedIn URL), adds the job if chosen.
pub async fn merge(
    state: &AppState,
    user: &AuthUser,
    conn: &Connection,
    ats_id: &str,
    req: &MergeRequest,
) -> AppResult<Value> {
    let ats = conn.open(state)?;
    let mut current = ats.get_candidate(ats_id, Priority::Interactive).await?;
    let links: Vec<String> = mirror::load_all(&state.db, &conn.id)
        .await?
        .into_iter()
        .find(|(c, _)| c.id == ats_id)
        .map(|(_, l)| l)
        .unwrap_or_default();
    let p = &req.profile;
    let mut changes = vec![
        json!({"field": "first_name", "action": "unchanged"}),
        json!({"field": "last_name", "action": "unchanged"}),
    ];
    let mut lines = vec![format!(
        "Merged from LinkedIn by {} with Sourcebar on {}.",
        user.name_or_email(),
        rfc3339(now_ms())
    )];

    let url = p.profile_url.as_deref().and_then(canonical_linkedin_url);
    if let Some(url) = &url {
        let id = linkedin_public_id(url);
        let known = current
            .profile_url
            .iter()
            .chain(&links)
            .any(|u| linkedin_public_id(u) == id);
        changes.push(
            json!({"field": "profile_url", "action": if known { "unchanged" } else { "appended" }}),
        );
        lines.insert(0, format!("LinkedIn: {url}"));
    }
    let email = p.emails.first().and_then(|e| normalize_email(e));
    match (&current.email, &email) {
        (Some(_), _) | (None, None) => {
            changes.push(json!({"field": "email", "action": "unchanged"}))
        }
        // JazzHR has no update endpoint: an email it lacks goes in the note.
        (None, Some(e)) => {
            lines.push(format!("Email: {e}"));
            changes.push(json!({"field": "email", "action": "appended"}));
        }
    }
    for (label, value) in [
        ("Headline", &p.headline),
        ("Company", &p.company),
        ("Title", &p.title),
        ("Location", &p.location),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            lines.push(format!("{label}: {v}"));
        }
    }
    ats.add_note(ats_id, &lines.join("\n")).await?;
    changes.push(json!({"field": "note", "action": "appended"}));
    if let Some(job) = req.job_id.as_deref().filter(|j| !j.is_empty()) {
        ats.add_to_job(ats_id, job).await?;
        changes.push(json!({"field": "job", "action": "added"}));
    }
    if current.profile_url.is_none() {
        current.profile_url.clone_from(&url);
    }
    remember(state, conn, &current).await?;
    Metrics::inc(&state.metrics.merges);
    audit::by_user(
        &state.db,
        user,
        "merge",
        Some(&conn.id),
        Some(ats_id),
        json!({"changes": changes}),
    )
    .await?;
    Ok(json!({"candidate": current, "changes": changes}))
}
