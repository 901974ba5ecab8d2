//! Workable's SPI v3 as real clients see it, over the neutral model:
//! `Authorization: Bearer`, scopes (403 without one), `X-Rate-Limit-*`
//! headers on every answer (reset as a Unix timestamp) and a 429 past the
//! window, `{"candidates": […], "paging": {"next": <full URL>}}` paged by
//! `since_id`, one candidate record per job (copies get their own id),
//! `social_profiles` only in the detail view. See README.md, "Workable".

use super::{decode, Dialect, RateWindow};
use crate::model::{Application, Author, Id, Job, JobStatus, LinkKind, Model, Person, Visibility};
use crate::model::{ApplicationStatus, Link, Role, Timestamp, User};
use crate::Shared;
use axum::extract::{Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

/// The one account's subdomain: the sandbox stands for
/// `https://sourcebar-sandbox.workable.com`, spelt `/sourcebar-sandbox/…`.
pub const SUBDOMAIN: &str = "sourcebar-sandbox";
/// Rows per page unless `limit` says otherwise, and the most it may say.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 100;
/// Ids print as hex above this, so they look like Workable's (`2727baa2`).
const ID_BASE: u64 = 0x2700_0000;

/// Workable (SPI v3).
pub struct Workable;

impl Dialect for Workable {
    fn name(&self) -> &'static str {
        "workable"
    }

    /// Empty: the account's subdomain is the first path segment, then
    /// `/spi/v3` (README.md, "Workable").
    fn base_path(&self) -> &'static str {
        ""
    }

    fn routes(&self) -> Router<Shared> {
        Router::new()
            .route("/{sub}/spi/v3/candidates", get(list_candidates))
            .route(
                "/{sub}/spi/v3/candidates/{id}",
                get(show_candidate).patch(update_candidate),
            )
            .route("/{sub}/spi/v3/candidates/{id}/comments", post(comment))
            .route("/{sub}/spi/v3/candidates/{id}/activities", get(activities))
            .route("/{sub}/spi/v3/candidates/{id}/copy", post(copy))
            .route(
                "/{sub}/spi/v3/jobs/{shortcode}/candidates",
                post(create_on_job),
            )
            .route("/{sub}/spi/v3/talent_pool/candidates", post(create_in_pool))
            .route("/{sub}/spi/v3/jobs", get(jobs))
            .route("/{sub}/spi/v3/members", get(members))
            .route_layer(axum::middleware::from_fn(this_account_only))
    }

    fn api_key(&self, request: &Parts, _body: &[u8]) -> Option<String> {
        request
            .headers
            .get("authorization")?
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")
            .map(|k| k.trim().to_string())
    }

    fn unauthorized(&self) -> Response {
        error(StatusCode::UNAUTHORIZED, "Not authorized")
    }

    /// 429 with the same `X-Rate-Limit-*` headers as every answer.
    fn rate_limited(&self, window: &RateWindow) -> Response {
        let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded");
        self.add_rate_headers(window, &mut response);
        if let Some(secs) = window.retry_after_secs {
            if let Ok(v) = secs.to_string().parse() {
                response.headers_mut().insert("retry-after", v);
            }
        }
        response
    }

    /// `X-Rate-Limit-Limit`, `-Remaining`, and `-Reset`: the Unix time at
    /// which the next interval starts.
    fn add_rate_headers(&self, window: &RateWindow, response: &mut Response) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let reset = (now + window.resets_in).as_secs_f64().ceil();
        let headers = response.headers_mut();
        for (name, value) in [
            ("x-rate-limit-limit", window.limit.to_string()),
            ("x-rate-limit-remaining", window.remaining.to_string()),
            ("x-rate-limit-reset", format!("{reset:.0}")),
        ] {
            if let Ok(v) = value.parse() {
                headers.insert(name, v);
            }
        }
    }

    fn malformed_body(&self) -> &'static str {
        "{\"candidates\": [{\"id\": unterminated"
    }

    fn person_id(&self, person: &Person) -> String {
        person
            .given_id
            .clone()
            .unwrap_or_else(|| print_id(person.id.0))
    }

    /// The job's shortcode: what Workable's candidate paths take.
    fn job_id(&self, job: &Job) -> String {
        shortcode(job)
    }

    fn record(&self, model: &Model, person: &Person) -> Value {
        let record = first_record(model, person);
        candidate_json(model, &record, "", true)
    }

    fn inspect(&self, model: &Model, person: &Person) -> Value {
        let mut view = self.record(model, person);
        view["notes"] = model
            .notes_of(person.id)
            .map(|n| json!({"id": print_id(n.id.0), "body": n.body}))
            .collect();
        view["job_ids"] = model
            .applications_of(person.id)
            .filter_map(|a| model.job(a.job))
            .map(shortcode)
            .collect();
        view
    }

    /// The subdomain of the sandbox's account, and the member comments
    /// and copies are made as (the owner).
    fn read_permission(&self) -> Option<&'static str> {
        Some("r_candidates")
    }

    fn settings(&self, _origin: &str) -> Value {
        json!({"subdomain": SUBDOMAIN, "member_email": User::owner().email})
    }

    /// A candidate id names the person's first record or one of its
    /// copies on another job.
    fn find_person<'m>(&self, model: &'m Model, id: &str) -> Option<&'m Person> {
        records(model)
            .into_iter()
            .find(|r| r.id == id)
            .map(|r| r.person)
    }
}

