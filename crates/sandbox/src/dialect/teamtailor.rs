//! Teamtailor's v1 API (JSON:API) as its docs describe it, over the neutral
//! model: `Authorization: Token token=…`, a required `X-Api-Version` (406
//! without a valid one), `application/vnd.api+json` documents, pages of
//! `page[size]` (10 by default, 30 at most) numbered by `page[number]` with
//! `meta` and `links`, `filter[…]` parameters, `X-Rate-Limit-*` headers
//! whose reset is seconds left, and `{"errors": [{"detail": …}]}` bodies.
//! Key scopes (Admin, read, write) are emulated: a scope taken from the key
//! (`SandboxState::revoke_permission`) makes what needed it answer 403.
//! Every choice the docs leave open is in README.md, "Teamtailor".

use super::{decode, Dialect, RateWindow};
use crate::model::{
    Application, ApplicationStatus, Job, JobStatus, LinkKind, Model, Person, Stage, Timestamp, User,
};
use crate::Shared;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Rows per page when the client does not say.
pub const DEFAULT_PAGE_SIZE: usize = 10;
/// The most rows a page holds.
pub const MAX_PAGE_SIZE: usize = 30;
/// The oldest API version (the first documented one).
pub const OLDEST_VERSION: &str = "20161108";
/// The key's scope that reaches candidates, notes, applications and users.
pub const ADMIN: &str = "Admin";
/// The key's permission to read.
pub const READ: &str = "read";
/// The key's permission to write.
pub const WRITE: &str = "write";
/// JSON:API's media type.
const MEDIA_TYPE: &str = "application/vnd.api+json";

/// Teamtailor (API v1).
pub struct Teamtailor;

impl Dialect for Teamtailor {
    fn name(&self) -> &'static str {
        "teamtailor"
    }

    fn base_path(&self) -> &'static str {
        "/v1"
    }

    fn routes(&self) -> Router<Shared> {
        Router::new()
            .route(
                "/v1/candidates",
                get(list_candidates).post(create_candidate),
            )
            .route(
                "/v1/candidates/{id}",
                get(show_candidate).patch(update_candidate),
            )
            .route("/v1/notes", post(create_note))
            .route("/v1/job-applications", post(create_application))
            .route(
                "/v1/candidates/{id}/job-applications",
                get(applications_of_candidate),
            )
            .route("/v1/jobs", get(list_jobs))
            .route("/v1/users/{id}", get(show_user))
            .layer(axum::middleware::from_fn(require_version))
    }

    /// `Authorization: Token token=<key>`.
    fn api_key(&self, request: &Parts, _body: &[u8]) -> Option<String> {
        request
            .headers
            .get("authorization")?
            .to_str()
            .ok()?
            .trim()
            .strip_prefix("Token token=")
            .map(|k| k.trim_matches('"').to_string())
    }

    fn unauthorized(&self) -> Response {
        errors(StatusCode::UNAUTHORIZED, "Unauthorized", "Invalid API key")
    }

    /// A 429 with the rate headers (Reset: seconds left) and a JSON:API body.
    fn rate_limited(&self, window: &RateWindow) -> Response {
        let mut response = errors(
            StatusCode::TOO_MANY_REQUESTS,
            "Too Many Requests",
            "Rate limit exceeded",
        );
        self.add_rate_headers(window, &mut response);
        if let Some(secs) = window.retry_after_secs {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(secs));
        }
        response
    }

    fn add_rate_headers(&self, window: &RateWindow, response: &mut Response) {
        let reset = window.resets_in.as_secs() + u64::from(window.resets_in.subsec_nanos() > 0);
        let headers = response.headers_mut();
        headers.insert("x-rate-limit-limit", HeaderValue::from(window.limit));
        headers.insert(
            "x-rate-limit-remaining",
            HeaderValue::from(window.remaining),
        );
        headers.insert("x-rate-limit-reset", HeaderValue::from(reset));
    }

    fn malformed_body(&self) -> &'static str {
        "{\"data\": [{\"id\": \"1\", \"type\": \"candidates\", [unterminated"
    }

    fn person_id(&self, person: &Person) -> String {
        person
            .given_id
            .clone()
            .unwrap_or_else(|| person.id.0.to_string())
    }

    fn job_id(&self, job: &Job) -> String {
        job.id.0.to_string()
    }

    fn record(&self, _model: &Model, person: &Person) -> Value {
        candidate(person, "")
    }

    fn inspect(&self, model: &Model, person: &Person) -> Value {
        let mut view = candidate(person, "");
        view["notes"] = model
            .notes_of(person.id)
            .map(|n| json!({"id": n.id.0.to_string(), "note": n.body}))
            .collect();
        view["job_ids"] = model
            .applications_of(person.id)
            .map(|a| a.job.0.to_string())
            .collect();
        view
    }

    /// The user notes are written as (the owner), and where records open.
    fn read_permission(&self) -> Option<&'static str> {
        Some("Admin")
    }

    fn settings(&self, origin: &str) -> Value {
        json!({
            "user_id": user_id(&User::owner()),
            "app_url": format!("{origin}/_sandbox/applicants"),
        })
    }
}

