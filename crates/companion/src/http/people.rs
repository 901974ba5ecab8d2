//! Me, invites and members.

use crate::audit::{self, Entry};
use crate::auth::{AuthUser, Role};
use crate::db::{new_id, now_ms, rfc3339};
use crate::error::{AppError, AppResult};
use crate::http::ApiJson;
use crate::state::AppState;
use crate::tokens;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use sourcebar_core::email::normalize_email;
use sourcebar_core::ErrorCode;
use sqlx::Row;

/// How long an invite stays valid.
pub const INVITE_TTL_MS: i64 = 7 * 24 * 3600 * 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/me", get(me))
        .route("/v1/invites", post(create_invite).get(list_invites))
        .route("/v1/invites/{code}", delete(revoke_invite))
        .route("/v1/invites/{code}/accept", post(accept_invite))
        .route("/v1/members", get(members))
        .route("/v1/members/{id}", delete(remove_member))
}

#[utoipa::path(get, path = "/v1/me", responses((status = 200, description = "Who you are"), (status = 401)))]
async fn me(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Value>> {
    let team: String = sqlx::query("SELECT name FROM teams WHERE id = $1")
        .bind(&user.team_id)
        .fetch_one(&state.db.pool)
        .await?
        .try_get("name")?;
    Ok(Json(json!({
        "user": {"id": user.user_id, "email": user.email, "name": user.name},
        "team": {"id": user.team_id, "name": team},
        "role": user.role.as_str(),
    })))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewInvite {
    /// `member` (default) or `admin`.
    #[serde(default)]
    pub role: Option<String>,
}

/// Creates an invite; the code is shown once.
pub async fn issue_invite(
    state: &AppState,
    team_id: &str,
    created_by: &str,
    role: Role,
) -> AppResult<(String, i64, String)> {
    let code = tokens::new_invite_code();
    let id = new_id();
    let expires = now_ms() + INVITE_TTL_MS;
    sqlx::query(
        "INSERT INTO invites (code_hash, id, team_id, role, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tokens::hash(&code))
    .bind(&id)
    .bind(team_id)
    .bind(role.as_str())
    .bind(created_by)
    .bind(now_ms())
    .bind(expires)
    .execute(&state.db.pool)
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

#[utoipa::path(post, path = "/v1/invites", request_body = NewInvite, responses((status = 201), (status = 403)))]
async fn create_invite(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<NewInvite>,
) -> AppResult<(StatusCode, Json<Value>)> {
    user.require_admin()?;
    let role = Role::parse(body.role.as_deref().unwrap_or("member"))
        .ok_or_else(|| AppError::invalid("role must be 'member' or 'admin'."))?;
    let (code, expires, id) = issue_invite(&state, &user.team_id, &user.user_id, role).await?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({"code": code, "id": id, "role": role.as_str(), "expires_at": rfc3339(expires)}),
        ),
    ))
}

#[utoipa::path(get, path = "/v1/invites", responses((status = 200), (status = 403)))]
async fn list_invites(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Value>> {
    user.require_admin()?;
    let rows = sqlx::query(
        "SELECT id, role, expires_at, created_at FROM invites WHERE team_id = $1 AND used_at IS NULL \
         AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC",
    )
    .bind(&user.team_id)
    .bind(now_ms())
    .fetch_all(&state.db.pool)
    .await?;
    let list: Result<Vec<Value>, sqlx::Error> = rows
        .iter()
        .map(|r| {
            Ok(json!({"id": r.try_get::<String, _>("id")?, "role": r.try_get::<String, _>("role")?,
                "expires_at": rfc3339(r.try_get("expires_at")?), "created_at": rfc3339(r.try_get("created_at")?)}))
        })
        .collect();
    Ok(Json(Value::Array(list?)))
}

#[utoipa::path(delete, path = "/v1/invites/{id}", responses((status = 204), (status = 403), (status = 404)))]
async fn revoke_invite(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    user.require_admin()?;
    let done = sqlx::query("UPDATE invites SET revoked_at = $1 WHERE id = $2 AND team_id = $3 AND used_at IS NULL AND revoked_at IS NULL")
        .bind(now_ms())
        .bind(&id)
        .bind(&user.team_id)
        .execute(&state.db.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("invite"));
    }
    audit::by_user(
        &state.db,
        &user,
        "invite_revoked",
        None,
        None,
        json!({"invite_id": id}),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Acceptance {
    pub email: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[utoipa::path(post, path = "/v1/invites/{code}/accept", request_body = Acceptance, responses((status = 201), (status = 404)))]
async fn accept_invite(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<Acceptance>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let email = normalize_email(&body.email)
        .ok_or_else(|| AppError::invalid("email is not a valid address."))?;
    let name = body.name.unwrap_or_default().trim().to_string();
    let now = now_ms();
    // Single use: the invite is claimed by this one update.
    let claimed = sqlx::query(
        "UPDATE invites SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3",
    )
    .bind(now)
    .bind(tokens::hash(&code))
    .bind(now)
    .execute(&state.db.pool)
    .await?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::new(
            ErrorCode::NotFound,
            "This invite is unknown, used or expired.",
        ));
    }
    let invite = sqlx::query("SELECT i.team_id, i.role, i.id, t.name FROM invites i JOIN teams t ON t.id = i.team_id WHERE i.code_hash = $1")
        .bind(tokens::hash(&code))
        .fetch_one(&state.db.pool)
        .await?;
    let team_id: String = invite.try_get("team_id")?;
    let role: String = invite.try_get("role")?;
    let existing = sqlx::query(
        "SELECT id FROM users WHERE team_id = $1 AND email = $2 AND removed_at IS NULL",
    )
    .bind(&team_id)
    .bind(&email)
    .fetch_optional(&state.db.pool)
    .await?;
    let user_id = match existing {
        Some(row) => row.try_get::<String, _>("id")?,
        None => {
            let id = new_id();
            sqlx::query("INSERT INTO users (id, team_id, email, name, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&id)
                .bind(&team_id)
                .bind(&email)
                .bind(&name)
                .bind(&role)
                .bind(now)
                .execute(&state.db.pool)
                .await?;
            id
        }
    };
    let token = issue_token(&state, &user_id).await?;
    audit::record(
        &state.db,
        Entry {
            team_id: &team_id,
            user_id: Some(&user_id),
            action: "invite_accepted",
            connection_id: None,
            candidate_id: None,
            detail: json!({"invite_id": invite.try_get::<String, _>("id")?, "email": email}),
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "token": token,
            "user": {"id": user_id, "email": email, "name": name},
            "team": {"id": team_id, "name": invite.try_get::<String, _>("name")?},
            "role": role,
        })),
    ))
}

