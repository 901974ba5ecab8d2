//! Lever's v1 API as its docs and recorded answers show it, over the
//! neutral model: a person is a Lever *contact*; each of their candidacies
//! is an *opportunity* (one per application, plus one without a posting
//! when the person was added for no job in particular). HTTP Basic with the
//! key as user name, `perform_as` on every write, `{data, hasNext, next}`
//! envelopes paged by opaque offset tokens, JSON error bodies with a `code`
//! and a `message`, and a 429 with `Retry-After` past the rate limit.
//! Every choice the docs leave open is in README.md, "Lever".

mod handlers;
mod opportunity;
mod paging;

use super::{basic_user, Dialect, RateWindow};
use crate::model::{Id, Job, JobStatus, Model, Person, Timestamp};
use crate::Shared;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

pub use opportunity::{ArchiveReason, Opportunity};

/// Where Lever's web app opens a candidate (`/{opportunity id}` follows).
pub const CANDIDATES_URL: &str = "https://hire.lever.co/candidates";

/// Lever (Data API v1).
pub struct Lever;

/// Kinds of record, each printed as its own family of UUIDs.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Opportunity = 0x0990_0001,
    Contact = 0x0990_0002,
    Posting = 0x0990_0003,
    User = 0x0990_0004,
    Note = 0x0990_0005,
    Application = 0x0990_0006,
    Stage = 0x0990_0007,
    ArchiveReason = 0x0990_0008,
}

/// A Lever-looking UUID for a neutral id (`09900001-5b0c-4000-8000-00000000002a`).
fn uuid(kind: Kind, id: Id) -> String {
    format!("{:08x}-5b0c-4000-8000-{:012x}", kind as u32, id.0)
}

impl Dialect for Lever {
    fn name(&self) -> &'static str {
        "lever"
    }

    fn base_path(&self) -> &'static str {
        "/v1"
    }

    fn routes(&self) -> Router<Shared> {
        Router::new()
            .route(
                "/v1/opportunities",
                get(handlers::list_opportunities).post(handlers::create_opportunity),
            )
            .route("/v1/opportunities/deleted", get(handlers::deleted))
            .route("/v1/opportunities/{id}", get(handlers::get_opportunity))
            .route("/v1/opportunities/{id}/addLinks", post(handlers::add_links))
            .route(
                "/v1/opportunities/{id}/notes",
                get(handlers::list_notes).post(handlers::create_note),
            )
            .route("/v1/postings", get(handlers::postings))
            .route("/v1/stages", get(handlers::stages))
            .route("/v1/archive_reasons", get(handlers::archive_reasons))
            .route("/v1/users", get(handlers::users))
            .route("/v1/users/{id}", get(handlers::user))
    }

    /// HTTP Basic, the key as user name and a blank password.
    fn api_key(&self, request: &Parts, _body: &[u8]) -> Option<String> {
        basic_user(&request.headers)
    }

    fn unauthorized(&self) -> Response {
        error(
            StatusCode::UNAUTHORIZED,
            "UnauthorizedError",
            "Invalid API key",
        )
    }

    /// Lever's bucket holds twice its sustained rate ("10 requests per
    /// second, bursts up to 20").
    fn burst(&self, limit: u32) -> Option<u32> {
        Some(limit.saturating_mul(2))
    }

    /// Lever documents a token bucket and a 429; it sends `Retry-After`
    /// here (the seconds until the key's window starts again).
    fn rate_limited(&self, window: &RateWindow) -> Response {
        let secs = window.retry_after_secs.unwrap_or_else(|| {
            let whole = window.resets_in.as_secs();
            (whole + u64::from(window.resets_in.subsec_nanos() > 0)).max(1)
        });
        let mut response = error(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequestsError",
            "Too many requests, slow down",
        );
        if let Ok(value) = secs.to_string().parse() {
            response.headers_mut().insert("retry-after", value);
        }
        response
    }

    fn malformed_body(&self) -> &'static str {
        "{\"data\": [{\"id\": unterminated"
    }

    /// The person's primary opportunity (see `Opportunity::of_person`),
    /// whose id is the person's own (a seed's given id, if any).
    fn person_id(&self, person: &Person) -> String {
        person
            .given_id
            .clone()
            .unwrap_or_else(|| uuid(Kind::Opportunity, person.id))
    }

    fn job_id(&self, job: &Job) -> String {
        uuid(Kind::Posting, job.id)
    }

    fn record(&self, model: &Model, person: &Person) -> Value {
        Opportunity::of_person(model, person)
            .first()
            .map_or(Value::Null, |o| o.json(model))
    }

    fn inspect(&self, model: &Model, person: &Person) -> Value {
        let opportunities = Opportunity::of_person(model, person);
        let mut view = opportunities
            .first()
            .map_or_else(|| json!({}), |o| o.json(model));
        view["opportunities"] = opportunities.iter().map(|o| o.json(model)).collect();
        view["notes"] = model
            .notes_of(person.id)
            .map(|n| handlers::note_json(model, n))
            .collect();
        view["job_ids"] = model
            .applications_of(person.id)
            .map(|a| uuid(Kind::Posting, a.job))
            .collect();
        view
    }

    /// `perform_as` names a user who exists here: the owner.
    fn read_permission(&self) -> Option<&'static str> {
        Some(permission::READ_OPPORTUNITIES)
    }

    fn settings(&self, _origin: &str) -> Value {
        json!({ "user_id": uuid(Kind::User, Id::OWNER) })
    }

    /// The person behind any of their opportunities (or behind the id
    /// `person_id` printed for them).
    fn find_person<'m>(&self, model: &'m Model, id: &str) -> Option<&'m Person> {
        Opportunity::find(model, id)
            .map(|o| o.person)
            .or_else(|| model.people().iter().find(|p| self.person_id(p) == id))
    }
}

