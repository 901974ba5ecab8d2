//! Greenhouse's Harvest v3 API as clients see it, over the neutral model:
//! OAuth2 client credentials at a token endpoint (HTTP Basic
//! `client_id:client_secret`, form `grant_type=client_credentials&sub=<user
//! id>`), bearer tokens that expire, scopes per credential, cursor paging
//! by the `Link: <…?cursor=…>; rel="next"` header only (the cursor must be
//! the only query parameter), `created_at`/`updated_at` filters written
//! `op|timestamp` or `[op]=timestamp`, v1's profile field names under v3's
//! conventions (`_at` date-times, no child ids), and a per-window rate limit told by
//! `X-RateLimit-*` with a 429 carrying `Retry-After` and `X-RateLimit-Reset`.
//! Choices the public docs leave open are in README.md, "Greenhouse".

use super::{decode, Dialect, RateWindow};
use crate::model::{
    Application, ApplicationStatus, Author, Email, EmailKind, Id, Job, JobStatus, Link, LinkKind,
    Model, Note, Person, Phone, Timestamp, Visibility,
};
use crate::oauth::Grant;
use crate::{SandboxState, Shared};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where the sandbox mints tokens (Greenhouse: `https://auth.greenhouse.io/token`).
pub const TOKEN_PATH: &str = "/auth/token";
/// The credential with every scope.
pub const CLIENT_ID: &str = "sandbox-client";
/// A credential like [`CLIENT_ID`] (same secret) without
/// [`CANDIDATES_LIST`], to see a 403 for a missing permission.
pub const LIMITED_CLIENT_ID: &str = "sandbox-client-without-candidates-list";
/// The scope of listing and reading candidates.
pub const CANDIDATES_LIST: &str = "harvest:candidates:list";
/// Every scope this sandbox checks, on the documented `harvest:<resource>:<verb>` pattern.
pub const SCOPES: &[&str] = &[
    CANDIDATES_LIST,
    "harvest:candidates:create",
    "harvest:candidates:update",
    "harvest:prospects:create",
    "harvest:notes:list",
    "harvest:notes:create",
    "harvest:applications:list",
    "harvest:applications:create",
    "harvest:jobs:list",
    "harvest:users:list",
];
/// Rows per page unless `per_page` says otherwise, and its ceiling (v3's
/// "List candidates": 1 to 500, default 100).
const DEFAULT_PER_PAGE: usize = 100;
const MAX_PER_PAGE: usize = 500;
/// Most ids an `ids` filter may list ("List candidates": length ≤ 50).
const MAX_IDS: usize = 50;
/// Harvest's documented rate window.
const WINDOW: std::time::Duration = std::time::Duration::from_secs(10);
/// Numeric ids the way Greenhouse prints them: neutral ids shifted.
const ID_BASE: u64 = 4_000_000;

/// Greenhouse (Harvest v3).
pub struct Greenhouse;

