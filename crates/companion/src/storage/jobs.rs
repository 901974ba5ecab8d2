//! The job mirror and its refresh state: every job of a connection, what
//! the picker reads, and when jobs were last and next refreshed.

use crate::storage::db::Db;
use sourcebar_ats::{Job, ListedJob};
use sourcebar_core::names::fold_name;
use sqlx::Row;

/// Replaces a connection's jobs with what the ATS listed at `now`: a job
/// the ATS no longer lists (deleted) leaves the mirror.
pub async fn replace(
    db: &Db,
    connection_id: &str,
    jobs: &[ListedJob],
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM job_mirror WHERE connection_id = $1")
        .bind(connection_id)
        .execute(&mut *tx)
        .await?;
    let mut seen = std::collections::HashSet::new();
    for listed in jobs {
        // An id listed twice (a page boundary moved under us) is kept once.
        if !seen.insert(listed.job.id.as_str()) {
            continue;
        }
        sqlx::query(
            "INSERT INTO job_mirror (connection_id, ats_id, title, title_folded, department, \
             location, ats_status, state, confidential, synced_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(connection_id)
        .bind(&listed.job.id)
        .bind(&listed.job.title)
        .bind(fold_name(&listed.job.title))
        .bind(&listed.job.department)
        .bind(&listed.job.location)
        .bind(&listed.job.status)
        .bind(listed.state.as_str())
        .bind(i64::from(listed.confidential))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Open, non-confidential jobs whose folded title contains `q` folded
/// (every job when `q` is empty), by title, at most `limit`.
pub async fn open_jobs(
    db: &Db,
    connection_id: &str,
    q: &str,
    limit: i64,
) -> Result<Vec<Job>, sqlx::Error> {
    // Folded text is letters, digits and single spaces: no LIKE wildcards.
    let pattern = format!("%{}%", fold_name(q));
    let rows = sqlx::query(
        "SELECT ats_id, title, department, location, ats_status FROM job_mirror \
         WHERE connection_id = $1 AND state = 'open' AND confidential = 0 \
         AND title_folded LIKE $2 ORDER BY title_folded, ats_id LIMIT $3",
    )
    .bind(connection_id)
    .bind(pattern)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Job {
                id: r.try_get("ats_id")?,
                title: r.try_get("title")?,
                department: r.try_get("department")?,
                location: r.try_get("location")?,
                status: r.try_get("ats_status")?,
            })
        })
        .collect()
}

/// The title of a mirrored job (any state), for applications that name
/// their job by id only.
pub async fn title_of(
    db: &Db,
    connection_id: &str,
    job_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT title FROM job_mirror WHERE connection_id = $1 AND ats_id = $2")
        .bind(connection_id)
        .bind(job_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| r.try_get("title")).transpose()
}

/// Where a connection's job refresh stands.
#[derive(Debug, Clone, Default)]
pub struct JobSync {
    /// A member asked for a refresh that has not run yet.
    pub requested: bool,
    /// When the last refresh ran (ms), whether or not it worked.
    pub last_run_at: Option<i64>,
    /// When a refresh last worked: the mirror holds the ATS's jobs as of then.
    pub last_ok_at: Option<i64>,
    pub last_error: Option<String>,
}

/// A connection's job refresh state (all empty before the first).
pub async fn sync_state(db: &Db, connection_id: &str) -> Result<JobSync, sqlx::Error> {
    let row = sqlx::query(
        "SELECT requested, last_run_at, last_ok_at, last_error FROM job_sync WHERE connection_id = $1",
    )
    .bind(connection_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else {
        return Ok(JobSync::default());
    };
    Ok(JobSync {
        requested: r.try_get::<i64, _>("requested")? != 0,
        last_run_at: r.try_get("last_run_at")?,
        last_ok_at: r.try_get("last_ok_at")?,
        last_error: r.try_get("last_error")?,
    })
}

/// Asks for a refresh of jobs and applications at the next step.
pub async fn request(db: &Db, connection_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO job_sync (connection_id, requested) VALUES ($1, 1) \
         ON CONFLICT (connection_id) DO UPDATE SET requested = 1",
    )
    .bind(connection_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A refresh ran at `now`; `error` says why it failed (`None`: it worked).
/// The request it answered is cleared.
pub async fn record_run(
    db: &Db,
    connection_id: &str,
    now: i64,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO job_sync (connection_id, requested, last_run_at, last_ok_at, last_error) \
         VALUES ($1, 0, $2, CASE WHEN $3 = 1 THEN $4 ELSE NULL END, $5) \
         ON CONFLICT (connection_id) DO UPDATE SET requested = 0, last_run_at = $6, \
         last_ok_at = CASE WHEN $7 = 1 THEN $8 ELSE job_sync.last_ok_at END, last_error = $9",
    )
    .bind(connection_id)
    .bind(now)
    .bind(i64::from(error.is_none()))
    .bind(now)
    .bind(error)
    .bind(now)
    .bind(i64::from(error.is_none()))
    .bind(now)
    .bind(error)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// How many jobs and applications a connection's mirror holds.
pub async fn counts(db: &Db, connection_id: &str) -> Result<(i64, i64), sqlx::Error> {
    let jobs = sqlx::query("SELECT COUNT(*) AS n FROM job_mirror WHERE connection_id = $1")
        .bind(connection_id)
        .fetch_one(&db.pool)
        .await?
        .try_get::<i64, _>("n")?;
    let applications =
        sqlx::query("SELECT COUNT(*) AS n FROM application_mirror WHERE connection_id = $1")
            .bind(connection_id)
            .fetch_one(&db.pool)
            .await?
            .try_get::<i64, _>("n")?;
    Ok((jobs, applications))
}
