//! JazzHR's v1 API as real clients see it, over the neutral model:
//! path-segment filters, pages of 100, a lone object for a single row,
//! business errors as HTTP 200 `_error`, the key in the query or the JSON
//! body, a bare 429.

use super::{decode, Dialect, RateWindow};
use crate::model::{
    Application, Attachment, Author, Id, Job, JobStatus, LinkKind, Model, Person, Timestamp, User,
    Visibility,
};
use crate::Shared;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

/// JazzHR's fixed page size.
pub const PAGE_SIZE: usize = 100;

/// JazzHR (Resumator API v1).
pub struct JazzHr;

impl Dialect for JazzHr {
    fn name(&self) -> &'static str {
        "jazzhr"
    }

    fn base_path(&self) -> &'static str {
        "/v1"
    }

    fn routes(&self) -> Router<Shared> {
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
            .route("/v1/users", get(users_root))
            .route("/v1/users/{*rest}", get(users))
    }

    /// A query parameter on GET, a field of the JSON body on POST (a
    /// form-encoded POST carries no key).
    fn api_key(&self, request: &Parts, body: &[u8]) -> Option<String> {
        if request.method == Method::POST {
            serde_json::from_slice::<Value>(body)
                .ok()
                .and_then(|v| v.get("apikey").and_then(|k| k.as_str()).map(String::from))
        } else {
            request.uri.query().and_then(|q| {
                q.split('&')
                    .find_map(|pair| pair.strip_prefix("apikey=").map(decode))
            })
        }
    }

    /// UNCONFIRMED: one client reads `error` from a non-200 answer.
    fn unauthorized(&self) -> Response {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "Invalid API key"})),
        )
            .into_response()
    }

    /// A bare 429: no header, no body (none seen from JazzHR).
    fn rate_limited(&self, window: &RateWindow) -> Response {
        match window.retry_after_secs {
            Some(secs) => (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", secs.to_string())],
                "",
            )
                .into_response(),
            None => (StatusCode::TOO_MANY_REQUESTS, "").into_response(),
        }
    }

    fn malformed_body(&self) -> &'static str {
        "{\"prospect_id\": [unterminated"
    }

    fn person_id(&self, person: &Person) -> String {
        person
            .given_id
            .clone()
            .unwrap_or_else(|| id("prospect", person.id))
    }

    fn job_id(&self, job: &Job) -> String {
        id("job", job.id)
    }

    fn record(&self, model: &Model, person: &Person) -> Value {
        detail(model, person)
    }

    fn inspect(&self, model: &Model, person: &Person) -> Value {
        let person_id = self.person_id(person);
        let mut view = detail(model, person);
        view["notes"] = model
            .notes_of(person.id)
            .map(|n| {
                json!({"id": id("comment", n.id), "applicant_id": person_id,
                    "user_id": author_id(model, &n.author), "contents": n.body,
                    "security": security(n.visibility)})
            })
            .collect();
        view["files"] = model
            .attachments_of(person.id)
            .map(|f| file_row(f, &person_id))
            .collect();
        view["job_ids"] = model
            .applications_of(person.id)
            .map(|a| id("job", a.job))
            .collect();
        view
    }

    fn settings(&self, origin: &str) -> Value {
        // Record links open the sandbox's own view of an applicant.
        json!({"app_url": format!("{origin}/_sandbox/applicants")})
    }
}

/// A JazzHR-looking id (`prospect_000000120948`) for a neutral one.
fn id(prefix: &str, id: Id) -> String {
    let n = id.0;
    format!("{prefix}_{n:08}{:04}", n.wrapping_mul(7919) % 10_000)
}

fn user_id(user: &User) -> String {
    if user.id == Id::OWNER {
        "usr_20160101000000_sandbox".into()
    } else {
        id("usr", user.id)
    }
}

fn author_id(model: &Model, author: &Author) -> String {
    match author {
        Author::User(user) => model.user(*user).map(user_id).unwrap_or_default(),
        Author::Unknown(name) => name.clone(),
    }
}

/// `security: "1"` is "Everyone (Admins and Users)"; other values restrict.
fn security(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Everyone => "1",
        Visibility::Restricted => "0",
    }
}

