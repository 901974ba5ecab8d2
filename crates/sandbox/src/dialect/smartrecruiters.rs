//! SmartRecruiters' Customer API as its docs describe it, over the neutral
//! model (lower confidence than the other dialects: see README.md,
//! "SmartRecruiters"): `X-SmartToken`, `GET /candidates?q=&limit=&offset=`
//! answering a `ListResult` (`{totalFound, offset, limit, content}`) whose
//! rows lack some fields (the LinkedIn URL is in the detail's `web`),
//! candidates created in the talent pool or on a job, notes shared through
//! the Message API, `X-RateLimit-*` and `X-RateLimit-Concurrent-*` headers,
//! and a single `GET /candidates` at a time per key (more: 429).

use super::{Dialect, RateWindow};
use crate::model::{Author, Id, Job, JobStatus, LinkKind, Model, Person, Timestamp, Visibility};
use crate::Shared;
use axum::extract::{Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use sourcebar_core::names::fold_name;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// Rows per page unless `limit` says otherwise, and the most it may say.
pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 100;
/// `GET /candidates` calls one key may have in flight (the docs: 1).
pub const LIST_AT_ONCE: u32 = 1;
/// Calls in flight per key in all (the docs: 8).
pub const AT_ONCE: u32 = 8;
/// How long the sandbox works on a candidate list, so that concurrent
/// lists really overlap (a search over every field is not instant).
const LIST_WORK: Duration = Duration::from_millis(15);
/// Permission names (UNCONFIRMED spellings; README.md).
pub const CANDIDATES_READ: &str = "candidates_read";
pub const CANDIDATES_WRITE: &str = "candidates_manage";
pub const JOBS_READ: &str = "jobs_read";

/// Calls in flight in all, and lists in flight, of one sandbox (one key).
#[derive(Default)]
struct InFlight {
    all: AtomicU32,
    lists: AtomicU32,
}

/// The counts of the sandbox a request reached, told by its `Host`
/// (several sandboxes share a test process).
fn in_flight(headers: &HeaderMap) -> Arc<InFlight> {
    static SANDBOXES: OnceLock<Mutex<HashMap<String, Arc<InFlight>>>> = OnceLock::new();
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    SANDBOXES
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .entry(host)
        .or_default()
        .clone()
}

/// SmartRecruiters (Customer API).
pub struct SmartRecruiters;

impl Dialect for SmartRecruiters {
    fn name(&self) -> &'static str {
        "smartrecruiters"
    }

    /// The API root is the host (`https://api.smartrecruiters.com`).
    fn base_path(&self) -> &'static str {
        ""
    }

    fn routes(&self) -> Router<Shared> {
        Router::new()
            .route("/candidates", get(list_candidates).post(create_in_pool))
            .route(
                "/candidates/{id}",
                get(show_candidate).patch(update_candidate),
            )
            .route("/candidates/{id}/jobs/{job}", put(assign))
            .route("/jobs/{job}/candidates", post(create_on_job))
            .route("/jobs", get(jobs))
            .route("/messages/shares", post(share))
            .route_layer(axum::middleware::from_fn(concurrency))
    }

    fn api_key(&self, request: &Parts, _body: &[u8]) -> Option<String> {
        request
            .headers
            .get("x-smarttoken")?
            .to_str()
            .ok()
            .map(|k| k.trim().to_string())
    }

    fn unauthorized(&self) -> Response {
        error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "Invalid API key")
    }

    fn rate_limited(&self, window: &RateWindow) -> Response {
        let mut response = error(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMIT_EXCEEDED",
            "Too many requests",
        );
        self.add_rate_headers(window, &mut response);
        if let Some(secs) = window.retry_after_secs {
            if let Ok(v) = secs.to_string().parse() {
                response.headers_mut().insert("retry-after", v);
            }
        }
        response
    }

    /// `X-RateLimit-Limit` and `-Remaining` (no reset is documented).
    fn add_rate_headers(&self, window: &RateWindow, response: &mut Response) {
        let headers = response.headers_mut();
        for (name, value) in [
            ("x-ratelimit-limit", window.limit),
            ("x-ratelimit-remaining", window.remaining),
        ] {
            if let Ok(v) = value.to_string().parse() {
                headers.insert(name, v);
            }
        }
    }

    fn malformed_body(&self) -> &'static str {
        "{\"totalFound\": 3, \"content\": [unterminated"
    }

    fn person_id(&self, person: &Person) -> String {
        person
            .given_id
            .clone()
            .unwrap_or_else(|| uuid(0x5a4e_0000, person.id))
    }

    fn job_id(&self, job: &Job) -> String {
        uuid(0x10b0_0000, job.id)
    }

    fn record(&self, model: &Model, person: &Person) -> Value {
        detail(model, person)
    }

    fn inspect(&self, model: &Model, person: &Person) -> Value {
        let mut view = detail(model, person);
        view["notes"] = model
            .notes_of(person.id)
            .map(|n| json!({"id": uuid(0x3e55_0000, n.id), "content": n.body}))
            .collect();
        view["job_ids"] = model
            .applications_of(person.id)
            .filter_map(|a| model.job(a.job))
            .map(|j| self.job_id(j))
            .collect();
        view
    }

    /// Nothing but the key.
    fn settings(&self, _origin: &str) -> Value {
        json!({})
    }
}

