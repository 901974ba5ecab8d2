//! BambooHR's applicant-tracking API as its docs and recorded traffic show
//! it, over the neutral model: `/api/gateway.php/{companyDomain}/v1/…`,
//! HTTP Basic with the key as user name, XML unless `Accept:
//! application/json`, applications (a candidate on a job) listed by `page`
//! with `paginationComplete`, a free-text `searchString` and no email
//! filter, a create that always needs a job, comments on applications, a
//! 400 whose reason is in `X-BambooHR-Error-Message`, and a 429 with
//! `Retry-After` past the limit. See README.md, "BambooHR".

use super::{basic_user, decode, Dialect, RateWindow};
use crate::model::{Application, Author, Id, Job, JobStatus, LinkKind, Model, Person};
use crate::model::{Timestamp, Visibility};
use crate::Shared;
use axum::extract::{Path, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

/// The one company the sandbox holds.
pub const COMPANY_DOMAIN: &str = "sourcebar-sandbox";
/// Applications per page (UNCONFIRMED).
pub const PAGE_SIZE: usize = 100;

/// BambooHR (applicant tracking).
pub struct BambooHr;

impl Dialect for BambooHr {
    fn name(&self) -> &'static str {
        "bamboohr"
    }

    /// The gateway; the company's domain and `/v1` follow.
    fn base_path(&self) -> &'static str {
        "/api/gateway.php"
    }

    fn routes(&self) -> Router<Shared> {
        let at = "/api/gateway.php/{domain}/v1/applicant_tracking";
        Router::new()
            .route(&format!("{at}/applications"), get(list_applications))
            .route(&format!("{at}/applications/{{id}}"), get(show_application))
            .route(&format!("{at}/applications/{{id}}/comments"), post(comment))
            .route(&format!("{at}/application"), post(create_application))
            .route(&format!("{at}/jobs"), get(jobs))
            .route_layer(axum::middleware::from_fn(company_and_format))
    }

    fn api_key(&self, request: &Parts, _body: &[u8]) -> Option<String> {
        basic_user(&request.headers)
    }

    /// 401 with an empty body ("Your API key is missing" or wrong).
    fn unauthorized(&self) -> Response {
        StatusCode::UNAUTHORIZED.into_response()
    }

    /// 429 with `Retry-After` (BambooHR's rate-limited answer since
    /// 16 September 2026; a 503 before).
    fn rate_limited(&self, window: &RateWindow) -> Response {
        let wait = super::retry_after(window);
        (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", wait.to_string())],
        )
            .into_response()
    }

    fn malformed_body(&self) -> &'static str {
        "{\"paginationComplete\": tru"
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

    fn record(&self, model: &Model, person: &Person) -> Value {
        let record = records(model)
            .into_iter()
            .find(|r| r.person.id == person.id)
            .expect("every person has a record");
        application_json(model, &record, true)
    }

    fn inspect(&self, model: &Model, person: &Person) -> Value {
        let mut view = self.record(model, person);
        view["notes"] = model
            .notes_of(person.id)
            .map(|n| json!({"id": n.id.0, "comment": n.body}))
            .collect();
        view["job_ids"] = model
            .applications_of(person.id)
            .filter_map(|a| model.job(a.job))
            .map(|j| self.job_id(j))
            .collect();
        view
    }

    fn settings(&self, _origin: &str) -> Value {
        json!({ "company_domain": COMPANY_DOMAIN })
    }

    /// An id names one of the person's applications (the first one is
    /// the person's id).
    fn find_person<'m>(&self, model: &'m Model, id: &str) -> Option<&'m Person> {
        records(model)
            .into_iter()
            .find(|r| r.id == id)
            .map(|r| r.person)
    }
}

/// One BambooHR application: a person on a job. A person of the neutral
/// model with no application shows as one application with no job.
struct Record<'m> {
    id: String,
    person: &'m Person,
    application: Option<&'m Application>,
}

/// Every application, oldest first.
fn records(model: &Model) -> Vec<Record<'_>> {
    let mut out: Vec<(u64, Record<'_>)> = Vec::new();
    for person in model.people() {
        let mut applications = model.applications_of(person.id);
        let first = applications.next();
        out.push((
            person.id.0,
            Record {
                id: BambooHr.person_id(person),
                person,
                application: first,
            },
        ));
        out.extend(applications.map(|a| {
            (
                a.id.0,
                Record {
                    id: a.id.0.to_string(),
                    person,
                    application: Some(a),
                },
            )
        }));
    }
    out.sort_by_key(|(k, _)| *k);
    out.into_iter().map(|(_, r)| r).collect()
}

/// `YYYY-MM-DDTHH:MM:SS+00:00`, BambooHR's dates with an offset.
fn stamp(t: &Timestamp) -> String {
    t.as_str()
        .strip_suffix('Z')
        .map_or_else(|| t.as_str().to_string(), |s| format!("{s}+00:00"))
}

fn text(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::String(s.to_string())
    }
}

