//! The sandbox's own endpoints under `/_sandbox/`, for tests and the demo.

use crate::faults::Fault;
use crate::Shared;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// The `/_sandbox` routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/_sandbox/info", get(info))
        .route("/_sandbox/state", get(state))
        .route("/_sandbox/candidates", get(candidates))
        .route(
            "/_sandbox/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/_sandbox/requests", get(requests).delete(reset_requests))
        .route("/_sandbox/key", axum::routing::put(replace_key))
        .route("/_sandbox/tokens", axum::routing::delete(revoke_tokens))
        .route(
            "/_sandbox/permissions/{name}",
            axum::routing::delete(revoke_permission).put(restore_permission),
        )
        .route(
            "/_sandbox/applicants/{id}",
            get(show_applicant).delete(remove_applicant),
        )
}

/// Exactly what a connection needs to reach this sandbox: the provider, the
/// API root as the provider's docs write it, and its non-secret settings.
/// The address is the one the caller used, so it holds behind a port map.
async fn info(State(shared): State<Shared>, headers: axum::http::HeaderMap) -> Response {
    let Some(host) = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
    else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "no Host header"})),
        )
            .into_response();
    };
    let dialect = shared.dialect();
    let origin = format!("http://{host}");
    Json(json!({
        "provider": dialect.name(),
        "base_url": format!("{origin}{}", dialect.base_path()),
        "settings": dialect.settings(&origin),
        "read_permission": dialect.read_permission(),
    }))
    .into_response()
}

#[derive(Deserialize)]
struct NewKey {
    api_key: String,
}

/// `PUT /_sandbox/key {"api_key"}`: the ATS admin regenerated the key; the
/// old one is refused from now on (a connection then "needs attention").
async fn replace_key(State(shared): State<Shared>, Json(new): Json<NewKey>) -> Response {
    if new.api_key.trim().is_empty() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "api_key must not be empty"})),
        )
            .into_response();
    }
    shared.replace_key(new.api_key.trim());
    StatusCode::NO_CONTENT.into_response()
}

/// `DELETE /_sandbox/tokens`: every bearer token is revoked (the key
/// stays good, so a client that mints a new token goes on).
async fn revoke_tokens(State(shared): State<Shared>) -> StatusCode {
    shared.revoke_tokens();
    StatusCode::NO_CONTENT
}

/// `DELETE /_sandbox/permissions/{name}`: the key loses that permission
/// (for ATSs whose keys carry permissions, e.g. Greenhouse's scopes).
async fn revoke_permission(State(shared): State<Shared>, Path(name): Path<String>) -> StatusCode {
    shared.revoke_permission(&name);
    StatusCode::NO_CONTENT
}

/// `PUT /_sandbox/permissions/{name}`: the key has that permission again.
async fn restore_permission(State(shared): State<Shared>, Path(name): Path<String>) -> StatusCode {
    shared.restore_permission(&name);
    StatusCode::NO_CONTENT
}

async fn state(State(shared): State<Shared>) -> Json<Value> {
    let model = shared.model();
    Json(json!({ "candidates": model.people().len(), "jobs": model.jobs().len() }))
}

#[derive(Deserialize)]
struct CandidateQuery {
    email: Option<String>,
    name: Option<String>,
}

/// Each matching person as the ATS's record view shows it, with its
/// notes, files and jobs.
async fn candidates(State(shared): State<Shared>, Query(q): Query<CandidateQuery>) -> Json<Value> {
    let model = shared.model();
    let dialect = shared.dialect();
    let list = model
        .people()
        .iter()
        .filter(|p| {
            q.email.as_deref().is_none_or(|e| {
                p.emails
                    .iter()
                    .any(|m| m.address.eq_ignore_ascii_case(e.trim()))
            })
        })
        .filter(|p| q.name.as_deref().is_none_or(|n| p.name_matches(n)))
        .map(|p| dialect.inspect(&model, p))
        .collect();
    Json(Value::Array(list))
}

async fn list_faults(State(shared): State<Shared>) -> Json<Vec<Fault>> {
    Json(shared.faults.lock().expect("faults lock").clone())
}

async fn add_fault(State(shared): State<Shared>, Json(fault): Json<Fault>) -> Response {
    if !(0.0..=1.0).contains(&fault.probability) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "probability must be within 0..1"})),
        )
            .into_response();
    }
    shared.faults.lock().expect("faults lock").push(fault);
    StatusCode::CREATED.into_response()
}

async fn clear_faults(State(shared): State<Shared>) -> StatusCode {
    shared.faults.lock().expect("faults lock").clear();
    StatusCode::NO_CONTENT
}

async fn requests(State(shared): State<Shared>) -> Json<Value> {
    let stats = shared.stats.lock().expect("stats lock");
    Json(
        json!({ "total": stats.total, "rate_limited": stats.rate_limited, "peak_per_window": stats.peak_per_window, "by_path": stats.by_path }),
    )
}

async fn reset_requests(State(shared): State<Shared>) -> StatusCode {
    *shared.stats.lock().expect("stats lock") = crate::Stats::default();
    StatusCode::NO_CONTENT
}

/// The record view an `ats_url` opens in the demo (JazzHR's app has one).
async fn show_applicant(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    let model = shared.model();
    let dialect = shared.dialect();
    match dialect.find_person(&model, &id) {
        Some(p) => Json(dialect.record(&model, p)).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Removes a person, as deleting it in the ATS would (the model logs it).
async fn remove_applicant(State(shared): State<Shared>, Path(id): Path<String>) -> StatusCode {
    if shared.remove_person(&id) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}
