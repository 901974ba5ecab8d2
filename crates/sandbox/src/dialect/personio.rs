//! Personio's two recruiting APIs as its docs show them, over the neutral
//! model: OAuth2 client credentials at `POST /v2/auth/token` (form fields
//! `client_id`, `client_secret`, `grant_type`), the v2 read endpoints
//! (`/v2/recruiting/candidates` newest-updated first by cursor, with
//! `email` and `updated_at.gt`/`.lt` filters; `/v2/recruiting/jobs`), and
//! the create-application endpoint `POST /v1/recruiting/applications`
//! (the Recruiting API key as a bearer token, `X-Company-ID`; first name,
//! last name, email and job position required; a `message`). No note
//! endpoint, no candidate update. See README.md, "Personio".

use super::{decode, Dialect, RateWindow};
use crate::model::{Author, Job, JobStatus, Model, Person, Timestamp, Visibility};
use crate::oauth::Grant;
use crate::{SandboxState, Shared};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Where tokens are minted.
pub const TOKEN_PATH: &str = "/v2/auth/token";
/// Where applications are created (the Recruiting API key's one endpoint here).
pub const APPLICATIONS_PATH: &str = "/v1/recruiting/applications";
/// The sandbox's credential.
pub const CLIENT_ID: &str = "sourcebar-sandbox-client";
/// The sandbox's company.
pub const COMPANY_ID: &str = "4242";
/// The scope every v2 read needs.
pub const READ_SCOPE: &str = "personio:recruiting:read";
/// Rows per page unless `limit` says otherwise (1 to 200).
pub const DEFAULT_LIMIT: usize = 100;

/// Personio (Recruiting).
pub struct Personio;

/// The sandbox's one key holds both credentials, as the adapter's one
/// secret does: `client_secret recruiting_key`, or one word for both.
fn parts_of(key: &str) -> (String, String) {
    let words: Vec<&str> = key.split_whitespace().collect();
    match words.as_slice() {
        [secret, recruiting] => ((*secret).to_string(), (*recruiting).to_string()),
        _ => (key.to_string(), key.to_string()),
    }
}

impl Dialect for Personio {
    fn name(&self) -> &'static str {
        "personio"
    }

    /// Both APIs hang under the host's root (`https://api.personio.de`).
    fn base_path(&self) -> &'static str {
        ""
    }

    fn routes(&self) -> Router<Shared> {
        Router::new()
            .route(TOKEN_PATH, post(token))
            .route(APPLICATIONS_PATH, post(create_application))
            .route("/v2/recruiting/candidates", get(list_candidates))
            .route("/v2/recruiting/candidates/{id}", get(show_candidate))
            .route("/v2/recruiting/jobs", get(list_jobs))
    }

    /// The bearer token (a minted one, or the Recruiting API key).
    fn api_key(&self, request: &Parts, _body: &[u8]) -> Option<String> {
        bearer(&request.headers)
    }

    /// At the token endpoint, the key when the form's client id and secret
    /// are right; on the create endpoint, the key when the bearer is its
    /// Recruiting API key and `X-Company-ID` names the company; elsewhere,
    /// the key a live token was minted with.
    fn caller_key(&self, shared: &SandboxState, request: &Parts, body: &[u8]) -> Option<String> {
        let key = shared.current_key();
        let (secret, recruiting) = parts_of(&key);
        match request.uri.path() {
            TOKEN_PATH => {
                let form = form(body);
                let field = |n: &str| form.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
                (field("client_id") == Some(CLIENT_ID) && field("client_secret") == Some(&secret))
                    .then_some(key)
            }
            APPLICATIONS_PATH => {
                let company = request
                    .headers
                    .get("x-company-id")
                    .and_then(|v| v.to_str().ok());
                (bearer(&request.headers).as_deref() == Some(recruiting.as_str())
                    && company == Some(COMPANY_ID))
                .then_some(key)
            }
            _ => {
                let token = bearer(&request.headers)?;
                shared.tokens.grant(&token).map(|g| g.secret)
            }
        }
    }

    fn unauthorized(&self) -> Response {
        problem(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "The credentials are invalid.",
        )
    }

    /// A bare 429 with Personio's error body (no rate headers are
    /// documented).
    fn rate_limited(&self, window: &RateWindow) -> Response {
        let mut response = problem(
            StatusCode::TOO_MANY_REQUESTS,
            "Too Many Requests",
            "Rate limit exceeded.",
        );
        if let Some(secs) = window.retry_after_secs {
            if let Ok(v) = secs.to_string().parse() {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }

    fn malformed_body(&self) -> &'static str {
        "{\"_data\": [{\"id\": "
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
        candidate_json(person)
    }

    fn inspect(&self, model: &Model, person: &Person) -> Value {
        let mut view = candidate_json(person);
        view["notes"] = model
            .notes_of(person.id)
            .map(|n| json!({"id": n.id.0, "message": n.body}))
            .collect();
        view["job_ids"] = model
            .applications_of(person.id)
            .filter_map(|a| model.job(a.job))
            .map(|j| self.job_id(j))
            .collect();
        view
    }

    fn settings(&self, _origin: &str) -> Value {
        json!({"client_id": CLIENT_ID, "company_id": COMPANY_ID})
    }
}