/// One Workable candidate: a person on one job (or in the talent pool).
struct Record<'m> {
    /// Where it sorts: the person's id for its first record, else the
    /// application's (ids grow in creation order across kinds).
    key: u64,
    id: String,
    person: &'m Person,
    application: Option<&'m Application>,
}

fn print_id(key: u64) -> String {
    format!("{:x}", ID_BASE + key)
}

fn shortcode(job: &Job) -> String {
    format!("{:010X}", 0x36_27BC_F500_u64 + job.id.0)
}

/// Every candidate record, oldest first (Workable sorts by insertion).
fn records(model: &Model) -> Vec<Record<'_>> {
    let mut out: Vec<Record<'_>> = Vec::new();
    for person in model.people() {
        let mut applications = model.applications_of(person.id);
        out.push(Record {
            key: person.id.0,
            id: Workable.person_id(person),
            person,
            application: applications.next(),
        });
        out.extend(applications.map(|a| Record {
            key: a.id.0,
            id: print_id(a.id.0),
            person,
            application: Some(a),
        }));
    }
    out.sort_by_key(|r| r.key);
    out
}

fn first_record<'m>(model: &'m Model, person: &'m Person) -> Record<'m> {
    Record {
        key: person.id.0,
        id: Workable.person_id(person),
        person,
        application: model.applications_of(person.id).next(),
    }
}

/// `{"error": "…"}` with a status: Workable's error body.
fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// Workable's v3 prints an empty string as `null`.
fn text(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::String(s.to_string())
    }
}

fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

fn state_of(job: &Job) -> &'static str {
    match job.status {
        JobStatus::Open if job.private => "closed",
        JobStatus::Open => "published",
        JobStatus::OnHold => "closed",
        JobStatus::Draft => "draft",
        JobStatus::Closed | JobStatus::Archived => "archived",
    }
}

/// The stage a record is at: its application's, "Hired" once hired (a
/// stage in Workable), "Sourced" in the talent pool.
fn stage_name(application: Option<&Application>) -> String {
    match application {
        None => "Sourced".into(),
        Some(a) if a.status == ApplicationStatus::Hired => "Hired".into(),
        Some(a) => a.stage.name.clone(),
    }
}

