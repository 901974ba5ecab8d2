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
use sourcebar_core::api::people::{
    Acceptance, IssuedInvite, Joined, Me, Member, NewInvite, OpenInvite, TeamView, UserView,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/me", get(me))
        .route("/v1/invites", post(create_invite).get(list_invites))
        .route("/v1/invites/{code}", delete(revoke_invite))
        .route("/v1/invites/{code}/accept", post(accept_invite))
        .route("/v1/members", get(members))
        .route("/v1/members/{id}", delete(remove_member))
}

#[utoipa::path(get, path = "/v1/me", responses((status = 200, description = "Who you are", body = Me), (status = 401)))]
async fn me(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Me>> {
    let team = people::team_name(&state, &user.team_id).await?;
    Ok(Json(Me {
        role: user.role.as_str().to_string(),
        user: UserView {
            id: user.user_id,
            email: user.email,
            name: user.name,
        },
        team: TeamView {
            id: user.team_id,
            name: team,
        },
    }))
}

#[utoipa::path(post, path = "/v1/invites", request_body = NewInvite, responses((status = 201, body = IssuedInvite), (status = 403)))]
async fn create_invite(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<NewInvite>,
) -> AppResult<(StatusCode, Json<IssuedInvite>)> {
    user.require_admin()?;
    let role = Role::parse(body.role.as_deref().unwrap_or("member"))
        .ok_or_else(|| AppError::invalid("role must be 'member' or 'admin'."))?;
    let (code, expires, id) =
        people::issue_invite(&state, &user.team_id, &user.user_id, role).await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedInvite {
            code,
            id,
            role: role.as_str().to_string(),
            expires_at: rfc3339(expires),
        }),
    ))
}

#[utoipa::path(get, path = "/v1/invites", responses((status = 200, body = [OpenInvite]), (status = 403)))]
async fn list_invites(
    State(state): State<AppState>,
    user: AuthUser,
) -> AppResult<Json<Vec<OpenInvite>>> {
    user.require_admin()?;
    let list = people::open_invites(&state, &user.team_id)
        .await?
        .into_iter()
        .map(|i| OpenInvite {
            id: i.id,
            role: i.role,
            expires_at: rfc3339(i.expires_at),
            created_at: rfc3339(i.created_at),
        })
        .collect();
    Ok(Json(list))
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

#[utoipa::path(post, path = "/v1/invites/{code}/accept", request_body = Acceptance, responses((status = 201, body = Joined), (status = 404), (status = 409), (status = 429)))]
async fn accept_invite(
    State(state): State<AppState>,
    client: ClientIp,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<Acceptance>,
) -> AppResult<(StatusCode, Json<Joined>)> {
    // Unauthenticated: every attempt, right or wrong, pays from the caller's
    // per-address budget, so invite codes cannot be guessed at speed.
    state.check_unauthenticated(client.0)?;
    let joined = people::accept_invite(&state, &code, &body.email, body.name.as_deref()).await?;
    Ok((
        StatusCode::CREATED,
        Json(Joined {
            token: joined.token,
            user: UserView {
                id: joined.user_id,
                email: joined.email,
                name: joined.name,
            },
            team: TeamView {
                id: joined.team_id,
                name: joined.team_name,
            },
            role: joined.role,
        }),
    ))
}

#[utoipa::path(get, path = "/v1/members", responses((status = 200, body = [Member]), (status = 403)))]
async fn members(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Vec<Member>>> {
    user.require_admin()?;
    let list = people::members(&state, &user.team_id)
        .await?
        .into_iter()
        .map(|m| Member {
            id: m.id,
            email: m.email,
            name: m.name,
            role: m.role,
            created_at: rfc3339(m.created_at),
        })
        .collect();
    Ok(Json(list))
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
