//! The JazzHR v1 API as real clients see it: path-segment filters, pages of
//! 100, a lone object for a single row, business errors as HTTP 200 `_error`.

use crate::store::{Applicant, ApplicantJob, File, Note, Store};
use crate::Shared;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

/// JazzHR's fixed page size.
pub const PAGE_SIZE: usize = 100;

/// The `/v1` routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/v1/applicants",
            get(list_applicants_root).post(create_applicant),
        )
        .route("/v1/applicants/{*rest}", get(applicants))
        .route("/v1/notes", post(create_note))
        .route(
            "/v1/applicants2jobs",
            get(applicant_jobs_root).post(add_to_job),
        )
        .route("/v1/applicants2jobs/{*rest}", get(applicant_jobs))
        .route("/v1/files", post(create_file))
        .route("/v1/jobs", get(jobs_root))
        .route("/v1/jobs/{*rest}", get(jobs))
        .route("/v1/users", get(users))
        .route("/v1/users/{*rest}", get(users))
}

/// Percent-decoding of a path segment or query value (`+` is a space in queries).
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                if let Some(v) = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    out.push(v);
                    i += 3;
                } else {
                    out.push(b'%');
                    i += 1;
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `/{param}/{value}/.../page/{n}` → filters and the page (1-based).
fn parse_filters(rest: &str) -> (Vec<(String, String)>, usize) {
    let segments: Vec<String> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .map(decode)
        .collect();
    let mut filters = Vec::new();
    let mut page = 1;
    for pair in segments.chunks(2) {
        match pair {
            [k, v] if k == "page" => page = v.parse().unwrap_or(1).max(1),
            [k, v] => filters.push((k.clone(), v.clone())),
            _ => {}
        }
    }
    (filters, page)
}

/// A page of rows the JazzHR way: one row alone is an object, not an array.
fn page_of(rows: Vec<Value>, page: usize) -> Response {
    let mut rows: Vec<Value> = rows
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    if rows.len() == 1 {
        return Json(rows.remove(0)).into_response();
    }
    Json(Value::Array(rows)).into_response()
}

fn business_error(message: &str) -> Response {
    Json(json!({ "_error": message })).into_response()
}

fn list_row(store: &Store, a: &Applicant) -> Value {
    let job = a
        .jobs
        .first()
        .and_then(|id| store.jobs.iter().find(|j| &j.id == id));
    json!({
        "id": a.id, "first_name": a.first_name, "last_name": a.last_name,
        "prospect_phone": a.phone, "apply_date": a.apply_date,
        "job_id": job.map(|j| j.id.clone()).unwrap_or_default(),
        "job_title": job.map(|j| j.title.clone()).unwrap_or_default(),
    })
}

/// The detail view (`GET /applicants/{id}`), with email and LinkedIn URL.
pub fn detail(store: &Store, a: &Applicant) -> Value {
    let location = if a.location.is_empty() {
        "(No City Provided) (No State Provided) (No Postal Code Provided)".to_string()
    } else {
        a.location.clone()
    };
    let jobs: Vec<Value> = a
        .jobs
        .iter()
        .filter_map(|id| store.jobs.iter().find(|j| &j.id == id))
        .map(|j| json!({"job_id": j.id, "job_title": j.title, "applicant_progress": "New"}))
        .collect();
    let comments: Vec<Value> = store
        .notes
        .iter()
        .filter(|n| n.applicant_id == a.id)
        .map(|n| json!({"id": n.id, "user_id": n.user_id, "text": n.contents, "security": n.security}))
        .collect();
    json!({
        "id": a.id, "first_name": a.first_name, "last_name": a.last_name, "email": a.email,
        "address": "Unavailable", "location": location, "phone": a.phone,
        "linkedin_url": a.linkedin_url, "website": "", "twitter_username": "", "source": a.source,
        "recruiter_id": "", "apply_date": a.apply_date, "rating": "0", "resume_link": "",
        "jobs": jobs, "comments": comments, "activities": [], "messages": [],
    })
}

async fn list_applicants_root(state: State<Shared>) -> Response {
    applicants(state, Path(String::new())).await
}

async fn applicants(State(shared): State<Shared>, Path(rest): Path<String>) -> Response {
    let store = shared.store.lock().expect("store lock");
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if let [id] = segments.as_slice() {
        if *id != "page" {
            return match store.applicant(&decode(id)) {
                Some(a) => Json(detail(&store, a)).into_response(),
                None => business_error("Applicant not found"),
            };
        }
    }
    let (filters, page) = parse_filters(&rest);
    let rows = store
        .newest_first()
        .into_iter()
        .filter(|a| {
            filters.iter().all(|(k, v)| match k.as_str() {
                "name" => Store::name_matches(a, v),
                "job_id" => a.jobs.contains(v),
                "from_apply_date" => a.apply_date.as_str() >= v.as_str(),
                "to_apply_date" => a.apply_date.as_str() <= v.as_str(),
                "apply_date" => &a.apply_date == v,
                "city" => a.location.to_lowercase().contains(&v.to_lowercase()),
                _ => true,
            })
        })
        .map(|a| list_row(&store, a))
        .collect();
    page_of(rows, page)
}

fn field(body: &Map<String, Value>, name: &str) -> String {
    match body.get(name) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

async fn create_applicant(
    State(shared): State<Shared>,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    let (first, last, email) = (
        field(&body, "first_name"),
        field(&body, "last_name"),
        field(&body, "email"),
    );
    if first.is_empty() || last.is_empty() || email.is_empty() {
        return business_error("first_name, last_name and email are required");
    }
    let mut store = shared.store.lock().expect("store lock");
    let job = field(&body, "job");
    if !job.is_empty() && !store.jobs.iter().any(|j| j.id == job) {
        return business_error("Invalid job");
    }
    let apply_date = match field(&body, "apply_date") {
        d if d.len() == 10 => d,
        _ => crate::today(),
    };
    let id = store.add_applicant(Applicant {
        first_name: first,
        last_name: last,
        email,
        phone: field(&body, "phone"),
        linkedin_url: field(&body, "linkedin"),
        source: field(&body, "source"),
        apply_date,
        jobs: if job.is_empty() { vec![] } else { vec![job] },
        ..Applicant::default()
    });
    Json(json!({ "prospect_id": id })).into_response()
}

async fn create_note(
    State(shared): State<Shared>,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    let mut store = shared.store.lock().expect("store lock");
    let applicant_id = field(&body, "applicant_id");
    if store.applicant(&applicant_id).is_none() {
        return business_error("Applicant not found");
    }
    let contents = field(&body, "contents");
    if contents.is_empty() {
        return business_error("contents is required");
    }
    let id = store.id("comment");
    store.notes.push(Note {
        id: id.clone(),
        applicant_id,
        user_id: field(&body, "user_id"),
        contents,
        security: field(&body, "security"),
    });
    Json(json!({ "comment_id": id })).into_response()
}

async fn add_to_job(
    State(shared): State<Shared>,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    let mut store = shared.store.lock().expect("store lock");
    let (applicant_id, job_id) = (field(&body, "applicant_id"), field(&body, "job_id"));
    if store.applicant(&applicant_id).is_none() || !store.jobs.iter().any(|j| j.id == job_id) {
        return business_error("Applicant or job not found");
    }
    let id = store.id("a2j");
    if let Some(a) = store.applicants.iter_mut().find(|a| a.id == applicant_id) {
        if !a.jobs.contains(&job_id) {
            a.jobs.push(job_id.clone());
        }
    }
    store.applicant_jobs.push(ApplicantJob {
        id: id.clone(),
        applicant_id,
        job_id,
        rating: "0".into(),
        workflow_step_id: "1".into(),
        date: crate::today(),
    });
    Json(json!({ "id": id })).into_response()
}

async fn applicant_jobs_root(state: State<Shared>) -> Response {
    applicant_jobs(state, Path(String::new())).await
}

async fn applicant_jobs(State(shared): State<Shared>, Path(rest): Path<String>) -> Response {
    let store = shared.store.lock().expect("store lock");
    let (filters, page) = parse_filters(&rest);
    let rows = store
        .applicant_jobs
        .iter()
        .filter(|r| {
            filters.iter().all(|(k, v)| match k.as_str() {
                "applicant_id" => &r.applicant_id == v,
                "job_id" => &r.job_id == v,
                _ => true,
            })
        })
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .collect();
    page_of(rows, page)
}

async fn create_file(
    State(shared): State<Shared>,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    let mut store = shared.store.lock().expect("store lock");
    let applicant_id = field(&body, "applicant_id");
    if store.applicant(&applicant_id).is_none() {
        return business_error("Applicant not found");
    }
    let id = store.id("file");
    let size = field(&body, "file_data").len() * 3 / 4;
    store.files.push(File {
        id: id.clone(),
        applicant_id,
        filename: field(&body, "filename"),
        file_size: size,
    });
    Json(json!({ "file_id": id })).into_response()
}

async fn jobs_root(state: State<Shared>) -> Response {
    jobs(state, Path(String::new())).await
}

async fn jobs(State(shared): State<Shared>, Path(rest): Path<String>) -> Response {
    let store = shared.store.lock().expect("store lock");
    let (filters, page) = parse_filters(&rest);
    let flag = |v: &str| if v == "true" { "1" } else { "0" };
    let rows = store
        .jobs
        .iter()
        .filter(|j| {
            filters.iter().all(|(k, v)| match k.as_str() {
                "status" => j.status.eq_ignore_ascii_case(v),
                "confidential" => j.confidential == flag(v),
                "private" => j.private == flag(v),
                "title" => j.title.to_lowercase().contains(&v.to_lowercase()),
                "department" => j.department.eq_ignore_ascii_case(v),
                _ => true,
            })
        })
        .map(|j| serde_json::to_value(j).unwrap_or_default())
        .collect();
    page_of(rows, page)
}

async fn users(State(_): State<Shared>) -> Response {
    // One user: JazzHR answers a lone object.
    Json(json!({
        "id": "usr_20160101000000_sandbox", "type": "super_admin", "first_name": "Sandbox",
        "last_name": "Admin", "email": "admin@sandbox.invalid", "date_created": "2016-01-01",
    }))
    .into_response()
}
