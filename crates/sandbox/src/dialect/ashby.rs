//! Ashby's API as real clients see it, over the neutral model: every call
//! `POST /<object>.<method>` with a JSON body, the key as the HTTP Basic
//! user name, `{"success": true, "results": …}` answers, business errors as
//! **HTTP 200** `{"success": false, "errors": […], "errorInfo": {"code",
//! "requestId"}}`, a 403 for a refused key or a missing permission (told by
//! the code), `candidate.list` paged by `nextCursor` whose last page gives
//! a `syncToken` for the changes after it, `x-ratelimit-*` headers and a
//! 429 with `Retry-After`. See README.md, "Ashby".

use super::{basic_user, Dialect, RateWindow};
use crate::model::{
    unix_now, Author, Id, Job, JobStatus, Link, LinkKind, Model, Person, Timestamp, User,
    Visibility,
};
use crate::Shared;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

/// Rows per page unless `limit` says otherwise, and the most it may say.
pub const MAX_LIMIT: usize = 100;
/// `candidate.search` answers at most this many (no pages).
pub const SEARCH_CAP: usize = 100;
/// An incremental listing of more changes than this is refused with
/// `incremental_sync_too_large` (the client must list in full).
pub const INCREMENTAL_CAP: usize = 5_000;
/// Permission names, as Ashby's API-key settings show them.
pub const CANDIDATES_READ: &str = "candidatesRead";
pub const CANDIDATES_WRITE: &str = "candidatesWrite";
pub const JOBS_READ: &str = "jobsRead";

/// Ashby.
pub struct Ashby;

impl Dialect for Ashby {
    fn name(&self) -> &'static str {
        "ashby"
    }

    /// Ashby's API root is the host itself (`https://api.ashbyhq.com`).
    fn base_path(&self) -> &'static str {
        ""
    }

    fn routes(&self) -> Router<Shared> {
        Router::new()
            .route("/candidate.list", post(candidate_list))
            .route("/candidate.info", post(candidate_info))
            .route("/candidate.search", post(candidate_search))
            .route("/candidate.create", post(candidate_create))
            .route("/candidate.update", post(candidate_update))
            .route("/candidate.createNote", post(create_note))
            .route("/candidate.listNotes", post(list_notes))
            .route("/application.create", post(application_create))
            .route("/job.list", post(job_list))
            .route("/apiKey.info", post(api_key_info))
    }

    fn api_key(&self, request: &Parts, _body: &[u8]) -> Option<String> {
        basic_user(&request.headers)
    }

    /// A refused key: 403 (README.md, "Ashby").
    fn unauthorized(&self) -> Response {
        (
            StatusCode::FORBIDDEN,
            Json(envelope_error(
                "invalid_api_key",
                "The API key is invalid or deactivated",
            )),
        )
            .into_response()
    }

    /// 429 with `Retry-After` (the seconds left in the window) and the
    /// same `x-ratelimit-*` headers as every answer.
    fn rate_limited(&self, window: &RateWindow) -> Response {
        let mut response = (
            StatusCode::TOO_MANY_REQUESTS,
            Json(envelope_error("rate_limit_exceeded", "Rate limit exceeded")),
        )
            .into_response();
        self.add_rate_headers(window, &mut response);
        let wait = super::retry_after(window);
        if let Ok(v) = wait.to_string().parse() {
            response.headers_mut().insert("retry-after", v);
        }
        response
    }

    /// `x-ratelimit-limit`, `-remaining` and `-reset` (seconds left).
    fn add_rate_headers(&self, window: &RateWindow, response: &mut Response) {
        let headers = response.headers_mut();
        for (name, value) in [
            ("x-ratelimit-limit", window.limit.to_string()),
            ("x-ratelimit-remaining", window.remaining.to_string()),
            (
                "x-ratelimit-reset",
                super::ceil_secs(window.resets_in).to_string(),
            ),
        ] {
            if let Ok(v) = value.parse() {
                headers.insert(name, v);
            }
        }
    }

    fn malformed_body(&self) -> &'static str {
        "{\"success\": true, \"results\": [{\"id\": unterminated"
    }

    fn person_id(&self, person: &Person) -> String {
        person
            .given_id
            .clone()
            .unwrap_or_else(|| uuid(0xca4d_1da7, person.id))
    }

    fn job_id(&self, job: &Job) -> String {
        uuid(0x10b5_0000, job.id)
    }

    fn record(&self, model: &Model, person: &Person) -> Value {
        candidate_json(model, person, "")
    }

    fn inspect(&self, model: &Model, person: &Person) -> Value {
        let mut view = self.record(model, person);
        view["notes"] = model
            .notes_of(person.id)
            .map(|n| json!({"id": uuid(0x0de5_0000, n.id), "content": n.body}))
            .collect();
        view["job_ids"] = model
            .applications_of(person.id)
            .filter_map(|a| model.job(a.job))
            .map(|j| self.job_id(j))
            .collect();
        view
    }

    /// Ashby needs nothing but the key.
    fn settings(&self, _origin: &str) -> Value {
        json!({})
    }
}