/// A new token for a user; only its hash is stored.
pub async fn issue_token(state: &AppState, user_id: &str) -> AppResult<String> {
    let token = tokens::new_token();
    sqlx::query("INSERT INTO tokens (hash, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(tokens::hash(&token))
        .bind(user_id)
        .bind(now_ms())
        .execute(&state.db.pool)
        .await?;
    Ok(token)
}

#[utoipa::path(get, path = "/v1/members", responses((status = 200), (status = 403)))]
async fn members(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Value>> {
    user.require_admin()?;
    let rows = sqlx::query("SELECT id, email, name, role, created_at FROM users WHERE team_id = $1 AND removed_at IS NULL ORDER BY created_at")
        .bind(&user.team_id)
        .fetch_all(&state.db.pool)
        .await?;
    let list: Result<Vec<Value>, sqlx::Error> = rows
        .iter()
        .map(|r| {
            Ok(json!({"id": r.try_get::<String, _>("id")?, "email": r.try_get::<String, _>("email")?,
                "name": r.try_get::<String, _>("name")?, "role": r.try_get::<String, _>("role")?,
                "created_at": rfc3339(r.try_get("created_at")?)}))
        })
        .collect();
    Ok(Json(Value::Array(list?)))
}

#[utoipa::path(delete, path = "/v1/members/{id}", responses((status = 204), (status = 403), (status = 404), (status = 409)))]
async fn remove_member(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    user.require_admin()?;
    let target =
        sqlx::query("SELECT role FROM users WHERE id = $1 AND team_id = $2 AND removed_at IS NULL")
            .bind(&id)
            .bind(&user.team_id)
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or_else(|| AppError::not_found("member"))?;
    if target.try_get::<String, _>("role")? == "admin" {
        let admins: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE team_id = $1 AND role = 'admin' AND removed_at IS NULL")
            .bind(&user.team_id)
            .fetch_one(&state.db.pool)
            .await?
            .try_get("n")?;
        if admins <= 1 {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "A team keeps at least one admin.",
            ));
        }
    }
    let now = now_ms();
    let mut tx = state.db.pool.begin().await?;
    sqlx::query("UPDATE users SET removed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    // Revoked at once: the next request with any of their tokens is refused.
    sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    audit::by_user(
        &state.db,
        &user,
        "member_removed",
        None,
        None,
        json!({"member_id": id}),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
