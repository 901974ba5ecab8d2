//! What sourcers do: dedupe, jobs, upload, merge, upload status.

use crate::auth::AuthUser;
use crate::connections;
use crate::dedupe;
use crate::error::{AppError, AppResult};
use crate::http::ApiJson;
use crate::idempotency::{self, Claim};
use crate::state::AppState;
use crate::uploads::{self, MergeRequest, UploadRequest};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use sourcebar_core::matching::{DedupeRequest, DedupeResponse};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/dedupe", post(dedupe_handler))
        .route("/v1/jobs", get(jobs))
        .route("/v1/candidates", post(upload))
        .route("/v1/candidates/{ats_id}/merge", post(merge))
        .route("/v1/uploads/{id}", get(upload_status))
}

#[utoipa::path(post, path = "/v1/dedupe", responses((status = 200, description = "Verdict and ranked matches with reasons"), (status = 401)))]
async fn dedupe_handler(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<DedupeRequest>,
) -> AppResult<Json<DedupeResponse>> {
    Ok(Json(
        dedupe::dedupe(&state, &user.team_id, &body.profile).await?,
    ))
}

#[derive(Deserialize)]
struct JobsQuery {
    connection_id: Option<String>,
}

#[utoipa::path(get, path = "/v1/jobs", responses((status = 200, description = "Open jobs, confidential ones left out"), (status = 409)))]
async fn jobs(
    State(state): State<AppState>,
    user: AuthUser,
    Query(q): Query<JobsQuery>,
) -> AppResult<Json<Value>> {
    let conn = connections::active(&state, &user.team_id, q.connection_id.as_deref()).await?;
    let jobs = conn.open(&state)?.list_open_jobs().await?;
    Ok(Json(json!(jobs)))
}

fn answer(status: u16, body: Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        Json(body),
    )
        .into_response()
}

#[utoipa::path(post, path = "/v1/candidates", request_body = UploadRequest, responses((status = 201), (status = 202), (status = 422), (status = 409)))]
async fn upload(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<UploadRequest>,
) -> AppResult<Response> {
    let key = idempotency::key_from(&headers)?;
    // Refuse a bad request before it takes the key.
    uploads::new_candidate(&body, &user.name_or_email())?;
    let conn = connections::active(&state, &user.team_id, body.connection_id.as_deref()).await?;
    let fingerprint = idempotency::fingerprint(
        "upload",
        &serde_json::to_value(&body).map_err(|e| AppError::internal("upload", e))?,
    );
    match idempotency::claim(&state.db, &user.team_id, &key, &fingerprint).await? {
        Claim::Replay(status, body) => Ok(answer(status, body)),
        Claim::New => {
            let (status, body) = uploads::upload(&state, &user, &conn, body, &key).await?;
            Ok(answer(status, body))
        }
    }
}

#[utoipa::path(post, path = "/v1/candidates/{ats_id}/merge", request_body = MergeRequest, responses((status = 200), (status = 404), (status = 422)))]
async fn merge(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    Path(ats_id): Path<String>,
    ApiJson(body): ApiJson<MergeRequest>,
) -> AppResult<Response> {
    let key = idempotency::key_from(&headers)?;
    let conn = connections::active(&state, &user.team_id, body.connection_id.as_deref()).await?;
    let value = serde_json::to_value(&body).map_err(|e| AppError::internal("merge", e))?;
    let fingerprint = idempotency::fingerprint(&format!("merge:{ats_id}"), &value);
    match idempotency::claim(&state.db, &user.team_id, &key, &fingerprint).await? {
        Claim::Replay(status, body) => Ok(answer(status, body)),
        Claim::New => match uploads::merge(&state, &user, &conn, &ats_id, &body).await {
            Ok(result) => {
                idempotency::store(&state.db, &user.team_id, &key, 200, &result).await?;
                Ok(answer(200, result))
            }
            Err(e) => {
                idempotency::release(&state.db, &user.team_id, &key).await?;
                Err(e)
            }
        },
    }
}

#[utoipa::path(get, path = "/v1/uploads/{id}", responses((status = 200), (status = 404)))]
async fn upload_status(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(uploads::status(&state, &user.team_id, &id).await?))
}