impl Dialect for Greenhouse {
    fn name(&self) -> &'static str {
        "greenhouse"
    }

    fn base_path(&self) -> &'static str {
        "/v3"
    }

    fn routes(&self) -> Router<Shared> {
        Router::new()
            .route(TOKEN_PATH, post(token))
            .route(
                "/v3/candidates",
                get(list_candidates).post(create_candidate),
            )
            .route(
                "/v3/candidates/{id}",
                get(get_candidate).patch(edit_candidate),
            )
            .route("/v3/prospects", post(create_prospect))
            .route("/v3/notes", get(list_notes).post(create_note))
            .route(
                "/v3/applications",
                get(list_applications).post(create_application),
            )
            .route("/v3/jobs", get(list_jobs))
            .route("/v3/users", get(list_users))
    }

    /// The client secret of HTTP Basic (what the token endpoint reads).
    fn api_key(&self, request: &Parts, _body: &[u8]) -> Option<String> {
        basic_credentials(&request.headers).map(|(_, secret)| secret)
    }

    /// At the token endpoint, the current key: that endpoint answers its
    /// own refusals, the OAuth way. Elsewhere, the key the bearer token was
    /// minted with, while the token lives.
    fn caller_key(&self, shared: &SandboxState, request: &Parts, _body: &[u8]) -> Option<String> {
        if request.uri.path() == TOKEN_PATH {
            return Some(shared.current_key());
        }
        let token = bearer(&request.headers)?;
        shared.tokens.grant(&token).map(|g| g.secret)
    }

    fn unauthorized(&self) -> Response {
        (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            Json(json!({"message": "Invalid or expired access token"})),
        )
            .into_response()
    }

    /// 429 with `Retry-After` (seconds) and `X-RateLimit-Reset` (a Unix
    /// timestamp), as Harvest documents.
    fn rate_limited(&self, window: &RateWindow) -> Response {
        // Harvest's windows last 10 seconds: no 429 asks for longer, even
        // when the sandbox is configured with a longer window.
        let wait = window.retry_after_secs.unwrap_or_else(|| {
            window
                .resets_in
                .min(WINDOW)
                .as_millis()
                .div_ceil(1000)
                .max(1)
                .try_into()
                .unwrap_or(u64::MAX)
        });
        let mut response = (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({"message": "Too Many Requests"})),
        )
            .into_response();
        let headers = response.headers_mut();
        insert(headers, "retry-after", &wait.to_string());
        insert(headers, "x-ratelimit-limit", &window.limit.to_string());
        insert(headers, "x-ratelimit-remaining", "0");
        insert(
            headers,
            "x-ratelimit-reset",
            &(unix_now() + wait).to_string(),
        );
        response
    }

    fn add_rate_headers(&self, window: &RateWindow, response: &mut Response) {
        let headers = response.headers_mut();
        insert(headers, "x-ratelimit-limit", &window.limit.to_string());
        insert(
            headers,
            "x-ratelimit-remaining",
            &window.remaining.to_string(),
        );
    }

    fn malformed_body(&self) -> &'static str {
        "{\"id\": 4000001, \"first_name\": [unterminated"
    }

    fn person_id(&self, person: &Person) -> String {
        person
            .given_id
            .clone()
            .unwrap_or_else(|| number(person.id).to_string())
    }

    fn job_id(&self, job: &Job) -> String {
        number(job.id).to_string()
    }

    fn record(&self, _model: &Model, person: &Person) -> Value {
        candidate(person)
    }

    fn inspect(&self, model: &Model, person: &Person) -> Value {
        let mut view = candidate(person);
        view["notes"] = model.notes_of(person.id).map(|n| note(model, n)).collect();
        view["job_ids"] = model
            .applications_of(person.id)
            .map(|a| json!(number(a.job).to_string()))
            .collect();
        view
    }

    fn read_permission(&self) -> Option<&'static str> {
        Some("harvest:candidates:list")
    }

    fn settings(&self, origin: &str) -> Value {
        json!({
            "client_id": CLIENT_ID,
            "user_id": number(Id::OWNER).to_string(),
            "token_url": format!("{origin}{TOKEN_PATH}"),
        })
    }
}

fn number(id: Id) -> u64 {
    ID_BASE + id.0
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn insert(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// `Authorization: Basic base64(id:secret)`.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

/// The scopes of a credential.
fn scopes_of(client_id: &str) -> Option<Vec<&'static str>> {
    match client_id {
        CLIENT_ID => Some(SCOPES.to_vec()),
        LIMITED_CLIENT_ID => Some(
            SCOPES
                .iter()
                .copied()
                .filter(|s| *s != CANDIDATES_LIST)
                .collect(),
        ),
        _ => None,
    }
}

/// An OAuth error answer (RFC 6749 §5.2).
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// `POST /auth/token`: client credentials for a bearer token acting as `sub`.
async fn token(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let Some((client_id, secret)) = basic_credentials(&headers) else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed",
        );
    };
    let scopes = scopes_of(&client_id);
    let (Some(scopes), true) = (scopes, shared.accepts(Some(&secret))) else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed",
        );
    };
    let form: Vec<(String, String)> = String::from_utf8_lossy(&body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if field("grant_type") != Some("client_credentials") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be client_credentials",
        );
    }
    let subject = field("sub").unwrap_or_default().to_string();
    let known = {
        let model = shared.model();
        model
            .users()
            .iter()
            .any(|u| number(u.id).to_string() == subject)
    };
    if !known {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "sub must be the user_id of a user of this account",
        );
    }
    let lifetime = shared.tokens.lifetime();
    let token = shared.tokens.issue(Grant {
        secret,
        client_id,
        subject,
        scopes,
    });
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": lifetime.as_secs().max(1),
        })),
    )
        .into_response()
}

/// The grant of the request's token, if it carries `scope` (the guard has
/// already refused a missing or dead token); else Harvest's 403.
fn allowed(shared: &SandboxState, headers: &HeaderMap, scope: &str) -> Result<Grant, Refused> {
    let grant = bearer(headers)
        .and_then(|t| shared.tokens.grant(&t))
        .ok_or_else(|| Refused::from(Greenhouse.unauthorized()))?;
    if grant.scopes.contains(&scope) && shared.has_permission(scope) {
        Ok(grant)
    } else {
        Err(Refused::from(
            (
                StatusCode::FORBIDDEN,
                Json(json!({"message": format!("Missing required scope: {scope}")})),
            )
                .into_response(),
        ))
    }
}

/// An error answer, boxed (a `Response` is large to carry in a `Result`).
struct Refused(Box<Response>);

impl From<Response> for Refused {
    fn from(response: Response) -> Self {
        Refused(Box::new(response))
    }
}

