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
        .route(
            "/_sandbox/applicants/{id}",
            get(show_applicant).delete(remove_applicant),
        )
}

/// Exactly what a connection needs to reach this sandbox: the provider, the
/// API root as the provider's docs write it, and its non-secret settings.
/// The address is the one the caller used, so it holds behind a port map.
async fn info(headers: axum::http::HeaderMap) -> Response {
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
    Json(json!({
        "provider": "jazzhr",
        "base_url": format!("http://{host}/v1"),
        // Record links open the sandbox's own view of an applicant.
        "settings": {"app_url": format!("http://{host}/_sandbox/applicants")},
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

async fn state(State(shared): State<Shared>) -> Json<Value> {
    let store = shared.store.lock().expect("store lock");
    Json(json!({ "candidates": store.applicants.len(), "jobs": store.jobs.len() }))
}

#[derive(Deserialize)]
struct CandidateQuery {
    email: Option<String>,
    name: Option<String>,
}

/// Each matching applicant with its notes, files and jobs.
async fn candidates(State(shared): State<Shared>, Query(q): Query<CandidateQuery>) -> Json<Value> {
    let store = shared.store.lock().expect("store lock");
    let list = store
        .applicants
        .iter()
        .filter(|a| {
            q.email
                .as_deref()
                .is_none_or(|e| a.email.eq_ignore_ascii_case(e.trim()))
        })
        .filter(|a| {
            q.name
                .as_deref()
                .is_none_or(|n| crate::store::Store::name_matches(a, n))
        })
        .map(|a| {
            let mut detail = crate::jazzhr::detail(&store, a);
            let notes: Vec<Value> = store
                .notes
                .iter()
                .filter(|n| n.applicant_id == a.id)
                .map(|n| json!(n))
                .collect();
            let files: Vec<Value> = store
                .files
                .iter()
                .filter(|f| f.applicant_id == a.id)
                .map(|f| json!(f))
                .collect();
            detail["notes"] = Value::Array(notes);
            detail["files"] = Value::Array(files);
            detail["job_ids"] = json!(a.jobs);
            detail
        })
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
    let store = shared.store.lock().expect("store lock");
    match store.applicant(&id) {
        Some(a) => Json(crate::jazzhr::detail(&store, a)).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn remove_applicant(State(shared): State<Shared>, Path(id): Path<String>) -> StatusCode {
    let mut store = shared.store.lock().expect("store lock");
    let before = store.applicants.len();
    store.applicants.retain(|a| a.id != id);
    if store.applicants.len() < before {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}