/// A user's id: Teamtailor's ids are numbers from 1 (the owner's neutral id is 0).
fn user_id(user: &User) -> String {
    (user.id.0 + 1).to_string()
}

/// A JSON:API document answer.
fn document(status: StatusCode, body: &Value) -> Response {
    (status, [("content-type", MEDIA_TYPE)], body.to_string()).into_response()
}

/// A JSON:API error answer: `{"errors": [{"status", "title", "detail"}]}`.
fn errors(status: StatusCode, title: &str, detail: &str) -> Response {
    document(
        status,
        &json!({"errors": [{"status": status.as_u16().to_string(), "title": title, "detail": detail}]}),
    )
}

/// A 422 about one attribute or relationship (`source.pointer`).
fn invalid(pointer: &str, detail: &str) -> Response {
    document(
        StatusCode::UNPROCESSABLE_ENTITY,
        &json!({"errors": [{"status": "422", "title": "Unprocessable Entity",
            "detail": detail, "source": {"pointer": pointer}}]}),
    )
}

/// `X-Api-Version: YYYYMMDD`, a day from the first version to today;
/// anything else (or nothing) answers 406.
async fn require_version(request: Request, next: Next) -> Response {
    let version = request
        .headers()
        .get("x-api-version")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if !version_ok(&version, &crate::today().replace('-', "")) {
        return errors(
            StatusCode::NOT_ACCEPTABLE,
            "InvalidApiVersionError",
            "InvalidApiVersionError: the X-Api-Version header must be a valid API version (YYYYMMDD)",
        );
    }
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&version) {
        response.headers_mut().insert("x-api-version", value);
    }
    response
}

fn version_ok(version: &str, today: &str) -> bool {
    let digits = version.len() == 8 && version.bytes().all(|b| b.is_ascii_digit());
    let month = version.get(4..6).and_then(|m| m.parse::<u32>().ok());
    let day = version.get(6..8).and_then(|d| d.parse::<u32>().ok());
    digits
        && month.is_some_and(|m| (1..=12).contains(&m))
        && day.is_some_and(|d| (1..=31).contains(&d))
        && version >= OLDEST_VERSION
        && version <= today
}

/// The 403 of a key without a scope a call needs.
fn refuse(shared: &Shared, needs: &[&str]) -> Option<Response> {
    let missing = needs.iter().find(|n| shared.lacks(n))?;
    Some(errors(
        StatusCode::FORBIDDEN,
        "Forbidden",
        &format!("The API key lacks the {missing} permission"),
    ))
}

/// `http://HOST` as the caller reached the sandbox.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// Teamtailor prints times with milliseconds and an offset.
fn time(at: &Timestamp) -> String {
    let text = at.as_str();
    text.strip_suffix('Z')
        .map_or_else(|| text.to_string(), |t| format!("{t}.000+00:00"))
}

