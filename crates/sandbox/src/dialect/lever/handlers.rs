//! Lever's routes over the neutral model.

use super::paging::PageQuery;
use super::{
    bad_request, confidentiality, forbid_without, millis, not_found, permission, state, uuid,
    ArchiveReason, Kind, Opportunity,
};
use crate::model::{
    Author, Id, Link, LinkKind, Model, Note, Person, Stage, Timestamp, Visibility, PIPELINE,
};
use crate::Shared;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

type Params = Query<HashMap<String, String>>;

fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    params.get(name).map(String::as_str)
}

/// The user a write is performed as: `perform_as` is required and must
/// name a user of the account.
fn perform_as(model: &Model, params: &HashMap<String, String>) -> Result<Id, &'static str> {
    let Some(wanted) = param(params, "perform_as").filter(|v| !v.is_empty()) else {
        return Err("perform_as is required");
    };
    model
        .users()
        .iter()
        .find(|u| uuid(Kind::User, u.id) == wanted)
        .map(|u| u.id)
        .ok_or("perform_as must be the id of an active user")
}

fn strings(body: &Map<String, Value>, name: &str) -> Vec<String> {
    body.get(name)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn text(body: &Map<String, Value>, name: &str) -> String {
    body.get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or_default()
        .to_string()
}

fn link_kind(url: &str) -> LinkKind {
    if url.to_ascii_lowercase().contains("linkedin.com/") {
        LinkKind::LinkedIn
    } else {
        LinkKind::Other
    }
}

/// Whether `expand` asks for the application objects.
fn expands_applications(params: &HashMap<String, String>) -> bool {
    param(params, "expand").is_some_and(|e| e.split(',').any(|v| v.trim() == "applications"))
}

/// `GET /opportunities`: `limit`, `offset`, `updated_at_start` (ms),
/// `email` (case-insensitive, any of the contact's addresses), `contact_id`
/// (one contact's opportunities) and `expand=applications`.
pub async fn list_opportunities(State(shared): State<Shared>, Query(params): Params) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::READ_OPPORTUNITIES) {
        return refused;
    }
    let page = match PageQuery::parse(param(&params, "limit"), param(&params, "offset")) {
        Ok(page) => page,
        Err(message) => return bad_request(message),
    };
    let since = match param(&params, "updated_at_start").map(str::parse::<i64>) {
        None => None,
        Some(Ok(ms)) => Some(ms),
        Some(Err(_)) => return bad_request("updated_at_start must be a timestamp in milliseconds"),
    };
    let email = param(&params, "email").map(str::trim);
    let contact = param(&params, "contact_id").map(str::trim);
    let expand = expands_applications(&params);
    let model = shared.model();
    let rows = Opportunity::all(&model)
        .into_iter()
        .filter(|o| since.is_none_or(|ms| o.updated_ms() >= ms))
        .filter(|o| contact.is_none_or(|c| o.contact() == c))
        .filter(|o| {
            email.is_none_or(|e| {
                o.person
                    .emails
                    .iter()
                    .any(|m| m.address.eq_ignore_ascii_case(e))
            })
        })
        .map(|o| (o.key.0, o.json_expanded(&model, expand)))
        .collect::<Vec<_>>();
    Json(page.envelope(rows)).into_response()
}

/// `GET /opportunities/deleted`: `{id, deletedAt}` per opportunity of a
/// deleted contact, oldest deletion first; `deleted_at_start` (ms) filters.
pub async fn deleted(State(shared): State<Shared>, Query(params): Params) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::READ_OPPORTUNITIES) {
        return refused;
    }
    let page = match PageQuery::parse(param(&params, "limit"), param(&params, "offset")) {
        Ok(page) => page,
        Err(message) => return bad_request(message),
    };
    let since = param(&params, "deleted_at_start").and_then(|v| v.parse::<i64>().ok());
    let model = shared.model();
    let mut position = 0u64;
    let mut rows = Vec::new();
    for deletion in model.deletions() {
        let at = millis(&deletion.at);
        for o in Opportunity::of_person(&model, &deletion.person) {
            position += 1;
            if since.is_none_or(|ms| at >= ms) {
                rows.push((position, json!({"id": o.id(), "deletedAt": at})));
            }
        }
    }
    Json(page.envelope(rows)).into_response()
}

pub async fn get_opportunity(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::READ_OPPORTUNITIES) {
        return refused;
    }
    let expand = expands_applications(&params);
    let model = shared.model();
    match Opportunity::find(&model, &id) {
        Some(o) => Json(json!({ "data": o.json_expanded(&model, expand) })).into_response(),
        None => not_found("Opportunity not found"),
    }
}

