//! Bearer tokens, stored by hash only.

use crate::storage::db::Db;
use sqlx::{Any, AnyConnection, Executor, Row};

/// The member a live token belongs to.
pub struct TokenHolder {
    /// The stored hash, for the constant-time comparison.
    pub hash: String,
    pub user_id: String,
    pub team_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
}

/// Stores a new token's hash for a user.
pub async fn insert<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    hash: &str,
    user_id: &str,
    created_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO tokens (hash, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(hash)
        .bind(user_id)
        .bind(created_at)
        .execute(executor)
        .await?;
    Ok(())
}

/// The member holding an unrevoked token with this hash, while they are
/// still in their team.
pub async fn holder(db: &Db, hash: &str) -> Result<Option<TokenHolder>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT t.hash, u.id, u.team_id, u.email, u.name, u.role FROM tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.hash = $1 AND t.revoked_at IS NULL AND u.removed_at IS NULL",
    )
    .bind(hash)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        Ok(TokenHolder {
            hash: row.try_get("hash")?,
            user_id: row.try_get("id")?,
            team_id: row.try_get("team_id")?,
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            role: row.try_get("role")?,
        })
    })
    .transpose()
}

/// Revokes every live token of a user.
pub async fn revoke_all_of(
    conn: &mut AnyConnection,
    user_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}