fn status(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Open => "Open",
        JobStatus::OnHold => "On Hold",
        JobStatus::Closed => "Closed",
        JobStatus::Draft => "Drafting",
        JobStatus::Archived => "Archived",
    }
}

/// The workflow step an application shows. JazzHR closes an application
/// by moving it to a closing step; the names of those steps are not in
/// the public docs: "Hired", "Not Hired" and "Withdrawn" are our choice.
fn progress(a: &crate::model::Application) -> String {
    match a.status {
        crate::model::ApplicationStatus::Active => a.stage.name.clone(),
        crate::model::ApplicationStatus::Hired => "Hired".into(),
        crate::model::ApplicationStatus::Rejected => "Not Hired".into(),
        crate::model::ApplicationStatus::Withdrawn => "Withdrawn".into(),
    }
}

fn flag(on: bool) -> &'static str {
    if on {
        "1"
    } else {
        "0"
    }
}

fn find_job<'m>(model: &'m Model, job_id: &str) -> Option<&'m Job> {
    model.jobs().iter().find(|j| id("job", j.id) == job_id)
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

/// The jobs a person is on, in the order they were added.
fn jobs_of<'m>(model: &'m Model, person: &Person) -> impl Iterator<Item = &'m Job> {
    model
        .applications_of(person.id)
        .filter_map(|a| model.job(a.job))
}

fn list_row(model: &Model, p: &Person) -> Value {
    let job = jobs_of(model, p).next();
    json!({
        "id": JazzHr.person_id(p), "first_name": p.first_name, "last_name": p.last_name,
        "prospect_phone": p.phone(), "apply_date": p.created_at.day(),
        "job_id": job.map(|j| id("job", j.id)).unwrap_or_default(),
        "job_title": job.map(|j| j.title.clone()).unwrap_or_default(),
    })
}

/// The detail view (`GET /applicants/{id}`), with email and LinkedIn URL.
fn detail(model: &Model, p: &Person) -> Value {
    let location = if p.location.is_empty() {
        "(No City Provided) (No State Provided) (No Postal Code Provided)"
    } else {
        &p.location
    };
    let jobs: Vec<Value> = model
        .applications_of(p.id)
        .filter_map(|a| model.job(a.job).map(|j| (a, j)))
        .map(|(a, j)| json!({"job_id": id("job", j.id), "job_title": j.title, "applicant_progress": progress(a)}))
        .collect();
    let comments: Vec<Value> = model
        .notes_of(p.id)
        .map(|n| json!({"id": id("comment", n.id), "user_id": author_id(model, &n.author), "text": n.body, "security": security(n.visibility)}))
        .collect();
    json!({
        "id": JazzHr.person_id(p), "first_name": p.first_name, "last_name": p.last_name,
        "email": p.email(), "address": "Unavailable", "location": location, "phone": p.phone(),
        "linkedin_url": p.linkedin_url(), "website": "", "twitter_username": "", "source": p.source,
        "recruiter_id": "", "apply_date": p.created_at.day(), "rating": "0", "resume_link": "",
        "jobs": jobs, "comments": comments, "activities": [], "messages": [],
    })
}

async fn list_applicants_root(state: State<Shared>) -> Response {
    applicants(state, Path(String::new())).await
}

async fn applicants(State(shared): State<Shared>, Path(rest): Path<String>) -> Response {
    let model = shared.model();
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if let [one] = segments.as_slice() {
        if *one != "page" {
            return match JazzHr.find_person(&model, &decode(one)) {
                Some(p) => Json(detail(&model, p)).into_response(),
                None => business_error("Applicant not found"),
            };
        }
    }
    let (filters, page) = parse_filters(&rest);
    let rows = model
        .newest_first()
        .into_iter()
        .filter(|p| {
            let apply_date = p.created_at.day();
            filters.iter().all(|(k, v)| match k.as_str() {
                "name" => p.name_matches(v),
                "job_id" => jobs_of(&model, p).any(|j| id("job", j.id) == *v),
                "from_apply_date" => apply_date >= v.as_str(),
                "to_apply_date" => apply_date <= v.as_str(),
                "apply_date" => apply_date == v,
                "city" => p.location.to_lowercase().contains(&v.to_lowercase()),
                _ => true,
            })
        })
        .map(|p| list_row(&model, p))
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
    let mut model = shared.model();
    let job = field(&body, "job");
    let job = match find_job(&model, &job) {
        Some(j) => Some(j.id),
        None if job.is_empty() => None,
        None => return business_error("Invalid job"),
    };
    let created_at = match field(&body, "apply_date") {
        d if d.len() == 10 => Timestamp::at_day(&d),
        _ => Timestamp::now(),
    };
    let mut person = Person::new(&first, &last)
        .with_email(&email)
        .with_phone(&field(&body, "phone"))
        .with_link(&field(&body, "linkedin"), LinkKind::LinkedIn)
        .created(created_at.clone());
    person.source = field(&body, "source");
    let person = model.add_person(person);
    if let Some(job) = job {
        model.apply(person, job, created_at);
    }
    Json(json!({ "prospect_id": id("prospect", person) })).into_response()
}