/// A UUID-shaped id: Ashby's ids are UUIDs.
fn uuid(kind: u32, id: Id) -> String {
    format!("{kind:08x}-0000-4000-8000-{:012x}", id.0)
}

/// The body of every error: `{"success": false, "errors", "errorInfo"}`.
fn envelope_error(code: &str, message: &str) -> Value {
    json!({"success": false, "errors": [message],
        "errorInfo": {"code": code, "requestId": format!("sandbox-{}", unix_now())}})
}

/// A business error: HTTP 200 with `success: false`.
fn fail(code: &str, message: &str) -> Response {
    (StatusCode::OK, Json(envelope_error(code, message))).into_response()
}

fn ok(results: Value) -> Response {
    let mut body = serde_json::Map::new();
    body.insert("success".into(), Value::Bool(true));
    body.insert("results".into(), results);
    Json(Value::Object(body)).into_response()
}

/// 403 `missing_endpoint_permission` when the key lacks `permission`.
fn lacks(shared: &Shared, permission: &str) -> Option<Response> {
    (!shared.has_permission(permission)).then(|| {
        (
            StatusCode::FORBIDDEN,
            Json(envelope_error(
                "missing_endpoint_permission",
                &format!("The API key is missing the permission {permission}"),
            )),
        )
            .into_response()
    })
}

fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// Ashby's timestamps carry milliseconds (`2024-01-31T09:30:00.000Z`).
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

fn field<'b>(body: &'b Value, name: &str) -> Option<&'b str> {
    body.get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A candidate as every endpoint prints it.
fn candidate_json(model: &Model, p: &Person, origin: &str) -> Value {
    let id = Ashby.person_id(p);
    let emails: Vec<Value> = p
        .emails
        .iter()
        .enumerate()
        .map(|(i, e)| json!({"value": e.address, "type": "Personal", "isPrimary": i == 0}))
        .collect();
    let phones: Vec<Value> = p
        .phones
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"value": n.number, "type": "Personal", "isPrimary": i == 0}))
        .collect();
    let links: Vec<Value> = p
        .links
        .iter()
        .map(|l| match l.kind {
            LinkKind::LinkedIn => json!({"type": "LinkedIn", "url": l.url}),
            LinkKind::Other => json!({"type": "Website", "url": l.url}),
        })
        .collect();
    json!({
        "id": id,
        "createdAt": stamp(&p.created_at),
        "updatedAt": stamp(&p.updated_at),
        "name": format!("{} {}", p.first_name, p.last_name).trim(),
        "primaryEmailAddress": emails.first().cloned().unwrap_or(Value::Null),
        "emailAddresses": emails,
        "primaryPhoneNumber": phones.first().cloned().unwrap_or(Value::Null),
        "phoneNumbers": phones,
        "socialLinks": links,
        "tags": p.tags.iter().map(|t| json!({"id": t, "title": t, "isArchived": false})).collect::<Vec<_>>(),
        "position": text(&p.title),
        "company": text(&p.company),
        "school": null,
        "applicationIds": model.applications_of(p.id).map(|a| uuid(0xa991_0000, a.id)).collect::<Vec<_>>(),
        "fileHandles": [],
        "customFields": [],
        "profileUrl": format!("{origin}/_sandbox/applicants/{id}"),
        "source": if p.source.is_empty() { Value::Null } else { json!({"id": "source-1", "title": p.source}) },
        "creditedToUser": null,
        "timezone": null,
        "location": if p.location.is_empty() { Value::Null } else { json!({"id": "loc-1", "locationSummary": p.location}) },
    })
}