/// Harvest's validation error (v1's documented body).
fn invalid(field: &str, message: &str) -> Refused {
    Refused::from((
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"message": "Validation error", "errors": [{"message": message, "field": field}]})),
    )
        .into_response())
}

fn not_found() -> Refused {
    Refused::from(
        (
            StatusCode::NOT_FOUND,
            Json(json!({"message": "Resource not found"})),
        )
            .into_response(),
    )
}

// ---- list paging -------------------------------------------------------

/// What a list request asks for: the first request's filters, carried
/// inside the cursor of the next ones, and where the last page ended.
struct ListQuery {
    filters: Vec<(String, String)>,
    /// The neutral id of the last row already given.
    after: Option<u64>,
}

/// Reads `?filters…` or `?cursor=…` (alone: with anything else it fails,
/// as the docs say).
fn list_query(uri: &Uri) -> Result<ListQuery, Refused> {
    let pairs: Vec<(String, String)> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let Some((_, cursor)) = pairs.iter().find(|(k, _)| k == "cursor") else {
        return Ok(ListQuery {
            filters: pairs,
            after: None,
        });
    };
    if pairs.len() > 1 {
        return Err(invalid("cursor", "cursor must be the only query parameter"));
    }
    let bad = || invalid("cursor", "invalid cursor");
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| bad())?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    let after = value["after"].as_u64().ok_or_else(bad)?;
    let filters = value["q"]
        .as_array()
        .ok_or_else(bad)?
        .iter()
        .filter_map(|p| Some((p[0].as_str()?.to_string(), p[1].as_str()?.to_string())))
        .collect();
    Ok(ListQuery {
        filters,
        after: Some(after),
    })
}

impl ListQuery {
    fn get(&self, name: &str) -> Option<&str> {
        self.filters
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn per_page(&self) -> Result<usize, Refused> {
        match self.get("per_page") {
            None => Ok(DEFAULT_PER_PAGE),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_PER_PAGE).contains(n))
                .ok_or_else(|| invalid("per_page", "must be between 1 and 500")),
        }
    }

    /// Whether `at` passes every `created_at` / `updated_at` filter `name`,
    /// written either way the docs show: `name=gte|2026-01-01T00:00:00Z`
    /// ("List endpoints"; a bare timestamp means `gte`) or
    /// `name[gte]=2026-01-01T00:00:00Z` ("List candidates").
    fn time_ok(&self, name: &str, at: &Timestamp) -> Result<bool, Refused> {
        let bracketed = format!("{name}[");
        let mut ok = true;
        for (key, filter) in &self.filters {
            let (op, value) = if key == name {
                filter.split_once('|').unwrap_or(("gte", filter.as_str()))
            } else if let Some(op) = key
                .strip_prefix(&bracketed)
                .and_then(|rest| rest.strip_suffix(']'))
            {
                (op, filter.as_str())
            } else {
                continue;
            };
            let value =
                normalized(value).ok_or_else(|| invalid(name, "must be an ISO-8601 timestamp"))?;
            let at = at.as_str();
            ok &= match op {
                "gte" => at >= value.as_str(),
                "gt" => at > value.as_str(),
                "lte" => at <= value.as_str(),
                "lt" => at < value.as_str(),
                _ => return Err(invalid(name, "operator must be one of gte, gt, lte, lt")),
            };
        }
        Ok(ok)
    }

    /// Whether the id is among `ids` (comma-separated), when given.
    fn id_ok(&self, name: &str, id: &str) -> bool {
        self.get(name)
            .is_none_or(|ids| ids.split(',').any(|i| i.trim() == id))
    }

    /// v3's reference caps an id list filter at 50 ids.
    fn ids_within_limit(&self, name: &str) -> Result<(), Refused> {
        match self.get(name) {
            Some(ids) if ids.split(',').count() > MAX_IDS => {
                Err(invalid(name, "must list at most 50 ids"))
            }
            _ => Ok(()),
        }
    }
}

/// `2026-01-01T00:00:00Z` from any of `…Z`, `….123Z`: whole seconds, UTC
/// (the model's precision).
fn normalized(value: &str) -> Option<String> {
    let head = value.get(..19)?;
    let ok = value.ends_with('Z')
        && head.as_bytes()[4] == b'-'
        && head.as_bytes()[10] == b'T'
        && head.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    ok.then(|| format!("{head}Z"))
}

