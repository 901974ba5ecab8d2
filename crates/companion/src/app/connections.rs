//! ATS connections: creating, testing, relinking, (de)activating, making
//! default and deleting them (each validated against the ATS and
//! audit-logged), loading them, opening their adapter, sealing their key.

use crate::app::auth::AuthUser;
use crate::base_url;
use crate::crypto::aad;
use crate::error::{ats_message, AppError, AppResult};
use crate::state::AppState;
use crate::storage::audit;
use crate::storage::connections::{self as store, Connection, NewConnection};
use crate::storage::db::{new_id, now_ms};
use crate::storage::mirror;
use crate::storage::sync_state::{self, Progress};
use serde_json::json;
use sourcebar_ats::{AccountAddress, ApiKey, Ats, AtsError, ProviderId, RateBudget};
use sourcebar_core::connection_settings::{checked_settings, ConnectionSettings};
use sourcebar_core::providers::Capabilities;
use sourcebar_core::text::{bounded_line, TextError};
use sourcebar_core::{ErrorCode, ErrorReason};
use std::sync::Arc;

impl Connection {
    /// The provider id.
    pub fn provider_id(&self) -> AppResult<ProviderId> {
        parse_provider(&self.provider)
    }

    /// What this connection's provider allows (nothing, for an unknown one).
    pub fn capabilities(&self, state: &AppState) -> Capabilities {
        self.provider_id()
            .map(|p| state.connector.capabilities(p))
            .unwrap_or_default()
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
            self.address(),
            key,
            self.budget(state)?,
            state.ats_reach(),
        )?)
    }

    /// Where its ATS account is: API root and settings.
    pub fn address(&self) -> AccountAddress<'_> {
        AccountAddress {
            base_url: self.base_url.as_deref(),
            settings: &self.settings,
        }
    }

    /// This connection's rate budget.
    pub fn budget(&self, state: &AppState) -> AppResult<Arc<RateBudget>> {
        Ok(state.budget(&self.id, self.provider_id()?))
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
    store::find(&state.db, team_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("connection"))
}

/// Every live connection of a team, default first.
pub async fn list(state: &AppState, team_id: &str) -> AppResult<Vec<Connection>> {
    Ok(store::live_of_team(&state.db, team_id).await?)
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
    store::set_health(&state.db, id, status, error).await?;
    Ok(())
}

/// Longest connection name and integration-request provider name kept.
pub const MAX_NAME: usize = 100;

/// A short name typed by an admin or member: invisible and control
/// characters removed, 1 to [`MAX_NAME`] characters left.
pub fn clean_name(field: &str, raw: &str) -> AppResult<String> {
    bounded_line(raw, MAX_NAME).map_err(|e| match e {
        TextError::Empty => AppError::invalid(format!("{field} must not be empty.")),
        TextError::TooLong { max } => {
            AppError::invalid(format!("{field} must have at most {max} characters."))
        }
    })
}

/// Records a member's request for an ATS that is not listed; answers its
/// id and the cleaned name.
pub async fn request_integration(
    state: &AppState,
    user: &AuthUser,
    provider_name: &str,
) -> AppResult<(String, String)> {
    let name = clean_name("provider_name", provider_name)?;
    let id = new_id();
    store::insert_integration_request(
        &state.db,
        &id,
        &user.team_id,
        &user.user_id,
        &name,
        now_ms(),
    )
    .await?;
    audit::by_user(
        &state.db,
        user,
        "integration_request",
        None,
        None,
        json!({"provider_name": name}),
    )
    .await?;
    Ok((id, name))
}

/// What an admin typed to connect an ATS.
pub struct Connect {
    pub provider: String,
    pub name: Option<String>,
    pub api_key: String,
    /// The provider's non-secret fields, checked against its connect form.
    pub settings: ConnectionSettings,
    pub base_url: Option<String>,
}

/// Connects an ATS: the key is validated against it before anything is
/// stored; the team's first connection becomes its default.
pub async fn create(state: &AppState, user: &AuthUser, form: Connect) -> AppResult<Connection> {
    let provider = parse_provider(&form.provider)?;
    let key = ApiKey::new(form.api_key);
    if key.is_empty() {
        return Err(AppError::invalid("api_key is required."));
    }
    let name = match form.name.as_deref() {
        Some(raw) if !raw.trim().is_empty() => clean_name("name", raw)?,
        _ => form.provider.clone(),
    };
    let base_url = match form.base_url.as_deref() {
        Some(raw) => Some(
            base_url::check(raw, state.settings.allow_private_base_urls)
                .await
                .map_err(|e| e.at_field("base_url"))?,
        ),
        None => None,
    };
    let fields = sourcebar_ats::registry::provider(provider).info().fields;
    let settings = checked_settings(&fields, &form.settings)
        .map_err(|e| AppError::invalid(e.to_string()).at_field(e.field()))?;
    let id = new_id();
    // Validated against the ATS before anything is stored.
    let ats = state.connector.connect(
        provider,
        AccountAddress {
            base_url: base_url.as_deref(),
            settings: &settings,
        },
        key.clone(),
        state.budget(&id, provider),
        state.ats_reach(),
    )?;
    ats.validate_key()
        .await
        .map_err(|e| not_this_ats(provider, e))?;
    let existing = list(state, &user.team_id).await?;
    store::insert(
        &state.db,
        &NewConnection {
            id: &id,
            team_id: &user.team_id,
            provider: &form.provider,
            name: &name,
            base_url: base_url.as_deref(),
            settings: &serde_json::to_string(&settings)
                .map_err(|e| AppError::internal("connection settings", e))?,
            key_ciphertext: &seal(state, &user.team_id, &id, &key),
            key_last4: &last4(&key),
            is_default: existing.is_empty(),
            now: now_ms(),
            by: &user.user_id,
        },
    )
    .await?;
    mirror::ensure_state(&state.db, &id).await?;
    audit::by_user(
        &state.db,
        user,
        "connect",
        Some(&id),
        None,
        json!({"provider": form.provider, "name": name}),
    )
    .await?;
    load(state, &user.team_id, &id).await
}