fn nullable(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::String(s.to_string())
    }
}

/// What marks a person as added by a sourcer rather than an applicant.
const SOURCED: &str = "Sourced";

/// A candidate resource.
fn candidate(p: &Person, origin: &str) -> Value {
    let id = Teamtailor.person_id(p);
    let link = |rest: &str| format!("{origin}/v1/candidates/{id}{rest}");
    json!({
        "id": id, "type": "candidates",
        "links": {"self": link("")},
        "attributes": {
            "connected": false, "created-at": time(&p.created_at),
            "email": nullable(p.email()), "first-name": p.first_name, "last-name": p.last_name,
            "linkedin-uid": null, "linkedin-url": nullable(p.linkedin_url()),
            "phone": nullable(p.phone()), "picture": null, "pitch": null,
            "referring-site": nullable(&p.source), "resume": null,
            "sourced": p.source == SOURCED, "unsubscribed": false,
            "updated-at": time(&p.updated_at), "tags": p.tags,
        },
        "relationships": {
            "job-applications": {"links": {
                "self": link("/relationships/job-applications"),
                "related": link("/job-applications"),
            }},
        },
    })
}

/// The query's pairs, decoded (`filter[email]`, `page[number]`, …).
fn pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `page[size]` (clamped to 1..=30) and `page[number]` (from 1).
fn page_of(pairs: &[(String, String)]) -> (usize, usize) {
    let size = param(pairs, "page[size]")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    let number = param(pairs, "page[number]")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    (size, number)
}

/// Escapes a query key or value the way Rails prints links (brackets too).
fn escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// One page of `rows` with `meta` and `links` (`next` only before the last).
fn paged(rows: Vec<Value>, pairs: &[(String, String)], url: &str) -> Value {
    let (size, number) = page_of(pairs);
    let count = rows.len();
    let pages = count.div_ceil(size).max(1);
    let data: Vec<Value> = rows
        .into_iter()
        .skip((number - 1) * size)
        .take(size)
        .collect();
    let mut filters = String::new();
    for (k, v) in pairs.iter().filter(|(k, _)| !k.starts_with("page[")) {
        // Writing to a String cannot fail.
        let _ = write!(filters, "{}={}&", escape(k), escape(v));
    }
    let link = |n: usize| {
        format!(
            "{url}?{filters}{}={n}&{}={size}",
            escape("page[number]"),
            escape("page[size]")
        )
    };
    let mut links = json!({"first": link(1), "last": link(pages)});
    if number > 1 {
        links["prev"] = json!(link(number - 1));
    }
    if number < pages {
        links["next"] = json!(link(number + 1));
    }
    json!({"data": data, "meta": {"record-count": count, "page-count": pages}, "links": links})
}

/// `filter[…][from]`/`[to]`: a full time compares to the second, a date
/// to the day.
fn within(at: &Timestamp, from: Option<&str>, to: Option<&str>) -> bool {
    let cut = |bound: &str| {
        if bound.len() <= 10 {
            at.day().to_string()
        } else {
            time(at)
        }
    };
    let bound = |b: &str| {
        if b.len() <= 10 {
            b.to_string()
        } else {
            // Normalize an RFC 3339 `Z` to the printed form.
            b.strip_suffix('Z').map_or_else(
                || b.to_string(),
                |t| format!("{}.000+00:00", t.split('.').next().unwrap_or(t)),
            )
        }
    };
    from.is_none_or(|f| cut(f) >= bound(f)) && to.is_none_or(|t| cut(t) <= bound(t))
}

