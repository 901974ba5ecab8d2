//! Me, invites and members.

use crate::app::auth::{AuthUser, Role};
use crate::app::people;
use crate::error::{AppError, AppResult};
use crate::http::{ApiJson, ClientIp};
use crate::state::AppState;
use crate::storage::db::rfc3339;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

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
    let team = people::team_name(&state, &user.team_id).await?;
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

#[utoipa::path(post, path = "/v1/invites", request_body = NewInvite, responses((status = 201), (status = 403)))]
async fn create_invite(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<NewInvite>,
) -> AppResult<(StatusCode, Json<Value>)> {
    user.require_admin()?;
    let role = Role::parse(body.role.as_deref().unwrap_or("member"))
        .ok_or_else(|| AppError::invalid("role must be 'member' or 'admin'."))?;
    let (code, expires, id) =
        people::issue_invite(&state, &user.team_id, &user.user_id, role).await?;
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
    let list = people::open_invites(&state, &user.team_id)
        .await?
        .into_iter()
        .map(|i| {
            json!({"id": i.id, "role": i.role,
                "expires_at": rfc3339(i.expires_at), "created_at": rfc3339(i.created_at)})
        })
        .collect();
    Ok(Json(Value::Array(list)))
}

#[utoipa::path(delete, path = "/v1/invites/{id}", responses((status = 204), (status = 403), (status = 404)))]
async fn revoke_invite(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    user.require_admin()?;
    people::revoke_invite(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Acceptance {
    pub email: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[utoipa::path(post, path = "/v1/invites/{code}/accept", request_body = Acceptance, responses((status = 201), (status = 404), (status = 409), (status = 429)))]
async fn accept_invite(
    State(state): State<AppState>,
    client: ClientIp,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<Acceptance>,
) -> AppResult<(StatusCode, Json<Value>)> {
    // Unauthenticated: every attempt, right or wrong, pays from the caller's
    // per-address budget, so invite codes cannot be guessed at speed.
    state.check_unauthenticated(client.0)?;
    let joined = people::accept_invite(&state, &code, &body.email, body.name.as_deref()).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "token": joined.token,
            "user": {"id": joined.user_id, "email": joined.email, "name": joined.name},
            "team": {"id": joined.team_id, "name": joined.team_name},
            "role": joined.role,
        })),
    ))
}

#[utoipa::path(get, path = "/v1/members", responses((status = 200), (status = 403)))]
async fn members(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Value>> {
    user.require_admin()?;
    let list = people::members(&state, &user.team_id)
        .await?
        .into_iter()
        .map(|m| {
            json!({"id": m.id, "email": m.email, "name": m.name, "role": m.role,
                "created_at": rfc3339(m.created_at)})
        })
        .collect();
    Ok(Json(Value::Array(list)))
}

#[utoipa::path(delete, path = "/v1/members/{id}", responses((status = 204), (status = 403), (status = 404), (status = 409)))]
async fn remove_member(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    user.require_admin()?;
    people::remove_member(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
