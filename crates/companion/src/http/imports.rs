//! Bulk work: `POST /v1/dedupe/batch`, and imports (`/v1/imports…`).

use crate::app::auth::AuthUser;
use crate::app::dedupe;
use crate::error::{AppError, AppResult};
use crate::http::ApiJson;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use sourcebar_core::matching::{BatchDedupeRequest, BatchDedupeResponse, MAX_BATCH};

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/dedupe/batch", post(dedupe_batch))
}

#[utoipa::path(post, path = "/v1/dedupe/batch", request_body = BatchDedupeRequest, responses((status = 200, description = "One /v1/dedupe answer per profile, in the same order", body = BatchDedupeResponse), (status = 401), (status = 422)))]
async fn dedupe_batch(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<BatchDedupeRequest>,
) -> AppResult<Json<BatchDedupeResponse>> {
    if body.profiles.len() > MAX_BATCH {
        return Err(AppError::invalid(format!(
            "profiles: at most {MAX_BATCH} in one batch."
        )));
    }
    for (i, p) in body.profiles.iter().enumerate() {
        p.validate()
            .map_err(|e| AppError::invalid(format!("profiles[{i}]: {e}")))?;
    }
    Ok(Json(BatchDedupeResponse {
        results: dedupe::dedupe_all(&state, &user.team_id, &body.profiles).await?,
    }))
}