fn uuid(kind: u32, id: Id) -> String {
    format!("{kind:08x}-0000-4000-8000-{:012x}", id.0)
}

/// `{"errors": [{"code", "message"}]}` with a status.
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"errors": [{"code": code, "message": message}]})),
    )
        .into_response()
}

fn lacks(shared: &Shared, permission: &str) -> Option<Response> {
    (!shared.has_permission(permission)).then(|| {
        error(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            &format!("Missing permission {permission}"),
        )
    })
}

/// Calls in flight: 8 in all and one `GET /candidates` at a time, else
/// 429 with `X-RateLimit-Concurrent-*`; both counts on every answer.
async fn concurrency(request: Request, next: Next) -> Response {
    let is_list =
        request.method() == axum::http::Method::GET && request.uri().path() == "/candidates";
    let counts = in_flight(request.headers());
    let all = counts.all.fetch_add(1, Ordering::SeqCst) + 1;
    let lists = if is_list {
        counts.lists.fetch_add(1, Ordering::SeqCst) + 1
    } else {
        0
    };
    let (limit, used) = if is_list {
        (LIST_AT_ONCE, lists)
    } else {
        (AT_ONCE, all)
    };
    let mut response = if all > AT_ONCE || lists > LIST_AT_ONCE {
        error(
            StatusCode::TOO_MANY_REQUESTS,
            "CONCURRENT_REQUESTS_LIMIT_EXCEEDED",
            "Too many concurrent requests",
        )
    } else {
        if is_list {
            tokio::time::sleep(LIST_WORK).await;
        }
        next.run(request).await
    };
    counts.all.fetch_sub(1, Ordering::SeqCst);
    if is_list {
        counts.lists.fetch_sub(1, Ordering::SeqCst);
    }
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-concurrent-limit", limit),
        (
            "x-ratelimit-concurrent-remaining",
            limit.saturating_sub(used),
        ),
    ] {
        if let Ok(v) = value.to_string().parse() {
            headers.insert(name, v);
        }
    }
    response
}

fn stamp(t: &Timestamp) -> String {
    t.as_str()
        .strip_suffix('Z')
        .map_or_else(|| t.as_str().to_string(), |s| format!("{s}.000Z"))
}

fn text(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::String(s.to_string())
    }
}

/// Job statuses: SOURCING, INTERVIEW and OFFER are open.
fn status_of(job: &Job) -> &'static str {
    match job.status {
        JobStatus::Open => "SOURCING",
        JobStatus::OnHold => "ON_HOLD",
        JobStatus::Closed => "FILLED",
        JobStatus::Draft => "CREATED",
        JobStatus::Archived => "CANCELLED",
    }
}

fn posting_status(job: &Job) -> &'static str {
    if job.confidential {
        "PRIVATE"
    } else if job.private {
        "INTERNAL"
    } else {
        "PUBLIC"
    }
}

