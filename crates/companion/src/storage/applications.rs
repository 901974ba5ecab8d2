//! The application mirror: each mirrored candidate's applications.

use crate::storage::db::Db;
use sourcebar_core::api::applications::{Application, ApplicationStatus};
use sqlx::Row;

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
    let rows = sqlx::query(
        "SELECT a.ats_id, a.job_id, COALESCE(a.job_title, j.title) AS job_title, a.stage, \
         a.status, a.updated_at, a.ats_url FROM application_mirror a \
         LEFT JOIN job_mirror j ON j.connection_id = a.connection_id AND j.ats_id = a.job_id \
         WHERE a.connection_id = $1 AND a.candidate_id = $2 \
         ORDER BY COALESCE(a.updated_at, '') DESC, a.ats_id",
    )
    .bind(connection_id)
    .bind(candidate_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Application {
                id: r.try_get("ats_id")?,
                job_id: r.try_get("job_id")?,
                job_title: r.try_get("job_title")?,
                stage: r.try_get("stage")?,
                status: ApplicationStatus::parse(&r.try_get::<String, _>("status")?),
                updated_at: r.try_get("updated_at")?,
                ats_url: r.try_get("ats_url")?,
                stale: false,
            })
        })
        .collect()
}