/// `POST /opportunities?perform_as=…`: a new opportunity, on the contact
/// given by `contact`, else on the contact that already has one of the
/// `emails` (Lever dedupes; `deduped: true`), else on a new contact.
pub async fn create_opportunity(
    State(shared): State<Shared>,
    Query(params): Params,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::WRITE_OPPORTUNITIES) {
        return refused;
    }
    let mut model = shared.model();
    if let Err(message) = perform_as(&model, &params) {
        return bad_request(message);
    }
    let name = text(&body, "name");
    if name.is_empty() && body.get("contact").is_none() {
        return bad_request("name is required");
    }
    let postings = strings(&body, "postings");
    if postings.len() > 1 {
        return bad_request("Only one posting may be given per opportunity");
    }
    let job = match postings.first() {
        None => None,
        Some(posting) => match model
            .jobs()
            .iter()
            .find(|j| uuid(Kind::Posting, j.id) == *posting)
        {
            Some(j) => Some(j.id),
            None => return bad_request("Posting not found"),
        },
    };
    let emails = strings(&body, "emails");
    let contact = text(&body, "contact");
    let existing = if contact.is_empty() {
        model
            .people()
            .iter()
            .find(|p| {
                p.emails
                    .iter()
                    .any(|m| emails.iter().any(|e| e.eq_ignore_ascii_case(&m.address)))
            })
            .map(|p| p.id)
    } else {
        match model
            .people()
            .iter()
            .find(|p| uuid(Kind::Contact, p.id) == contact)
        {
            Some(p) => Some(p.id),
            None => return bad_request("Contact not found"),
        }
    };
    let deduped = existing.is_some() && contact.is_empty();
    let person = match existing {
        Some(id) => id,
        None => model.add_person(new_person(&name, &emails, &body)),
    };
    let now = Timestamp::now();
    let had_none = model.applications_of(person).next().is_none();
    // A contact's opportunity without a posting stays when it gets one
    // with a posting; a known contact with opportunities on postings only
    // answers its first one to a create without a posting (README.md).
    let keep_without_job = if job.is_some() {
        had_none && existing.is_some()
    } else {
        had_none
    };
    if let Some(p) = model.person_mut(person) {
        p.without_job |= keep_without_job;
        p.updated_at = now.clone();
    }
    let application = job.map(|job| model.apply(person, job, now));
    let Some(person) = model.person(person) else {
        return not_found("Contact not found");
    };
    let opportunity =
        Opportunity::of_person(&model, person)
            .into_iter()
            .find(|o| match application {
                Some(a) => o.application.is_some_and(|x| x.id == a),
                None => o.is_primary(),
            });
    match opportunity {
        Some(o) => (
            StatusCode::CREATED,
            Json(json!({"deduped": deduped, "data": o.json(&model)})),
        )
            .into_response(),
        None => not_found("Opportunity not found"),
    }
}

/// A contact from a create's body: `name` split at its first space (Lever
/// keeps one name), phones, links, headline, location, the first source.
fn new_person(name: &str, emails: &[String], body: &Map<String, Value>) -> Person {
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    let mut person = Person::new(first.trim(), last.trim());
    for email in emails {
        person = person.with_email(email);
    }
    for phone in body
        .get("phones")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        person = person.with_phone(
            phone
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        );
    }
    for link in strings(body, "links") {
        person = person.with_link(&link, link_kind(&link));
    }
    person.title = text(body, "headline");
    person.location = text(body, "location");
    person.source = strings(body, "sources")
        .into_iter()
        .next()
        .unwrap_or_default();
    person
}

/// `POST /opportunities/{id}/addLinks?perform_as=…` `{"links": [...]}`:
/// links already on the contact are kept once.
pub async fn add_links(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    Query(params): Params,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::WRITE_OPPORTUNITIES) {
        return refused;
    }
    let mut model = shared.model();
    if let Err(message) = perform_as(&model, &params) {
        return bad_request(message);
    }
    let Some((person, key)) = Opportunity::find(&model, &id).map(|o| (o.person.id, o.key)) else {
        return not_found("Opportunity not found");
    };
    let links = strings(&body, "links");
    if links.is_empty() {
        return bad_request("links is required");
    }
    if let Some(p) = model.person_mut(person) {
        for link in links {
            if !p.links.iter().any(|l| l.url == link) {
                let kind = link_kind(&link);
                p.links.push(Link { url: link, kind });
            }
        }
        p.updated_at = Timestamp::now();
    }
    opportunity_answer(&model, person, key, StatusCode::OK)
}

fn opportunity_answer(model: &Model, person: Id, key: Id, status: StatusCode) -> Response {
    let found = model.person(person).and_then(|p| {
        Opportunity::of_person(model, p)
            .into_iter()
            .find(|o| o.key == key)
    });
    match found {
        Some(o) => (status, Json(json!({ "data": o.json(model) }))).into_response(),
        None => not_found("Opportunity not found"),
    }
}

/// A note as Lever shows it (`data` of the create answer, rows of the list).
pub fn note_json(model: &Model, note: &Note) -> Value {
    let user = match &note.author {
        Author::User(id) => model.user(*id).map(|u| uuid(Kind::User, u.id)),
        Author::Unknown(_) => None,
    };
    let at = millis(&note.created_at);
    json!({
        "id": uuid(Kind::Note, note.id), "noteId": uuid(Kind::Note, note.id),
        "text": "Note", "user": user, "secret": note.visibility == Visibility::Restricted,
        "fields": [{"type": "note", "text": "Note", "value": note.body, "user": user, "createdAt": at}],
        "completedAt": at, "createdAt": at,
    })
}

