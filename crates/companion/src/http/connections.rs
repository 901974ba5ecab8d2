//! ATS connections (admins manage; members read), providers, sync status,
//! and requests for an ATS that is not listed.

use crate::app::auth::AuthUser;
use crate::app::connections::{self, Connect};
use crate::error::AppResult;
use crate::http::ApiJson;
use crate::state::AppState;
use crate::storage::connections::Connection;
use crate::storage::db::rfc3339;
use crate::storage::sync_state::Progress;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use sourcebar_core::api::connections::{
    ConnectionTest, ConnectionView, IntegrationRequest, IntegrationRequested, NewConnection,
    NewKey, SyncCounts, SyncStatus,
};
use sourcebar_core::providers::ProviderInfo;

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

/// Every provider, with its connect form and what its API can do (the
/// ATS crate's registry is the one list).
#[utoipa::path(get, path = "/v1/providers", responses((status = 200, body = [ProviderInfo]), (status = 401)))]
async fn providers(State(state): State<AppState>, _user: AuthUser) -> Json<Vec<ProviderInfo>> {
    Json(
        sourcebar_ats::registry::PROVIDERS
            .iter()
            .map(|p| {
                let mut info = p.info();
                if p.adapter.is_some() {
                    // The connector's view (tests give a provider other rules).
                    info.capabilities = state.connector.capabilities(p.id);
                }
                info
            })
            .collect(),
    )
}

#[utoipa::path(post, path = "/v1/integration-requests", request_body = IntegrationRequest, responses((status = 201, body = IntegrationRequested), (status = 422)))]
async fn integration_request(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<IntegrationRequest>,
) -> AppResult<(StatusCode, Json<IntegrationRequested>)> {
    let (id, provider_name) =
        connections::request_integration(&state, &user, &body.provider_name).await?;
    Ok((
        StatusCode::CREATED,
        Json(IntegrationRequested { id, provider_name }),
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
            .map(view)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/v1/connections", request_body = NewConnection, responses((status = 201, body = ConnectionView), (status = 422), (status = 502), (status = 503)))]
async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<NewConnection>,
) -> AppResult<(StatusCode, Json<ConnectionView>)> {
    user.require_admin()?;
    let form = Connect {
        provider: body.provider,
        name: body.name,
        api_key: body.api_key,
        settings: body.settings,
        base_url: body.base_url,
    };
    let conn = connections::create(&state, &user, form).await?;
    Ok((StatusCode::CREATED, Json(view(&conn))))
}

#[utoipa::path(post, path = "/v1/connections/{id}/test", responses((status = 200, body = ConnectionTest), (status = 422), (status = 502), (status = 503)))]
async fn test(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<ConnectionTest>> {
    user.require_admin()?;
    connections::test(&state, &user, &id).await?;
    Ok(Json(ConnectionTest { ok: true }))
}

#[utoipa::path(put, path = "/v1/connections/{id}/key", request_body = NewKey, responses((status = 200, body = ConnectionView), (status = 422)))]
async fn relink(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewKey>,
) -> AppResult<Json<ConnectionView>> {
    user.require_admin()?;
    let conn = connections::relink(&state, &user, &id, body.api_key).await?;
    Ok(Json(view(&conn)))
}

/// Stops sync; everything already synced is kept.
#[utoipa::path(post, path = "/v1/connections/{id}/deactivate", responses((status = 200, body = ConnectionView)))]
async fn deactivate(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<ConnectionView>> {
    user.require_admin()?;
    let conn = connections::set_status(&state, &user, &id, "deactivated", "deactivate").await?;
    Ok(Json(view(&conn)))
}

#[utoipa::path(post, path = "/v1/connections/{id}/activate", responses((status = 200, body = ConnectionView)))]
async fn activate(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<ConnectionView>> {
    user.require_admin()?;
    let conn = connections::set_status(&state, &user, &id, "connected", "activate").await?;
    Ok(Json(view(&conn)))
}

#[utoipa::path(post, path = "/v1/connections/{id}/default", responses((status = 200, body = ConnectionView)))]
async fn make_default(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<ConnectionView>> {
    user.require_admin()?;
    let conn = connections::make_default(&state, &user, &id).await?;
    Ok(Json(view(&conn)))
}

/// Destroys the key; the connection disappears from every list.
#[utoipa::path(delete, path = "/v1/connections/{id}", responses((status = 204), (status = 404)))]
async fn remove(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    user.require_admin()?;
    connections::delete(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/connections/{id}/sync", responses((status = 202, body = SyncStatus), (status = 409)))]
async fn request_sync(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<SyncStatus>)> {
    user.require_admin()?;
    let progress = connections::request_sync(&state, &user, &id).await?;
    let conn = connections::load(&state, &user.team_id, &id).await?;
    let status = sync_status_of(&state, &conn, progress).await?;
    Ok((StatusCode::ACCEPTED, Json(status)))
}

#[utoipa::path(get, path = "/v1/connections/{id}/sync", responses((status = 200, body = SyncStatus)))]
async fn sync_status(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<SyncStatus>> {
    let conn = connections::load(&state, &user.team_id, &id).await?;
    let progress = connections::sync_progress(&state, &id).await?;
    Ok(Json(sync_status_of(&state, &conn, progress).await?))
}

/// The answer shape of a connection's sync progress, with the job mirror's
/// side (counts, next run; none for a deactivated connection, which does
/// not sync) and how long a first sync has left at the rate budget.
async fn sync_status_of(
    state: &AppState,
    conn: &Connection,
    progress: Progress,
) -> AppResult<SyncStatus> {
    let syncs = conn.status != "deactivated";
    let jobs = crate::app::jobs::status(state, &conn.id).await?;
    let eta_secs = (syncs && !progress.complete)
        .then(|| crate::app::jobs::first_sync_eta_secs(state, conn, progress.total - progress.done))
        .flatten();
    Ok(SyncStatus {
        counts: SyncCounts {
            candidates: progress.total,
            jobs: jobs.jobs,
            applications: jobs.applications,
        },
        next_run_at: syncs.then(|| rfc3339(jobs.next_run_at)),
        jobs_synced_at: jobs.last_run_at.map(rfc3339),
        jobs_error: jobs.last_error,
        first_sync_eta_secs: eta_secs,
        state: progress.state,
        done: progress.done,
        total: progress.total,
        complete: progress.complete,
        requested: progress.requested,
        last_sync_at: progress.last_sync_at.map(rfc3339),
        last_error: progress.last_error,
    })
}

/// The answer shape of a connection: never its sealed key.
fn view(conn: &Connection) -> ConnectionView {
    ConnectionView {
        id: conn.id.clone(),
        provider: conn.provider.clone(),
        name: conn.name.clone(),
        status: conn.status.clone(),
        is_default: conn.is_default,
        last_sync_at: conn.last_sync_at.map(rfc3339),
        last_error: conn.last_error.clone(),
        key_hint: format!("••••{}", conn.key_last4),
        base_url: conn.base_url.clone(),
        settings: conn.settings.clone(),
    }
}