/// Workable's kind of that stage (`sourced`, `applied`, `phone-screen`,
/// `interview`, `offer`, `hired`).
fn stage_kind(application: Option<&Application>) -> &'static str {
    match application {
        None => "sourced",
        Some(a) if a.status == ApplicationStatus::Hired => "hired",
        Some(a) => match a.stage.name.as_str() {
            "Phone screen" => "phone-screen",
            "Interview" => "interview",
            "Offer" => "offer",
            "Hired" => "hired",
            // "New", the first step: the person applied (or was added).
            _ => "applied",
        },
    }
}

/// Why a record was disqualified (`None`: it was not). Workable
/// disqualifies a rejected candidate, and one who withdrew.
fn disqualification(application: Option<&Application>) -> Option<&'static str> {
    match application?.status {
        ApplicationStatus::Rejected => Some("Not a fit"),
        ApplicationStatus::Withdrawn => Some("Withdrew"),
        ApplicationStatus::Active | ApplicationStatus::Hired => None,
    }
}

/// A candidate as the list shows it; with `detail`, as `GET
/// /candidates/{id}` does (`social_profiles`, `summary`, `tags`).
fn candidate_json(model: &Model, r: &Record<'_>, origin: &str, detail: bool) -> Value {
    let p = r.person;
    let job = r.application.and_then(|a| model.job(a.job));
    let mut row = json!({
        "id": r.id,
        "name": format!("{} {}", p.first_name, p.last_name).trim(),
        "firstname": text(&p.first_name), "lastname": text(&p.last_name),
        "headline": text(&p.title),
        "account": {"subdomain": SUBDOMAIN, "name": "Sourcebar Sandbox"},
        "job": job.map_or(Value::Null, |j| json!({"shortcode": shortcode(j), "title": j.title})),
        "stage": stage_name(r.application),
        "stage_kind": stage_kind(r.application),
        "disqualified": disqualification(r.application).is_some(),
        "disqualification_reason": disqualification(r.application),
        "sourced": true,
        "profile_url": format!("{origin}/_sandbox/applicants/{}", r.id),
        "address": text(&p.location), "phone": text(p.phone()), "email": text(p.email()),
        "domain": text(&p.source),
        "created_at": p.created_at.as_str(), "updated_at": p.updated_at.as_str(),
    });
    if detail {
        row["summary"] = Value::Null;
        row["tags"] = json!(p.tags);
        row["social_profiles"] = p
            .links
            .iter()
            .map(|l| match l.kind {
                LinkKind::LinkedIn => json!({"type": "linkedin", "name": "LinkedIn", "url": l.url}),
                LinkKind::Other => json!({"type": "other", "url": l.url}),
            })
            .collect();
    }
    row
}

/// Only the sandbox's own subdomain answers; another is an unknown account.
async fn this_account_only(request: Request, next: Next) -> Response {
    let sub = request.uri().path().split('/').nth(1).unwrap_or_default();
    if sub != SUBDOMAIN {
        return error(StatusCode::NOT_FOUND, "Not found");
    }
    next.run(request).await
}

/// Workable's 403 when the token lacks the scope a call needs.
fn lacks(shared: &Shared, scope: &str) -> Option<Response> {
    (!shared.has_permission(scope)).then(|| error(StatusCode::FORBIDDEN, "Forbidden"))
}

/// The query string as pairs, values percent-decoded.
fn query(uri: &axum::http::Uri) -> Vec<(String, String)> {
    uri.query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), decode(v)))
        .collect()
}

fn param<'q>(query: &'q [(String, String)], name: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A timestamp filter: ISO 8601 (`2015-07-08T11:56:16Z`, also compact)
/// or Unix seconds, as RFC 3339 text to compare with the model's.
fn instant(raw: &str) -> Option<String> {
    if let Ok(secs) = raw.parse::<i64>() {
        return Some(time_of(secs));
    }
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 14).then(|| {
        format!(
            "{}-{}-{}T{}:{}:{}Z",
            &digits[0..4],
            &digits[4..6],
            &digits[6..8],
            &digits[8..10],
            &digits[10..12],
            &digits[12..14]
        )
    })
}