fn assignment(model: &Model, a: &crate::model::Application) -> Value {
    let job = model.job(a.job);
    json!({
        "job": job.map_or(Value::Null, |j| json!({"id": SmartRecruiters.job_id(j), "title": j.title})),
        "status": if a.stage.id == 1 { "NEW" } else { "IN_REVIEW" },
        "startsOn": stamp(&a.created_at),
    })
}

/// A list row: "some fields might not be set" (no `web`, no phone).
fn row(model: &Model, p: &Person) -> Value {
    let mut applications = model.applications_of(p.id);
    let id = SmartRecruiters.person_id(p);
    json!({
        "id": id, "internal": false,
        "firstName": p.first_name, "lastName": p.last_name, "email": text(p.email()),
        "location": if p.location.is_empty() { Value::Null } else { json!({"city": p.location}) },
        "createdOn": stamp(&p.created_at), "updatedOn": stamp(&p.updated_at),
        "primaryAssignment": applications.next().map_or(Value::Null, |a| assignment(model, a)),
        "secondaryAssignments": applications.map(|a| assignment(model, a)).collect::<Vec<_>>(),
        "actions": {"details": {"url": format!("/candidates/{id}"), "method": "GET"}},
    })
}

/// The detail: the row with `phoneNumber`, `web` and `tags`.
fn detail(model: &Model, p: &Person) -> Value {
    let mut c = row(model, p);
    c["phoneNumber"] = text(p.phone());
    let mut web = json!({});
    for link in &p.links {
        match link.kind {
            LinkKind::LinkedIn => web["linkedin"] = json!(link.url),
            LinkKind::Other => web["website"] = json!(link.url),
        }
    }
    c["web"] = web;
    c["tags"] = json!(p.tags);
    c
}

fn query(uri: &axum::http::Uri) -> Vec<(String, String)> {
    uri.query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), super::decode(v)))
        .collect()
}

fn param<'q>(q: &'q [(String, String)], name: &str) -> Option<&'q str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `q`: a keyword search on every field, case-insensitive: each word of
/// the query is found in the person's names, emails, title or company.
fn keyword_match(p: &Person, q: &str) -> bool {
    let emails: Vec<&str> = p.emails.iter().map(|e| e.address.as_str()).collect();
    let haystack = format!(
        "{} {} {} {} {}",
        fold_name(&p.first_name),
        fold_name(&p.last_name),
        emails.join(" ").to_lowercase(),
        fold_name(&p.title),
        fold_name(&p.company)
    );
    let words: Vec<String> = q
        .split_whitespace()
        .map(|w| {
            if w.contains('@') {
                w.to_lowercase()
            } else {
                fold_name(w)
            }
        })
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty() && words.iter().all(|w| haystack.contains(w.as_str()))
}

fn paged(q: &[(String, String)], rows: Vec<Value>) -> Result<Value, Box<Response>> {
    let limit = match param(q, "limit") {
        None => DEFAULT_LIMIT,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| {
                Box::new(error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_PARAMETER",
                    "limit must be 1 to 100",
                ))
            })?,
    };
    let offset = match param(q, "offset") {
        None => 0,
        Some(o) => o.parse::<usize>().map_err(|_| {
            Box::new(error(
                StatusCode::BAD_REQUEST,
                "INVALID_PARAMETER",
                "bad offset",
            ))
        })?,
    };
    let total = rows.len();
    let content: Vec<Value> = rows.into_iter().skip(offset).take(limit).collect();
    Ok(json!({"totalFound": total, "offset": offset, "limit": limit, "content": content}))
}

async fn list_candidates(State(shared): State<Shared>, uri: axum::http::Uri) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_READ) {
        return e;
    }
    let q = query(&uri);
    let model = shared.model();
    let keyword = param(&q, "q").filter(|k| !k.trim().is_empty());
    let job = param(&q, "jobId");
    let rows: Vec<Value> = model
        .people()
        .iter()
        .filter(|p| keyword.is_none_or(|k| keyword_match(p, k)))
        .filter(|p| {
            job.is_none_or(|j| {
                model
                    .applications_of(p.id)
                    .filter_map(|a| model.job(a.job))
                    .any(|jj| SmartRecruiters.job_id(jj) == j)
            })
        })
        .map(|p| row(&model, p))
        .collect();
    match paged(&q, rows) {
        Ok(body) => Json(body).into_response(),
        Err(e) => *e,
    }
}

