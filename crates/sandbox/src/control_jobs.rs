//! `/_sandbox/jobs` and `/_sandbox/applications`: what a user of the ATS
//! does by hand to jobs and applications, for tests. Ids are the ones the
//! emulated ATS prints, so a test can look for them through its API.

use crate::model::{ApplicationStatus, Id, JobStatus, Stage};
use crate::Shared;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

/// The routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/_sandbox/jobs", post(create_job))
        .route("/_sandbox/jobs/{id}", patch(edit_job).delete(remove_job))
        .route("/_sandbox/applications", post(set_application))
}

fn refused(message: &str) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "error": message })),
    )
        .into_response()
}

fn job_status(word: Option<&str>) -> Result<Option<JobStatus>, &'static str> {
    word.map(|w| {
        JobStatus::parse(w).ok_or("status must be open, on_hold, closed, draft or archived")
    })
    .transpose()
}

#[derive(Deserialize)]
struct NewJob {
    title: String,
    status: Option<String>,
    #[serde(default)]
    confidential: bool,
}

/// `POST /_sandbox/jobs {"title","status"?,"confidential"?}` → `201 {"id"}`.
async fn create_job(State(shared): State<Shared>, Json(body): Json<NewJob>) -> Response {
    if body.title.trim().is_empty() {
        return refused("title must not be empty");
    }
    let status = match job_status(body.status.as_deref()) {
        Ok(status) => status.unwrap_or(JobStatus::Open),
        Err(why) => return refused(why),
    };
    let dialect = shared.dialect();
    let mut model = shared.model();
    let id = model.add_job(body.title.trim(), status, body.confidential);
    let printed = model.job(id).map(|j| dialect.job_id(j)).unwrap_or_default();
    (StatusCode::CREATED, Json(json!({ "id": printed }))).into_response()
}

/// The model's id of the job the ATS calls `printed`.
fn find_job(shared: &Shared, printed: &str) -> Option<Id> {
    let dialect = shared.dialect();
    shared
        .model()
        .jobs()
        .iter()
        .find(|j| dialect.job_id(j) == printed)
        .map(|j| j.id)
}

#[derive(Deserialize)]
struct JobEdit {
    status: Option<String>,
    title: Option<String>,
}

/// `PATCH /_sandbox/jobs/{id} {"status"?,"title"?}`.
async fn edit_job(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    Json(body): Json<JobEdit>,
) -> Response {
    let status = match job_status(body.status.as_deref()) {
        Ok(status) => status,
        Err(why) => return refused(why),
    };
    let Some(job) = find_job(&shared, &id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    shared.model().edit_job(job, status, body.title.as_deref());
    StatusCode::NO_CONTENT.into_response()
}

/// `DELETE /_sandbox/jobs/{id}`: the job and its applications are gone.
async fn remove_job(State(shared): State<Shared>, Path(id): Path<String>) -> StatusCode {
    match find_job(&shared, &id) {
        Some(job) if shared.model().remove_job(job) => StatusCode::NO_CONTENT,
        _ => StatusCode::NOT_FOUND,
    }
}

#[derive(Deserialize)]
struct ApplicationSet {
    candidate_id: String,
    job_id: String,
    stage: Option<String>,
    status: Option<String>,
}

/// `POST /_sandbox/applications {"candidate_id","job_id","stage"?,"status"?}`
/// → `201 {"id"}`: the person is on the job at that stage and status.
async fn set_application(
    State(shared): State<Shared>,
    Json(body): Json<ApplicationSet>,
) -> Response {
    let stage = match body.stage.as_deref().map(Stage::named) {
        Some(None) => return refused("stage must be one of the pipeline's stages"),
        Some(stage) => stage,
        None => None,
    };
    let status = match body.status.as_deref().map(ApplicationStatus::parse) {
        Some(None) => return refused("status must be active, rejected, hired or withdrawn"),
        Some(status) => status,
        None => None,
    };
    let Some(job) = find_job(&shared, &body.job_id) else {
        return refused("no such job");
    };
    let dialect = shared.dialect();
    let mut model = shared.model();
    let Some(person) = dialect
        .find_person(&model, &body.candidate_id)
        .map(|p| p.id)
    else {
        return refused("no such candidate");
    };
    let id = model.set_application(person, job, stage, status);
    (StatusCode::CREATED, Json(json!({ "id": id.0.to_string() }))).into_response()
}