/// Unix seconds as RFC 3339 UTC.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "day is in 1..=31 and month in 1..=12 by construction"
)]
fn time_of(secs: i64) -> String {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a proleptic Gregorian date.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// A page of rows after `since_id` (inclusive), with the next page's URL
/// carrying the same filters; a bad `limit` or `since_id` is the 422's text.
fn page(
    rows: Vec<(u64, String, Value)>,
    query: &[(String, String)],
    url: &str,
    field: &str,
) -> Result<Value, &'static str> {
    let limit = match param(query, "limit") {
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or("Invalid limit")?,
        None => DEFAULT_LIMIT,
    };
    let since = match param(query, "since_id") {
        Some(id) => Some(
            rows.iter()
                .find(|(_, rid, _)| rid == id)
                .map(|(k, _, _)| *k)
                .or_else(|| {
                    u64::from_str_radix(id, 16)
                        .ok()
                        .map(|n| n.saturating_sub(ID_BASE))
                })
                .ok_or("Invalid since_id")?,
        ),
        None => None,
    };
    let mut rest = rows
        .into_iter()
        .filter(|(k, _, _)| since.is_none_or(|s| *k >= s));
    let shown: Vec<(u64, String, Value)> = rest.by_ref().take(limit).collect();
    let mut body = json!({ field: shown.into_iter().map(|(_, _, v)| v).collect::<Vec<_>>() });
    if let Some((_, next_id, _)) = rest.next() {
        let mut pairs: Vec<String> = query
            .iter()
            .filter(|(k, _)| k != "since_id" && k != "limit")
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        pairs.insert(0, format!("limit={limit}"));
        pairs.push(format!("since_id={next_id}"));
        body["paging"] = json!({"next": format!("{url}?{}", pairs.join("&"))});
    }
    Ok(body)
}

fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

async fn list_candidates(
    State(shared): State<Shared>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    if let Some(e) = lacks(&shared, "r_candidates") {
        return e;
    }
    let q = query(&uri);
    let model = shared.model();
    let origin = origin(&headers);
    let email = param(&q, "email").map(str::to_lowercase);
    let job = param(&q, "shortcode");
    let created = param(&q, "created_after").map(instant);
    let updated = param(&q, "updated_after").map(instant);
    if matches!(created, Some(None)) || matches!(updated, Some(None)) {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "Invalid timestamp");
    }
    let (created, updated) = (created.flatten(), updated.flatten());
    let rows = records(&model)
        .into_iter()
        .filter(|r| {
            email.as_deref().is_none_or(|e| {
                r.person
                    .emails
                    .iter()
                    .any(|m| m.address.to_lowercase() == e)
            })
        })
        .filter(|r| {
            job.is_none_or(|sc| {
                r.application
                    .and_then(|a| model.job(a.job))
                    .is_some_and(|j| shortcode(j) == sc)
            })
        })
        .filter(|r| {
            created
                .as_deref()
                .is_none_or(|c| r.person.created_at.as_str() > c)
        })
        .filter(|r| {
            updated
                .as_deref()
                .is_none_or(|u| r.person.updated_at.as_str() > u)
        })
        .map(|r| {
            (
                r.key,
                r.id.clone(),
                candidate_json(&model, &r, &origin, false),
            )
        })
        .collect();
    let url = format!("{origin}/{SUBDOMAIN}/spi/v3/candidates");
    match page(rows, &q, &url, "candidates") {
        Ok(body) => Json(body).into_response(),
        Err(e) => error(StatusCode::UNPROCESSABLE_ENTITY, e),
    }
}

async fn show_candidate(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    if let Some(e) = lacks(&shared, "r_candidates") {
        return e;
    }
    let model = shared.model();
    match records(&model).into_iter().find(|r| r.id == id) {
        Some(r) => Json(json!({"candidate": candidate_json(&model, &r, &origin(&headers), true)}))
            .into_response(),
        None => error(StatusCode::NOT_FOUND, "Not found"),
    }
}

