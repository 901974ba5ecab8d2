//! The Lever adapter (Data API v1).
//!
//! Lever keeps one *opportunity* per candidacy and groups a person's
//! opportunities under a *contact*; a Sourcebar candidate is an
//! opportunity (what Lever's web app opens and what notes and links are
//! written on). Lists carry emails and links, so a listing needs no detail
//! reads; an incremental walk ends with Lever's deletions feed. Every write
//! is performed as the user named by the `user_id` setting.

mod applications;
mod client;
mod cursor;

use crate::fields::string as text;
use crate::http::{Call, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::registry::Field;
use crate::{
    when, AccountAddress, ApiKey, Ats, AtsError, Job, Listed, NewCandidate, PageStart, Priority,
    ProviderId, SyncPage,
};
use async_trait::async_trait;
use client::{next_offset, record, rows, segment};
use cursor::{Feed, ListingPage};
use serde_json::{json, Value};
use sourcebar_core::profile_url::canonical_linkedin_url;
use sourcebar_core::providers::{Capabilities, FieldKind};
use sourcebar_core::Candidate;
use std::sync::Arc;

/// Lever's public API.
pub const DEFAULT_BASE_URL: &str = "https://api.lever.co/v1";
/// Where a person opens an opportunity in Lever's web app (`/{id}` follows).
pub const APP_URL: &str = "https://hire.lever.co/candidates";
/// Rows per page: the most Lever gives.
pub const PAGE_SIZE: usize = 100;
/// At most this many pages of an email search (one person rarely has more
/// than a handful of opportunities).
const EMAIL_SEARCH_PAGES: usize = 3;

/// Lever's permissions (the scopes its docs name) that each call needs.
mod permission {
    pub const READ_OPPORTUNITIES: &str = "opportunities:read:admin";
    pub const WRITE_OPPORTUNITIES: &str = "opportunities:write:admin";
    pub const READ_NOTES: &str = "notes:read:admin";
    pub const WRITE_NOTES: &str = "notes:write:admin";
    pub const READ_POSTINGS: &str = "postings:read:admin";
    pub const READ_USERS: &str = "users:read:admin";
    pub const READ_STAGES: &str = "stages:read:admin";
    pub const READ_ARCHIVE_REASONS: &str = "archive_reasons:read:admin";
}

/// The key, and where a Lever admin finds it.
pub const API_KEY: Field = crate::registry::api_key((
    "In Lever: Settings → Integrations and API → API Credentials → Generate new key (a super admin can; give it access to opportunities, notes, postings, stages, archive reasons and users).",
    "Dans Lever : Settings → Integrations and API → API Credentials → Generate new key (réservé aux super admins ; donnez-lui accès aux opportunities, notes, postings, stages, archive reasons et users).",
));
/// The Lever user every write is performed as (`perform_as`).
pub const USER_ID: Field = Field {
    name: "user_id",
    label: "Lever user ID (writes are made as this user)",
    label_fr: "Identifiant d’utilisateur Lever (les écritures sont faites en son nom)",
    help: Some((
        "Lever records every change as made by a user. In Lever: Settings → Users, open the user; the ID is the last part of the page address (…/users/<ID>).",
        "Lever attribue chaque modification à un utilisateur. Dans Lever : Settings → Users, ouvrez l’utilisateur ; l’identifiant est la fin de l’adresse de la page (…/users/<ID>).",
    )),
    secret: false,
    required: true,
    kind: FieldKind::Text,
};

/// What Lever's public API can do (`shared/ats/README.md` §3): `?email=`
/// but no name filter; an opportunity needs neither a posting nor an
/// email; notes; `links[]` and `/addLinks`; one opportunity per posting,
/// read back as the person's applications (stage, archived or not).
/// Stages exist in Lever but this adapter does not move them.
pub const CAPABILITIES: Capabilities = Capabilities {
    email_search: true,
    name_search: false,
    create_without_job: true,
    create_without_email: true,
    notes: true,
    link_field: true,
    link_update: true,
    applications: true,
    stages: false,
};

/// One Lever account.
pub struct Lever {
    client: HttpClient,
    /// Who writes are performed as.
    user_id: String,
}

impl Lever {
    /// An adapter for the account at `address` (default: Lever's API),
    /// connecting only where `reach` allows. The `user_id` setting is
    /// required: Lever refuses every write without `perform_as`.
    pub fn reaching(
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Self, AtsError> {
        let base = address
            .base_url
            .unwrap_or(DEFAULT_BASE_URL)
            .trim_end_matches('/');
        let user_id = address
            .setting(USER_ID.name)
            .ok_or_else(|| AtsError::Ats("the Lever connection has no user_id setting".into()))?
            .trim()
            .to_string();
        Ok(Lever {
            client: client::client(base, key, budget, reach)?,
            user_id,
        })
    }

    /// A write, performed as the connection's user, needing `permission`.
    fn write(&self, path: &str, body: Value, permission: &'static str) -> Call {
        Call::post(path, body)
            .query("perform_as", self.user_id.clone())
            .needs(permission)
    }

    fn candidate(&self, opportunity: &Value) -> Option<Candidate> {
        let id = text(opportunity, "id")?;
        let (first_name, last_name) = split_name(&text(opportunity, "name").unwrap_or_default());
        let strings = |field: &str| -> Vec<String> {
            opportunity
                .get(field)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        };
        let phone = opportunity
            .get("phones")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find_map(|p| text(p, "value"));
        Some(Candidate {
            ats_url: self.record_url(&id),
            first_name,
            last_name,
            email: strings("emails").into_iter().next(),
            phone,
            profile_url: strings("links")
                .iter()
                .find_map(|l| canonical_linkedin_url(l)),
            company: None,
            title: text(opportunity, "headline"),
            location: text(opportunity, "location"),
            created_at: opportunity
                .get("createdAt")
                .and_then(Value::as_i64)
                .map(when::rfc3339),
            id,
        })
    }

    fn listed(&self, rows: &[Value]) -> Vec<Listed> {
        rows.iter()
            .filter_map(|o| self.candidate(o))
            .map(Listed::Complete)
            .collect()
    }

    async fn opportunity(&self, id: &str, priority: Priority) -> Result<Value, AtsError> {
        let answer = self
            .client
            .send(
                Call::get(format!("opportunities/{}", segment(id)))
                    .priority(priority)
                    .needs(permission::READ_OPPORTUNITIES),
            )
            .await?;
        record(&answer.body).cloned()
    }
}

/// Lever keeps one `name`: the first word is the given name, the rest the
/// family name ("José García Márquez" → "José", "García Márquez").
fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.split_once(char::is_whitespace) {
        Some((first, rest)) => (first.to_string(), rest.trim().to_string()),
        None => (name.to_string(), String::new()),
    }
}

#[async_trait]
impl Ats for Lever {
    fn provider(&self) -> ProviderId {
        ProviderId::Lever
    }

    fn record_url(&self, candidate_id: &str) -> Option<String> {
        Some(format!("{APP_URL}/{}", segment(candidate_id)))
    }

    /// One opportunity read with the key, then the `perform_as` user looked
    /// up, so a wrong user id shows now rather than at the first upload.
    async fn validate_key(&self) -> Result<(), AtsError> {
        self.client
            .send(
                Call::get("opportunities")
                    .query("limit", "1")
                    .needs(permission::READ_OPPORTUNITIES),
            )
            .await?;
        let user = self
            .client
            .send(
                Call::get(format!("users/{}", segment(&self.user_id)))
                    .needs(permission::READ_USERS),
            )
            .await;
        match user {
            // A key without access to users cannot check it: writes will.
            Ok(_) | Err(AtsError::InsufficientPermissions(_) | AtsError::MissingPermission(_)) => {
                Ok(())
            }
            Err(AtsError::NotFound) => Err(AtsError::Ats(
                "the user_id setting names no Lever user".into(),
            )),
            Err(e) => Err(e),
        }
    }

    async fn list_page(
        &self,
        start: PageStart<'_>,
        priority: Priority,
    ) -> Result<SyncPage, AtsError> {
        let page = match start {
            PageStart::Begin(listing) => ListingPage::first(listing),
            PageStart::Resume(cursor) => ListingPage::parse(cursor)?,
        };
        let (path, since_param) = match page.feed {
            Feed::Opportunities => ("opportunities", "updated_at_start"),
            Feed::Deleted => ("opportunities/deleted", "deleted_at_start"),
        };
        let mut call = Call::get(path)
            .priority(priority)
            .needs(permission::READ_OPPORTUNITIES)
            .query("limit", PAGE_SIZE.to_string());
        if let Some(since) = page.since {
            call = call.query(since_param, since.to_string());
        }
        if let Some(offset) = &page.offset {
            call = call.query("offset", offset.clone());
        }
        let answer = self.client.send(call).await?.body;
        let rows = rows(&answer)?;
        let next = page.after(next_offset(&answer)).map(|p| p.cursor());
        Ok(match page.feed {
            Feed::Opportunities => SyncPage {
                records: self.listed(rows),
                removed: Vec::new(),
                next,
            },
            Feed::Deleted => SyncPage {
                records: Vec::new(),
                removed: rows.iter().filter_map(|r| text(r, "id")).collect(),
                next,
            },
        })
    }

    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError> {
        let opportunity = self.opportunity(id, priority).await?;
        self.candidate(&opportunity)
            .ok_or_else(|| AtsError::Malformed("opportunity without id".into()))
    }

    async fn search_by_email(
        &self,
        email: &str,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        let email = email.trim();
        if email.is_empty() {
            return Ok(Vec::new());
        }
        let mut found = Vec::new();
        let mut offset: Option<String> = None;
        for _ in 0..EMAIL_SEARCH_PAGES {
            let mut call = Call::get("opportunities")
                .priority(priority)
                .needs(permission::READ_OPPORTUNITIES)
                .query("email", email)
                .query("limit", PAGE_SIZE.to_string());
            if let Some(offset) = offset.take() {
                call = call.query("offset", offset);
            }
            let answer = self.client.send(call).await?.body;
            found.extend(self.listed(rows(&answer)?));
            match next_offset(&answer) {
                Some(next) => offset = Some(next),
                None => break,
            }
        }
        Ok(found)
    }

    /// Creates an opportunity (on a posting when a job is given). Lever
    /// files it under the existing contact with the same email, if any
    /// (`deduped`); that is logged, and the new opportunity is returned
    /// either way. Lever takes no note on create: the note follows as its
    /// own call, and losing it does not undo the create.
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError> {
        let name = format!("{} {}", new.first_name.trim(), new.last_name.trim());
        let source = new.source.clone().unwrap_or_else(|| "Sourcebar".into());
        let mut body = json!({
            "name": name.trim(), "origin": "sourced", "sources": [source],
        });
        let filled = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        if let Some(email) = filled(&new.email) {
            body["emails"] = json!([email]);
        }
        if let Some(phone) = filled(&new.phone) {
            body["phones"] = json!([{"type": "other", "value": phone}]);
        }
        if let Some(url) = filled(&new.profile_url) {
            body["links"] = json!([url]);
        }
        if let Some(job) = filled(&new.job_id) {
            body["postings"] = json!([job]);
        }
        let answer = self
            .client
            .send(self.write("opportunities", body, permission::WRITE_OPPORTUNITIES))
            .await?
            .body;
        let id = text(record(&answer)?, "id")
            .ok_or_else(|| AtsError::Malformed("no opportunity id in the answer".into()))?;
        if answer.get("deduped").and_then(Value::as_bool) == Some(true) {
            tracing::info!(
                opportunity = id.as_str(),
                "Lever filed the new opportunity under an existing contact with the same email"
            );
        }
        if let Some(note) = filled(&new.note) {
            if let Err(e) = self.add_note(&id, &note).await {
                tracing::warn!(
                    opportunity = id.as_str(),
                    error = %e,
                    "the note of a new Lever opportunity could not be written"
                );
            }
        }
        Ok(id)
    }

    async fn add_note(&self, candidate_id: &str, text_: &str) -> Result<(), AtsError> {
        let path = format!("opportunities/{}/notes", segment(candidate_id));
        self.client
            .send(self.write(&path, json!({ "value": text_ }), permission::WRITE_NOTES))
            .await
            .map(|_| ())
    }

    async fn note_exists(
        &self,
        candidate_id: &str,
        marker: &str,
    ) -> Result<Option<bool>, AtsError> {
        let path = format!("opportunities/{}/notes", segment(candidate_id));
        let mut offset: Option<String> = None;
        loop {
            let mut call = Call::get(path.as_str())
                .needs(permission::READ_NOTES)
                .query("limit", PAGE_SIZE.to_string());
            if let Some(offset) = offset.take() {
                call = call.query("offset", offset);
            }
            let answer = self.client.send(call).await?.body;
            // A note's text is in `fields[].value`; every string is searched.
            let found = rows(&answer)?.iter().any(|note| contains(note, marker));
            if found {
                return Ok(Some(true));
            }
            match next_offset(&answer) {
                Some(next) => offset = Some(next),
                None => return Ok(Some(false)),
            }
        }
    }

    /// Adds the URL to the contact's links, unless it is already there.
    async fn add_link(&self, candidate_id: &str, url: &str) -> Result<(), AtsError> {
        let opportunity = self
            .opportunity(candidate_id, Priority::Interactive)
            .await?;
        let wanted = canonical_linkedin_url(url).unwrap_or_else(|| url.to_string());
        let present = opportunity
            .get("links")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|l| l == url || canonical_linkedin_url(l).as_deref() == Some(wanted.as_str()));
        if present {
            return Ok(());
        }
        let path = format!("opportunities/{}/addLinks", segment(candidate_id));
        self.client
            .send(self.write(
                &path,
                json!({ "links": [url] }),
                permission::WRITE_OPPORTUNITIES,
            ))
            .await
            .map(|_| ())
    }

    /// Every opportunity of the contact that is on a posting.
    async fn list_applications(
        &self,
        candidate_id: &str,
        priority: Priority,
    ) -> Result<Vec<sourcebar_core::api::applications::Application>, AtsError> {
        self.applications(candidate_id, priority).await
    }

    /// Lever models a candidacy as an opportunity: a new one on the same
    /// contact, on that posting.
    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        let opportunity = self
            .opportunity(candidate_id, Priority::Interactive)
            .await?;
        let contact = text(&opportunity, "contact")
            .ok_or_else(|| AtsError::Malformed("opportunity without contact".into()))?;
        let body = json!({
            "contact": contact, "name": text(&opportunity, "name").unwrap_or_default(),
            "postings": [job_id], "origin": "sourced",
        });
        self.client
            .send(self.write("opportunities", body, permission::WRITE_OPPORTUNITIES))
            .await
            .map(|_| ())
    }

    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError> {
        let mut jobs = Vec::new();
        let mut offset: Option<String> = None;
        loop {
            let mut call = Call::get("postings")
                .needs(permission::READ_POSTINGS)
                .query("state", "published")
                .query("limit", PAGE_SIZE.to_string());
            if let Some(offset) = offset.take() {
                call = call.query("offset", offset);
            }
            let answer = self.client.send(call).await?.body;
            // Checked again here: a confidential or unpublished posting
            // must never be offered.
            jobs.extend(
                rows(&answer)?
                    .iter()
                    .filter(|p| text(p, "state").as_deref() == Some("published"))
                    .filter(|p| text(p, "confidentiality").as_deref() != Some("confidential"))
                    .filter_map(|p| {
                        let categories = p.get("categories").cloned().unwrap_or(Value::Null);
                        Some(Job {
                            id: text(p, "id")?,
                            title: text(p, "text").unwrap_or_default(),
                            department: text(&categories, "department")
                                .or_else(|| text(&categories, "team")),
                            location: text(&categories, "location"),
                            status: "published".into(),
                        })
                    }),
            );
            match next_offset(&answer) {
                Some(next) => offset = Some(next),
                None => return Ok(jobs),
            }
        }
    }

    /// Every posting, whatever its state. Internal postings are only for
    /// the company's own people, so they count as confidential.
    async fn list_jobs(&self, priority: Priority) -> Result<Vec<crate::ListedJob>, AtsError> {
        let mut jobs = Vec::new();
        let mut offset: Option<String> = None;
        loop {
            let mut call = Call::get("postings")
                .needs(permission::READ_POSTINGS)
                .priority(priority)
                .query("limit", PAGE_SIZE.to_string());
            if let Some(offset) = offset.take() {
                call = call.query("offset", offset);
            }
            let answer = self.client.send(call).await?.body;
            jobs.extend(rows(&answer)?.iter().filter_map(|p| {
                let state = text(p, "state").unwrap_or_default();
                let categories = p.get("categories").cloned().unwrap_or(Value::Null);
                Some(crate::ListedJob {
                    confidential: state == "internal"
                        || text(p, "confidentiality").as_deref() != Some("non-confidential"),
                    state: match state.as_str() {
                        "published" | "internal" => crate::JobState::Open,
                        "draft" | "pending" => crate::JobState::Draft,
                        "rejected" => crate::JobState::Archived,
                        _ => crate::JobState::Closed,
                    },
                    job: Job {
                        id: text(p, "id")?,
                        title: text(p, "text").unwrap_or_default(),
                        department: text(&categories, "department")
                            .or_else(|| text(&categories, "team")),
                        location: text(&categories, "location"),
                        status: state,
                    },
                })
            }));
            match next_offset(&answer) {
                Some(next) => offset = Some(next),
                None => return Ok(jobs),
            }
        }
    }
}

/// Whether any string inside `value` contains `marker`.
fn contains(value: &Value, marker: &str) -> bool {
    match value {
        Value::String(s) => s.contains(marker),
        Value::Array(items) => items.iter().any(|v| contains(v, marker)),
        Value::Object(fields) => fields.values().any(|v| contains(v, marker)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_splits_at_its_first_space() {
        assert_eq!(
            split_name(" José García Márquez "),
            ("José".to_string(), "García Márquez".to_string())
        );
        assert_eq!(split_name("Cher"), ("Cher".to_string(), String::new()));
    }

    #[test]
    fn a_marker_is_found_anywhere_in_a_note() {
        let note = json!({"fields": [{"type": "note", "value": "Merged [sb:42]"}]});
        assert!(contains(&note, "[sb:42]"));
        assert!(!contains(&note, "[sb:43]"));
    }
}
