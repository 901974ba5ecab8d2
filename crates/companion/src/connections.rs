//! ATS connections: loading them, opening their adapter, sealing their key.

use crate::crypto::aad;
use crate::db::rfc3339;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde::Serialize;
use sourcebar_ats::{ApiKey, Ats, ProviderId};
use sourcebar_core::ErrorCode;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::sync::Arc;

/// A connection as stored (the sealed key stays here, never in answers).
#[derive(Debug, Clone)]
pub struct Connection {
    pub id: String,
    pub team_id: String,
    pub provider: String,
    pub name: String,
    pub base_url: Option<String>,
    key_ciphertext: Option<String>,
    pub key_last4: String,
    pub status: String,
    pub is_default: bool,
    pub last_sync_at: Option<i64>,
    pub last_error: Option<String>,
}

/// A connection as answered (`GET /v1/connections`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConnectionView {
    pub id: String,
    pub provider: String,
    pub name: String,
    /// `connected`, `error` or `deactivated`.
    pub status: String,
    pub is_default: bool,
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
    /// The key is write-only: only its last characters are ever shown.
    pub key_hint: String,
    pub base_url: Option<String>,
}

pub const COLUMNS: &str =
    "id, team_id, provider, name, base_url, key_ciphertext, key_last4, status, is_default, last_sync_at, last_error";

impl Connection {
    /// From a row selected with [`COLUMNS`].
    pub fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Connection {
            id: row.try_get("id")?,
            team_id: row.try_get("team_id")?,
            provider: row.try_get("provider")?,
            name: row.try_get("name")?,
            base_url: row.try_get("base_url")?,
            key_ciphertext: row.try_get("key_ciphertext")?,
            key_last4: row.try_get("key_last4")?,
            status: row.try_get("status")?,
            is_default: row.try_get::<i64, _>("is_default")? != 0,
            last_sync_at: row.try_get("last_sync_at")?,
            last_error: row.try_get("last_error")?,
        })
    }

    /// The answer shape.
    pub fn view(&self) -> ConnectionView {
        ConnectionView {
            id: self.id.clone(),
            provider: self.provider.clone(),
            name: self.name.clone(),
            status: self.status.clone(),
            is_default: self.is_default,
            last_sync_at: self.last_sync_at.map(rfc3339),
            last_error: self.last_error.clone(),
            key_hint: format!("••••{}", self.key_last4),
            base_url: self.base_url.clone(),
        }
    }

    /// The provider id.
    pub fn provider_id(&self) -> AppResult<ProviderId> {
        parse_provider(&self.provider)
    }

    /// Opens the adapter with the decrypted key (never logged).
    pub fn open(&self, state: &AppState) -> AppResult<Arc<dyn Ats>> {
        let sealed = self.key_ciphertext.as_deref().ok_or_else(|| {
            AppError::new(ErrorCode::NoActiveConnection, "This connection has no key.")
        })?;
        let key = state
            .master
            .open(sealed, &aad(&self.team_id, &self.id))
            .map_err(|e| AppError::internal("opening a connection key", e))?;
        Ok(state.connector.connect(
            self.provider_id()?,
            self.base_url.as_deref(),
            key,
            state.budget(&self.id),
        )?)
    }
}

/// `"jazzhr"` → `ProviderId::Jazzhr`.
pub fn parse_provider(name: &str) -> AppResult<ProviderId> {
    serde_json::from_value(serde_json::Value::String(name.to_string()))
        .map_err(|_| AppError::invalid(format!("Unknown provider '{name}'.")))
}

/// Last characters of a key, for recognising it later.
pub fn last4(key: &ApiKey) -> String {
    let chars: Vec<char> = key.expose().chars().collect();
    if chars.len() < 12 {
        return String::new();
    }
    chars[chars.len() - 4..].iter().collect()
}

/// One connection of the caller's team (deleted ones are gone).
pub async fn load(state: &AppState, team_id: &str, id: &str) -> AppResult<Connection> {
    let sql = format!(
        "SELECT {COLUMNS} FROM connections WHERE id = $1 AND team_id = $2 AND deleted_at IS NULL"
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .bind(team_id)
        .fetch_optional(&state.db.pool)
        .await?;
    row.map(|r| Connection::from_row(&r))
        .transpose()?
        .ok_or_else(|| AppError::not_found("connection"))
}

/// Every live connection of a team, default first.
pub async fn list(state: &AppState, team_id: &str) -> AppResult<Vec<Connection>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM connections WHERE team_id = $1 AND deleted_at IS NULL ORDER BY is_default DESC, created_at"
    );
    let rows = sqlx::query(&sql)
        .bind(team_id)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows
        .iter()
        .map(Connection::from_row)
        .collect::<Result<_, _>>()?)
}

/// The connection a sourcing call uses: the one named, else the default;
/// it must be active.
pub async fn active(state: &AppState, team_id: &str, id: Option<&str>) -> AppResult<Connection> {
    let conn = match id {
        Some(id) => load(state, team_id, id).await?,
        None => list(state, team_id)
            .await?
            .into_iter()
            .find(|c| c.is_default && c.status != "deactivated")
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NoActiveConnection,
                    "Your team has no active ATS connection.",
                )
            })?,
    };
    if conn.status == "deactivated" {
        return Err(AppError::new(
            ErrorCode::NoActiveConnection,
            "This ATS connection is deactivated.",
        ));
    }
    Ok(conn)
}

/// Seals a key for one connection.
pub fn seal(state: &AppState, team_id: &str, connection_id: &str, key: &ApiKey) -> String {
    state.master.seal(key, &aad(team_id, connection_id))
}

/// Records the outcome of talking to the ATS on the connection.
pub async fn set_health(state: &AppState, id: &str, error: Option<&str>) -> AppResult<()> {
    let status = if error.is_some() {
        "error"
    } else {
        "connected"
    };
    sqlx::query("UPDATE connections SET status = $1, last_error = $2 WHERE id = $3 AND status <> 'deactivated'")
        .bind(status)
        .bind(error)
        .bind(id)
        .execute(&state.db.pool)
        .await?;
    Ok(())
}