/// The person a candidate id names.
fn person_of(model: &Model, id: &str) -> Option<Id> {
    Workable.find_person(model, id).map(|p| p.id)
}

/// `PATCH /candidates/{id}`: array keys replace what was there.
async fn update_candidate(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path((_, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = lacks(&shared, "w_candidates") {
        return e;
    }
    let Some(fields) = body.get("candidate").and_then(Value::as_object) else {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "candidate is required");
    };
    let mut model = shared.model();
    let Some(person) = person_of(&model, &id) else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    let links = match fields.get("social_profiles") {
        None => None,
        Some(Value::Array(profiles)) => Some(social_links(profiles)),
        Some(_) => return error(StatusCode::UNPROCESSABLE_ENTITY, "Invalid social_profiles"),
    };
    if let Some(p) = model.person_mut(person) {
        if let Some(links) = links {
            p.links = links;
        }
        for (field, target) in [
            ("firstname", &mut p.first_name),
            ("lastname", &mut p.last_name),
            ("headline", &mut p.title),
        ] {
            if let Some(v) = fields.get(field).and_then(Value::as_str) {
                v.trim().clone_into(target);
            }
        }
        p.updated_at = Timestamp::now();
    }
    let r = records(&model)
        .into_iter()
        .find(|r| r.id == id)
        .expect("the record was just found");
    Json(json!({"candidate": candidate_json(&model, &r, &origin(&headers), true)})).into_response()
}

fn social_links(profiles: &[Value]) -> Vec<Link> {
    profiles
        .iter()
        .filter_map(|p| {
            let url = p.get("url")?.as_str()?.trim();
            let kind = if p.get("type").and_then(Value::as_str) == Some("linkedin") {
                LinkKind::LinkedIn
            } else {
                LinkKind::Other
            };
            (!url.is_empty()).then(|| Link {
                url: url.to_string(),
                kind,
            })
        })
        .collect()
}

fn member<'m>(model: &'m Model, id: &str) -> Option<&'m User> {
    model.users().iter().find(|u| member_id(u) == id)
}

fn member_id(user: &User) -> String {
    format!("{:x}", 0x13e0_eb0e_u64 + user.id.0)
}

/// `POST /candidates/{id}/comments` `{"member_id", "comment": {"body"}}`;
/// the docs accept either `w_candidates` or `w_comments`.
async fn comment(
    State(shared): State<Shared>,
    Path((_, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if !shared.has_permission("w_comments") {
        if let Some(e) = lacks(&shared, "w_candidates") {
            return e;
        }
    }
    let mut model = shared.model();
    let Some(person) = person_of(&model, &id) else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    let Some(author) = body
        .get("member_id")
        .and_then(Value::as_str)
        .and_then(|m| member(&model, m))
        .map(|u| u.id)
    else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "member_id is not a member",
        );
    };
    let text = body
        .pointer("/comment/body")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if text.trim().is_empty() {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "comment body is required");
    }
    let note = model.add_note(
        person,
        Author::User(author),
        text.into(),
        Visibility::Everyone,
    );
    Json(json!({ "id": print_id(note.0) })).into_response()
}

/// `GET /candidates/{id}/activities`: its comments, oldest first.
async fn activities(
    State(shared): State<Shared>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    if let Some(e) = lacks(&shared, "r_candidates") {
        return e;
    }
    let model = shared.model();
    let Some(person) = person_of(&model, &id) else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    let rows: Vec<Value> = model
        .notes_of(person)
        .map(|n| {
            let member = match &n.author {
                Author::User(u) => model
                    .user(*u)
                    .map_or(Value::Null, |u| json!({"id": member_id(u), "name": format!("{} {}", u.first_name, u.last_name)})),
                Author::Unknown(_) => Value::Null,
            };
            json!({"id": print_id(n.id.0), "action": "comment", "stage_name": null,
                "created_at": n.created_at.as_str(), "body": n.body, "member": member})
        })
        .collect();
    Json(json!({ "activities": rows })).into_response()
}