fn status_label(job: &Job) -> &'static str {
    match job.status {
        JobStatus::Open => "Open",
        JobStatus::OnHold => "On Hold",
        JobStatus::Closed => "Filled",
        JobStatus::Draft => "Draft",
        JobStatus::Archived => "Canceled",
    }
}

/// An application as the list shows it; with `detail`, as `GET
/// /applications/{id}` does (the applicant's links and phone).
fn application_json(model: &Model, r: &Record<'_>, detail: bool) -> Value {
    let p = r.person;
    let job = r.application.and_then(|a| model.job(a.job));
    let mut applicant = json!({
        "id": p.id.0, "firstName": p.first_name, "lastName": p.last_name,
        "email": text(p.email()), "source": text(&p.source), "avatar": null,
    });
    if detail {
        applicant["phoneNumber"] = text(p.phone());
        applicant["linkedinUrl"] = text(p.linkedin_url());
        applicant["websiteUrl"] = p
            .links
            .iter()
            .find(|l| l.kind == LinkKind::Other)
            .map_or(Value::Null, |l| json!(l.url));
        applicant["twitterUsername"] = Value::Null;
        applicant["address"] = json!({"city": text(&p.location)});
    }
    let applied = r.application.map_or(&p.created_at, |a| &a.created_at);
    let mut row = json!({
        "id": r.id.parse::<u64>().map_or(json!(r.id), |n| json!(n)),
        "appliedDate": stamp(applied),
        "status": {"id": 1, "label": r.application.map_or("New", |a| a.stage.name.as_str())},
        "rating": null,
        "applicant": applicant,
        "job": job.map_or(Value::Null, |j| json!({"id": j.id.0, "title": {"id": null, "label": j.title}})),
    });
    if detail {
        row["questionsAndAnswers"] = json!([]);
        row["comments"] = model
            .notes_of(p.id)
            .map(|n| json!({"id": n.id.0, "comment": n.body, "createdDate": stamp(&n.created_at)}))
            .collect();
    }
    row
}

/// The company's domain is the path's fourth segment; only the sandbox's
/// answers (another: 404). Without `Accept: application/json`, BambooHR
/// answers XML.
async fn company_and_format(request: Request, next: Next) -> Response {
    let domain = request.uri().path().split('/').nth(3).unwrap_or_default();
    if domain != COMPANY_DOMAIN {
        return StatusCode::NOT_FOUND.into_response();
    }
    let json = request
        .headers()
        .get("accept")
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    if !json {
        return (
            StatusCode::OK,
            [("content-type", "text/xml")],
            "<?xml version=\"1.0\"?><applications/>",
        )
            .into_response();
    }
    next.run(request).await
}

/// A 400 whose reason is in the `X-BambooHR-Error-Message` header.
fn bad_request(reason: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [("x-bamboohr-error-message", reason.to_string())],
    )
        .into_response()
}

fn query(uri: &axum::http::Uri) -> Vec<(String, String)> {
    uri.query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), decode(v)))
        .collect()
}

