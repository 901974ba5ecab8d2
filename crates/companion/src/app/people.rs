//! Members and invites: who joins a team, with which role, and who may be
//! removed.

use crate::app::auth::{AuthUser, Role};
use crate::app::tokens;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::storage::audit::{self, Entry};
use crate::storage::db::{new_id, now_ms, Tx};
use crate::storage::people::OpenInvite;
use crate::storage::people::{self as store, ClaimedInvite, Member, NewInvite, NewMember};
use serde_json::json;
use sourcebar_core::email::normalize_email;
use sourcebar_core::text::{bounded_line, TextError};
use sourcebar_core::ErrorCode;

/// How long an invite stays valid.
pub const INVITE_TTL_MS: i64 = 7 * 24 * 3600 * 1000;

/// Longest member name kept (characters, after cleaning).
pub const MAX_MEMBER_NAME: usize = 100;

/// The name of the caller's team.
pub async fn team_name(state: &AppState, team_id: &str) -> AppResult<String> {
    Ok(store::team_name(&state.db, team_id).await?)
}

/// Creates an invite; the code is shown once. Answers the code, when it
/// expires and the invite's id.
pub async fn issue_invite(
    state: &AppState,
    team_id: &str,
    created_by: &str,
    role: Role,
) -> AppResult<(String, i64, String)> {
    let code = tokens::new_invite_code();
    let id = new_id();
    let expires = now_ms() + INVITE_TTL_MS;
    store::insert_invite(
        &state.db,
        &NewInvite {
            code_hash: &tokens::hash(&code),
            id: &id,
            team_id,
            role: role.as_str(),
            created_by,
            created_at: now_ms(),
            expires_at: expires,
        },
    )
    .await?;
    audit::record(
        &state.db,
        Entry {
            team_id,
            user_id: Some(created_by),
            action: "invite",
            connection_id: None,
            candidate_id: None,
            detail: json!({"invite_id": id, "role": role.as_str()}),
        },
    )
    .await?;
    Ok((code, expires, id))
}

/// The team's invites still waiting for their person, newest first.
pub async fn open_invites(state: &AppState, team_id: &str) -> AppResult<Vec<OpenInvite>> {
    Ok(store::open_invites(&state.db, team_id, now_ms()).await?)
}

/// Revokes an unused invite of the caller's team.
pub async fn revoke_invite(state: &AppState, user: &AuthUser, id: &str) -> AppResult<()> {
    if !store::revoke_invite(&state.db, id, &user.team_id, now_ms()).await? {
        return Err(AppError::not_found("invite"));
    }
    audit::by_user(
        &state.db,
        user,
        "invite_revoked",
        None,
        None,
        json!({"invite_id": id}),
    )
    .await?;
    Ok(())
}

/// Someone who joined a team with an invite, and their first token.
pub struct Joined {
    pub token: String,
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub team_id: String,
    pub team_name: String,
    pub role: String,
}

/// Accepts an invite: a new member of its team, with a token. The email
/// must be valid and the name (optional) at most [`MAX_MEMBER_NAME`]
/// characters.
pub async fn accept_invite(
    state: &AppState,
    code: &str,
    email: &str,
    name: Option<&str>,
) -> AppResult<Joined> {
    let email =
        normalize_email(email).ok_or_else(|| AppError::invalid("email is not a valid address."))?;
    let name = match name.map(|n| bounded_line(n, MAX_MEMBER_NAME)) {
        None | Some(Err(TextError::Empty)) => String::new(),
        Some(Ok(name)) => name,
        Some(Err(TextError::TooLong { max })) => {
            return Err(AppError::invalid(format!(
                "name must have at most {max} characters."
            )))
        }
    };
    let now = now_ms();
    // The claim, the new user and their token commit together or not at all.
    let mut tx = state.db.begin().await?;
    let ClaimedInvite {
        id: invite_id,
        team_id,
        role,
    } = store::claim_invite(&mut tx, &tokens::hash(code), now)
        .await?
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                "This invite is unknown, used or expired.",
            )
        })?;
    // An invite only ever creates a new member: it never authenticates an
    // existing one (a member invite plus the admin's email would otherwise
    // hand out the admin's rights). The unique (team, email) index decides,
    // so two accepts racing on one email cannot both win.
    let user_id = new_id();
    let member = NewMember {
        id: &user_id,
        team_id: &team_id,
        email: &email,
        name: &name,
        role: &role,
        created_at: now,
    };
    if !store::insert_member_unless_present(&mut tx, &member).await? {
        // Rolled back: the invite stays usable by the person it was meant for.
        tx.rollback().await?;
        return Err(AppError::new(
            ErrorCode::Conflict,
            "This email already belongs to a member of the team; sign in with your own token instead.",
        ));
    }
    let token = tokens::new_token();
    crate::storage::tokens::insert(&mut *tx, &tokens::hash(&token), &user_id, now).await?;
    // The role answered is the one stored for this user, read back in the
    // same transaction.
    let held = store::stored_role(&mut tx, &user_id).await?;
    tx.commit().await?;
    let team_name = store::team_name(&state.db, &team_id).await?;
    audit::record(
        &state.db,
        Entry {
            team_id: &team_id,
            user_id: Some(&user_id),
            action: "invite_accepted",
            connection_id: None,
            candidate_id: None,
            detail: json!({"invite_id": invite_id, "email": email, "role": held}),
        },
    )
    .await?;
    Ok(Joined {
        token,
        user_id,
        email,
        name,
        team_id,
        team_name,
        role: held,
    })
}

/// A new token for a user; only its hash is stored.
pub async fn issue_token(state: &AppState, user_id: &str) -> AppResult<String> {
    let token = tokens::new_token();
    crate::storage::tokens::insert(&state.db.pool, &tokens::hash(&token), user_id, now_ms())
        .await?;
    Ok(token)
}

/// The team's current members, oldest first.
pub async fn members(state: &AppState, team_id: &str) -> AppResult<Vec<Member>> {
    Ok(store::members(&state.db, team_id).await?)
}

/// Removes a member of the caller's team and revokes their tokens at once.
/// The caller must still be an admin, and the last admin stays.
pub async fn remove_member(state: &AppState, user: &AuthUser, id: &str) -> AppResult<()> {
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    store::lock_team_membership(&mut tx, state.db.backend, &user.team_id).await?;
    // One statement checks and removes: the caller is still an admin here,
    // and an admin goes only while another admin stays.
    if !store::remove_member_if_allowed(&mut tx, id, &user.team_id, &user.user_id, now).await? {
        let why = removal_refusal(&mut tx, user, id).await?;
        tx.rollback().await?;
        return Err(why);
    }
    // Revoked at once: the next request with any of their tokens is refused.
    crate::storage::tokens::revoke_all_of(&mut tx, id, now).await?;
    tx.commit().await?;
    audit::by_user(
        &state.db,
        user,
        "member_removed",
        None,
        None,
        json!({"member_id": id}),
    )
    .await?;
    Ok(())
}

/// Why a removal changed nothing: the caller lost their rights meanwhile,
/// the member is not (or no longer) there, or they are the last admin.
async fn removal_refusal(tx: &mut Tx, user: &AuthUser, id: &str) -> AppResult<AppError> {
    match store::current_role(tx, &user.user_id).await? {
        None => return Ok(AppError::unauthorized()),
        Some(role) if role != "admin" => return Ok(AppError::forbidden()),
        Some(_) => {}
    }
    Ok(if store::is_member(tx, id, &user.team_id).await? {
        AppError::new(ErrorCode::Conflict, "A team keeps at least one admin.")
    } else {
        AppError::not_found("member")
    })
}