fn person_of(model: &Model, id: &str) -> Option<Id> {
    Ashby.find_person(model, id).map(|p| p.id)
}

/// `limit`: 1 to 100, all of them by default; `None` for anything else.
fn limit_of(body: &Value) -> Option<usize> {
    match body.get("limit") {
        None | Some(Value::Null) => Some(MAX_LIMIT),
        Some(v) => v
            .as_u64()
            .and_then(|l| usize::try_from(l).ok())
            .filter(|l| (1..=MAX_LIMIT).contains(l)),
    }
}

fn bad_limit() -> Response {
    fail("invalid_input", "limit must be between 1 and 100")
}

/// A cursor: the walk's start (Unix seconds, for the sync token its last
/// page gives) and the last id shown.
fn cursor(started: u64, after: u64) -> String {
    format!("nc1.{started:x}.{after:x}")
}

fn read_cursor(raw: &str) -> Option<(u64, u64)> {
    let mut parts = raw.strip_prefix("nc1.")?.split('.');
    let started = u64::from_str_radix(parts.next()?, 16).ok()?;
    let after = u64::from_str_radix(parts.next()?, 16).ok()?;
    parts.next().is_none().then_some((started, after))
}

fn sync_token(since: u64) -> String {
    format!("st1.{since:x}")
}

fn read_sync_token(raw: &str) -> Option<u64> {
    u64::from_str_radix(raw.strip_prefix("st1.")?, 16).ok()
}

/// `candidate.list {limit, cursor, syncToken}`: oldest first; with a
/// sync token, only people changed since the listing that gave it began.
async fn candidate_list(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_READ) {
        return e;
    }
    let Some(limit) = limit_of(&body) else {
        return bad_limit();
    };
    let since = match field(&body, "syncToken") {
        None => None,
        Some(raw) => match read_sync_token(raw) {
            Some(s) => Some(Timestamp::from_unix(s)),
            None => return fail("sync_token_invalid", "The sync token cannot be decoded"),
        },
    };
    let (started, after) = match field(&body, "cursor") {
        None => (unix_now(), None),
        Some(raw) => match read_cursor(raw) {
            Some((started, after)) => (started, Some(after)),
            None => return fail("invalid_next_cursor", "The cursor cannot be decoded"),
        },
    };
    let model = shared.model();
    let origin = origin(&headers);
    let changed: Vec<&Person> = model
        .people()
        .iter()
        .filter(|p| since.as_ref().is_none_or(|s| p.updated_at >= *s))
        .collect();
    if since.is_some() && after.is_none() && changed.len() > INCREMENTAL_CAP {
        return fail(
            "incremental_sync_too_large",
            "Too many changes for an incremental sync: discard the sync token and sync in full",
        );
    }
    let rest: Vec<&Person> = changed
        .into_iter()
        .filter(|p| after.is_none_or(|a| p.id.0 > a))
        .collect();
    let shown = &rest[..rest.len().min(limit)];
    let mut answer = json!({
        "success": true,
        "results": shown.iter().map(|p| candidate_json(&model, p, &origin)).collect::<Vec<_>>(),
        "moreDataAvailable": rest.len() > shown.len(),
    });
    match shown.last() {
        Some(last) if rest.len() > shown.len() => {
            answer["nextCursor"] = json!(cursor(started, last.id.0));
        }
        _ => answer["syncToken"] = json!(sync_token(started)),
    }
    Json(answer).into_response()
}