/// One page of `rows` (neutral id, JSON), in id order, after the cursor's
/// row, with a `Link` to the next page when there is one.
fn page(
    mut rows: Vec<(u64, Value)>,
    query: &ListQuery,
    headers: &HeaderMap,
    path: &str,
) -> Result<Response, Refused> {
    let per_page = query.per_page()?;
    rows.sort_by_key(|(id, _)| *id);
    let rest: Vec<(u64, Value)> = rows
        .into_iter()
        .filter(|(id, _)| query.after.is_none_or(|after| *id > after))
        .collect();
    let more = rest.len() > per_page;
    let page: Vec<(u64, Value)> = rest.into_iter().take(per_page).collect();
    let last = page.last().map(|(id, _)| *id);
    let mut response =
        Json(Value::Array(page.into_iter().map(|(_, v)| v).collect())).into_response();
    if let (true, Some(last)) = (more, last) {
        let mut filters = query.filters.clone();
        if !filters.iter().any(|(k, _)| k == "per_page") {
            filters.push(("per_page".into(), per_page.to_string()));
        }
        let cursor = URL_SAFE_NO_PAD.encode(
            json!({"q": filters.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(), "after": last})
                .to_string(),
        );
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        insert(
            response.headers_mut(),
            "link",
            &format!("<http://{host}{path}?cursor={cursor}>; rel=\"next\""),
        );
    }
    Ok(response)
}

// ---- JSON of the records -------------------------------------------------

fn email_kind(kind: EmailKind) -> &'static str {
    match kind {
        EmailKind::Personal => "personal",
        EmailKind::Work => "work",
        EmailKind::Other => "other",
    }
}

/// A v3 candidate: v1's profile fields, but date-times end in `_at` and no
/// child ids (applications, attachments) ride along: v3 lists those on
/// their own endpoints ("Standardizations"; "List candidates").
fn candidate(p: &Person) -> Value {
    let values = |kind: LinkKind| -> Vec<&str> {
        p.links
            .iter()
            .filter(|l| l.kind == kind)
            .map(|l| l.url.as_str())
            .collect()
    };
    let addresses: Vec<Value> = if p.location.is_empty() {
        Vec::new()
    } else {
        vec![json!({"value": p.location, "type": "home"})]
    };
    json!({
        "id": Greenhouse.person_id(p),
        "first_name": p.first_name,
        "last_name": p.last_name,
        "company": (!p.company.is_empty()).then_some(&p.company),
        "title": (!p.title.is_empty()).then_some(&p.title),
        "created_at": p.created_at.as_str(),
        "updated_at": p.updated_at.as_str(),
        "last_activity_at": p.updated_at.as_str(),
        "is_private": false,
        "photo_url": null,
        "phone_numbers": p.phones.iter().map(|n| json!({"value": n.number, "type": "mobile"})).collect::<Vec<_>>(),
        "addresses": addresses,
        "email_addresses": p.emails.iter().map(|e| json!({"value": e.address, "type": email_kind(e.kind)})).collect::<Vec<_>>(),
        "website_addresses": values(LinkKind::Other).iter().map(|u| json!({"value": u, "type": "personal"})).collect::<Vec<_>>(),
        "social_media_addresses": values(LinkKind::LinkedIn).iter().map(|u| json!({"value": u})).collect::<Vec<_>>(),
        "tags": p.tags,
        "recruiter": null,
        "coordinator": null,
        "custom_fields": {},
        "keyed_custom_fields": {},
        "linked_user_ids": [],
        "can_email": !p.emails.is_empty(),
    })
}

fn visibility(v: Visibility) -> &'static str {
    match v {
        Visibility::Everyone => "public",
        Visibility::Restricted => "admin_only",
    }
}

fn user_json(model: &Model, id: Id) -> Value {
    model.user(id).map_or(Value::Null, |u| {
        json!({"id": number(u.id), "first_name": u.first_name, "last_name": u.last_name,
            "name": format!("{} {}", u.first_name, u.last_name), "employee_id": null})
    })
}

fn note(model: &Model, n: &Note) -> Value {
    let user = match &n.author {
        Author::User(id) => user_json(model, *id),
        Author::Unknown(_) => Value::Null,
    };
    let candidate_id = model
        .person(n.person)
        .map_or_else(|| number(n.person).to_string(), |p| Greenhouse.person_id(p));
    // v1 echoes `visibility` and its legacy misspelling `visiblity`.
    json!({"id": number(n.id), "candidate_id": candidate_id, "created_at": n.created_at.as_str(),
        "body": n.body, "user": user, "private": n.visibility == Visibility::Restricted,
        "visibility": visibility(n.visibility), "visiblity": visibility(n.visibility)})
}

