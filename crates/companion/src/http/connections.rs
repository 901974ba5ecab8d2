//! ATS connections (admins manage; members read), providers, sync status,
//! and requests for an ATS that is not listed.

use crate::audit;
use crate::auth::AuthUser;
use crate::connections::{self, last4, parse_provider, seal, ConnectionView};
use crate::db::{new_id, now_ms, rfc3339};
use crate::error::{AppError, AppResult};
use crate::http::ApiJson;
use crate::mirror;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use sourcebar_ats::ApiKey;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/providers", get(providers))
        .route("/v1/integration-requests", post(integration_request))
        .route("/v1/connections", get(list).post(create))
        .route("/v1/connections/{id}", axum::routing::delete(remove))
        .route("/v1/connections/{id}/test", post(test))
        .route("/v1/connections/{id}/key", put(relink))
        .route("/v1/connections/{id}/deactivate", post(deactivate))
        .route("/v1/connections/{id}/activate", post(activate))
        .route("/v1/connections/{id}/default", post(make_default))
        .route(
            "/v1/connections/{id}/sync",
            post(request_sync).get(sync_status),
        )
}

/// Every provider and how far its support is: only JazzHR has an adapter;
/// the others are taken on request.
const PROVIDERS: &[(&str, &str, &str)] = &[
    ("jazzhr", "JazzHR", "available"),
    ("greenhouse", "Greenhouse", "requested"),
    ("lever", "Lever", "requested"),
    ("teamtailor", "Teamtailor", "requested"),
    ("workable", "Workable", "requested"),
    ("smartrecruiters", "SmartRecruiters", "requested"),
    ("ashby", "Ashby", "requested"),
    ("recruitee", "Recruitee", "requested"),
    ("bamboohr", "BambooHR", "requested"),
    ("personio", "Personio", "requested"),
    ("flatchr", "Flatchr", "requested"),
    ("jarvi", "Jarvi", "requested"),
];

#[utoipa::path(get, path = "/v1/providers", responses((status = 200), (status = 401)))]
async fn providers(_user: AuthUser) -> Json<Value> {
    Json(Value::Array(
        PROVIDERS
            .iter()
            .map(|(id, name, status)| json!({"id": id, "name": name, "status": status}))
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct IntegrationRequest {
    pub provider_name: String,
}

#[utoipa::path(post, path = "/v1/integration-requests", request_body = IntegrationRequest, responses((status = 201), (status = 422)))]
async fn integration_request(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<IntegrationRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let name = body.provider_name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid(
            "provider_name must have 1 to 100 characters.",
        ));
    }
    let id = new_id();
    sqlx::query("INSERT INTO integration_requests (id, team_id, user_id, provider_name, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(&user.team_id)
        .bind(&user.user_id)
        .bind(name)
        .bind(now_ms())
        .execute(&state.db.pool)
        .await?;
    audit::by_user(
        &state.db,
        &user,
        "integration_request",
        None,
        None,
        json!({"provider_name": name}),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "provider_name": name})),
    ))
}