async fn candidate_info(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_READ) {
        return e;
    }
    let Some(id) = field(&body, "id") else {
        return fail("invalid_input", "id is required");
    };
    let model = shared.model();
    match Ashby.find_person(&model, id) {
        Some(p) => ok(candidate_json(&model, p, &origin(&headers))),
        None => fail("candidate_not_found", "Candidate not found"),
    }
}

/// `candidate.search {email?, name?}`: both given must both match.
async fn candidate_search(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_READ) {
        return e;
    }
    let email = field(&body, "email").map(str::to_lowercase);
    let name = field(&body, "name");
    if email.is_none() && name.is_none() {
        return fail("invalid_input", "email or name is required");
    }
    let model = shared.model();
    let origin = origin(&headers);
    let found: Vec<Value> = model
        .people()
        .iter()
        .filter(|p| {
            email
                .as_deref()
                .is_none_or(|e| p.emails.iter().any(|m| m.address.to_lowercase() == e))
        })
        .filter(|p| name.is_none_or(|n| p.name_matches(n)))
        .take(SEARCH_CAP)
        .map(|p| candidate_json(&model, p, &origin))
        .collect();
    ok(Value::Array(found))
}

fn linkedin(url: &str) -> Link {
    Link {
        url: url.to_string(),
        kind: LinkKind::LinkedIn,
    }
}

/// `candidate.create {name, email?, phoneNumber?, linkedInUrl?, …}`.
async fn candidate_create(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_WRITE) {
        return e;
    }
    let Some(name) = field(&body, "name") else {
        return fail("invalid_input", "name is required");
    };
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    let mut person = Person::new(first, last.trim())
        .with_email(field(&body, "email").unwrap_or_default())
        .with_phone(field(&body, "phoneNumber").unwrap_or_default());
    if let Some(url) = field(&body, "linkedInUrl") {
        person.links.push(linkedin(url));
    }
    for key in ["githubUrl", "website"] {
        if let Some(url) = field(&body, key) {
            person = person.with_link(url, LinkKind::Other);
        }
    }
    person.source = "API".into();
    let mut model = shared.model();
    let id = model.add_person(person);
    let person = model.person(id).expect("just added");
    ok(candidate_json(&model, person, &origin(&headers)))
}

/// `candidate.update {candidateId, …}`: `socialLinks` replaces the list;
/// `linkedInUrl` replaces the LinkedIn link; `name` renames.
async fn candidate_update(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_WRITE) {
        return e;
    }
    let mut model = shared.model();
    let Some(id) = field(&body, "candidateId").and_then(|c| person_of(&model, c)) else {
        return fail("candidate_not_found", "Candidate not found");
    };
    let links = match body.get("socialLinks") {
        None => None,
        Some(Value::Array(list)) => Some(
            list.iter()
                .filter_map(|l| {
                    let url = field(l, "url")?;
                    Some(match field(l, "type") {
                        Some(t) if t.eq_ignore_ascii_case("linkedin") => linkedin(url),
                        _ => Link {
                            url: url.to_string(),
                            kind: LinkKind::Other,
                        },
                    })
                })
                .collect::<Vec<_>>(),
        ),
        Some(_) => return fail("invalid_input", "socialLinks must be a list"),
    };
    let person = model.person_mut(id).expect("just found");
    if let Some(links) = links {
        person.links = links;
    }
    if let Some(url) = field(&body, "linkedInUrl") {
        person.links.retain(|l| l.kind != LinkKind::LinkedIn);
        person.links.push(linkedin(url));
    }
    if let Some(name) = field(&body, "name") {
        let (first, last) = name.split_once(' ').unwrap_or((name, ""));
        first.clone_into(&mut person.first_name);
        last.trim().clone_into(&mut person.last_name);
    }
    person.updated_at = Timestamp::now();
    let person = model.person(id).expect("just found");
    ok(candidate_json(&model, person, &origin(&headers)))
}

fn author_json(user: Option<&User>) -> Value {
    user.map_or(Value::Null, |u| {
        json!({"id": uuid(0x05e4_0000, u.id), "firstName": u.first_name, "lastName": u.last_name, "email": u.email})
    })
}