async fn list_candidates(
    State(shared): State<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Some(refused) = refuse(&shared, &[ADMIN, READ]) {
        return refused;
    }
    let pairs = pairs(query.as_deref());
    let origin = origin(&headers);
    let model = shared.model();
    let email = param(&pairs, "filter[email]").map(str::trim);
    let mut people: Vec<&Person> = model.people().iter().collect();
    // Creation order (ids grow) unless `sort=-id` asks for the newest first.
    if param(&pairs, "sort") == Some("-id") {
        people.reverse();
    }
    let rows = people
        .into_iter()
        .filter(|p| {
            email.is_none_or(|e| p.emails.iter().any(|m| m.address.eq_ignore_ascii_case(e)))
        })
        .filter(|p| {
            within(
                &p.updated_at,
                param(&pairs, "filter[updated-at][from]"),
                param(&pairs, "filter[updated-at][to]"),
            ) && within(
                &p.created_at,
                param(&pairs, "filter[created-at][from]"),
                param(&pairs, "filter[created-at][to]"),
            )
        })
        .map(|p| candidate(p, &origin))
        .collect();
    document(
        StatusCode::OK,
        &paged(rows, &pairs, &format!("{origin}/v1/candidates")),
    )
}

async fn show_candidate(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(refused) = refuse(&shared, &[ADMIN, READ]) {
        return refused;
    }
    let model = shared.model();
    match Teamtailor.find_person(&model, &id) {
        Some(p) => document(
            StatusCode::OK,
            &json!({"data": candidate(p, &origin(&headers))}),
        ),
        None => not_found(),
    }
}

fn not_found() -> Response {
    errors(
        StatusCode::NOT_FOUND,
        "Record not found",
        "The record identified by the id could not be found",
    )
}

/// The `data` of a JSON:API write, or the answer refusing it (415 for
/// another media type, 400 for a body that is not a document of `kind`).
fn data_of(headers: &HeaderMap, body: &Bytes, kind: &str) -> Result<Value, Box<Response>> {
    let media = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !media.starts_with(MEDIA_TYPE) {
        return Err(Box::new(errors(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            "All requests that create or update must use the 'application/vnd.api+json' Content-Type",
        )));
    }
    let data = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("data").cloned())
        .filter(|d| d["type"] == kind);
    data.ok_or_else(|| {
        Box::new(errors(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            &format!("The body must be a JSON:API document of type {kind}"),
        ))
    })
}

