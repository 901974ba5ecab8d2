//! Jobs and applications: the picker, answered from the job mirror, and a
//! candidate's applications, fresh from the ATS or else from the mirror.

use crate::app::auth::AuthUser;
use crate::app::jobs;
use crate::error::AppResult;
use crate::http::ApiQuery;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use sourcebar_core::api::applications::Application;
use sourcebar_core::api::sourcing::Job;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/jobs", get(list))
        .route("/v1/candidates/{ats_id}/applications", get(applications))
}

#[derive(Deserialize)]
struct JobsQuery {
    connection_id: Option<String>,
    /// Type-to-filter: words of the title, any case, accents ignored.
    #[serde(default)]
    q: String,
}

/// The header that says where the answer came from: `mirror`, or `live`
/// while the mirror has never held this connection's jobs.
const SOURCE_HEADER: &str = "sourcebar-jobs-source";

#[utoipa::path(get, path = "/v1/jobs", params(("connection_id" = Option<String>, Query), ("q" = Option<String>, Query, description = "Filters by title")), responses((status = 200, description = "Open jobs, confidential ones left out, from the job mirror", body = [Job]), (status = 409)))]
async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(query): ApiQuery<JobsQuery>,
) -> AppResult<Response> {
    let (list, source) = jobs::picker(
        &state,
        &user.team_id,
        query.connection_id.as_deref(),
        &query.q,
    )
    .await?;
    let mut response = Json(list).into_response();
    response
        .headers_mut()
        .insert(SOURCE_HEADER, HeaderValue::from_static(source.as_str()));
    Ok(response)
}

#[derive(Deserialize)]
struct ApplicationsQuery {
    connection_id: Option<String>,
}

/// The header that says an applications answer came from the mirror
/// (`true`) because the ATS did not answer in time; each application also
/// carries `"stale": true` then.
const STALE_HEADER: &str = "sourcebar-stale";

#[utoipa::path(get, path = "/v1/candidates/{ats_id}/applications", params(("ats_id" = String, Path), ("connection_id" = Option<String>, Query)), responses((status = 200, description = "The candidate's applications, fresh from the ATS, else from the mirror with \"stale\": true", body = [Application]), (status = 409)))]
async fn applications(
    State(state): State<AppState>,
    user: AuthUser,
    Path(ats_id): Path<String>,
    ApiQuery(query): ApiQuery<ApplicationsQuery>,
) -> AppResult<Response> {
    let (list, fresh) = crate::app::applications::of_candidate(
        &state,
        &user.team_id,
        query.connection_id.as_deref(),
        &ats_id,
    )
    .await?;
    let mut response = Json(list).into_response();
    response.headers_mut().insert(
        STALE_HEADER,
        HeaderValue::from_static(if fresh { "false" } else { "true" }),
    );
    Ok(response)
}
