//! The application mirror: each mirrored candidate's applications.

use crate::storage::db::Db;
use crate::storage::{distinct, placeholders};
use sourcebar_core::api::applications::{Application, ApplicationStatus};
use sqlx::Row;
use std::collections::HashMap;

/// Replaces what the mirror holds of one candidate's applications.
pub async fn replace(
    db: &Db,
    connection_id: &str,
    candidate_id: &str,
    applications: &[Application],
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM application_mirror WHERE connection_id = $1 AND candidate_id = $2")
        .bind(connection_id)
        .bind(candidate_id)
        .execute(&mut *tx)
        .await?;
    let mut seen = std::collections::HashSet::new();
    for a in applications {
        if !seen.insert(a.id.as_str()) {
            continue;
        }
        sqlx::query(
            "INSERT INTO application_mirror (connection_id, candidate_id, ats_id, job_id, \
             job_title, stage, status, updated_at, ats_url, synced_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(connection_id)
        .bind(candidate_id)
        .bind(&a.id)
        .bind(&a.job_id)
        .bind(&a.job_title)
        .bind(&a.stage)
        .bind(a.status.as_str())
        .bind(&a.updated_at)
        .bind(&a.ats_url)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// One candidate's mirrored applications, most recently changed first; a
/// job title the ATS left out comes from the job mirror.
pub async fn of_candidate(
    db: &Db,
    connection_id: &str,
    candidate_id: &str,
) -> Result<Vec<Application>, sqlx::Error> {
    Ok(of_candidates(db, &[(connection_id, candidate_id)])
        .await?
        .remove(&(connection_id.to_string(), candidate_id.to_string()))
        .unwrap_or_default())
}

/// The applications of each `(connection, candidate)`, newest first, in one
/// query for them all (a dedupe answer's matches, or a whole batch's).
pub async fn of_candidates(
    db: &Db,
    candidates: &[(&str, &str)],
) -> Result<HashMap<(String, String), Vec<Application>>, sqlx::Error> {
    let mut out: HashMap<(String, String), Vec<Application>> = HashMap::new();
    if candidates.is_empty() {
        return Ok(out);
    }
    let connections = distinct(candidates.iter().map(|(c, _)| *c));
    let ids = distinct(candidates.iter().map(|(_, id)| *id));
    let sql = format!(
        "SELECT a.connection_id, a.candidate_id, a.ats_id, a.job_id, \
         COALESCE(a.job_title, j.title) AS job_title, a.stage, a.status, a.updated_at, a.ats_url \
         FROM application_mirror a \
         LEFT JOIN job_mirror j ON j.connection_id = a.connection_id AND j.ats_id = a.job_id \
         WHERE a.connection_id IN ({}) AND a.candidate_id IN ({}) \
         ORDER BY COALESCE(a.updated_at, '') DESC, a.ats_id",
        placeholders(1, connections.len()),
        placeholders(1 + connections.len(), ids.len()),
    );
    let mut query = sqlx::query(&sql);
    for value in connections.iter().chain(&ids) {
        query = query.bind(*value);
    }
    for r in query.fetch_all(&db.pool).await? {
        let key: (String, String) = (r.try_get("connection_id")?, r.try_get("candidate_id")?);
        // The IN lists cross connections with candidates: keep the asked pairs.
        if !candidates.iter().any(|(c, id)| *c == key.0 && *id == key.1) {
            continue;
        }
        out.entry(key).or_default().push(Application {
            id: r.try_get("ats_id")?,
            job_id: r.try_get("job_id")?,
            job_title: r.try_get("job_title")?,
            stage: r.try_get("stage")?,
            status: ApplicationStatus::parse(&r.try_get::<String, _>("status")?),
            updated_at: r.try_get("updated_at")?,
            ats_url: r.try_get("ats_url")?,
            stale: false,
        });
    }
    Ok(out)
}