#[utoipa::path(get, path = "/v1/connections", responses((status = 200, body = [ConnectionView]), (status = 401)))]
async fn list(
    State(state): State<AppState>,
    user: AuthUser,
) -> AppResult<Json<Vec<ConnectionView>>> {
    Ok(Json(
        connections::list(&state, &user.team_id)
            .await?
            .iter()
            .map(|c| c.view())
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewConnection {
    pub provider: String,
    #[serde(default)]
    pub name: Option<String>,
    pub api_key: String,
    #[serde(default)]
    pub base_url: Option<String>,
}

/// A base URL must be http(s) and carry no credentials; tests and the demo
/// point it at a loopback sandbox, teams at a regional endpoint.
fn check_base_url(url: &str) -> AppResult<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.contains('@') && !r.contains(char::is_whitespace) => {
            Ok(url.to_string())
        }
        _ => Err(AppError::invalid(
            "base_url must be an http(s) URL without credentials.",
        )),
    }
}

#[utoipa::path(post, path = "/v1/connections", request_body = NewConnection, responses((status = 201, body = ConnectionView), (status = 422), (status = 502), (status = 503)))]
async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<NewConnection>,
) -> AppResult<(StatusCode, Json<ConnectionView>)> {
    user.require_admin()?;
    let provider = parse_provider(&body.provider)?;
    let key = ApiKey::new(body.api_key);
    if key.is_empty() {
        return Err(AppError::invalid("api_key is required."));
    }
    let base_url = body.base_url.as_deref().map(check_base_url).transpose()?;
    let id = new_id();
    // Validated against the ATS before anything is stored.
    let ats = state.connector.connect(
        provider,
        base_url.as_deref(),
        key.clone(),
        state.budget(&id),
    )?;
    ats.validate_key().await?;
    let existing = connections::list(&state, &user.team_id).await?;
    let name = body
        .name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| body.provider.clone());
    let now = now_ms();
    sqlx::query(
        "INSERT INTO connections (id, team_id, provider, name, base_url, key_ciphertext, key_last4, status, is_default, \
         created_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'connected', $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(&user.team_id)
    .bind(&body.provider)
    .bind(&name)
    .bind(&base_url)
    .bind(seal(&state, &user.team_id, &id, &key))
    .bind(last4(&key))
    .bind(i64::from(existing.is_empty()))
    .bind(now)
    .bind(now)
    .bind(&user.user_id)
    .execute(&state.db.pool)
    .await?;
    mirror::ensure_state(&state.db, &id).await?;
    audit::by_user(
        &state.db,
        &user,
        "connect",
        Some(&id),
        None,
        json!({"provider": body.provider, "name": name}),
    )
    .await?;
    let conn = connections::load(&state, &user.team_id, &id).await?;
    Ok((StatusCode::CREATED, Json(conn.view())))
}