/// Lever's error body (UNCONFIRMED shape; README.md).
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message }))).into_response()
}

fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "BadRequestError", message)
}

fn not_found(message: &str) -> Response {
    error(StatusCode::NOT_FOUND, "NotFoundError", message)
}

/// Lever's permissions (the scopes its docs name), as the sandbox's
/// `revoke_permission` takes them.
pub mod permission {
    pub const READ_OPPORTUNITIES: &str = "opportunities:read:admin";
    pub const WRITE_OPPORTUNITIES: &str = "opportunities:write:admin";
    pub const READ_NOTES: &str = "notes:read:admin";
    pub const WRITE_NOTES: &str = "notes:write:admin";
    pub const READ_POSTINGS: &str = "postings:read:admin";
    pub const READ_USERS: &str = "users:read:admin";
    pub const READ_STAGES: &str = "stages:read:admin";
    pub const READ_ARCHIVE_REASONS: &str = "archive_reasons:read:admin";
}

/// A 403 when the key has lost `permission`.
fn forbid_without(shared: &Shared, permission: &str) -> Option<Response> {
    shared.lacks(permission).then(|| {
        error(
            StatusCode::FORBIDDEN,
            "ForbiddenError",
            &format!("This API key does not have the {permission} permission"),
        )
    })
}

/// A posting's `state`: Lever has no "on hold", so a paused job is closed,
/// and an open job never published on job boards is `internal`.
fn state(job: &Job) -> &'static str {
    match job.status {
        JobStatus::Open if job.private => "internal",
        JobStatus::Open => "published",
        JobStatus::Draft => "draft",
        JobStatus::OnHold | JobStatus::Closed | JobStatus::Archived => "closed",
    }
}

fn confidentiality(confidential: bool) -> &'static str {
    if confidential {
        "confidential"
    } else {
        "non-confidential"
    }
}

/// Milliseconds since the epoch of a model timestamp (`2024-01-31T09:30:00Z`).
fn millis(at: &Timestamp) -> i64 {
    let s = at.as_str();
    let num = |range: std::ops::Range<usize>| -> i64 {
        s.get(range).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let secs =
        days_from_civil(y, m, d) * 86_400 + num(11..13) * 3600 + num(14..16) * 60 + num(17..19);
    secs * 1000
}

/// (year, month, day) → days since 1970-01-01, proleptic Gregorian.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_become_lever_milliseconds() {
        assert_eq!(millis(&Timestamp::at_day("1970-01-01")), 0);
        assert_eq!(millis(&Timestamp::at_day("2026-01-01")), 1_767_225_600_000);
        let now = Timestamp::now();
        let ms = millis(&now);
        let wall = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis();
        assert!((i128::try_from(wall).unwrap() - i128::from(ms)).abs() < 2_000);
    }

    #[test]
    fn the_key_is_the_basic_user_name() {
        use axum::http::HeaderMap;
        use base64::Engine as _;
        let mut headers = HeaderMap::new();
        let encoded = base64::engine::general_purpose::STANDARD.encode("k3y:");
        headers.insert("authorization", format!("Basic {encoded}").parse().unwrap());
        assert_eq!(basic_user(&headers).as_deref(), Some("k3y"));
        headers.insert("authorization", "Bearer k3y".parse().unwrap());
        assert_eq!(basic_user(&headers), None);
    }

    #[test]
    fn posting_states_are_levers_words() {
        let model = Model::new();
        let states: Vec<(&str, &str)> = model
            .jobs()
            .iter()
            .map(|j| (state(j), confidentiality(j.confidential)))
            .collect();
        assert!(states.contains(&("published", "non-confidential")));
        assert!(states.contains(&("published", "confidential")));
        assert!(states.contains(&("internal", "non-confidential")));
        assert!(states.contains(&("closed", "non-confidential")));
    }
}
