//! "Ask your ATS admin": the person setting Sourcebar up is often not the
//! one who holds the ATS key. A team admin makes a single-use link for one
//! provider, valid seven days and revocable; whoever opens it sees only that
//! provider's form, and the key goes straight to this server, never to the
//! team. Making, using and revoking a link are audit-logged.

use crate::app::auth::AuthUser;
use crate::app::connections::{self, parse_provider, Connect};
use crate::app::tokens;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::storage::audit::{self, Entry};
use crate::storage::connect_links::{self as store, Link, NewLink};
use crate::storage::connections::Connection;
use crate::storage::db::{new_id, now_ms};
use serde_json::json;
use sourcebar_core::api::connections::ConnectLinkState;
use sourcebar_core::ErrorCode;

/// How long a link stays usable.
pub const LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Makes a link for `provider`; the code is returned once, and only its
/// hash is kept.
pub async fn create(
    state: &AppState,
    user: &AuthUser,
    provider: &str,
) -> AppResult<(Link, String)> {
    user.require_admin()?;
    let id_of = parse_provider(provider)?;
    if sourcebar_ats::registry::provider(id_of).adapter.is_none() {
        return Err(AppError::invalid(format!(
            "Sourcebar cannot connect to {} yet.",
            sourcebar_ats::registry::provider(id_of).name
        )));
    }
    let code = tokens::new_connect_code();
    let now = now_ms();
    let link_id = new_id();
    store::insert(
        &state.db,
        &NewLink {
            code_hash: &tokens::hash(&code),
            id: &link_id,
            team_id: &user.team_id,
            provider: id_of.as_str(),
            created_by: &user.user_id,
            created_at: now,
            expires_at: now + LIFETIME_MS,
        },
    )
    .await?;
    audit::by_user(
        &state.db,
        user,
        "connect_link.create",
        None,
        None,
        json!({"link_id": link_id, "provider": id_of.as_str()}),
    )
    .await?;
    let link = store::by_code(&state.db, &tokens::hash(&code))
        .await?
        .ok_or_else(|| AppError::internal("connect link", "not found after insert"))?;
    Ok((link, code))
}

/// A team's links, newest first (admins only).
pub async fn list(state: &AppState, user: &AuthUser) -> AppResult<Vec<Link>> {
    user.require_admin()?;
    Ok(store::of_team(&state.db, &user.team_id).await?)
}

/// Revokes an unused link of the caller's team.
pub async fn revoke(state: &AppState, user: &AuthUser, id: &str) -> AppResult<()> {
    user.require_admin()?;
    if !store::revoke(&state.db, id, &user.team_id, now_ms()).await? {
        return Err(AppError::not_found("open connect link"));
    }
    audit::by_user(
        &state.db,
        user,
        "connect_link.revoke",
        None,
        None,
        json!({"link_id": id}),
    )
    .await?;
    Ok(())
}

/// Where a link stands now.
pub fn state_of(link: &Link, now: i64) -> ConnectLinkState {
    if link.connection_id.is_some() || link.used_at.is_some() {
        ConnectLinkState::Used
    } else if link.revoked_at.is_some() {
        ConnectLinkState::Revoked
    } else if link.expires_at <= now {
        ConnectLinkState::Expired
    } else {
        ConnectLinkState::Open
    }
}

/// The link a code opens, whatever its state (`None`: no such link).
pub async fn open(state: &AppState, code: &str) -> AppResult<Option<Link>> {
    Ok(store::by_code(&state.db, &tokens::hash(code)).await?)
}

/// Connects the link's provider with what its holder typed, on behalf of
/// the admin who made it (while they still are one). The link is taken for
/// the attempt, so two at once cannot both connect; a refused key gives it
/// back for another try.
pub async fn connect(state: &AppState, code: &str, form: Connect) -> AppResult<Connection> {
    let hash = tokens::hash(code);
    let link = store::by_code(&state.db, &hash)
        .await?
        .ok_or_else(|| AppError::not_found("connect link"))?;
    match state_of(&link, now_ms()) {
        ConnectLinkState::Open => {}
        ConnectLinkState::Used => {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "This link was already used.",
            ))
        }
        ConnectLinkState::Revoked => {
            return Err(AppError::new(ErrorCode::Conflict, "This link was revoked."))
        }
        ConnectLinkState::Expired => {
            return Err(AppError::new(ErrorCode::Conflict, "This link has expired."))
        }
    }
    if form.provider != link.provider {
        return Err(AppError::invalid("This link is for another ATS."));
    }
    let Some(creator) = store::creator_if_admin(&state.db, &link).await? else {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "The admin who made this link can no longer connect an ATS.",
        ));
    };
    if !store::claim(&state.db, &hash, now_ms()).await? {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "This link was already used.",
        ));
    }
    match connections::create(state, &creator, form).await {
        Ok(conn) => {
            store::spent(&state.db, &hash, &conn.id).await?;
            audit::record(
                &state.db,
                Entry {
                    team_id: &link.team_id,
                    user_id: None,
                    action: "connect_link.use",
                    connection_id: Some(&conn.id),
                    candidate_id: None,
                    detail: json!({"link_id": link.id, "provider": link.provider, "created_by": link.created_by}),
                },
            )
            .await?;
            Ok(conn)
        }
        Err(e) => {
            store::release(&state.db, &hash).await?;
            Err(e)
        }
    }
}