fn param<'q>(q: &'q [(String, String)], name: &str) -> Option<&'q str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `newSince`: `YYYY-MM-DD HH:MM:SS` (UTC) or an ISO 8601 timestamp.
fn since(raw: &str) -> Option<String> {
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

/// `GET /applications?page=&jobId=&searchString=&newSince=`, oldest first.
async fn list_applications(State(shared): State<Shared>, uri: axum::http::Uri) -> Response {
    let q = query(&uri);
    let page = match param(&q, "page") {
        None => 1,
        Some(p) => match p.parse::<usize>() {
            Ok(p) if p >= 1 => p,
            _ => return bad_request("Invalid page"),
        },
    };
    let new_since = match param(&q, "newSince") {
        None => None,
        Some(raw) => match since(raw) {
            Some(s) => Some(s),
            None => return bad_request("Invalid newSince"),
        },
    };
    let search = param(&q, "searchString").filter(|s| !s.trim().is_empty());
    let job = param(&q, "jobId");
    let model = shared.model();
    let rows: Vec<Value> = records(&model)
        .into_iter()
        .filter(|r| {
            search.is_none_or(|s| {
                r.person.name_matches(s)
                    || r.application
                        .and_then(|a| model.job(a.job))
                        .is_some_and(|j| j.title.to_lowercase().contains(&s.to_lowercase()))
            })
        })
        .filter(|r| job.is_none_or(|j| r.application.is_some_and(|a| a.job.0.to_string() == j)))
        .filter(|r| {
            new_since.as_deref().is_none_or(|s| {
                r.application
                    .map_or(&r.person.created_at, |a| &a.created_at)
                    .as_str()
                    >= s
            })
        })
        .map(|r| application_json(&model, &r, false))
        .collect();
    let start = (page - 1) * PAGE_SIZE;
    let shown: Vec<Value> = rows.iter().skip(start).take(PAGE_SIZE).cloned().collect();
    Json(json!({
        "paginationComplete": start + shown.len() >= rows.len(),
        "applications": shown,
    }))
    .into_response()
}

async fn show_application(
    State(shared): State<Shared>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let model = shared.model();
    match records(&model).into_iter().find(|r| r.id == id) {
        Some(r) => Json(application_json(&model, &r, true)).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `POST /applications/{id}/comments {"type": "comment", "comment"}`.
async fn comment(
    State(shared): State<Shared>,
    Path((_, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let text = body
        .get("comment")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string();
    if text.is_empty() {
        return bad_request("comment is required");
    }
    let mut model = shared.model();
    let Some(person) = BambooHr.find_person(&model, &id).map(|p| p.id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let note = model.add_note(person, Author::User(Id::OWNER), text, Visibility::Everyone);
    Json(json!({"type": "comment", "id": note.0})).into_response()
}

/// `POST /application`: `firstName`, `lastName` and `jobId` are required.
/// An email that an applicant already has puts the new application on
/// that applicant (UNCONFIRMED; README.md).
async fn create_application(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    let field = |name: &str| {
        body.get(name)
            .map(|v| match v {
                Value::Number(n) => n.to_string(),
                v => v.as_str().unwrap_or_default().trim().to_string(),
            })
            .unwrap_or_default()
    };
    let (first, last, job) = (field("firstName"), field("lastName"), field("jobId"));
    if first.is_empty() || last.is_empty() {
        return bad_request("firstName and lastName are required");
    }
    if job.is_empty() {
        return bad_request("jobId is required");
    }
    let mut model = shared.model();
    let Some(job) = model
        .jobs()
        .iter()
        .find(|j| j.id.0.to_string() == job && visible(j))
        .map(|j| j.id)
    else {
        return bad_request("Invalid jobId");
    };
    let email = field("email");
    let existing = (!email.is_empty())
        .then(|| {
            model
                .people()
                .iter()
                .find(|p| {
                    p.emails
                        .iter()
                        .any(|e| e.address.eq_ignore_ascii_case(&email))
                })
                .map(|p| p.id)
        })
        .flatten();
    let person = if let Some(id) = existing {
        id
    } else {
        let mut person = Person::new(&first, &last)
            .with_email(&email)
            .with_phone(&field("phoneNumber"))
            .with_link(&field("linkedinUrl"), LinkKind::LinkedIn)
            .with_link(&field("websiteUrl"), LinkKind::Other);
        person.source = field("source");
        model.add_person(person)
    };
    model.apply(person, job, Timestamp::now());
    Json(json!({"result": "success", "candidateId": person.0})).into_response()
}

/// Jobs this key may see: confidential and internal ones are not shown
/// (README.md, "BambooHR").
fn visible(job: &Job) -> bool {
    !job.confidential && !job.private
}

/// `GET /jobs`: a bare array.
async fn jobs(State(shared): State<Shared>) -> Response {
    let model = shared.model();
    let rows: Vec<Value> = model
        .jobs()
        .iter()
        .filter(|j| visible(j))
        .map(|j| {
            json!({"id": j.id.0, "title": {"id": null, "label": j.title},
                "postedDate": "2024-01-01T00:00:00+00:00",
                "location": {"id": null, "label": j.location},
                "department": {"id": null, "label": j.department},
                "status": {"id": null, "label": status_label(j)},
                "hiringLead": {"employeeId": 1, "firstName": "Sandbox", "lastName": "Admin"},
                "newApplicantsCount": 0, "activeApplicantsCount": 0, "totalApplicantsCount": 0})
        })
        .collect();
    Json(Value::Array(rows)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_person_has_one_record_and_each_further_job_another() {
        let mut model = Model::new();
        let ana = model.add_person(Person::new("Ana", "Pérez"));
        let bo = model.add_person(Person::new("Bo", "Li"));
        let (a, b) = (model.jobs()[0].id, model.jobs()[1].id);
        model.apply(ana, a, Timestamp::now());
        let second = model.apply(ana, b, Timestamp::now());
        let all = records(&model);
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].id, ana.0.to_string());
        assert_eq!(all[1].id, bo.0.to_string());
        assert!(all[1].application.is_none(), "no job: shown without one");
        assert_eq!(all[2].id, second.0.to_string());
        assert_eq!(BambooHr.find_person(&model, &all[2].id).unwrap().id, ana);
    }

    #[test]
    fn new_since_reads_bamboohrs_spelling_and_iso() {
        assert_eq!(
            since("2026-01-02 03:04:05").as_deref(),
            Some("2026-01-02T03:04:05Z")
        );
        assert_eq!(
            since("2026-01-02T03:04:05Z").as_deref(),
            Some("2026-01-02T03:04:05Z")
        );
        assert_eq!(since("yesterday"), None);
    }

    #[test]
    fn only_the_detail_has_the_linkedin_url() {
        let mut model = Model::new();
        model.add_person(
            Person::new("A", "B").with_link("https://www.linkedin.com/in/ab", LinkKind::LinkedIn),
        );
        let r = &records(&model)[0];
        assert!(application_json(&model, r, false)["applicant"]
            .get("linkedinUrl")
            .is_none());
        assert_eq!(
            application_json(&model, r, true)["applicant"]["linkedinUrl"],
            "https://www.linkedin.com/in/ab"
        );
    }
}
