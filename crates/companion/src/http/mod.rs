//! The HTTP API: one module per area, each with its own router; the layers
//! every request passes through.

mod audit;
mod connections;
mod people;
mod sourcing;

use crate::error::AppError;
use crate::metrics::Metrics;
use crate::state::AppState;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::json;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

/// Largest request body (a profile with its markup-derived fields is small).
const MAX_BODY: usize = 256 * 1024;

/// JSON in, with rejections in the contract's error shape.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(AppError::invalid(rejection.body_text())),
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Sourcebar companion", description = "The HTTP contract the sidebar, options page and scripts speak."),
    paths(
        people::me, people::create_invite, people::list_invites, people::revoke_invite, people::accept_invite,
        people::members, people::remove_member,
        connections::providers, connections::integration_request, connections::list, connections::create,
        connections::test, connections::relink, connections::deactivate, connections::activate,
        connections::make_default, connections::remove, connections::request_sync, connections::sync_status,
        sourcing::dedupe_handler, sourcing::jobs, sourcing::upload, sourcing::merge, sourcing::upload_status,
        audit::list,
    ),
    components(schemas(crate::connections::ConnectionView, people::NewInvite, people::Acceptance,
        connections::NewConnection, connections::NewKey, connections::IntegrationRequest,
        crate::uploads::UploadRequest, crate::uploads::MergeRequest)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Issues a token for a user (the `init` command).
pub async fn issue_token_for(state: &AppState, user_id: &str) -> crate::error::AppResult<String> {
    people::issue_token(state, user_id).await
}

/// Issues an invite (the `invite` command).
pub async fn issue_invite_for(
    state: &AppState,
    team_id: &str,
    created_by: &str,
    role: crate::auth::Role,
) -> crate::error::AppResult<(String, i64, String)> {
    people::issue_invite(state, team_id, created_by, role).await
}

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The whole API.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(people::router())
        .merge(connections::router())
        .merge(sourcing::router())
        .merge(audit::router())
        .route("/v1/openapi.json", get(|| async { Json(openapi()) }))
        .route("/healthz", get(|| async { Json(json!({"status": "ok"})) }))
        .route("/metrics", get(metrics))
        .fallback(|| async { AppError::not_found("endpoint") })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            count_responses,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::GATEWAY_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(cors())
        .layer(TraceLayer::new_for_http())
        // Before the trace layer sees them: tokens never reach a log line.
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
        ]))
        .with_state(state)
}

/// Extensions call from their own origin; the extension has no host
/// permission for the companion, so CORS is what lets it through.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(|o| {
                o.starts_with("chrome-extension://") || o.starts_with("moz-extension://")
            })
        }))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .max_age(Duration::from_secs(600))
}

async fn metrics(State(state): State<AppState>) -> String {
    state.metrics.render(state.mirror.size())
}

async fn count_responses(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let m = &state.metrics;
    match response.status().as_u16() {
        200..=299 => Metrics::inc(&m.requests_2xx),
        400..=499 => Metrics::inc(&m.requests_4xx),
        500..=599 => Metrics::inc(&m.requests_5xx),
        _ => {}
    }
    response.into_response()
}