async fn create_note(
    State(shared): State<Shared>,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    let mut model = shared.model();
    let Some(person) = JazzHr
        .find_person(&model, &field(&body, "applicant_id"))
        .map(|p| p.id)
    else {
        return business_error("Applicant not found");
    };
    let contents = field(&body, "contents");
    if contents.is_empty() {
        return business_error("contents is required");
    }
    let user = field(&body, "user_id");
    let author = model
        .users()
        .iter()
        .find(|u| user_id(u) == user)
        .map_or(Author::Unknown(user), |u| Author::User(u.id));
    let visibility = if field(&body, "security") == "1" {
        Visibility::Everyone
    } else {
        Visibility::Restricted
    };
    let note = model.add_note(person, author, contents, visibility);
    Json(json!({ "comment_id": id("comment", note) })).into_response()
}

async fn add_to_job(
    State(shared): State<Shared>,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    let mut model = shared.model();
    let person = JazzHr
        .find_person(&model, &field(&body, "applicant_id"))
        .map(|p| p.id);
    let job = find_job(&model, &field(&body, "job_id")).map(|j| j.id);
    let (Some(person), Some(job)) = (person, job) else {
        return business_error("Applicant or job not found");
    };
    let application = model.apply(person, job, Timestamp::now());
    Json(json!({ "id": id("a2j", application) })).into_response()
}

fn applicant_job_row(model: &Model, a: &Application) -> Value {
    json!({
        "id": id("a2j", a.id),
        "applicant_id": model.person(a.person).map_or_else(|| id("prospect", a.person), |p| JazzHr.person_id(p)),
        "job_id": id("job", a.job), "rating": "0",
        "workflow_step_id": a.stage.id.to_string(), "date": a.created_at.day(),
    })
}

async fn applicant_jobs_root(state: State<Shared>) -> Response {
    applicant_jobs(state, Path(String::new())).await
}

async fn applicant_jobs(State(shared): State<Shared>, Path(rest): Path<String>) -> Response {
    let model = shared.model();
    let (filters, page) = parse_filters(&rest);
    let rows = model
        .applications()
        .iter()
        .map(|a| applicant_job_row(&model, a))
        .filter(|row| {
            filters.iter().all(|(k, v)| match k.as_str() {
                "applicant_id" | "job_id" => row[k.as_str()] == *v,
                _ => true,
            })
        })
        .collect();
    page_of(rows, page)
}

fn file_row(f: &Attachment, person_id: &str) -> Value {
    json!({"id": id("file", f.id), "applicant_id": person_id, "filename": f.filename, "file_size": f.size})
}

async fn create_file(
    State(shared): State<Shared>,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    let mut model = shared.model();
    let Some(person) = JazzHr
        .find_person(&model, &field(&body, "applicant_id"))
        .map(|p| p.id)
    else {
        return business_error("Applicant not found");
    };
    let size = field(&body, "file_data").len() * 3 / 4;
    let file = model.attach(person, field(&body, "filename"), size);
    Json(json!({ "file_id": id("file", file) })).into_response()
}

async fn jobs_root(state: State<Shared>) -> Response {
    jobs(state, Path(String::new())).await
}

