//! What sourcers do: dedupe, jobs, upload, merge, upload status.

use crate::app::auth::AuthUser;
use crate::app::connections;
use crate::app::dedupe;
use crate::app::uploads;
use crate::error::{AppError, AppResult};
use crate::http::ApiJson;
use crate::state::AppState;
use crate::storage::idempotency;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sourcebar_core::api::sourcing::{MergeAnswer, ProfileSubmission, UploadAnswer, UploadStatus};
use sourcebar_core::matching::{DedupeRequest, DedupeResponse};
use sourcebar_core::Profile;

/// A request body that carries a captured profile.
trait CarriesProfile {
    fn profile(&self) -> &Profile;
}

impl CarriesProfile for DedupeRequest {
    fn profile(&self) -> &Profile {
        &self.profile
    }
}

impl CarriesProfile for ProfileSubmission {
    fn profile(&self) -> &Profile {
        &self.profile
    }
}

/// JSON whose profile passed [`Profile::validate`]: every route that takes a
/// profile extracts it through here, so an oversized one is refused with a
/// 422 naming the field before any matching, storage or ATS call.
struct ProfileJson<T>(T);

impl<T: DeserializeOwned + CarriesProfile, S: Send + Sync> FromRequest<S> for ProfileJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ApiJson(body) = ApiJson::<T>::from_request(req, state).await?;
        body.profile()
            .validate()
            .map_err(|e| AppError::invalid(e.to_string()))?;
        Ok(ProfileJson(body))
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/dedupe", post(dedupe_handler))
        .route("/v1/candidates", post(upload))
        .route("/v1/candidates/{ats_id}/merge", post(merge))
        .route("/v1/uploads/{id}", get(upload_status))
}

#[utoipa::path(post, path = "/v1/dedupe", responses((status = 200, description = "Verdict and ranked matches with reasons and the team's history of each", body = DedupeResponse), (status = 401)))]
async fn dedupe_handler(
    State(state): State<AppState>,
    user: AuthUser,
    ProfileJson(body): ProfileJson<DedupeRequest>,
) -> AppResult<Json<DedupeResponse>> {
    Ok(Json(
        dedupe::dedupe(&state, &user.team_id, &body.profile).await?,
    ))
}

fn answer(status: u16, body: Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        Json(body),
    )
        .into_response()
}

#[utoipa::path(post, path = "/v1/candidates", request_body = ProfileSubmission, responses((status = 201, body = UploadAnswer), (status = 202, body = UploadAnswer), (status = 422), (status = 409)))]
async fn upload(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    ProfileJson(body): ProfileJson<ProfileSubmission>,
) -> AppResult<Response> {
    let key = key_from(&headers)?;
    let conn = connections::active(&state, &user.team_id, body.connection_id.as_deref()).await?;
    // Refuse a bad request before it takes the key, by the provider's rules.
    uploads::new_candidate(&body, &user.name_or_email(), conn.capabilities(&state))?;
    let fingerprint = idempotency::fingerprint(
        "upload",
        &serde_json::to_value(&body).map_err(|e| AppError::internal("upload", e))?,
    );
    let (status, body) = uploads::upload(&state, &user, &conn, body, &key, &fingerprint).await?;
    Ok(answer(status, body))
}

#[utoipa::path(post, path = "/v1/candidates/{ats_id}/merge", request_body = ref("#/components/schemas/MergeRequest"), responses((status = 200, body = MergeAnswer), (status = 202, body = UploadAnswer), (status = 404), (status = 422)))]
async fn merge(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    Path(ats_id): Path<String>,
    ProfileJson(body): ProfileJson<ProfileSubmission>,
) -> AppResult<Response> {
    let key = key_from(&headers)?;
    let conn = connections::active(&state, &user.team_id, body.connection_id.as_deref()).await?;
    let value = serde_json::to_value(&body).map_err(|e| AppError::internal("merge", e))?;
    let fingerprint = idempotency::fingerprint(&format!("merge:{ats_id}"), &value);
    let (status, body) =
        uploads::merge(&state, &user, &conn, &ats_id, body, &key, &fingerprint).await?;
    Ok(answer(status, body))
}

#[utoipa::path(get, path = "/v1/uploads/{id}", responses((status = 200, body = UploadStatus), (status = 404)))]
async fn upload_status(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<UploadStatus>> {
    Ok(Json(uploads::status(&state, &user.team_id, &id).await?))
}

/// The `Idempotency-Key` header (1 to 200 visible characters).
pub fn key_from(headers: &HeaderMap) -> AppResult<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .ok_or_else(|| AppError::invalid("An Idempotency-Key header is required."))?;
    Ok(key.to_string())
}
