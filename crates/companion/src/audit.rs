//! The audit log: who did what, when, to which connection and record.

use crate::db::{now_ms, Db};
use serde_json::Value;

/// One entry to record.
pub struct Entry<'a> {
    pub team_id: &'a str,
    pub user_id: Option<&'a str>,
    pub action: &'a str,
    pub connection_id: Option<&'a str>,
    pub candidate_id: Option<&'a str>,
    pub detail: Value,
}

/// Records an entry. Never given a secret: callers pass names and ids only.
pub async fn record(db: &Db, entry: Entry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit (team_id, at, user_id, action, connection_id, candidate_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.team_id)
    .bind(now_ms())
    .bind(entry.user_id)
    .bind(entry.action)
    .bind(entry.connection_id)
    .bind(entry.candidate_id)
    .bind(entry.detail.to_string())
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Records what an authenticated user did in their team.
pub async fn by_user(
    db: &Db,
    user: &crate::auth::AuthUser,
    action: &str,
    connection_id: Option<&str>,
    candidate_id: Option<&str>,
    detail: Value,
) -> Result<(), sqlx::Error> {
    record(
        db,
        Entry {
            team_id: &user.team_id,
            user_id: Some(&user.user_id),
            action,
            connection_id,
            candidate_id,
            detail,
        },
    )
    .await
}