/// `POST /candidates/{id}/copy` `{"member_id", "target_job_shortcode",
/// "target_stage"?}`: a new candidate on the target job.
async fn copy(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path((sub, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = lacks(&shared, "w_candidates") {
        return e;
    }
    let mut model = shared.model();
    let Some(person) = person_of(&model, &id) else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    if body
        .get("member_id")
        .and_then(Value::as_str)
        .and_then(|m| member(&model, m))
        .is_none()
    {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "member_id is not a member",
        );
    }
    let target = body
        .get("target_job_shortcode")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(job) = model
        .jobs()
        .iter()
        .find(|j| shortcode(j) == target)
        .map(|j| j.id)
    else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    if model.applications_of(person).any(|a| a.job == job) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Candidate already exists in the target job",
        );
    }
    let application = model.apply(person, job, Timestamp::now());
    let copied = records(&model)
        .into_iter()
        .find(|r| r.application.is_some_and(|a| a.id == application))
        .map(|r| r.id)
        .expect("the copy was just made");
    let url = format!("{}/{sub}/spi/v3/candidates/{copied}", origin(&headers));
    (
        StatusCode::CREATED,
        Json(json!({"candidate": {"id": copied, "url": url}})),
    )
        .into_response()
}

async fn create_on_job(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path((_, code)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    create(&shared, &headers, Some(&code), &body)
}

async fn create_in_pool(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    create(&shared, &headers, None, &body)
}

fn field(body: &Map<String, Value>, name: &str) -> String {
    body.get(name)
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// `{"sourced": true, "candidate": {…}}` on a job or in the talent pool:
/// 200 `{"status": "created", "candidate": {…}}`.
fn create(shared: &Shared, headers: &HeaderMap, job: Option<&str>, body: &Value) -> Response {
    if let Some(e) = lacks(shared, "w_candidates") {
        return e;
    }
    let Some(fields) = body.get("candidate").and_then(Value::as_object) else {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "candidate is required");
    };
    let (mut first, mut last) = (field(fields, "firstname"), field(fields, "lastname"));
    if first.is_empty() && last.is_empty() {
        let name = field(fields, "name");
        let (f, l) = name.split_once(' ').unwrap_or((&name, ""));
        (first, last) = (f.to_string(), l.trim().to_string());
    }
    let email = field(fields, "email");
    if first.is_empty() || email.is_empty() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: name and email are required",
        );
    }
    let mut model = shared.model();
    let job = match job {
        Some(code) => match model.jobs().iter().find(|j| shortcode(j) == code) {
            Some(j) => Some(j.id),
            None => return error(StatusCode::NOT_FOUND, "Not found"),
        },
        None => None,
    };
    let mut person = Person::new(&first, &last)
        .with_email(&email)
        .with_phone(&field(fields, "phone"));
    if let Some(Value::Array(profiles)) = fields.get("social_profiles") {
        person.links = social_links(profiles);
    }
    person.title = field(fields, "headline");
    person.location = field(fields, "address");
    person.source = "Sourced".into();
    let at = person.created_at.clone();
    let id = model.add_person(person);
    if let Some(job) = job {
        model.apply(id, job, at);
    }
    let person = model.person(id).expect("just added");
    let record = first_record(&model, person);
    Json(json!({"status": "created", "candidate": candidate_json(&model, &record, &origin(headers), true)}))
        .into_response()
}