/// `candidate.createNote {candidateId, note, sendNotifications}`: `note` is
/// text, or `{"type": "text/plain"|"text/html", "value"}`. Written as the
/// key's owner.
async fn create_note(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_WRITE) {
        return e;
    }
    let content = match body.get("note") {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Object(o)) => o
            .get("value")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_string(),
        _ => String::new(),
    };
    if content.is_empty() {
        return fail("invalid_input", "note is required");
    }
    let mut model = shared.model();
    let Some(id) = field(&body, "candidateId").and_then(|c| person_of(&model, c)) else {
        return fail("candidate_not_found", "Candidate not found");
    };
    let note = model.add_note(
        id,
        Author::User(Id::OWNER),
        content.clone(),
        Visibility::Everyone,
    );
    let created = model
        .notes()
        .iter()
        .find(|n| n.id == note)
        .map(|n| stamp(&n.created_at));
    ok(
        json!({"id": uuid(0x0de5_0000, note), "createdAt": created, "isPrivate": false,
        "content": content, "author": author_json(model.user(Id::OWNER))}),
    )
}

/// `candidate.listNotes {candidateId, limit, cursor}`: oldest first.
async fn list_notes(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_READ) {
        return e;
    }
    let Some(limit) = limit_of(&body) else {
        return bad_limit();
    };
    let after = match field(&body, "cursor") {
        None => None,
        Some(raw) => match read_cursor(raw) {
            Some((_, after)) => Some(after),
            None => return fail("invalid_next_cursor", "The cursor cannot be decoded"),
        },
    };
    let model = shared.model();
    let Some(id) = field(&body, "candidateId").and_then(|c| person_of(&model, c)) else {
        return fail("candidate_not_found", "Candidate not found");
    };
    let rest: Vec<_> = model
        .notes_of(id)
        .filter(|n| after.is_none_or(|a| n.id.0 > a))
        .collect();
    let shown = &rest[..rest.len().min(limit)];
    let mut answer = json!({
        "success": true,
        "results": shown.iter().map(|n| {
            let author = match &n.author { Author::User(u) => model.user(*u), Author::Unknown(_) => None };
            json!({"id": uuid(0x0de5_0000, n.id), "createdAt": stamp(&n.created_at),
                "isPrivate": n.visibility != Visibility::Everyone, "content": n.body,
                "author": author_json(author)})
        }).collect::<Vec<_>>(),
        "moreDataAvailable": rest.len() > shown.len(),
    });
    if let (Some(last), true) = (shown.last(), rest.len() > shown.len()) {
        answer["nextCursor"] = json!(cursor(0, last.id.0));
    }
    Json(answer).into_response()
}

/// `application.create {candidateId, jobId, interviewStageId?, …}`.
async fn application_create(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    if let Some(e) = lacks(&shared, CANDIDATES_WRITE) {
        return e;
    }
    let mut model = shared.model();
    let Some(person) = field(&body, "candidateId").and_then(|c| person_of(&model, c)) else {
        return fail("candidate_not_found", "Candidate not found");
    };
    let Some(job) = field(&body, "jobId").and_then(|j| {
        model
            .jobs()
            .iter()
            .find(|job| Ashby.job_id(job) == j)
            .map(|job| (job.id, job.title.clone(), job.status))
    }) else {
        return fail("job_not_found", "Job not found");
    };
    if job.2 != JobStatus::Open {
        return fail("invalid_input", "The job is not open");
    }
    if model.applications_of(person).any(|a| a.job == job.0) {
        return fail(
            "application_already_exists",
            "The candidate already has an application for this job",
        );
    }
    let application = model.apply(person, job.0, Timestamp::now());
    let a = model
        .applications()
        .iter()
        .find(|a| a.id == application)
        .expect("just made");
    ok(json!({
        "id": uuid(0xa991_0000, a.id), "createdAt": stamp(&a.created_at), "updatedAt": stamp(&a.updated_at),
        "status": "Active",
        "candidate": {"id": Ashby.person_id(model.person(person).expect("found")), "name": null},
        "job": {"id": field(&body, "jobId"), "title": job.1},
        "currentInterviewStage": {"id": format!("stage-{}", a.stage.id), "title": a.stage.name},
        "source": null,
    }))
}

