//! Idempotency keys: claim the key before calling the ATS, store the answer,
//! replay it. The same key with another body is refused.

use crate::db::{now_ms, Db};
use crate::error::{AppError, AppResult};
use axum::http::HeaderMap;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sourcebar_core::ErrorCode;
use sqlx::Row;

/// What claiming a key found.
pub enum Claim {
    /// First use: go ahead, then [`store`] the answer.
    New,
    /// Already answered: replay this status and body.
    Replay(u16, Value),
}

/// The `Idempotency-Key` header (1 to 200 visible characters).
pub fn key_from(headers: &HeaderMap) -> AppResult<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .ok_or_else(|| AppError::invalid("An Idempotency-Key header is required."))?;
    Ok(key.to_string())
}

/// A stable hash of the request (route + body).
pub fn fingerprint(route: &str, body: &Value) -> String {
    hex::encode(Sha256::digest(format!("{route}\n{body}").as_bytes()))
}

/// Claims `key` for this request.
pub async fn claim(db: &Db, team_id: &str, key: &str, fingerprint: &str) -> AppResult<Claim> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency (team_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(team_id)
    .bind(key)
    .bind(fingerprint)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::New);
    }
    let row = sqlx::query("SELECT request_hash, status_code, response FROM idempotency WHERE team_id = $1 AND key = $2")
        .bind(team_id)
        .bind(key)
        .fetch_one(&db.pool)
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
            Ok(Claim::Replay(status as u16, body))
        }
        _ => Err(AppError::new(
            ErrorCode::Conflict,
            "The same request is still being processed.",
        )),
    }
}

/// Stores the answer to replay.
pub async fn store(db: &Db, team_id: &str, key: &str, status: u16, body: &Value) -> AppResult<()> {
    sqlx::query(
        "UPDATE idempotency SET status_code = $1, response = $2 WHERE team_id = $3 AND key = $4",
    )
    .bind(i64::from(status))
    .bind(body.to_string())
    .bind(team_id)
    .bind(key)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Frees a key whose request failed for good, so it can be retried.
pub async fn release(db: &Db, team_id: &str, key: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM idempotency WHERE team_id = $1 AND key = $2 AND status_code IS NULL")
        .bind(team_id)
        .bind(key)
        .execute(&db.pool)
        .await?;
    Ok(())
}