#[utoipa::path(post, path = "/v1/connections/{id}/test", responses((status = 200), (status = 422), (status = 502), (status = 503)))]
async fn test(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    user.require_admin()?;
    let conn = connections::load(&state, &user.team_id, &id).await?;
    let result = conn.open(&state)?.validate_key().await;
    connections::set_health(
        &state,
        &id,
        result.as_ref().err().map(|e| e.to_string()).as_deref(),
    )
    .await?;
    result?;
    Ok(Json(json!({"ok": true})))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewKey {
    pub api_key: String,
}

#[utoipa::path(put, path = "/v1/connections/{id}/key", request_body = NewKey, responses((status = 200, body = ConnectionView), (status = 422)))]
async fn relink(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewKey>,
) -> AppResult<Json<ConnectionView>> {
    user.require_admin()?;
    let conn = connections::load(&state, &user.team_id, &id).await?;
    let key = ApiKey::new(body.api_key);
    if key.is_empty() {
        return Err(AppError::invalid("api_key is required."));
    }
    // Validate first: a refused key leaves the old one in place.
    let ats = state.connector.connect(
        conn.provider_id()?,
        conn.base_url.as_deref(),
        key.clone(),
        state.budget(&id),
    )?;
    ats.validate_key().await?;
    sqlx::query("UPDATE connections SET key_ciphertext = $1, key_last4 = $2, status = CASE WHEN status = 'deactivated' THEN status ELSE 'connected' END, last_error = NULL, updated_at = $3, updated_by = $4 WHERE id = $5")
        .bind(seal(&state, &user.team_id, &id, &key))
        .bind(last4(&key))
        .bind(now_ms())
        .bind(&user.user_id)
        .bind(&id)
        .execute(&state.db.pool)
        .await?;
    audit::by_user(
        &state.db,
        &user,
        "relink",
        Some(&id),
        None,
        json!({"name": conn.name}),
    )
    .await?;
    Ok(Json(
        connections::load(&state, &user.team_id, &id).await?.view(),
    ))
}

async fn set_status(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    status: &str,
    action: &str,
) -> AppResult<Json<ConnectionView>> {
    user.require_admin()?;
    let conn = connections::load(state, &user.team_id, id).await?;
    sqlx::query(
        "UPDATE connections SET status = $1, updated_at = $2, updated_by = $3 WHERE id = $4",
    )
    .bind(status)
    .bind(now_ms())
    .bind(&user.user_id)
    .bind(id)
    .execute(&state.db.pool)
    .await?;
    audit::by_user(
        &state.db,
        user,
        action,
        Some(id),
        None,
        json!({"name": conn.name}),
    )
    .await?;
    Ok(Json(
        connections::load(state, &user.team_id, id).await?.view(),
    ))
}

/// Stops sync; everything already synced is kept.
#[utoipa::path(post, path = "/v1/connections/{id}/deactivate", responses((status = 200, body = ConnectionView)))]
async fn deactivate(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<ConnectionView>> {
    set_status(&state, &user, &id, "deactivated", "deactivate").await
}

#[utoipa::path(post, path = "/v1/connections/{id}/activate", responses((status = 200, body = ConnectionView)))]
async fn activate(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<ConnectionView>> {
    set_status(&state, &user, &id, "connected", "activate").await
}

#[utoipa::path(post, path = "/v1/connections/{id}/default", responses((status = 200, body = ConnectionView)))]
async fn make_default(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<ConnectionView>> {
    user.require_admin()?;
    connections::load(&state, &user.team_id, &id).await?;
    let mut tx = state.db.pool.begin().await?;
    sqlx::query("UPDATE connections SET is_default = 0 WHERE team_id = $1")
        .bind(&user.team_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE connections SET is_default = 1 WHERE id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    audit::by_user(&state.db, &user, "default", Some(&id), None, json!({})).await?;
    Ok(Json(
        connections::load(&state, &user.team_id, &id).await?.view(),
    ))
}

/// Destroys the key; the connection disappears from every list.
#[utoipa::path(delete, path = "/v1/connections/{id}", responses((status = 204), (status = 404)))]
async fn remove(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    user.require_admin()?;
    let conn = connections::load(&state, &user.team_id, &id).await?;
    sqlx::query("UPDATE connections SET key_ciphertext = NULL, key_last4 = '', status = 'deactivated', is_default = 0, deleted_at = $1, updated_by = $2 WHERE id = $3")
        .bind(now_ms())
        .bind(&user.user_id)
        .bind(&id)
        .execute(&state.db.pool)
        .await?;
    if conn.is_default {
        // Another live connection, if any, becomes the default.
        sqlx::query("UPDATE connections SET is_default = 1 WHERE id = (SELECT id FROM connections WHERE team_id = $1 AND deleted_at IS NULL ORDER BY created_at LIMIT 1)")
            .bind(&user.team_id)
            .execute(&state.db.pool)
            .await?;
    }
    audit::by_user(
        &state.db,
        &user,
        "delete",
        Some(&id),
        None,
        json!({"name": conn.name}),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/connections/{id}/sync", responses((status = 202), (status = 409)))]
async fn request_sync(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<Value>)> {
    user.require_admin()?;
    let conn = connections::load(&state, &user.team_id, &id).await?;
    if conn.status == "deactivated" {
        return Err(AppError::new(
            sourcebar_core::ErrorCode::NoActiveConnection,
            "This connection is deactivated.",
        ));
    }
    mirror::ensure_state(&state.db, &id).await?;
    sqlx::query("UPDATE sync_state SET requested = 1 WHERE connection_id = $1")
        .bind(&id)
        .execute(&state.db.pool)
        .await?;
    Ok((StatusCode::ACCEPTED, Json(sync_json(&state, &id).await?)))
}

#[utoipa::path(get, path = "/v1/connections/{id}/sync", responses((status = 200)))]
async fn sync_status(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    connections::load(&state, &user.team_id, &id).await?;
    Ok(Json(sync_json(&state, &id).await?))
}

/// `{"state","done","total","last_sync_at","last_error","complete"}`.
pub async fn sync_json(state: &AppState, id: &str) -> AppResult<Value> {
    let row = sqlx::query("SELECT state, full_done, last_sync_at, last_error, requested FROM sync_state WHERE connection_id = $1")
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?;
    let counts = sqlx::query("SELECT COUNT(*) AS total, CAST(COALESCE(SUM(detailed), 0) AS BIGINT) AS done FROM mirror WHERE connection_id = $1")
        .bind(id)
        .fetch_one(&state.db.pool)
        .await?;
    let (sync_state, complete, last, error, requested) = match row {
        Some(r) => (
            r.try_get::<String, _>("state")?,
            r.try_get::<i64, _>("full_done")? != 0,
            r.try_get::<Option<i64>, _>("last_sync_at")?,
            r.try_get::<Option<String>, _>("last_error")?,
            r.try_get::<i64, _>("requested")? != 0,
        ),
        None => ("idle".to_string(), false, None, None, false),
    };
    Ok(json!({
        "state": sync_state,
        "done": counts.try_get::<i64, _>("done")?,
        "total": counts.try_get::<i64, _>("total")?,
        "complete": complete,
        "requested": requested,
        "last_sync_at": last.map(rfc3339),
        "last_error": error,
    }))
}