/// Personio's v2 error body (`application/problem+json`).
fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        Json(json!({
            "personio_trace_id": format!("{:016x}", rand::random::<u64>()),
            "timestamp": Timestamp::now().as_str(),
            "errors": [{"title": title, "detail": detail}],
        })),
    )
        .into_response()
}

/// The Recruiting API's `error_response` (a 400 on a bad application).
fn bad_application(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"success": false, "error": {"code": 0, "message": message}})),
    )
        .into_response()
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

fn form(body: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn query(uri: &Uri) -> Vec<(String, String)> {
    form(uri.query().unwrap_or_default().as_bytes())
}

fn param<'q>(q: &'q [(String, String)], name: &str) -> Option<&'q str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn text(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::String(s.to_string())
    }
}

/// A v2 candidate: no custom attributes (a LinkedIn URL would be one).
fn candidate_json(p: &Person) -> Value {
    json!({
        "id": Personio.person_id(p),
        "first_name": p.first_name,
        "last_name": p.last_name,
        "email": text(p.email()),
        "phone": text(p.phone()),
        "location": text(&p.location),
        "created_at": p.created_at.as_str(),
        "updated_at": p.updated_at.as_str(),
    })
}

/// The first 14 digits of a timestamp (`YYYYMMDDHHMMSS`): compares
/// `2026-01-02T03:04:05Z` and `2026-01-02T03:04:05.120+00:00` alike.
fn seconds(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).take(14).collect();
    (digits.len() == 14).then_some(digits)
}

/// A cursor: the sort key of the last row shown, hex-encoded (opaque to
/// clients, as Personio's are).
fn cursor_of(p: &Person) -> String {
    let key = format!(
        "{}.{}",
        seconds(p.updated_at.as_str()).unwrap_or_default(),
        p.id.0
    );
    key.bytes().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

fn read_cursor(raw: &str) -> Option<(String, u64)> {
    let bytes: Option<Vec<u8>> = (0..raw.len())
        .step_by(2)
        .map(|i| {
            raw.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    let (at, id) = text.split_once('.')?;
    Some((at.to_string(), id.parse().ok()?))
}

/// The refusal of a v2 read, when the credential lacks the read scope.
fn refused_read(shared: &SandboxState) -> Option<Response> {
    if shared.has_permission(READ_SCOPE) {
        None
    } else {
        Some(problem(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "The access token lacks the scope personio:recruiting:read.",
        ))
    }
}

/// `POST /v2/auth/token` (form-encoded); the guard has checked the
/// client id and secret.
async fn token(State(shared): State<Shared>, body: Bytes) -> Response {
    let form = form(&body);
    if param(&form, "grant_type") != Some("client_credentials") {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "unsupported_grant_type"})),
        )
            .into_response();
    }
    let lifetime = shared.tokens.lifetime();
    let token = shared.tokens.issue(Grant {
        secret: shared.current_key(),
        client_id: CLIENT_ID.into(),
        subject: String::new(),
        scopes: vec![READ_SCOPE],
    });
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": lifetime.as_secs().max(1),
            "scope": READ_SCOPE,
        })),
    )
        .into_response()
}