async fn jobs(State(shared): State<Shared>, headers: HeaderMap, uri: axum::http::Uri) -> Response {
    if let Some(e) = lacks(&shared, "r_jobs") {
        return e;
    }
    let q = query(&uri);
    let model = shared.model();
    let origin = origin(&headers);
    let state = param(&q, "state");
    let rows = model
        .jobs()
        .iter()
        .filter(|j| state.is_none_or(|s| state_of(j) == s))
        .map(|j| {
            (j.id.0, print_id(j.id.0), json!({
                "id": print_id(j.id.0), "title": j.title, "full_title": format!("{} - {}", j.title, j.location),
                "shortcode": shortcode(j), "code": null, "state": state_of(j), "confidential": j.confidential,
                "department": text(&j.department),
                "url": format!("{origin}/_sandbox/jobs/{}", shortcode(j)),
                "location": {"location_str": j.location, "city": j.location, "telecommuting": j.location == "Remote"},
                "created_at": "2024-01-01T00:00:00Z",
            }))
        })
        .collect();
    match page(
        rows,
        &q,
        &format!("{origin}/{SUBDOMAIN}/spi/v3/jobs"),
        "jobs",
    ) {
        Ok(body) => Json(body).into_response(),
        Err(e) => error(StatusCode::UNPROCESSABLE_ENTITY, e),
    }
}

async fn members(State(shared): State<Shared>, uri: axum::http::Uri) -> Response {
    if let Some(e) = lacks(&shared, "r_jobs") {
        return e;
    }
    let q = query(&uri);
    let email = param(&q, "email").map(str::to_lowercase);
    let model = shared.model();
    let rows: Vec<Value> = model
        .users()
        .iter()
        .filter(|u| email.as_deref().is_none_or(|e| u.email.to_lowercase() == e))
        .map(|u| {
            let role = match u.role {
                Role::Admin => "admin",
                Role::Recruiter => "simple",
            };
            json!({"id": member_id(u), "name": format!("{} {}", u.first_name, u.last_name),
                "headline": null, "email": u.email, "role": role, "active": true})
        })
        .collect();
    Json(json!({ "members": rows })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_a_record_of_its_own_that_names_the_same_person() {
        let mut model = Model::new();
        let ana = model.add_person(Person::new("Ana", "Pérez").with_email("ana@x.io"));
        let (first, second) = (model.jobs()[0].id, model.jobs()[1].id);
        model.apply(ana, first, Timestamp::now());
        let copy = model.apply(ana, second, Timestamp::now());
        let all = records(&model);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].id, print_id(ana.0));
        assert_eq!(all[1].id, print_id(copy.0));
        assert_eq!(
            Workable.find_person(&model, &all[1].id).map(|p| p.id),
            Some(ana)
        );
        let row = candidate_json(&model, &all[1], "http://h", false);
        assert_eq!(
            row["job"]["shortcode"],
            shortcode(model.job(second).unwrap())
        );
        assert!(
            row.get("social_profiles").is_none(),
            "only the detail has them"
        );
    }

    #[test]
    fn job_states_follow_workables_words() {
        let model = Model::new();
        let states: Vec<(&str, bool)> = model
            .jobs()
            .iter()
            .map(|j| (state_of(j), j.confidential))
            .collect();
        assert!(states.contains(&("published", false)));
        assert!(
            states.contains(&("published", true)),
            "a confidential job is flagged"
        );
        assert!(
            states.contains(&("closed", false)),
            "internal jobs are closed"
        );
        assert!(states.contains(&("archived", false)));
    }

    #[test]
    fn timestamps_read_as_iso_or_unix() {
        assert_eq!(
            instant("2015-07-08T11:56:16Z").as_deref(),
            Some("2015-07-08T11:56:16Z")
        );
        assert_eq!(
            instant("20150708T115616Z").as_deref(),
            Some("2015-07-08T11:56:16Z")
        );
        assert_eq!(
            instant("1436356576").as_deref(),
            Some("2015-07-08T11:56:16Z")
        );
        assert_eq!(instant("soon"), None);
    }

    #[test]
    fn empty_strings_print_as_null() {
        assert_eq!(text(""), Value::Null);
        assert_eq!(text("a"), json!("a"));
    }
}
