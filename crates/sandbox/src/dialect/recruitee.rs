//! Recruitee's ATS API as its docs (and, where they are silent, third
//! parties) describe it, over the neutral model: `/c/{company_id}/…`,
//! `Authorization: Bearer`, candidates with a single `name`, `emails[]` and
//! `social_links[]`, offers (jobs and talent pools), placements (a
//! candidate on an offer), notes. Many of these facts are UNCONFIRMED: see
//! README.md, "Recruitee", for every choice.

use super::{decode, Dialect, RateWindow};
use crate::model::Visibility;
use crate::model::{Author, Id, Job, JobStatus, Link, LinkKind, Model, Person, Timestamp};
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
pub const COMPANY_ID: &str = "71034";
/// Rows per page unless `limit` says otherwise, and the most it may say.
pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;

/// Recruitee (ATS API).
pub struct Recruitee;

impl Dialect for Recruitee {
    fn name(&self) -> &'static str {
        "recruitee"
    }

    /// `https://api.recruitee.com/c`; the company id follows.
    fn base_path(&self) -> &'static str {
        "/c"
    }

    fn routes(&self) -> Router<Shared> {
        Router::new()
            .route("/c/{company}/candidates", get(list).post(create))
            .route("/c/{company}/candidates/{id}", get(show).patch(update))
            .route(
                "/c/{company}/candidates/{id}/notes",
                get(notes).post(add_note),
            )
            .route("/c/{company}/search/new/candidates", get(search))
            .route("/c/{company}/placements", post(place))
            .route("/c/{company}/offers", get(offers))
            .route_layer(axum::middleware::from_fn(this_company_only))
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
        error(StatusCode::UNAUTHORIZED, "Unauthorized")
    }

    /// 429 with `Retry-After` (the seconds left in the window).
    fn rate_limited(&self, window: &RateWindow) -> Response {
        let wait = super::retry_after(window);
        let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Too many requests");
        if let Ok(v) = wait.to_string().parse() {
            response.headers_mut().insert("retry-after", v);
        }
        response
    }

    fn malformed_body(&self) -> &'static str {
        "{\"candidates\": [{\"id\": "
    }

    fn person_id(&self, person: &Person) -> String {
        person
            .given_id
            .clone()
            .unwrap_or_else(|| (40_000_000 + person.id.0).to_string())
    }

    fn job_id(&self, job: &Job) -> String {
        (900_000 + job.id.0).to_string()
    }

    fn record(&self, model: &Model, person: &Person) -> Value {
        candidate_json(model, person)
    }

    fn inspect(&self, model: &Model, person: &Person) -> Value {
        let mut view = candidate_json(model, person);
        view["notes"] = model
            .notes_of(person.id)
            .map(|n| json!({"id": n.id.0, "body": n.body}))
            .collect();
        view["job_ids"] = model
            .applications_of(person.id)
            .filter_map(|a| model.job(a.job))
            .map(|j| self.job_id(j))
            .collect();
        view
    }

    fn settings(&self, _origin: &str) -> Value {
        json!({ "company_id": COMPANY_ID })
    }
}

/// `{"errors": ["…"]}` with a status (UNCONFIRMED shape).
fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "errors": [message] }))).into_response()
}

/// Another company's id: 404.
async fn this_company_only(request: Request, next: Next) -> Response {
    if request.uri().path().split('/').nth(2) != Some(COMPANY_ID) {
        return error(StatusCode::NOT_FOUND, "Not found");
    }
    next.run(request).await
}

/// A candidate as lists and the detail show it.
fn candidate_json(model: &Model, p: &Person) -> Value {
    json!({
        "id": Recruitee.person_id(p).parse::<u64>().map_or(json!(Recruitee.person_id(p)), |n| json!(n)),
        "name": format!("{} {}", p.first_name, p.last_name).trim(),
        "emails": p.emails.iter().map(|e| e.address.clone()).collect::<Vec<_>>(),
        "phones": p.phones.iter().map(|n| n.number.clone()).collect::<Vec<_>>(),
        "social_links": p.links.iter().filter(|l| l.kind == LinkKind::LinkedIn).map(|l| l.url.clone()).collect::<Vec<_>>(),
        "links": p.links.iter().filter(|l| l.kind == LinkKind::Other).map(|l| l.url.clone()).collect::<Vec<_>>(),
        "sources": if p.source.is_empty() { vec![] } else { vec![p.source.clone()] },
        "created_at": p.created_at.as_str(),
        "updated_at": p.updated_at.as_str(),
        "placements": model.applications_of(p.id).map(|a| json!({
            "id": a.id.0, "offer_id": model.job(a.job).map(|j| 900_000 + j.id.0),
            "stage_id": a.stage.id, "created_at": a.created_at.as_str(),
        })).collect::<Vec<_>>(),
    })
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

fn usize_param(
    q: &[(String, String)],
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, Box<Response>> {
    match param(q, name) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| Box::new(error(StatusCode::BAD_REQUEST, &format!("invalid {name}")))),
    }
}

