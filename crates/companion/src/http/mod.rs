//! The HTTP API: one module per area, each with its own router; the layers
//! every request passes through.

mod audit;
mod auth;
mod connect_links;
mod connections;
mod imports;
mod jobs;
mod join;
mod people;
mod sourcing;

use crate::error::AppError;
use crate::metrics::Metrics;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::json;
use sourcebar_core::{api, matching, providers};
use std::net::{IpAddr, SocketAddr};
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
            // A body that grew past the limit while being read.
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::too_large(MAX_BODY))
            }
            Err(rejection) => Err(AppError::invalid(rejection.body_text())),
        }
    }
}

/// A query string, with rejections in the contract's error shape.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(AppError::invalid(rejection.body_text())),
        }
    }
}

/// The caller's address, when the server knows it (it always does when
/// served by [`crate::Application`]).
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts)))
    }
}

/// The peer address of the connection a request came on.
pub fn client_ip(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
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
        sourcing::dedupe_handler, jobs::list, jobs::applications, sourcing::upload, sourcing::merge, sourcing::upload_status,
        audit::list,
        imports::dedupe_batch, imports::create, imports::view, imports::rows, imports::upload,
        imports::merge, imports::report,
        connect_links::create, connect_links::list, connect_links::revoke,
    ),
    components(schemas(
        api::connections::ConnectionView, api::connections::NewConnection, api::connections::NewKey,
        api::connections::SyncStatus, api::connections::SyncCounts, api::connections::ConnectionTest,
        api::connections::IntegrationRequest, api::connections::IntegrationRequested,
        api::connections::NewConnectLink, api::connections::ConnectLinkView, api::connections::ConnectLinkState,
        api::people::Me, api::people::NewInvite, api::people::IssuedInvite, api::people::OpenInvite,
        api::people::Acceptance, api::people::Joined, api::people::Member,
        api::sourcing::ProfileSubmission, api::sourcing::Job, api::sourcing::UploadAnswer,
        api::sourcing::UploadStatus, api::sourcing::MergeAnswer, api::audit::AuditEntry,
        api::ErrorBody, api::applications::Application, api::applications::ApplicationStatus, matching::DedupeResponse, matching::BatchDedupeRequest, matching::BatchDedupeResponse,
        api::imports::ImportCreated, api::imports::ImportView, api::imports::ImportCounts,
        api::imports::ImportRowView, api::imports::RowSource, api::imports::ImportUpload,
        api::imports::ImportMerge, api::imports::RowMerge, api::imports::PastedImport,
        api::imports::ImportState, api::imports::RowVerdict, api::imports::RowState,
        sourcebar_core::import::RowError, providers::ProviderInfo)),
    modifiers(&BearerAuth, &MergeRequestSchema)
)]
struct ApiDoc;

struct BearerAuth;

/// Upload and merge take one body type ([`ProfileSubmission`]), documented as
/// `UploadRequest`; the merge route's body keeps its own name,
/// `MergeRequest`, so clients generated from the document do not change.
///
/// [`ProfileSubmission`]: sourcebar_core::api::sourcing::ProfileSubmission
struct MergeRequestSchema;

/// The schema name the merge route's body is documented under.
const MERGE_REQUEST: &str = "MergeRequest";

impl utoipa::Modify for MergeRequestSchema {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::PartialSchema;
        let components = openapi.components.get_or_insert_with(Default::default);
        components.schemas.insert(
            MERGE_REQUEST.to_string(),
            api::sourcing::ProfileSubmission::schema(),
        );
    }
}

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

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The whole API. `/metrics` is on it only when no `metrics_listen` is set.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(people::router())
        .merge(connections::router())
        .merge(connect_links::router())
        .merge(sourcing::router())
        .merge(jobs::router())
        .merge(audit::router())
        .merge(imports::router())
        .merge(join::router())
        .route("/v1/openapi.json", get(|| async { Json(openapi()) }))
        .route("/healthz", get(|| async { Json(json!({"status": "ok"})) }));
    let api = if state.settings.metrics_listen.is_none() {
        api.route("/metrics", get(metrics))
    } else {
        api
    };
    // Every route takes small bodies but the import of files, which has its own limit.
    api.layer(RequestBodyLimitLayer::new(MAX_BODY))
        .merge(imports::file_router())
        .fallback(|| async { AppError::not_found("endpoint") })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            count_responses,
        ))
        // Outside the limit: its bare 413 is rewritten in the contract's shape.
        .layer(axum::middleware::from_fn(contract_shaped_413))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::GATEWAY_TIMEOUT,
            Duration::from_mins(1),
        ))
        .layer(cors(&state.settings.allowed_extension_ids))
        // Spans name the route, never the path: a connect link's code is in
        // its path, and no log line may hold it.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let route = request
                    .extensions()
                    .get::<axum::extract::MatchedPath>()
                    .map_or("unmatched", axum::extract::MatchedPath::as_str);
                tracing::debug_span!("request", method = %request.method(), route)
            }),
        )
        // Before the trace layer sees them: tokens never reach a log line.
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
        ]))
        .with_state(state)
}

/// `/metrics` alone, for the `metrics_listen` address.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .fallback(|| async { AppError::not_found("endpoint") })
        .with_state(state)
}

/// Extensions call from their own origin; the extension has no host
/// permission for the companion, so CORS is what lets it through. With
/// `allowed_extension_ids` set, only those extensions' origins are answered;
/// otherwise any extension's.
fn cors(allowed_extension_ids: &[String]) -> CorsLayer {
    let allow_origin = if allowed_extension_ids.is_empty() {
        AllowOrigin::predicate(|origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(|o| {
                o.starts_with("chrome-extension://") || o.starts_with("moz-extension://")
            })
        })
    } else {
        AllowOrigin::list(allowed_extension_ids.iter().flat_map(|id| {
            ["chrome-extension", "moz-extension"]
                .into_iter()
                .filter_map(move |scheme| HeaderValue::try_from(format!("{scheme}://{id}")).ok())
        }))
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .max_age(Duration::from_mins(10))
}

/// The body limit answers a declared oversize body with a bare 413 before
/// any handler runs; callers get the contract's JSON shape instead.
async fn contract_shaped_413(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return AppError::too_large(MAX_BODY).into_response();
    }
    response
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