/// A key check that met "no such thing" or an answer it could not read
/// did not reach the chosen ATS's API at all: the address or the account
/// settings are wrong, not the key (a 404 must not read "no such record").
/// The answer names the field to check: the setting that names the account
/// in the API's address where the provider has one (the admin typed it; the
/// base URL is an advanced field most never touch), else the base URL.
fn not_this_ats(provider: ProviderId, e: AtsError) -> AppError {
    match e {
        AtsError::NotFound | AtsError::Malformed(_) => {
            if let Some(detail) = e.detail() {
                tracing::debug!(detail, "the address did not answer like the ATS");
            }
            let entry = sourcebar_ats::registry::provider(provider);
            let field = entry
                .adapter
                .as_ref()
                .and_then(|a| a.account_field)
                .unwrap_or("base_url");
            let check = if field == "base_url" {
                "the base URL".to_string()
            } else {
                format!("settings.{field} and the base URL")
            };
            AppError::invalid(format!(
                "This address does not answer like {}'s API: check {check}.",
                entry.name
            ))
            .at_field(field)
            .because(ErrorReason::NotThisAts)
        }
        other => other.into(),
    }
}

/// Checks a connection's key against its ATS and records the outcome.
pub async fn test(state: &AppState, user: &AuthUser, id: &str) -> AppResult<()> {
    let conn = load(state, &user.team_id, id).await?;
    let result = conn.open(state)?.validate_key().await;
    // Stored and shown to the team: our own sentence, never the ATS's text.
    let message = result.as_ref().err().map(ats_message);
    set_health(state, id, message.as_deref()).await?;
    result?;
    Ok(())
}

/// Replaces a connection's key once the ATS accepts the new one.
pub async fn relink(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    api_key: String,
) -> AppResult<Connection> {
    let conn = load(state, &user.team_id, id).await?;
    let key = ApiKey::new(api_key);
    if key.is_empty() {
        return Err(AppError::invalid("api_key is required."));
    }
    // Validate first: a refused key leaves the old one in place.
    let ats = state.connector.connect(
        conn.provider_id()?,
        conn.address(),
        key.clone(),
        conn.budget(state)?,
        state.ats_reach(),
    )?;
    ats.validate_key().await?;
    store::replace_key(
        &state.db,
        id,
        &seal(state, &user.team_id, id, &key),
        &last4(&key),
        now_ms(),
        &user.user_id,
    )
    .await?;
    sync_state::key_replaced(&state.db, id).await?;
    audit::by_user(
        &state.db,
        user,
        "relink",
        Some(id),
        None,
        json!({"name": conn.name}),
    )
    .await?;
    load(state, &user.team_id, id).await
}

/// Deactivates (sync stops; everything synced is kept) or activates a
/// connection, audit-logged as `action`.
pub async fn set_status(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    status: &str,
    action: &str,
) -> AppResult<Connection> {
    let conn = load(state, &user.team_id, id).await?;
    store::set_status(&state.db, id, status, now_ms(), &user.user_id).await?;
    audit::by_user(
        &state.db,
        user,
        action,
        Some(id),
        None,
        json!({"name": conn.name}),
    )
    .await?;
    load(state, &user.team_id, id).await
}

/// Makes a connection the team's default.
pub async fn make_default(state: &AppState, user: &AuthUser, id: &str) -> AppResult<Connection> {
    load(state, &user.team_id, id).await?;
    store::make_default(&state.db, &user.team_id, id).await?;
    audit::by_user(&state.db, user, "default", Some(id), None, json!({})).await?;
    load(state, &user.team_id, id).await
}

/// Deletes a connection: the key is destroyed; when it was the default,
/// the oldest other live connection, if any, becomes the default.
pub async fn delete(state: &AppState, user: &AuthUser, id: &str) -> AppResult<()> {
    let conn = load(state, &user.team_id, id).await?;
    store::delete(&state.db, id, now_ms(), &user.user_id).await?;
    if conn.is_default {
        // Another live connection, if any, becomes the default.
        store::make_oldest_default(&state.db, &user.team_id).await?;
    }
    audit::by_user(
        &state.db,
        user,
        "delete",
        Some(id),
        None,
        json!({"name": conn.name}),
    )
    .await?;
    Ok(())
}

/// Asks for a sync of an active connection now; answers where it stands.
pub async fn request_sync(state: &AppState, user: &AuthUser, id: &str) -> AppResult<Progress> {
    let conn = load(state, &user.team_id, id).await?;
    if conn.status == "deactivated" {
        return Err(AppError::new(
            ErrorCode::NoActiveConnection,
            "This connection is deactivated.",
        ));
    }
    mirror::ensure_state(&state.db, id).await?;
    sync_state::request(&state.db, id).await?;
    crate::app::jobs::request(state, id).await?;
    sync_progress(state, id).await
}

/// Where a connection's sync stands.
pub async fn sync_progress(state: &AppState, id: &str) -> AppResult<Progress> {
    Ok(sync_state::progress(&state.db, id).await?)
}
