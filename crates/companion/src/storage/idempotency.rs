//! Idempotency keys: claim the key before calling the ATS, store the answer,
//! replay it. The same key with another body is refused. A key belongs to
//! one user: two users who pick the same key never see each other's answer.

use crate::error::{AppError, AppResult};
use crate::storage::db::{now_ms, Db};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sourcebar_core::ErrorCode;
use sqlx::{AnyConnection, Row};

/// What claiming a key found.
pub enum Claim {
    /// First use: go ahead, then [`store`] the answer.
    New,
    /// Already answered: replay this status and body.
    Replay(u16, Value),
    /// Claimed by a call that has not finished: the upload (or merge) that
    /// carries it, when one was recorded.
    Pending(Option<String>),
}

/// Whose key it is: a key is unique per user of a team.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub team_id: &'a str,
    pub user_id: &'a str,
    pub key: &'a str,
}

/// A stable hash of the request (route + body).
pub fn fingerprint(route: &str, body: &Value) -> String {
    hex::encode(Sha256::digest(format!("{route}\n{body}").as_bytes()))
}

/// Claims the key for this request, inside the caller's transaction (so the
/// claim and the row that records the work commit together).
pub async fn claim(
    conn: &mut AnyConnection,
    scope: Scope<'_>,
    fingerprint: &str,
) -> AppResult<Claim> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency (team_id, user_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(scope.team_id)
    .bind(scope.user_id)
    .bind(scope.key)
    .bind(fingerprint)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::New);
    }
    let row = sqlx::query("SELECT request_hash, status_code, response, upload_id FROM idempotency WHERE team_id = $1 AND user_id = $2 AND key = $3")
        .bind(scope.team_id)
        .bind(scope.user_id)
        .bind(scope.key)
        .fetch_one(&mut *conn)
        .await?;
    if row.try_get::<String, _>("request_hash")? != fingerprint {
        return Err(AppError::new(
            ErrorCode::IdempotencyKeyReused,
            "This Idempotency-Key was used with another request.",
        ));
    }
    match (
        row.try_get::<Option<i64>, _>("status_code")?,
        row.try_get::<Option<String>, _>("response")?,
    ) {
        (Some(status), Some(body)) => {
            let body = serde_json::from_str(&body)
                .map_err(|e| AppError::internal("idempotency replay", e))?;
            let status = u16::try_from(status).unwrap_or(200);
            Ok(Claim::Replay(status, body))
        }
        _ => Ok(Claim::Pending(row.try_get("upload_id")?)),
    }
}

/// Records which upload carries a freshly claimed key.
pub async fn attach_upload(
    conn: &mut AnyConnection,
    scope: Scope<'_>,
    upload_id: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE idempotency SET upload_id = $1 WHERE team_id = $2 AND user_id = $3 AND key = $4",
    )
    .bind(upload_id)
    .bind(scope.team_id)
    .bind(scope.user_id)
    .bind(scope.key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Stores the answer to replay.
pub async fn store(
    conn: &mut AnyConnection,
    scope: Scope<'_>,
    status: u16,
    body: &Value,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE idempotency SET status_code = $1, response = $2 WHERE team_id = $3 AND user_id = $4 AND key = $5",
    )
    .bind(i64::from(status))
    .bind(body.to_string())
    .bind(scope.team_id)
    .bind(scope.user_id)
    .bind(scope.key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Frees a key whose request failed for good, so it can be retried.
pub async fn release(db: &Db, scope: Scope<'_>) -> AppResult<()> {
    sqlx::query("DELETE FROM idempotency WHERE team_id = $1 AND user_id = $2 AND key = $3 AND status_code IS NULL")
        .bind(scope.team_id)
        .bind(scope.user_id)
        .bind(scope.key)
        .execute(&db.pool)
        .await?;
    Ok(())
}