/// `GET /v2/recruiting/candidates?limit=&cursor=&email=&updated_at.gt=&updated_at.lt=`,
/// newest-updated first.
async fn list_candidates(State(shared): State<Shared>, uri: Uri) -> Response {
    if let Some(refused) = refused_read(&shared) {
        return refused;
    }
    let q = query(&uri);
    let limit = match param(&q, "limit").map(str::parse::<usize>) {
        None => DEFAULT_LIMIT,
        Some(Ok(n)) if (1..=200).contains(&n) => n,
        Some(_) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "Bad Request",
                "limit must be 1 to 200",
            )
        }
    };
    let (gt, lt) = (param(&q, "updated_at.gt"), param(&q, "updated_at.lt"));
    if gt.is_some() && lt.is_some() {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "updated_at.gt and updated_at.lt are mutually exclusive",
        );
    }
    let Ok(gt) = gt.map(|s| seconds(s).ok_or(())).transpose() else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "invalid updated_at.gt",
        );
    };
    let Ok(lt) = lt.map(|s| seconds(s).ok_or(())).transpose() else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "invalid updated_at.lt",
        );
    };
    let after = match param(&q, "cursor") {
        None => None,
        Some(raw) => match read_cursor(raw) {
            Some(c) => Some(c),
            None => return problem(StatusCode::BAD_REQUEST, "Bad Request", "invalid cursor"),
        },
    };
    let email = param(&q, "email").map(str::trim).filter(|e| !e.is_empty());
    let model = shared.model();
    let mut people: Vec<&Person> = model
        .people()
        .iter()
        .filter(|p| {
            email.is_none_or(|e| p.emails.iter().any(|m| m.address.eq_ignore_ascii_case(e)))
        })
        .filter(|p| {
            let at = seconds(p.updated_at.as_str()).unwrap_or_default();
            gt.as_ref().is_none_or(|g| &at > g) && lt.as_ref().is_none_or(|l| &at < l)
        })
        .collect();
    let key = |p: &Person| (seconds(p.updated_at.as_str()).unwrap_or_default(), p.id.0);
    people.sort_by_key(|p| std::cmp::Reverse(key(p)));
    let rest: Vec<&Person> = people
        .into_iter()
        .filter(|p| after.as_ref().is_none_or(|a| key(p) < *a))
        .collect();
    let shown: Vec<&Person> = rest.iter().take(limit).copied().collect();
    let mut meta = json!({"links": {"self": {"href": uri.to_string()}}});
    if rest.len() > shown.len() {
        if let Some(last) = shown.last() {
            let mut next: Vec<(String, String)> =
                q.iter().filter(|(k, _)| k != "cursor").cloned().collect();
            next.push(("cursor".into(), cursor_of(last)));
            let href = next
                .iter()
                .map(|(k, v)| format!("{k}={}", encode(v)))
                .collect::<Vec<_>>()
                .join("&");
            meta["links"]["next"] = json!({"href": format!("/v2/recruiting/candidates?{href}")});
        }
    }
    Json(json!({
        "_data": shown.iter().map(|p| candidate_json(p)).collect::<Vec<_>>(),
        "_meta": meta,
    }))
    .into_response()
}

/// Percent-encoding of a query value.
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn show_candidate(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    if let Some(refused) = refused_read(&shared) {
        return refused;
    }
    let model = shared.model();
    match Personio.find_person(&model, &id) {
        Some(p) => Json(candidate_json(p)).into_response(),
        None => problem(StatusCode::NOT_FOUND, "Not Found", "Candidate not found."),
    }
}