/// `POST /opportunities/{id}/notes?perform_as=…` `{value, secret?}` → 201.
pub async fn create_note(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    Query(params): Params,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::WRITE_NOTES) {
        return refused;
    }
    let mut model = shared.model();
    let user = match perform_as(&model, &params) {
        Ok(user) => user,
        Err(message) => return bad_request(message),
    };
    let Some(person) = Opportunity::find(&model, &id).map(|o| o.person.id) else {
        return not_found("Opportunity not found");
    };
    let value = text(&body, "value");
    if value.is_empty() {
        return bad_request("value is required");
    }
    let visibility = if body.get("secret") == Some(&Value::Bool(true)) {
        Visibility::Restricted
    } else {
        Visibility::Everyone
    };
    let note = model.add_note(person, Author::User(user), value, visibility);
    let Some(note) = model.notes().iter().find(|n| n.id == note) else {
        return not_found("Note not found");
    };
    (
        StatusCode::CREATED,
        Json(json!({ "data": note_json(&model, note) })),
    )
        .into_response()
}

/// `GET /opportunities/{id}/notes`: the contact's notes, oldest first.
pub async fn list_notes(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::READ_NOTES) {
        return refused;
    }
    let page = match PageQuery::parse(param(&params, "limit"), param(&params, "offset")) {
        Ok(page) => page,
        Err(message) => return bad_request(message),
    };
    let model = shared.model();
    let Some(person) = Opportunity::find(&model, &id).map(|o| o.person.id) else {
        return not_found("Opportunity not found");
    };
    let rows: Vec<(u64, Value)> = model
        .notes_of(person)
        .map(|n| (n.id.0, note_json(&model, n)))
        .collect();
    Json(page.envelope(rows)).into_response()
}

/// `GET /postings`, with an optional `state` filter.
pub async fn postings(State(shared): State<Shared>, Query(params): Params) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::READ_POSTINGS) {
        return refused;
    }
    let page = match PageQuery::parse(param(&params, "limit"), param(&params, "offset")) {
        Ok(page) => page,
        Err(message) => return bad_request(message),
    };
    let wanted = param(&params, "state");
    let model = shared.model();
    let rows: Vec<(u64, Value)> = model
        .jobs()
        .iter()
        .filter(|j| wanted.is_none_or(|s| state(j) == s))
        .map(|j| {
            let id = uuid(Kind::Posting, j.id);
            (
                j.id.0,
                json!({
                    "id": id, "text": j.title, "state": state(j),
                    "confidentiality": confidentiality(j.confidential),
                    "categories": {"team": j.department, "department": j.department,
                        "location": j.location, "commitment": "Full-time", "allLocations": [j.location]},
                    "owner": uuid(Kind::User, Id::OWNER), "hiringManager": uuid(Kind::User, Id::OWNER),
                    "tags": [], "reqCode": "",
                    "urls": {"list": "https://jobs.lever.co/sandbox",
                        "show": format!("https://jobs.lever.co/sandbox/{id}"),
                        "apply": format!("https://jobs.lever.co/sandbox/{id}/apply")},
                }),
            )
        })
        .collect();
    Json(page.envelope(rows)).into_response()
}

/// `GET /stages`: the pipeline, in order (`{id, text}`).
pub async fn stages(State(shared): State<Shared>) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::READ_STAGES) {
        return refused;
    }
    let data: Vec<Value> = PIPELINE
        .iter()
        .filter_map(|name| Stage::named(name))
        .map(|s| json!({"id": uuid(Kind::Stage, Id(u64::from(s.id))), "text": s.name}))
        .collect();
    Json(json!({"data": data, "hasNext": false})).into_response()
}

/// `GET /archive_reasons`: `{id, text, status, type}`.
pub async fn archive_reasons(State(shared): State<Shared>) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::READ_ARCHIVE_REASONS) {
        return refused;
    }
    let data: Vec<Value> = ArchiveReason::ALL.iter().map(|r| r.json()).collect();
    Json(json!({"data": data, "hasNext": false})).into_response()
}

fn user_json(user: &crate::model::User) -> Value {
    let role = match user.role {
        crate::model::Role::Admin => "super admin",
        crate::model::Role::Recruiter => "team member",
    };
    json!({
        "id": uuid(Kind::User, user.id),
        "name": format!("{} {}", user.first_name, user.last_name),
        "username": user.email.split('@').next().unwrap_or_default(),
        "email": user.email, "accessRole": role,
        "createdAt": millis(&user.created_at), "deactivatedAt": null,
    })
}

pub async fn users(State(shared): State<Shared>) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::READ_USERS) {
        return refused;
    }
    let model = shared.model();
    let data: Vec<Value> = model.users().iter().map(user_json).collect();
    Json(json!({"data": data, "hasNext": false})).into_response()
}

pub async fn user(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    if let Some(refused) = forbid_without(&shared, permission::READ_USERS) {
        return refused;
    }
    let model = shared.model();
    match model.users().iter().find(|u| uuid(Kind::User, u.id) == id) {
        Some(u) => Json(json!({ "data": user_json(u) })).into_response(),
        None => not_found("User not found"),
    }
}