/// An application, in v1's documented shape: `status` is `active`,
/// `rejected` or `hired` (a withdrawal is a rejection whose reason says
/// so), `current_stage` the pipeline step, `jobs[{id, name}]`.
fn application(model: &Model, a: &Application) -> Value {
    let candidate_id = model
        .person(a.person)
        .map_or_else(|| number(a.person).to_string(), |p| Greenhouse.person_id(p));
    let job = model.job(a.job);
    let (status, reason) = match a.status {
        ApplicationStatus::Active => ("active", None),
        ApplicationStatus::Hired => ("hired", None),
        ApplicationStatus::Rejected => ("rejected", Some(("Not a fit", "We rejected them"))),
        ApplicationStatus::Withdrawn => {
            ("rejected", Some(("Candidate withdrew", "They rejected us")))
        }
    };
    let closed_at = (a.status != ApplicationStatus::Active).then(|| a.updated_at.as_str());
    json!({"id": number(a.id), "candidate_id": candidate_id, "prospect": false,
        "applied_at": a.created_at.as_str(), "last_activity_at": a.updated_at.as_str(),
        "rejected_at": if reason.is_some() { closed_at } else { None },
        "rejection_reason": reason.map(|(name, kind)| json!({"id": 1, "name": name, "type": {"id": 1, "name": kind}})),
        "status": status, "current_stage": {"id": a.stage.id, "name": a.stage.name},
        "jobs": job.map(|j| vec![json!({"id": number(j.id), "name": j.title})]).unwrap_or_default()})
}

fn job_status(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Open => "open",
        JobStatus::Draft => "draft",
        // Greenhouse has no "on hold": a paused or archived job is closed.
        JobStatus::OnHold | JobStatus::Closed | JobStatus::Archived => "closed",
    }
}

/// A Greenhouse job. Greenhouse has no "internal only" job: the model's
/// private job is shown as confidential, the nearest notion it has (not
/// offered to everyone).
fn job(j: &Job) -> Value {
    json!({"id": number(j.id), "name": j.title, "requisition_id": null, "status": job_status(j.status),
        "confidential": j.confidential || j.private, "is_template": false,
        "departments": [{"name": j.department}], "offices": [{"name": j.location, "location": {"name": j.location}}]})
}

// ---- handlers --------------------------------------------------------------

/// Unwraps either side: handlers answer their error as they go.
fn answer(result: Result<Response, Refused>) -> Response {
    result.unwrap_or_else(|e| *e.0)
}

async fn list_candidates(State(shared): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    answer((|| {
        allowed(&shared, &headers, CANDIDATES_LIST)?;
        let query = list_query(&uri)?;
        query.ids_within_limit("ids")?;
        let model = shared.model();
        let mut rows = Vec::new();
        for p in model.people() {
            let email_ok = query.get("email").is_none_or(|e| {
                p.emails
                    .iter()
                    .any(|m| m.address.eq_ignore_ascii_case(e.trim()))
            });
            if email_ok
                && query.id_ok("ids", &Greenhouse.person_id(p))
                && query.time_ok("created_at", &p.created_at)?
                && query.time_ok("updated_at", &p.updated_at)?
            {
                rows.push((p.id.0, candidate(p)));
            }
        }
        page(rows, &query, &headers, "/v3/candidates")
    })())
}

async fn get_candidate(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = allowed(&shared, &headers, CANDIDATES_LIST) {
        return *refused.0;
    }
    let model = shared.model();
    match Greenhouse.find_person(&model, &id) {
        Some(p) => Json(candidate(p)).into_response(),
        None => *not_found().0,
    }
}

fn text(body: &Map<String, Value>, name: &str) -> String {
    match body.get(name) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The `value`s of an array of `{value, …}` objects; `None` when absent.
fn values(body: &Map<String, Value>, name: &str) -> Result<Option<Vec<(String, String)>>, Refused> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                let value = item["value"].as_str().map(str::trim).unwrap_or_default();
                if value.is_empty() {
                    return Err(invalid(name, "value is required"));
                }
                Ok((
                    value.to_string(),
                    item["type"].as_str().unwrap_or_default().to_string(),
                ))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(invalid(name, "must be an array")),
    }
}

/// Writes the contact arrays of `body` on `person`: an array given
/// replaces what was there ("passing an empty array will clear all").
fn apply_contacts(person: &mut Person, body: &Map<String, Value>) -> Result<(), Refused> {
    if let Some(emails) = values(body, "email_addresses")? {
        person.emails = emails
            .into_iter()
            .map(|(address, kind)| Email {
                address,
                kind: match kind.as_str() {
                    "work" => EmailKind::Work,
                    "other" => EmailKind::Other,
                    _ => EmailKind::Personal,
                },
            })
            .collect();
    }
    if let Some(phones) = values(body, "phone_numbers")? {
        person.phones = phones
            .into_iter()
            .map(|(number, _)| Phone { number })
            .collect();
    }
    for (field, kind) in [
        ("social_media_addresses", LinkKind::LinkedIn),
        ("website_addresses", LinkKind::Other),
    ] {
        if let Some(urls) = values(body, field)? {
            person.links.retain(|l| l.kind != kind);
            person
                .links
                .extend(urls.into_iter().map(|(url, _)| Link { url, kind }));
        }
    }
    for (field, slot) in [
        ("company", &mut person.company),
        ("title", &mut person.title),
    ] {
        if body.contains_key(field) {
            *slot = text(body, field);
        }
    }
    if let Some(Value::Array(tags)) = body.get("tags") {
        person.tags = tags
            .iter()
            .filter_map(|t| t.as_str().map(String::from))
            .collect();
    }
    Ok(())
}