async fn show_candidate(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_READ) {
        return e;
    }
    let model = shared.model();
    match SmartRecruiters.find_person(&model, &id) {
        Some(p) => Json(detail(&model, p)).into_response(),
        None => error(StatusCode::NOT_FOUND, "NOT_FOUND", "Candidate not found"),
    }
}

fn field<'b>(body: &'b Value, name: &str) -> &'b str {
    body.get(name).and_then(Value::as_str).map_or("", str::trim)
}

/// Creates a person from a Candidate body: `firstName`, `lastName` and
/// `email` are required (400 without them).
fn create(shared: &Shared, job: Option<&str>, body: &Value) -> Response {
    if let Some(e) = lacks(shared, CANDIDATES_WRITE) {
        return e;
    }
    let (first, last, email) = (
        field(body, "firstName"),
        field(body, "lastName"),
        field(body, "email"),
    );
    if first.is_empty() || last.is_empty() || email.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_CANDIDATE",
            "firstName, lastName and email are required",
        );
    }
    let mut model = shared.model();
    let job = match job {
        Some(j) => match model
            .jobs()
            .iter()
            .find(|jj| SmartRecruiters.job_id(jj) == j)
        {
            Some(jj) => Some(jj.id),
            None => return error(StatusCode::NOT_FOUND, "NOT_FOUND", "Job not found"),
        },
        None => None,
    };
    let mut person = Person::new(first, last)
        .with_email(email)
        .with_phone(field(body, "phoneNumber"));
    if let Some(web) = body.get("web") {
        person = person
            .with_link(field(web, "linkedin"), LinkKind::LinkedIn)
            .with_link(field(web, "website"), LinkKind::Other);
    }
    person.source = "API".into();
    let at = person.created_at.clone();
    let id = model.add_person(person);
    if let Some(job) = job {
        model.apply(id, job, at);
    }
    let person = model.person(id).expect("just added");
    (StatusCode::CREATED, Json(detail(&model, person))).into_response()
}

async fn create_in_pool(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    create(&shared, None, &body)
}

async fn create_on_job(
    State(shared): State<Shared>,
    Path(job): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    create(&shared, Some(&job), &body)
}

/// `PATCH /candidates/{id}`: the fields given are changed; `web` is merged
/// key by key (UNCONFIRMED).
async fn update_candidate(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_WRITE) {
        return e;
    }
    let mut model = shared.model();
    let Some(pid) = SmartRecruiters.find_person(&model, &id).map(|p| p.id) else {
        return error(StatusCode::NOT_FOUND, "NOT_FOUND", "Candidate not found");
    };
    let person = model.person_mut(pid).expect("just found");
    if let Some(web) = body.get("web") {
        let linkedin = field(web, "linkedin");
        if !linkedin.is_empty() {
            person.links.retain(|l| l.kind != LinkKind::LinkedIn);
            person.links.push(crate::model::Link {
                url: linkedin.to_string(),
                kind: LinkKind::LinkedIn,
            });
        }
    }
    for (name, target) in [
        ("firstName", &mut person.first_name),
        ("lastName", &mut person.last_name),
    ] {
        let v = field(&body, name);
        if !v.is_empty() {
            v.clone_into(target);
        }
    }
    person.updated_at = Timestamp::now();
    let person = model.person(pid).expect("just found");
    Json(detail(&model, person)).into_response()
}

