//! Connect links ("ask your ATS admin"), stored by the hash of their code.

use crate::app::auth::{AuthUser, Role};
use crate::storage::db::Db;
use sqlx::Row;

/// A new link.
pub struct NewLink<'a> {
    pub code_hash: &'a str,
    pub id: &'a str,
    pub team_id: &'a str,
    pub provider: &'a str,
    pub created_by: &'a str,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A link as stored.
#[derive(Debug, Clone)]
pub struct Link {
    pub id: String,
    pub team_id: String,
    pub provider: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub connection_id: Option<String>,
}

const COLUMNS: &str =
    "id, team_id, provider, created_by, created_at, expires_at, used_at, revoked_at, connection_id";

fn link(r: &sqlx::any::AnyRow) -> Result<Link, sqlx::Error> {
    Ok(Link {
        id: r.try_get("id")?,
        team_id: r.try_get("team_id")?,
        provider: r.try_get("provider")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        used_at: r.try_get("used_at")?,
        revoked_at: r.try_get("revoked_at")?,
        connection_id: r.try_get("connection_id")?,
    })
}

/// Stores a link.
pub async fn insert(db: &Db, new: &NewLink<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO connect_links (code_hash, id, team_id, provider, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new.code_hash)
    .bind(new.id)
    .bind(new.team_id)
    .bind(new.provider)
    .bind(new.created_by)
    .bind(new.created_at)
    .bind(new.expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A team's links, newest first.
pub async fn of_team(db: &Db, team_id: &str) -> Result<Vec<Link>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM connect_links WHERE team_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(team_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(link).collect()
}

/// The link with this code hash, whatever its state.
pub async fn by_code(db: &Db, code_hash: &str) -> Result<Option<Link>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM connect_links WHERE code_hash = $1"
    ))
    .bind(code_hash)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(link).transpose()
}

/// Revokes one unused link of a team; false when there was none.
pub async fn revoke(db: &Db, id: &str, team_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE connect_links SET revoked_at = $1 WHERE id = $2 AND team_id = $3 \
         AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(team_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() != 0)
}

/// Takes the usable link with this code hash for one attempt, in one
/// statement: a second attempt at the same time finds it taken.
pub async fn claim(db: &Db, code_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE connect_links SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL \
         AND revoked_at IS NULL AND expires_at > $3",
    )
    .bind(now)
    .bind(code_hash)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An attempt failed: the link can be used again.
pub async fn release(db: &Db, code_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE connect_links SET used_at = NULL WHERE code_hash = $1 AND connection_id IS NULL",
    )
    .bind(code_hash)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// An attempt connected: the link is spent, and says which connection it made.
pub async fn spent(db: &Db, code_hash: &str, connection_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connect_links SET connection_id = $1 WHERE code_hash = $2")
        .bind(connection_id)
        .bind(code_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The link's creator, while still an admin of its team (else the link
/// lends no one's authority).
pub async fn creator_if_admin(db: &Db, link: &Link) -> Result<Option<AuthUser>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, team_id, email, name, role FROM users WHERE id = $1 AND team_id = $2 \
         AND removed_at IS NULL",
    )
    .bind(&link.created_by)
    .bind(&link.team_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    if Role::parse(&r.try_get::<String, _>("role")?) != Some(Role::Admin) {
        return Ok(None);
    }
    Ok(Some(AuthUser {
        user_id: r.try_get("id")?,
        team_id: r.try_get("team_id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        role: Role::Admin,
    }))
}