fn find_job(model: &Model, id: &str) -> Option<Id> {
    model
        .jobs()
        .iter()
        .find(|j| Greenhouse.job_id(j) == id)
        .map(|j| j.id)
}

fn find_user(model: &Model, id: &str) -> Option<Id> {
    model
        .users()
        .iter()
        .find(|u| number(u.id).to_string() == id)
        .map(|u| u.id)
}

fn note_visibility(value: &str) -> Option<Visibility> {
    match value {
        "public" => Some(Visibility::Everyone),
        "admin_only" | "private" => Some(Visibility::Restricted),
        _ => None,
    }
}

/// A note written with a new person: author, body, visibility.
type NewNote = (Id, String, Visibility);

/// A new person from a create body (names required), with its notes
/// (`activity_feed_notes`) checked; the caller adds it.
fn new_person(model: &Model, body: &Map<String, Value>) -> Result<(Person, Vec<NewNote>), Refused> {
    let (first, last) = (text(body, "first_name"), text(body, "last_name"));
    if first.is_empty() {
        return Err(invalid("first_name", "Must not be blank"));
    }
    if last.is_empty() {
        return Err(invalid("last_name", "Must not be blank"));
    }
    let mut person = Person::new(&first, &last);
    apply_contacts(&mut person, body)?;
    person.source = "Harvest API".into();
    let mut notes = Vec::new();
    if let Some(Value::Array(items)) = body.get("activity_feed_notes") {
        for item in items {
            let item = item.as_object().cloned().unwrap_or_default();
            let user = find_user(model, &text(&item, "user_id"))
                .ok_or_else(|| invalid("activity_feed_notes.user_id", "User not found"))?;
            let visibility = note_visibility(&text(&item, "visibility")).ok_or_else(|| {
                invalid(
                    "activity_feed_notes.visibility",
                    "Must be one of: admin_only, private, public",
                )
            })?;
            let body = text(&item, "body");
            if body.is_empty() {
                return Err(invalid("activity_feed_notes.body", "Must not be blank"));
            }
            notes.push((user, body, visibility));
        }
    }
    Ok((person, notes))
}

/// Adds the person, its jobs and notes; answers it as created.
fn add(
    model: &mut Model,
    person: Person,
    jobs: &[Id],
    notes: Vec<(Id, String, Visibility)>,
) -> Response {
    let created_at = person.created_at.clone();
    let id = model.add_person(person);
    for job in jobs {
        model.apply(id, *job, created_at.clone());
    }
    for (user, body, visibility) in notes {
        model.add_note(id, Author::User(user), body, visibility);
    }
    let person = model.person(id).expect("just added");
    (StatusCode::CREATED, Json(candidate(person))).into_response()
}

async fn create_candidate(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    answer((|| {
        allowed(&shared, &headers, "harvest:candidates:create")?;
        let mut model = shared.model();
        let (person, notes) = new_person(&model, &body)?;
        // A candidate applies to at least one job (a prospect need not).
        let jobs: Vec<Id> = match body.get("applications") {
            Some(Value::Array(apps)) if !apps.is_empty() => apps
                .iter()
                .map(|a| {
                    let id = a.get("job_id").map(|v| match v {
                        Value::Number(n) => n.to_string(),
                        Value::String(s) => s.clone(),
                        _ => String::new(),
                    });
                    find_job(&model, &id.unwrap_or_default())
                        .ok_or_else(|| invalid("applications.job_id", "Job not found"))
                })
                .collect::<Result<_, _>>()?,
            _ => {
                return Err(invalid(
                    "applications",
                    "Must contain at least one application",
                ))
            }
        };
        Ok(add(&mut model, person, &jobs, notes))
    })())
}