/// People newest first, paged by `limit` and `offset`.
fn paged(q: &[(String, String)], rows: Vec<Value>) -> Result<Value, Box<Response>> {
    let limit = usize_param(q, "limit", DEFAULT_LIMIT, MAX_LIMIT)?.max(1);
    let offset = usize_param(q, "offset", 0, usize::MAX)?;
    let total = rows.len();
    let shown: Vec<Value> = rows.into_iter().skip(offset).take(limit).collect();
    Ok(json!({"candidates": shown, "total": total}))
}

/// `GET /candidates?limit=&offset=&query=&offer_id=&created_after=`:
/// newest first; `query` matches names (and job titles).
async fn list(State(shared): State<Shared>, uri: axum::http::Uri) -> Response {
    let q = query(&uri);
    let model = shared.model();
    let words = param(&q, "query").filter(|s| !s.trim().is_empty());
    let offer = param(&q, "offer_id");
    let created_after = param(&q, "created_after");
    let mut people: Vec<&Person> = model.people().iter().collect();
    people.reverse();
    let rows = people
        .into_iter()
        .filter(|p| words.is_none_or(|w| p.name_matches(w)))
        .filter(|p| {
            offer.is_none_or(|o| {
                model
                    .applications_of(p.id)
                    .filter_map(|a| model.job(a.job))
                    .any(|j| Recruitee.job_id(j) == o)
            })
        })
        .filter(|p| created_after.is_none_or(|c| p.created_at.as_str() >= c))
        .map(|p| candidate_json(&model, p))
        .collect();
    match paged(&q, rows) {
        Ok(body) => Json(body).into_response(),
        Err(e) => *e,
    }
}

/// `GET /search/new/candidates?query=`: the full search, emails included.
async fn search(State(shared): State<Shared>, uri: axum::http::Uri) -> Response {
    let q = query(&uri);
    let Some(words) = param(&q, "query").filter(|s| !s.trim().is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "query is required");
    };
    let model = shared.model();
    let lower = words.trim().to_lowercase();
    let hits: Vec<Value> = model
        .people()
        .iter()
        .rev()
        .filter(|p| {
            p.name_matches(words)
                || p.emails
                    .iter()
                    .any(|e| e.address.to_lowercase().contains(&lower))
        })
        .map(|p| candidate_json(&model, p))
        .collect();
    match paged(&q, hits) {
        Ok(mut body) => {
            body["hits"] = body["candidates"].take();
            if let Some(o) = body.as_object_mut() {
                o.remove("candidates");
            }
            Json(body).into_response()
        }
        Err(e) => *e,
    }
}

async fn show(State(shared): State<Shared>, Path((_, id)): Path<(String, String)>) -> Response {
    let model = shared.model();
    match Recruitee.find_person(&model, &id) {
        Some(p) => Json(json!({"candidate": candidate_json(&model, p)})).into_response(),
        None => error(StatusCode::NOT_FOUND, "Not found"),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// `POST /candidates {"candidate": {name, emails, phones, social_links,
/// links, sources}, "offers": [id]}`: `name` is required.
async fn create(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    let Some(c) = body.get("candidate") else {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "candidate is required");
    };
    let name = c
        .get("name")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or_default();
    if name.is_empty() {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "name can't be blank");
    }
    let mut model = shared.model();
    let mut offers = Vec::new();
    for id in body
        .get("offers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = match id {
            Value::Number(n) => n.to_string(),
            v => v.as_str().unwrap_or_default().to_string(),
        };
        match model.jobs().iter().find(|j| Recruitee.job_id(j) == id) {
            Some(j) => offers.push(j.id),
            None => return error(StatusCode::UNPROCESSABLE_ENTITY, "offer not found"),
        }
    }
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    let mut person = Person::new(first, last.trim());
    for e in strings(c.get("emails")) {
        person = person.with_email(&e);
    }
    for n in strings(c.get("phones")) {
        person = person.with_phone(&n);
    }
    for url in strings(c.get("social_links")) {
        let kind = if url.contains("linkedin.com") {
            LinkKind::LinkedIn
        } else {
            LinkKind::Other
        };
        person = person.with_link(&url, kind);
    }
    for url in strings(c.get("links")) {
        person = person.with_link(&url, LinkKind::Other);
    }
    person.source = strings(c.get("sources"))
        .into_iter()
        .next()
        .unwrap_or_default();
    let at = person.created_at.clone();
    let id = model.add_person(person);
    for job in offers {
        model.apply(id, job, at.clone());
    }
    let p = model.person(id).expect("just added");
    (
        StatusCode::CREATED,
        Json(json!({"candidate": candidate_json(&model, p)})),
    )
        .into_response()
}

