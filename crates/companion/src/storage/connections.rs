//! ATS connections as stored (the sealed key included), and the requests
//! for an ATS that is not listed.

use crate::storage::db::Db;
use sourcebar_core::connection_settings::ConnectionSettings;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A connection as stored (the sealed key stays here, never in answers).
#[derive(Debug, Clone)]
pub struct Connection {
    pub id: String,
    pub team_id: String,
    pub provider: String,
    pub name: String,
    pub base_url: Option<String>,
    /// The provider's non-secret settings (checked against its fields).
    pub settings: ConnectionSettings,
    pub(crate) key_ciphertext: Option<String>,
    pub key_last4: String,
    pub status: String,
    pub is_default: bool,
    pub last_sync_at: Option<i64>,
    pub last_error: Option<String>,
}

/// The columns [`Connection::from_row`] reads.
pub const COLUMNS: &str =
    "id, team_id, provider, name, base_url, settings, key_ciphertext, key_last4, status, is_default, last_sync_at, last_error";

impl Connection {
    /// From a row selected with [`COLUMNS`].
    pub fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Connection {
            id: row.try_get("id")?,
            team_id: row.try_get("team_id")?,
            provider: row.try_get("provider")?,
            name: row.try_get("name")?,
            base_url: row.try_get("base_url")?,
            settings: serde_json::from_str(&row.try_get::<String, _>("settings")?)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            key_ciphertext: row.try_get("key_ciphertext")?,
            key_last4: row.try_get("key_last4")?,
            status: row.try_get("status")?,
            is_default: row.try_get::<i64, _>("is_default")? != 0,
            last_sync_at: row.try_get("last_sync_at")?,
            last_error: row.try_get("last_error")?,
        })
    }
}

/// One live (not deleted) connection of a team.
pub async fn find(db: &Db, team_id: &str, id: &str) -> Result<Option<Connection>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM connections WHERE id = $1 AND team_id = $2 AND deleted_at IS NULL"
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .bind(team_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| Connection::from_row(&r)).transpose()
}

/// Every live connection of a team, default first, then oldest first.
pub async fn live_of_team(db: &Db, team_id: &str) -> Result<Vec<Connection>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM connections WHERE team_id = $1 AND deleted_at IS NULL ORDER BY is_default DESC, created_at"
    );
    let rows = sqlx::query(&sql).bind(team_id).fetch_all(&db.pool).await?;
    rows.iter().map(Connection::from_row).collect()
}

/// A new connection, its key already sealed.
pub struct NewConnection<'a> {
    pub id: &'a str,
    pub team_id: &'a str,
    pub provider: &'a str,
    pub name: &'a str,
    pub base_url: Option<&'a str>,
    /// JSON object of the non-secret settings.
    pub settings: &'a str,
    pub key_ciphertext: &'a str,
    pub key_last4: &'a str,
    pub is_default: bool,
    pub now: i64,
    pub by: &'a str,
}

/// Stores a new connection as `connected`.
pub async fn insert(db: &Db, new: &NewConnection<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO connections (id, team_id, provider, name, base_url, settings, key_ciphertext, key_last4, status, \
         is_default, created_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'connected', $9, $10, $11, $12)",
    )
    .bind(new.id)
    .bind(new.team_id)
    .bind(new.provider)
    .bind(new.name)
    .bind(new.base_url)
    .bind(new.settings)
    .bind(new.key_ciphertext)
    .bind(new.key_last4)
    .bind(i64::from(new.is_default))
    .bind(new.now)
    .bind(new.now)
    .bind(new.by)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Replaces a connection's key and clears its error; a deactivated
/// connection stays deactivated.
pub async fn replace_key(
    db: &Db,
    id: &str,
    key_ciphertext: &str,
    key_last4: &str,
    now: i64,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET key_ciphertext = $1, key_last4 = $2, status = CASE WHEN status = 'deactivated' THEN status ELSE 'connected' END, last_error = NULL, updated_at = $3, updated_by = $4 WHERE id = $5")
        .bind(key_ciphertext)
        .bind(key_last4)
        .bind(now)
        .bind(by)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Sets a connection's status (`connected`, `deactivated`), as changed by
/// a member.
pub async fn set_status(
    db: &Db,
    id: &str,
    status: &str,
    now: i64,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE connections SET status = $1, updated_at = $2, updated_by = $3 WHERE id = $4",
    )
    .bind(status)
    .bind(now)
    .bind(by)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Records the outcome of talking to the ATS (`connected` or `error`),
/// leaving a deactivated connection as it is.
pub async fn set_health(
    db: &Db,
    id: &str,
    status: &str,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET status = $1, last_error = $2 WHERE id = $3 AND status <> 'deactivated'")
        .bind(status)
        .bind(error)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Makes one connection the team's only default, in one transaction.
pub async fn make_default(db: &Db, team_id: &str, id: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE connections SET is_default = 0 WHERE team_id = $1")
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE connections SET is_default = 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Deletes a connection: its sealed key is destroyed, and it leaves every
/// list.
pub async fn delete(db: &Db, id: &str, now: i64, by: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET key_ciphertext = NULL, key_last4 = '', status = 'deactivated', is_default = 0, deleted_at = $1, updated_by = $2 WHERE id = $3")
        .bind(now)
        .bind(by)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Makes the team's oldest live connection, if any, its default.
pub async fn make_oldest_default(db: &Db, team_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET is_default = 1 WHERE id = (SELECT id FROM connections WHERE team_id = $1 AND deleted_at IS NULL ORDER BY created_at LIMIT 1)")
        .bind(team_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Stores a member's request for an ATS that is not listed.
pub async fn insert_integration_request(
    db: &Db,
    id: &str,
    team_id: &str,
    user_id: &str,
    provider_name: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO integration_requests (id, team_id, user_id, provider_name, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(team_id)
        .bind(user_id)
        .bind(provider_name)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The ids of every connection that syncs: live and not deactivated.
pub async fn syncing_ids(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id FROM connections WHERE deleted_at IS NULL AND status <> 'deactivated'",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// A connection, while it syncs (live and not deactivated).
pub async fn find_syncing(db: &Db, id: &str) -> Result<Option<Connection>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM connections WHERE id = $1 AND deleted_at IS NULL AND status <> 'deactivated'"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| Connection::from_row(&r)).transpose()
}

/// A stored sealed key and the connection it is bound to.
pub struct SealedKey {
    pub connection_id: String,
    pub team_id: String,
    pub key_ciphertext: String,
}

/// Every stored sealed key (deleted connections have none).
pub async fn sealed_keys(conn: &mut AnyConnection) -> Result<Vec<SealedKey>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, team_id, key_ciphertext FROM connections WHERE key_ciphertext IS NOT NULL",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(SealedKey {
                connection_id: row.try_get("id")?,
                team_id: row.try_get("team_id")?,
                key_ciphertext: row.try_get("key_ciphertext")?,
            })
        })
        .collect()
}

/// Replaces a connection's sealed key (re-sealed, same key).
pub async fn replace_sealed_key(
    conn: &mut AnyConnection,
    id: &str,
    key_ciphertext: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET key_ciphertext = $1 WHERE id = $2")
        .bind(key_ciphertext)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A connection's status and whether it was deleted; none when it never
/// existed.
pub async fn liveness(db: &Db, id: &str) -> Result<Option<(String, bool)>, sqlx::Error> {
    let row = sqlx::query("SELECT status, deleted_at FROM connections WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| {
        Ok((
            r.try_get::<String, _>("status")?,
            r.try_get::<Option<i64>, _>("deleted_at")?.is_some(),
        ))
    })
    .transpose()
}