fn attribute(data: &Value, name: &str) -> Option<String> {
    match &data["attributes"][name] {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn flag(data: &Value, name: &str) -> bool {
    data["attributes"][name].as_bool().unwrap_or(false)
}

/// `relationships.{name}.data.id`.
fn related(data: &Value, name: &str) -> String {
    match &data["relationships"][name]["data"]["id"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// `POST /candidates`: an email is required unless `sourced`; an email
/// already taken is a 422 unless `merge`, which fills the existing
/// record's blanks and answers it.
async fn create_candidate(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refused) = refuse(&shared, &[ADMIN, WRITE]) {
        return refused;
    }
    let data = match data_of(&headers, &body, "candidates") {
        Ok(d) => d,
        Err(refused) => return *refused,
    };
    let text = |name| attribute(&data, name).unwrap_or_default();
    let email = text("email");
    let sourced = flag(&data, "sourced");
    if email.is_empty() && !sourced {
        return invalid("/data/attributes/email", "email - can't be blank");
    }
    let origin = origin(&headers);
    let mut model = shared.model();
    let taken = (!email.is_empty())
        .then(|| {
            model
                .people()
                .iter()
                .find(|p| {
                    p.emails
                        .iter()
                        .any(|m| m.address.eq_ignore_ascii_case(&email))
                })
                .map(|p| p.id)
        })
        .flatten();
    if let Some(existing) = taken {
        if !flag(&data, "merge") {
            return invalid("/data/attributes/email", "email - has already been taken");
        }
        let now = Timestamp::now();
        if let Some(p) = model.person_mut(existing) {
            fill_blanks(p, &data);
            p.updated_at = now;
        }
        let p = model.person(existing).expect("just merged");
        return document(StatusCode::CREATED, &json!({"data": candidate(p, &origin)}));
    }
    let mut person = Person::new(&text("first-name"), &text("last-name"))
        .with_email(&email)
        .with_phone(&text("phone"))
        .with_link(&text("linkedin-url"), LinkKind::LinkedIn);
    person.source = if sourced {
        SOURCED.into()
    } else {
        "API".into()
    };
    person.tags = tags(&data);
    let id = model.add_person(person);
    let p = model.person(id).expect("just added");
    document(StatusCode::CREATED, &json!({"data": candidate(p, &origin)}))
}

fn tags(data: &Value) -> Vec<String> {
    data["attributes"]["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(String::from))
        .collect()
}

/// A `merge: true` create: what the record lacks is added, nothing replaced.
fn fill_blanks(p: &mut Person, data: &Value) {
    if p.phone().is_empty() {
        if let Some(phone) = attribute(data, "phone").filter(|v| !v.is_empty()) {
            *p = std::mem::replace(p, Person::new("", "")).with_phone(&phone);
        }
    }
    if p.linkedin_url().is_empty() {
        if let Some(url) = attribute(data, "linkedin-url").filter(|v| !v.is_empty()) {
            *p = std::mem::replace(p, Person::new("", "")).with_link(&url, LinkKind::LinkedIn);
        }
    }
}

/// `PATCH /candidates/{id}`: the attributes sent replace the record's.
async fn update_candidate(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(refused) = refuse(&shared, &[ADMIN, READ, WRITE]) {
        return refused;
    }
    let data = match data_of(&headers, &body, "candidates") {
        Ok(d) => d,
        Err(refused) => return *refused,
    };
    let mut model = shared.model();
    let Some(person) = Teamtailor.find_person(&model, &id).map(|p| p.id) else {
        return not_found();
    };
    if data["id"].as_str().is_some_and(|given| given != id) {
        return errors(StatusCode::BAD_REQUEST, "Key is not included in URL", &id);
    }
    let p = model.person_mut(person).expect("found above");
    if let Some(first) = attribute(&data, "first-name") {
        p.first_name = first;
    }
    if let Some(last) = attribute(&data, "last-name") {
        p.last_name = last;
    }
    if let Some(url) = attribute(&data, "linkedin-url") {
        p.links.retain(|l| l.kind != LinkKind::LinkedIn);
        *p = std::mem::replace(p, Person::new("", "")).with_link(&url, LinkKind::LinkedIn);
    }
    if let Some(phone) = attribute(&data, "phone") {
        p.phones.clear();
        *p = std::mem::replace(p, Person::new("", "")).with_phone(&phone);
    }
    p.updated_at = Timestamp::now();
    let p = model.person(person).expect("found above");
    document(
        StatusCode::OK,
        &json!({"data": candidate(p, &origin(&headers))}),
    )
}

/// `POST /notes` with relationships `candidate` and `user`.
async fn create_note(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refused) = refuse(&shared, &[ADMIN, WRITE]) {
        return refused;
    }
    let data = match data_of(&headers, &body, "notes") {
        Ok(d) => d,
        Err(refused) => return *refused,
    };
    let mut model = shared.model();
    let Some(person) = Teamtailor
        .find_person(&model, &related(&data, "candidate"))
        .map(|p| p.id)
    else {
        return invalid("/data/relationships/candidate", "candidate - must exist");
    };
    let user = related(&data, "user");
    let Some(author) = model
        .users()
        .iter()
        .find(|u| user_id(u) == user)
        .map(|u| u.id)
    else {
        return invalid("/data/relationships/user", "user - must exist");
    };
    let text = attribute(&data, "note").unwrap_or_default();
    if text.is_empty() {
        return invalid("/data/attributes/note", "note - can't be blank");
    }
    let visibility = if flag(&data, "private-note") {
        crate::model::Visibility::Restricted
    } else {
        crate::model::Visibility::Everyone
    };
    let note = model.add_note(
        person,
        crate::model::Author::User(author),
        text.clone(),
        visibility,
    );
    let candidate_id = model.person(person).map(|p| Teamtailor.person_id(p));
    document(
        StatusCode::CREATED,
        &json!({"data": {"id": note.0.to_string(), "type": "notes", "attributes": {
            "note": text, "user-id": user, "candidate-id": candidate_id,
            "private-note": visibility == crate::model::Visibility::Restricted,
            "created-at": time(&Timestamp::now()),
        }}}),
    )
}

/// `POST /job-applications` with relationships `candidate` and `job`; a
/// second application of a candidate to a job is a 422.
async fn create_application(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refused) = refuse(&shared, &[ADMIN, WRITE]) {
        return refused;
    }
    let data = match data_of(&headers, &body, "job-applications") {
        Ok(d) => d,
        Err(refused) => return *refused,
    };
    let mut model = shared.model();
    let Some(person) = Teamtailor
        .find_person(&model, &related(&data, "candidate"))
        .map(|p| p.id)
    else {
        return invalid("/data/relationships/candidate", "candidate - must exist");
    };
    let job = related(&data, "job");
    let Some(job) = model
        .jobs()
        .iter()
        .find(|j| j.id.0.to_string() == job)
        .map(|j| j.id)
    else {
        return invalid("/data/relationships/job", "job - must exist");
    };
    if model.applications_of(person).any(|a| a.job == job) {
        return invalid(
            "/data/relationships/candidate",
            "candidate - has already applied to this job",
        );
    }
    let application = model.apply(person, job, Timestamp::now());
    document(
        StatusCode::CREATED,
        &json!({"data": {"id": application.0.to_string(), "type": "job-applications",
        "attributes": {"sourced": flag(&data, "sourced"), "created-at": time(&Timestamp::now())},
        "relationships": {
            "candidate": {"data": {"id": related(&data, "candidate"), "type": "candidates"}},
            "job": {"data": {"id": job.0.to_string(), "type": "jobs"}},
        }}}),
    )
}

/// The stage an application is at: its own, "Hired" once hired.
fn stage_of(a: &Application) -> Stage {
    if a.status == ApplicationStatus::Hired {
        Stage::named("Hired").unwrap_or_else(Stage::first)
    } else {
        a.stage.clone()
    }
}

/// A stage resource: `name` and `stage-type` (`inbox`, `in_process`,
/// `hired`). Every job has the sandbox's one pipeline.
fn stage_resource(stage: &Stage) -> Value {
    let kind = match stage.name.as_str() {
        "New" => "inbox",
        "Hired" => "hired",
        _ => "in_process",
    };
    json!({"id": stage.id.to_string(), "type": "stages",
        "attributes": {"name": stage.name, "stage-type": kind, "row-order": stage.id}})
}

/// The reject reason of a closed application: by the company ("Not a
/// fit") or by the candidate ("Withdrew").
fn reject_reason(status: ApplicationStatus) -> Option<Value> {
    let (id, reason, by_company) = match status {
        ApplicationStatus::Rejected => ("1", "Not a fit", true),
        ApplicationStatus::Withdrawn => ("2", "Withdrew", false),
        ApplicationStatus::Active | ApplicationStatus::Hired => return None,
    };
    Some(json!({"id": id, "type": "reject-reasons",
        "attributes": {"reason": reason, "rejected-by-company": by_company}}))
}

/// A job-application resource with its `job`, `stage` and `reject-reason`.
fn application_resource(model: &Model, a: &Application) -> Value {
    let candidate = model.person(a.person).map(|p| Teamtailor.person_id(p));
    let closed = reject_reason(a.status);
    json!({"id": a.id.0.to_string(), "type": "job-applications",
    "attributes": {"created-at": time(&a.created_at), "updated-at": time(&a.updated_at),
        "changed-stage-at": time(&a.updated_at), "sourced": true,
        "rejected-at": closed.as_ref().map(|_| time(&a.updated_at))},
    "relationships": {
        "candidate": {"data": {"id": candidate, "type": "candidates"}},
        "job": {"data": {"id": a.job.0.to_string(), "type": "jobs"}},
        "stage": {"data": {"id": stage_of(a).id.to_string(), "type": "stages"}},
        "reject-reason": {"data": closed.map(|r| json!({"id": r["id"], "type": "reject-reasons"}))},
    }})
}

/// `GET /candidates/{id}/job-applications` (the candidate's
/// `relationships.job-applications.links.related`), with `include` of
/// `job`, `stage` and `reject-reason` as JSON:API `included` resources.
async fn applications_of_candidate(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if let Some(refused) = refuse(&shared, &[ADMIN, READ]) {
        return refused;
    }
    let pairs = pairs(query.as_deref());
    let include: Vec<&str> = param(&pairs, "include")
        .map(|i| i.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let model = shared.model();
    let Some(person) = Teamtailor.find_person(&model, &id) else {
        return not_found();
    };
    let origin = origin(&headers);
    let applications: Vec<&Application> = model.applications_of(person.id).collect();
    let data: Vec<Value> = applications
        .iter()
        .map(|a| application_resource(&model, a))
        .collect();
    let mut included = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for a in &applications {
        if include.contains(&"job") {
            if let Some(j) = model.job(a.job) {
                if seen.insert(("jobs", j.id.0)) {
                    included.push(job_resource(j, &origin));
                }
            }
        }
        let stage = stage_of(a);
        if include.contains(&"stage") && seen.insert(("stages", u64::from(stage.id))) {
            included.push(stage_resource(&stage));
        }
        if let Some(reason) = reject_reason(a.status).filter(|_| include.contains(&"reject-reason"))
        {
            let key = reason["id"]
                .as_str()
                .and_then(|i| i.parse().ok())
                .unwrap_or(0);
            if seen.insert(("reject-reasons", key)) {
                included.push(reason);
            }
        }
    }
    let mut doc = json!({"data": data, "meta": {"record-count": applications.len()}});
    if !include.is_empty() {
        doc["included"] = Value::Array(included);
    }
    document(StatusCode::OK, &doc)
}

/// A job resource.
fn job_resource(j: &Job, origin: &str) -> Value {
    json!({"id": j.id.0.to_string(), "type": "jobs",
        "links": {"self": format!("{origin}/v1/jobs/{}", j.id.0)},
        "attributes": {"title": j.title, "status": status(j), "human-status": status(j),
            "internal": j.private, "body": "", "pitch": ""}})
}

/// A job's `status` as Teamtailor words it (it has no confidential flag:
/// a confidential job is unlisted, a private one is on the internal feed).
fn status(job: &Job) -> &'static str {
    match job.status {
        JobStatus::Open if job.confidential => "unlisted",
        JobStatus::Open => "open",
        JobStatus::OnHold => "unlisted",
        JobStatus::Closed | JobStatus::Archived => "archived",
        JobStatus::Draft => "draft",
    }
}

/// Whether `filter[status]` (default `published`) takes this job.
fn status_matches(job: &Job, filter: &str) -> bool {
    let status = status(job);
    match filter {
        "published" => status == "open",
        "all" => true,
        other => status == other,
    }
}

/// `GET /jobs`: `filter[status]` (published by default) and
/// `filter[feed]` (`public` or `internal`). Jobs are public data: any
/// scope with read may list them.
async fn list_jobs(
    State(shared): State<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Some(refused) = refuse(&shared, &[READ]) {
        return refused;
    }
    let pairs = pairs(query.as_deref());
    let filter = param(&pairs, "filter[status]").unwrap_or("published");
    let feed = param(&pairs, "filter[feed]");
    let origin = origin(&headers);
    let model = shared.model();
    let rows = model
        .jobs()
        .iter()
        .filter(|j| status_matches(j, filter))
        .filter(|j| match feed {
            Some("public") => !j.private,
            Some("internal") => j.private,
            _ => true,
        })
        .map(|j| job_resource(j, &origin))
        .collect();
    document(
        StatusCode::OK,
        &paged(rows, &pairs, &format!("{origin}/v1/jobs")),
    )
}

async fn show_user(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    if let Some(refused) = refuse(&shared, &[ADMIN, READ]) {
        return refused;
    }
    let model = shared.model();
    match model.users().iter().find(|u| user_id(u) == id) {
        Some(u) => document(
            StatusCode::OK,
            &json!({"data": {"id": user_id(u), "type": "users", "attributes": {
                "name": format!("{} {}", u.first_name, u.last_name), "email": u.email,
                "role": "admin", "visible": true}}}),
        ),
        None => not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_is_a_real_day_from_the_first_version_to_today() {
        assert!(version_ok("20240404", "20261207"));
        assert!(version_ok("20161108", "20261207"));
        assert!(!version_ok("20161107", "20261207"));
        assert!(!version_ok("20270101", "20261207"));
        assert!(!version_ok("2024-04-04", "20261207"));
        assert!(!version_ok("20241304", "20261207"));
        assert!(!version_ok("", "20261207"));
    }

    #[test]
    fn pages_say_where_the_next_is_until_the_last() {
        let rows: Vec<Value> = (0..25).map(|i| json!(i)).collect();
        let q = pairs(Some(
            "filter%5Bemail%5D=a%40b.example&page%5Bsize%5D=10&page%5Bnumber%5D=2",
        ));
        let page = paged(rows.clone(), &q, "http://h/v1/candidates");
        assert_eq!(page["data"].as_array().unwrap().len(), 10);
        assert_eq!(page["data"][0], 10);
        assert_eq!(page["meta"], json!({"record-count": 25, "page-count": 3}));
        assert_eq!(
            page["links"]["next"],
            "http://h/v1/candidates?filter%5Bemail%5D=a%40b.example&page%5Bnumber%5D=3&page%5Bsize%5D=10"
        );
        let last = paged(rows, &pairs(Some("page[number]=3&page[size]=10")), "u");
        assert!(last["links"].get("next").is_none());
        assert_eq!(last["data"].as_array().unwrap().len(), 5);
        // At most 30 a page, 10 when unsaid.
        assert_eq!(page_of(&pairs(Some("page[size]=500"))), (30, 1));
        assert_eq!(page_of(&pairs(None)), (10, 1));
    }

    #[test]
    fn a_time_filter_compares_to_the_day_or_to_the_second() {
        let at = Timestamp::at_day("2024-05-06");
        assert!(within(&at, Some("2024-05-06"), None));
        assert!(!within(&at, Some("2024-05-07"), None));
        assert!(within(&at, Some("2024-05-05T23:59:59Z"), None));
        assert!(!within(&at, Some("2024-05-06T00:00:01Z"), None));
        assert!(within(&at, None, Some("2024-05-06")));
    }

    #[test]
    fn only_open_public_jobs_are_published_on_the_public_feed() {
        let model = Model::new();
        let published: Vec<&str> = model
            .jobs()
            .iter()
            .filter(|j| status_matches(j, "published") && !j.private)
            .map(|j| j.title.as_str())
            .collect();
        assert_eq!(
            published,
            vec!["Senior Rust Engineer", "Talent Sourcer", "Product Designer"]
        );
    }

    #[test]
    fn the_key_is_read_from_the_token_header() {
        let request = axum::http::Request::builder()
            .header("authorization", "Token token=abc123")
            .body(())
            .unwrap();
        let (parts, ()) = request.into_parts();
        assert_eq!(Teamtailor.api_key(&parts, b"").as_deref(), Some("abc123"));
        let request = axum::http::Request::builder()
            .header("authorization", "Bearer abc123")
            .body(())
            .unwrap();
        let (parts, ()) = request.into_parts();
        assert_eq!(Teamtailor.api_key(&parts, b""), None);
    }
}