/// `PUT /candidates/{id}/jobs/{jobId}`: the candidate is on the job
/// (again: nothing changes). UNCONFIRMED path.
async fn assign(State(shared): State<Shared>, Path((id, job)): Path<(String, String)>) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_WRITE) {
        return e;
    }
    let mut model = shared.model();
    let Some(person) = SmartRecruiters.find_person(&model, &id).map(|p| p.id) else {
        return error(StatusCode::NOT_FOUND, "NOT_FOUND", "Candidate not found");
    };
    let Some(job) = model
        .jobs()
        .iter()
        .find(|j| SmartRecruiters.job_id(j) == job)
        .map(|j| j.id)
    else {
        return error(StatusCode::NOT_FOUND, "NOT_FOUND", "Job not found");
    };
    let application = model.apply(person, job, Timestamp::now());
    let a = model
        .applications()
        .iter()
        .find(|a| a.id == application)
        .expect("just made");
    Json(assignment(&model, a)).into_response()
}

/// `POST /messages/shares {content, shareWith}`: a note on each candidate
/// the content tags as `@[CANDIDATE:<id>]` (UNCONFIRMED syntax); 201
/// `{id, shareRequired}`.
async fn share(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_WRITE) {
        return e;
    }
    let content = field(&body, "content").to_string();
    if content.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_MESSAGE",
            "content is required",
        );
    }
    let mut model = shared.model();
    let tagged: Vec<Id> = content
        .split("@[CANDIDATE:")
        .skip(1)
        .filter_map(|rest| rest.split_once(']'))
        .filter_map(|(id, _)| SmartRecruiters.find_person(&model, id).map(|p| p.id))
        .collect();
    if tagged.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_MESSAGE",
            "the message tags no known candidate",
        );
    }
    let everyone = body.pointer("/shareWith/everyone") == Some(&Value::Bool(true))
        || body.pointer("/shareWith/openNote") == Some(&Value::Bool(true));
    let visibility = if everyone {
        Visibility::Everyone
    } else {
        Visibility::Restricted
    };
    let mut first = None;
    for person in tagged {
        let id = model.add_note(person, Author::User(Id::OWNER), content.clone(), visibility);
        first.get_or_insert(id);
    }
    (
        StatusCode::CREATED,
        Json(json!({"id": uuid(0x3e55_0000, first.expect("one note")), "shareRequired": false})),
    )
        .into_response()
}

async fn jobs(State(shared): State<Shared>, uri: axum::http::Uri, _h: HeaderMap) -> Response {
    if let Some(e) = lacks(&shared, JOBS_READ) {
        return e;
    }
    let q = query(&uri);
    let model = shared.model();
    let status = param(&q, "status");
    let rows: Vec<Value> = model
        .jobs()
        .iter()
        .filter(|j| status.is_none_or(|s| status_of(j) == s))
        .map(|j| {
            json!({"id": SmartRecruiters.job_id(j), "title": j.title, "refNumber": format!("REF{}", j.id.0),
                "status": status_of(j), "postingStatus": posting_status(j),
                "department": {"label": j.department}, "location": {"city": j.location},
                "createdOn": "2024-01-01T00:00:00.000Z", "updatedOn": "2024-01-01T00:00:00.000Z"})
        })
        .collect();
    match paged(&q, rows) {
        Ok(body) => Json(body).into_response(),
        Err(e) => *e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyword_search_finds_emails_and_names_in_any_case() {
        let p = Person::new("Élodie", "Martin").with_email("Elodie.M@x.io");
        assert!(keyword_match(&p, "elodie.m@X.io"));
        assert!(keyword_match(&p, "elodie martin"));
        assert!(!keyword_match(&p, "elodie smith"));
        assert!(!keyword_match(&p, " "));
    }

    #[test]
    fn rows_lack_the_web_profiles_the_detail_has() {
        let mut model = Model::new();
        let id = model.add_person(
            Person::new("A", "B").with_link("https://www.linkedin.com/in/ab", LinkKind::LinkedIn),
        );
        let p = model.person(id).unwrap();
        assert!(row(&model, p).get("web").is_none());
        assert_eq!(
            detail(&model, p)["web"]["linkedin"],
            "https://www.linkedin.com/in/ab"
        );
    }

    #[test]
    fn open_public_jobs_are_sourcing_and_public() {
        let model = Model::new();
        assert!(model
            .jobs()
            .iter()
            .any(|j| status_of(j) == "SOURCING" && posting_status(j) == "PUBLIC"));
        assert!(model.jobs().iter().any(|j| posting_status(j) == "PRIVATE"));
    }
}