fn status_of(job: &Job) -> &'static str {
    match job.status {
        JobStatus::Open => "Open",
        JobStatus::OnHold | JobStatus::Closed => "Closed",
        JobStatus::Draft => "Draft",
        JobStatus::Archived => "Archived",
    }
}

/// `job.list {limit, cursor}`: every job; an internal (private) one is
/// flagged `confidential`, Ashby's nearest word.
async fn job_list(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    if let Some(e) = lacks(&shared, JOBS_READ) {
        return e;
    }
    let Some(limit) = limit_of(&body) else {
        return bad_limit();
    };
    let after = match field(&body, "cursor") {
        None => None,
        Some(raw) => match read_cursor(raw) {
            Some((_, after)) => Some(after),
            None => return fail("invalid_next_cursor", "The cursor cannot be decoded"),
        },
    };
    let model = shared.model();
    let rest: Vec<&Job> = model
        .jobs()
        .iter()
        .filter(|j| after.is_none_or(|a| j.id.0 > a))
        .collect();
    let shown = &rest[..rest.len().min(limit)];
    let mut answer = json!({
        "success": true,
        "results": shown.iter().map(|j| json!({
            "id": Ashby.job_id(j), "title": j.title, "confidential": j.confidential || j.private,
            "status": status_of(j), "employmentType": "FullTime",
            "locationId": format!("loc-{}", j.location), "departmentId": format!("dep-{}", j.department),
            "defaultInterviewPlanId": "plan-1", "jobPostingIds": [], "hiringTeam": [],
            "createdAt": "2024-01-01T00:00:00.000Z", "updatedAt": "2024-01-01T00:00:00.000Z",
        })).collect::<Vec<_>>(),
        "moreDataAvailable": rest.len() > shown.len(),
    });
    if let (Some(last), true) = (shown.last(), rest.len() > shown.len()) {
        answer["nextCursor"] = json!(cursor(0, last.id.0));
    }
    Json(answer).into_response()
}

/// `apiKey.info`: the key's title (needs `apiKeysRead`).
async fn api_key_info(State(shared): State<Shared>) -> Response {
    if let Some(e) = lacks(&shared, "apiKeysRead") {
        return e;
    }
    ok(json!({"title": "Sourcebar sandbox key", "createdAt": "2024-01-01T00:00:00.000Z"}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_and_sync_tokens_round_trip_and_garbage_is_refused() {
        assert_eq!(
            read_cursor(&cursor(1_700_000_000, 42)),
            Some((1_700_000_000, 42))
        );
        assert_eq!(read_sync_token(&sync_token(7)), Some(7));
        for bad in ["", "nc1.", "nc1.zz.1", "nc1.1.2.3", "page=2"] {
            assert_eq!(read_cursor(bad), None, "{bad}");
        }
        assert_eq!(read_sync_token("st2.1"), None);
    }

    #[test]
    fn a_candidate_prints_its_primary_email_and_linkedin_link() {
        let mut model = Model::new();
        let id = model.add_person(
            Person::new("Ana", "Pérez")
                .with_email("ana@x.io")
                .with_link("https://www.linkedin.com/in/ana", LinkKind::LinkedIn),
        );
        let c = candidate_json(&model, model.person(id).unwrap(), "http://h");
        assert_eq!(c["name"], "Ana Pérez");
        assert_eq!(c["primaryEmailAddress"]["value"], "ana@x.io");
        assert_eq!(c["socialLinks"][0]["type"], "LinkedIn");
        let created = c["createdAt"].as_str().unwrap();
        assert_eq!(created.len(), 24, "milliseconds and Z: {created}");
    }

    #[test]
    fn job_statuses_follow_ashbys_words() {
        let model = Model::new();
        let words: Vec<&str> = model.jobs().iter().map(status_of).collect();
        assert!(words.contains(&"Open") && words.contains(&"Closed"));
    }
}