/// Jobs this company shows: confidential and internal ones are left out
/// (README.md, "Personio").
fn visible(job: &Job) -> bool {
    !job.confidential && !job.private
}

fn status(job: &Job) -> &'static str {
    match job.status {
        JobStatus::Open => "OPEN",
        JobStatus::OnHold => "ON_HOLD",
        JobStatus::Closed => "CLOSED",
        JobStatus::Draft => "DRAFT",
        JobStatus::Archived => "ARCHIVED",
    }
}

/// `GET /v2/recruiting/jobs`: one page holds the sandbox's few jobs.
async fn list_jobs(State(shared): State<Shared>) -> Response {
    if let Some(refused) = refused_read(&shared) {
        return refused;
    }
    let model = shared.model();
    let rows: Vec<Value> = model
        .jobs()
        .iter()
        .filter(|j| visible(j))
        .map(|j| {
            json!({"id": Personio.job_id(j), "name": j.title, "status": status(j),
                "department": {"name": j.department}, "office": {"name": j.location}})
        })
        .collect();
    Json(json!({"_data": rows, "_meta": {"links": {}}})).into_response()
}

/// `POST /v1/recruiting/applications`: `first_name`, `last_name`, `email`
/// and `job_position_id` required; 201 with no id. An email a candidate
/// already has puts the application on that candidate; the `message` is
/// kept with it (as a note of the candidate's, here).
async fn create_application(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    let field = |name: &str| match body.get(name) {
        Some(Value::Number(n)) => n.to_string(),
        Some(v) => v.as_str().unwrap_or_default().trim().to_string(),
        None => String::new(),
    };
    let (first, last, email, job) = (
        field("first_name"),
        field("last_name"),
        field("email"),
        field("job_position_id"),
    );
    for (name, value) in [
        ("first_name", &first),
        ("last_name", &last),
        ("email", &email),
        ("job_position_id", &job),
    ] {
        if value.is_empty() {
            return bad_application(&format!("The {name} field is required."));
        }
    }
    let mut model = shared.model();
    let Some(job) = model
        .jobs()
        .iter()
        .find(|j| j.id.0.to_string() == job && visible(j))
        .map(|j| j.id)
    else {
        return bad_application("The selected job position id is invalid.");
    };
    let existing = model
        .people()
        .iter()
        .find(|p| {
            p.emails
                .iter()
                .any(|e| e.address.eq_ignore_ascii_case(&email))
        })
        .map(|p| p.id);
    let person = existing.unwrap_or_else(|| {
        let mut person = Person::new(&first, &last).with_email(&email);
        person.source = "Recruiting API".into();
        model.add_person(person)
    });
    model.apply(person, job, Timestamp::now());
    let message = field("message");
    if !message.is_empty() {
        model.add_note(
            person,
            Author::Unknown("applicant message".into()),
            message,
            Visibility::Everyone,
        );
    }
    StatusCode::CREATED.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_the_row_it_was_made_from() {
        let mut model = Model::new();
        let id = model.add_person(Person::new("Ana", "Pérez"));
        let p = model.person(id).unwrap();
        let (at, n) = read_cursor(&cursor_of(p)).unwrap();
        assert_eq!((at, n), (seconds(p.updated_at.as_str()).unwrap(), id.0));
        assert_eq!(read_cursor("zz"), None);
    }

    #[test]
    fn timestamps_compare_by_the_second_whatever_their_spelling() {
        assert_eq!(
            seconds("2026-01-02T03:04:05Z"),
            seconds("2026-01-02T03:04:05.120+00:00")
        );
        assert_eq!(seconds("yesterday"), None);
    }

    #[test]
    fn one_key_holds_both_credentials() {
        assert_eq!(parts_of("s r"), ("s".into(), "r".into()));
        assert_eq!(parts_of("k"), ("k".into(), "k".into()));
    }
}