/// `PATCH /candidates/{id} {"candidate": {…}}`: a list given replaces the
/// one there (UNCONFIRMED).
async fn update(
    State(shared): State<Shared>,
    Path((_, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let Some(c) = body.get("candidate") else {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "candidate is required");
    };
    let mut model = shared.model();
    let Some(pid) = Recruitee.find_person(&model, &id).map(|p| p.id) else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    let person = model.person_mut(pid).expect("just found");
    if c.get("social_links").is_some() {
        person.links.retain(|l| l.kind != LinkKind::LinkedIn);
        for url in strings(c.get("social_links")) {
            person.links.push(Link {
                url,
                kind: LinkKind::LinkedIn,
            });
        }
    }
    person.updated_at = Timestamp::now();
    let p = model.person(pid).expect("just found");
    Json(json!({"candidate": candidate_json(&model, p)})).into_response()
}

async fn notes(State(shared): State<Shared>, Path((_, id)): Path<(String, String)>) -> Response {
    let model = shared.model();
    let Some(pid) = Recruitee.find_person(&model, &id).map(|p| p.id) else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    let rows: Vec<Value> = model
        .notes_of(pid)
        .map(|n| json!({"id": n.id.0, "body": n.body, "created_at": n.created_at.as_str()}))
        .collect();
    Json(json!({ "notes": rows })).into_response()
}

/// `POST /candidates/{id}/notes {"note": {"body"}}` (UNCONFIRMED).
async fn add_note(
    State(shared): State<Shared>,
    Path((_, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let text = body
        .pointer("/note/body")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string();
    if text.is_empty() {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "body can't be blank");
    }
    let mut model = shared.model();
    let Some(pid) = Recruitee.find_person(&model, &id).map(|p| p.id) else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    let note = model.add_note(
        pid,
        Author::User(Id::OWNER),
        text.clone(),
        Visibility::Everyone,
    );
    (
        StatusCode::CREATED,
        Json(json!({"note": {"id": note.0, "body": text}})),
    )
        .into_response()
}

/// `POST /placements {"candidate_id", "offer_id"}`: the candidate on the
/// offer's first stage; already there: 422.
async fn place(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    let field = |name: &str| match body.get(name) {
        Some(Value::Number(n)) => n.to_string(),
        Some(v) => v.as_str().unwrap_or_default().to_string(),
        None => String::new(),
    };
    let mut model = shared.model();
    let Some(person) = Recruitee
        .find_person(&model, &field("candidate_id"))
        .map(|p| p.id)
    else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    let offer = field("offer_id");
    let Some(job) = model
        .jobs()
        .iter()
        .find(|j| Recruitee.job_id(j) == offer)
        .map(|j| j.id)
    else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    if model.applications_of(person).any(|a| a.job == job) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Candidate is already assigned to this offer",
        );
    }
    let a = model.apply(person, job, Timestamp::now());
    (
        StatusCode::CREATED,
        Json(json!({"placement": {"id": a.0, "candidate_id": field("candidate_id"), "offer_id": offer, "stage_id": 1}})),
    )
        .into_response()
}

fn status_of(job: &Job) -> &'static str {
    match job.status {
        JobStatus::Open if job.confidential || job.private => "internal",
        JobStatus::Open => "published",
        JobStatus::OnHold | JobStatus::Closed => "closed",
        JobStatus::Draft => "draft",
        JobStatus::Archived => "archived",
    }
}

/// `GET /offers`: jobs (and talent pools, none here).
async fn offers(State(shared): State<Shared>) -> Response {
    let model = shared.model();
    let rows: Vec<Value> = model
        .jobs()
        .iter()
        .map(|j| {
            json!({"id": 900_000 + j.id.0, "title": j.title, "kind": "job", "status": status_of(j),
                "department": j.department, "location": j.location,
                "slug": j.title.to_lowercase().replace(' ', "-")})
        })
        .collect();
    Json(json!({ "offers": rows })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_jobs_are_published_unless_confidential_or_internal() {
        let model = Model::new();
        let published: Vec<&Job> = model
            .jobs()
            .iter()
            .filter(|j| status_of(j) == "published")
            .collect();
        assert!(!published.is_empty());
        assert!(published
            .iter()
            .all(|j| j.status == JobStatus::Open && !j.confidential && !j.private));
    }

    #[test]
    fn a_candidate_has_one_name_and_its_linkedin_among_social_links() {
        let mut model = Model::new();
        let id = model.add_person(
            Person::new("Ana", "Pérez")
                .with_email("ana@x.io")
                .with_link("https://www.linkedin.com/in/ana", LinkKind::LinkedIn),
        );
        let c = candidate_json(&model, model.person(id).unwrap());
        assert_eq!(c["name"], "Ana Pérez");
        assert_eq!(c["social_links"][0], "https://www.linkedin.com/in/ana");
    }
}