async fn jobs(State(shared): State<Shared>, Path(rest): Path<String>) -> Response {
    let model = shared.model();
    let (filters, page) = parse_filters(&rest);
    let rows = model
        .jobs()
        .iter()
        .filter(|j| {
            filters.iter().all(|(k, v)| match k.as_str() {
                "status" => status(j.status).eq_ignore_ascii_case(v),
                "confidential" => j.confidential == (v == "true"),
                "private" => j.private == (v == "true"),
                "title" => j.title.to_lowercase().contains(&v.to_lowercase()),
                "department" => j.department.eq_ignore_ascii_case(v),
                _ => true,
            })
        })
        // The field names of confidential and private are UNCONFIRMED (README).
        .map(|j| {
            json!({"id": id("job", j.id), "title": j.title, "department": j.department,
                "city": j.location, "state": "", "status": status(j.status),
                "confidential": flag(j.confidential), "private": flag(j.private)})
        })
        .collect();
    page_of(rows, page)
}

async fn users_root(state: State<Shared>) -> Response {
    users(state, Path(String::new())).await
}

/// Every user (filters are not read); one user is a lone object.
async fn users(State(shared): State<Shared>, Path(rest): Path<String>) -> Response {
    let model = shared.model();
    let (_, page) = parse_filters(&rest);
    let rows = model
        .users()
        .iter()
        .map(|u| {
            let kind = match u.role {
                crate::model::Role::Admin => "super_admin",
                crate::model::Role::Recruiter => "recruiter",
            };
            json!({"id": user_id(u), "type": kind, "first_name": u.first_name,
                "last_name": u.last_name, "email": u.email, "date_created": u.created_at.day()})
        })
        .collect();
    page_of(rows, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_jazzhrs_and_a_given_id_is_kept() {
        assert_eq!(id("prospect", Id(8)), "prospect_000000083352");
        let mut model = Model::new();
        let made = model.add_person(Person::new("Ana", "Pérez"));
        let person = model.person(made).unwrap();
        assert!(JazzHr.person_id(person).starts_with("prospect_"));
        let mut given = person.clone();
        given.given_id = Some("prospect_given".into());
        assert_eq!(JazzHr.person_id(&given), "prospect_given");
        assert_eq!(
            JazzHr
                .find_person(&model, &JazzHr.person_id(person))
                .map(|p| p.id),
            Some(made)
        );
    }

    #[test]
    fn the_detail_has_the_placeholders_the_jobs_and_the_notes() {
        let mut model = Model::new();
        let person = model.add_person(
            Person::new("Ana", "Pérez")
                .with_email("ana@example.org")
                .created(Timestamp::at_day("2022-02-03")),
        );
        let job = model.jobs()[0].id;
        model.apply(person, job, Timestamp::now());
        model.add_note(
            person,
            Author::Unknown("usr_anonymous".into()),
            "hello".into(),
            Visibility::Everyone,
        );
        let view = JazzHr.inspect(&model, model.person(person).unwrap());
        assert_eq!(
            view["location"],
            "(No City Provided) (No State Provided) (No Postal Code Provided)"
        );
        assert_eq!(
            (&view["address"], &view["apply_date"]),
            (&json!("Unavailable"), &json!("2022-02-03"))
        );
        assert_eq!(view["jobs"][0]["job_id"], id("job", job));
        assert_eq!(view["jobs"][0]["applicant_progress"], "New");
        assert_eq!(view["comments"][0]["user_id"], "usr_anonymous");
        assert_eq!(view["comments"][0]["security"], "1");
        assert_eq!(view["notes"][0]["contents"], "hello");
        assert_eq!(view["job_ids"], json!([id("job", job)]));
    }

    #[test]
    fn the_owner_keeps_its_id_and_job_states_their_words() {
        assert_eq!(user_id(&User::owner()), "usr_20160101000000_sandbox");
        assert_eq!(status(JobStatus::OnHold), "On Hold");
        assert_eq!(status(JobStatus::Open), "Open");
    }

    #[test]
    fn filters_and_the_page_come_from_the_path() {
        let (filters, page) = parse_filters("name/Jos%C3%A9%20Garc%C3%ADa/job_id/job_1/page/3");
        assert_eq!(
            filters,
            vec![
                ("name".to_string(), "José García".to_string()),
                ("job_id".to_string(), "job_1".to_string())
            ]
        );
        assert_eq!(page, 3);
        assert_eq!(parse_filters("page/0").1, 1);
    }
}