async fn create_prospect(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    answer((|| {
        allowed(&shared, &headers, "harvest:prospects:create")?;
        let mut model = shared.model();
        let (person, notes) = new_person(&model, &body)?;
        let job_ids = body
            .get("application")
            .and_then(|a| a.get("job_ids"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let jobs: Vec<Id> = job_ids
            .iter()
            .map(|v| {
                let id = match v {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.clone(),
                    _ => String::new(),
                };
                find_job(&model, &id).ok_or_else(|| invalid("application.job_ids", "Job not found"))
            })
            .collect::<Result<_, _>>()?;
        Ok(add(&mut model, person, &jobs, notes))
    })())
}

async fn edit_candidate(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    answer((|| {
        allowed(&shared, &headers, "harvest:candidates:update")?;
        let mut model = shared.model();
        let person = Greenhouse
            .find_person(&model, &id)
            .map(|p| p.id)
            .ok_or_else(not_found)?;
        let mut edited = model.person(person).expect("found").clone();
        for (field, slot) in [
            ("first_name", &mut edited.first_name),
            ("last_name", &mut edited.last_name),
        ] {
            if body.contains_key(field) {
                let value = text(&body, field);
                if value.is_empty() {
                    return Err(invalid(field, "Must not be blank"));
                }
                *slot = value;
            }
        }
        apply_contacts(&mut edited, &body)?;
        edited.updated_at = Timestamp::now();
        *model.person_mut(person).expect("found") = edited;
        let person = model.person(person).expect("found");
        Ok(Json(candidate(person)).into_response())
    })())
}

async fn list_notes(State(shared): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    answer((|| {
        allowed(&shared, &headers, "harvest:notes:list")?;
        let query = list_query(&uri)?;
        let model = shared.model();
        let rows = model
            .notes()
            .iter()
            .filter(|n| {
                let candidate = model
                    .person(n.person)
                    .map(|p| Greenhouse.person_id(p))
                    .unwrap_or_default();
                query.id_ok("candidate_ids", &candidate)
            })
            .map(|n| (n.id.0, note(&model, n)))
            .collect();
        page(rows, &query, &headers, "/v3/notes")
    })())
}

async fn create_note(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    answer((|| {
        let grant = allowed(&shared, &headers, "harvest:notes:create")?;
        let mut model = shared.model();
        let person = Greenhouse
            .find_person(&model, &text(&body, "candidate_id"))
            .map(|p| p.id)
            .ok_or_else(|| invalid("candidate_id", "Candidate not found"))?;
        // The token acts as its `sub`; a `user_id` names another author.
        let user_id = Some(text(&body, "user_id"))
            .filter(|u| !u.is_empty())
            .unwrap_or(grant.subject);
        let user =
            find_user(&model, &user_id).ok_or_else(|| invalid("user_id", "User not found"))?;
        let contents = text(&body, "body");
        if contents.is_empty() {
            return Err(invalid("body", "Must not be blank"));
        }
        let visibility = note_visibility(&text(&body, "visibility"))
            .ok_or_else(|| invalid("visibility", "Must be one of: admin_only, private, public"))?;
        let id = model.add_note(person, Author::User(user), contents, visibility);
        let created = model
            .notes()
            .iter()
            .find(|n| n.id == id)
            .expect("just added");
        Ok((StatusCode::CREATED, Json(note(&model, created))).into_response())
    })())
}

/// `GET /v3/applications`: `candidate_ids`, `ids`, `last_activity_at`.
async fn list_applications(State(shared): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    answer((|| {
        allowed(&shared, &headers, "harvest:applications:list")?;
        let query = list_query(&uri)?;
        let model = shared.model();
        let mut rows = Vec::new();
        for a in model.applications() {
            let candidate = model
                .person(a.person)
                .map(|p| Greenhouse.person_id(p))
                .unwrap_or_default();
            if query.id_ok("candidate_ids", &candidate)
                && query.id_ok("ids", &number(a.id).to_string())
                && query.time_ok("last_activity_at", &a.updated_at)?
            {
                rows.push((a.id.0, application(&model, a)));
            }
        }
        page(rows, &query, &headers, "/v3/applications")
    })())
}

async fn create_application(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    answer((|| {
        allowed(&shared, &headers, "harvest:applications:create")?;
        let mut model = shared.model();
        let person = Greenhouse
            .find_person(&model, &text(&body, "candidate_id"))
            .map(|p| p.id)
            .ok_or_else(|| invalid("candidate_id", "Candidate not found"))?;
        let job = find_job(&model, &text(&body, "job_id"))
            .ok_or_else(|| invalid("job_id", "Job not found"))?;
        // A second application to the same job answers the first one.
        let id = model.apply(person, job, Timestamp::now());
        let created = model
            .applications()
            .iter()
            .find(|a| a.id == id)
            .expect("just added");
        Ok((StatusCode::CREATED, Json(application(&model, created))).into_response())
    })())
}

async fn list_jobs(State(shared): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    answer((|| {
        allowed(&shared, &headers, "harvest:jobs:list")?;
        let query = list_query(&uri)?;
        let model = shared.model();
        let rows = model
            .jobs()
            .iter()
            .filter(|j| {
                query
                    .get("status")
                    .is_none_or(|s| job_status(j.status) == s)
            })
            .filter(|j| query.id_ok("ids", &Greenhouse.job_id(j)))
            .map(|j| (j.id.0, job(j)))
            .collect();
        page(rows, &query, &headers, "/v3/jobs")
    })())
}

async fn list_users(State(shared): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    answer((|| {
        allowed(&shared, &headers, "harvest:users:list")?;
        let query = list_query(&uri)?;
        let model = shared.model();
        let rows = model
            .users()
            .iter()
            .map(|u| {
                let mut row = user_json(&model, u.id);
                row["primary_email_address"] = json!(u.email);
                row["site_admin"] = json!(u.role == crate::model::Role::Admin);
                row["disabled"] = json!(false);
                (u.id.0, row)
            })
            .collect();
        page(rows, &query, &headers, "/v3/users")
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> Result<ListQuery, Refused> {
        list_query(&format!("/v3/candidates?{q}").parse::<Uri>().unwrap())
    }

    #[test]
    fn a_cursor_must_come_alone_and_be_ours() {
        assert!(query("cursor=abc&per_page=5").is_err());
        assert!(query("cursor=not-base64!").is_err());
        let cursor = URL_SAFE_NO_PAD.encode(r#"{"q":[["email","a@b.c"]],"after":7}"#);
        let q = query(&format!("cursor={cursor}")).ok().unwrap();
        assert_eq!((q.get("email"), q.after), (Some("a@b.c"), Some(7)));
    }

    #[test]
    fn time_filters_take_an_operator_and_whole_or_fractional_seconds() {
        let at = Timestamp::at_day("2026-01-02");
        let q = query("updated_at=gte%7C2026-01-01T00:00:00Z").ok().unwrap();
        assert!(q.time_ok("updated_at", &at).ok().unwrap());
        let q = query("updated_at=lt|2026-01-02T00:00:00.000Z")
            .ok()
            .unwrap();
        assert!(!q.time_ok("updated_at", &at).ok().unwrap());
        let q = query("updated_at=soon").ok().unwrap();
        assert!(q.time_ok("updated_at", &at).is_err());
        let q = query("updated_at=eq|2026-01-02T00:00:00Z").ok().unwrap();
        assert!(q.time_ok("updated_at", &at).is_err());
        // The reference's bracket form, and a range of two bounds.
        let q = query(
            "updated_at%5Bgte%5D=2026-01-01T00:00:00Z&updated_at%5Blt%5D=2026-01-03T00:00:00Z",
        )
        .ok()
        .unwrap();
        assert!(q.time_ok("updated_at", &at).ok().unwrap());
        let q = query(
            "updated_at%5Bgte%5D=2026-01-01T00:00:00Z&updated_at%5Blt%5D=2026-01-02T00:00:00Z",
        )
        .ok()
        .unwrap();
        assert!(!q.time_ok("updated_at", &at).ok().unwrap());
        assert!(query("updated_at%5Beq%5D=2026-01-01T00:00:00Z")
            .ok()
            .unwrap()
            .time_ok("updated_at", &at)
            .is_err());
    }

    #[test]
    fn ids_are_numbers_and_social_links_are_linkedin_links() {
        let mut model = Model::new();
        let id = model.add_person(
            Person::new("Ana", "Pérez")
                .with_email("ana@example.org")
                .with_link("https://www.linkedin.com/in/ana", LinkKind::LinkedIn)
                .with_link("https://ana.example.org", LinkKind::Other),
        );
        let view = candidate(model.person(id).unwrap());
        assert_eq!(view["id"], number(id).to_string());
        assert_eq!(
            view["social_media_addresses"],
            json!([{"value": "https://www.linkedin.com/in/ana"}])
        );
        assert_eq!(
            view["website_addresses"][0]["value"],
            "https://ana.example.org"
        );
        assert_eq!(view["email_addresses"][0]["type"], "personal");
        // v3: date-times end in `_at`; child ids live on their own endpoints.
        assert!(view.get("last_activity_at").is_some() && view.get("last_activity").is_none());
        assert!(view.get("application_ids").is_none());
    }

    #[test]
    fn an_ids_filter_lists_at_most_fifty_ids() {
        let ids = |n: u64| (1..=n).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        assert!(query(&format!("ids={}", ids(50)))
            .ok()
            .unwrap()
            .ids_within_limit("ids")
            .is_ok());
        assert!(query(&format!("ids={}", ids(51)))
            .ok()
            .unwrap()
            .ids_within_limit("ids")
            .is_err());
    }

    #[test]
    fn a_patch_array_replaces_what_was_there() {
        let mut person = Person::new("A", "B")
            .with_email("old@example.org")
            .with_link("https://www.linkedin.com/in/old", LinkKind::LinkedIn);
        let body: Map<String, Value> = serde_json::from_value(json!({
            "social_media_addresses": [{"value": "https://www.linkedin.com/in/new"}],
            "email_addresses": []
        }))
        .unwrap();
        assert!(apply_contacts(&mut person, &body).is_ok());
        assert!(person.emails.is_empty());
        assert_eq!(person.linkedin_url(), "https://www.linkedin.com/in/new");
        assert_eq!(person.links.len(), 1);
    }

    #[test]
    fn the_limited_credential_lacks_only_the_candidate_list() {
        let limited = scopes_of(LIMITED_CLIENT_ID).unwrap();
        assert_eq!(limited.len(), SCOPES.len() - 1);
        assert!(!limited.contains(&CANDIDATES_LIST));
        assert!(scopes_of("stranger").is_none());
    }
}
