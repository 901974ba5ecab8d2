//! The Teamtailor adapter (API v1, JSON:API).
//!
//! Teamtailor lists candidates complete (email and LinkedIn URL in every
//! row), filters them by email and by `updated-at`, creates them without a
//! job or (as sourced) without an email, takes notes written as a user of
//! the account, and has no name search. Its keys have a scope (Admin is
//! needed for candidates) and read/write permissions.

mod applications;
mod client;
mod listing;

use crate::http::segment;
use crate::http::{Call, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::registry::Field;
use crate::{
    AccountAddress, ApiKey, Ats, AtsError, Job, Listed, NewCandidate, PageStart, Priority,
    ProviderId, SyncPage,
};
use async_trait::async_trait;
use listing::{ListingPage, PAGE_SIZE};
use reqwest::Method;
use serde_json::{json, Value};
use sourcebar_core::profile_url::{canonical_linkedin_url, linkedin_public_id};
use sourcebar_core::providers::{Capabilities, FieldKind};
use sourcebar_core::Candidate;
use std::sync::Arc;

pub use client::API_VERSION;

/// Teamtailor's API (its European stack).
pub const DEFAULT_BASE_URL: &str = "https://api.teamtailor.com/v1";
/// The API of Teamtailor's North American stack (`region = na`).
pub const NA_BASE_URL: &str = "https://api.na.teamtailor.com/v1";
/// Where a person opens a candidate (`/{id}` follows). Teamtailor does not
/// document its web app's addresses: see the sandbox README, "Teamtailor".
pub const DEFAULT_APP_URL: &str = "https://app.teamtailor.com/candidates";

/// What reading candidates needs, as the key form in Teamtailor names it.
pub const READ: &str = "Admin scope with Read";
/// What creating candidates, notes and applications needs.
pub const WRITE: &str = "Admin scope with Write";
/// What updating a candidate needs.
pub const READ_WRITE: &str = "Admin scope with Read and Write";

/// The key, and where a Teamtailor admin makes one.
pub const API_KEY: Field = crate::registry::api_key((
    "In Teamtailor: Settings → Integrations → API keys → New API key, scope Admin, with Read and Write (a company admin sees this page).",
    "Dans Teamtailor : Settings → Integrations → API keys → New API key, portée (scope) Admin, avec Read et Write (page visible par un administrateur de l’entreprise).",
));
/// The user Sourcebar's notes are written as (Teamtailor's notes need one).
pub const USER_ID: Field = Field {
    name: "user_id",
    label: "User ID for notes",
    label_fr: "Identifiant de l’utilisateur des notes",
    help: Some((
        "The Teamtailor user Sourcebar’s notes are signed by: open that user under Settings → Users; the number in the page’s address is the ID.",
        "L’utilisateur Teamtailor qui signe les notes de Sourcebar : ouvrez-le dans Settings → Users ; le nombre dans l’adresse de la page est son identifiant.",
    )),
    secret: false,
    required: true,
    kind: FieldKind::Text,
};
/// Which of Teamtailor's stacks holds the account.
pub const REGION: Field = Field {
    name: "region",
    label: "Region",
    label_fr: "Région",
    help: Some((
        "“na” for an account on Teamtailor’s North American stack (api.na.teamtailor.com); leave empty otherwise.",
        "« na » pour un compte sur l’infrastructure nord-américaine de Teamtailor (api.na.teamtailor.com) ; sinon laissez vide.",
    )),
    secret: false,
    required: false,
    kind: FieldKind::Text,
};
/// The setting that moves record links elsewhere (a sandbox's record view).
pub const APP_URL: Field = Field {
    name: "app_url",
    label: "Web address of candidate records",
    label_fr: "Adresse web des fiches candidat",
    help: Some((
        "Where “Open in Teamtailor” links go (the candidate’s id is added); leave empty for Teamtailor’s own app.",
        "Où mènent les liens « Ouvrir dans Teamtailor » (l’identifiant du candidat est ajouté) ; laissez vide pour l’application de Teamtailor.",
    )),
    secret: false,
    required: false,
    kind: FieldKind::Url,
};

/// What Teamtailor's public API can do (`shared/ats/README.md` §5):
/// `filter[email]` but no name filter; a create needs no job, and no email
/// when `sourced`; notes by `POST /notes`; `linkedin-url` is a field a
/// `PATCH` can fill; job applications and their stages.
pub const CAPABILITIES: Capabilities = Capabilities {
    email_search: true,
    name_search: false,
    create_without_job: true,
    create_without_email: true,
    notes: true,
    link_field: true,
    link_update: true,
    applications: true,
    stages: true,
};

/// One Teamtailor account.
pub struct Teamtailor {
    client: HttpClient,
    /// The user notes are written as.
    user_id: Option<String>,
    app_url: String,
}

impl Teamtailor {
    /// An adapter for the account at `address` (default: Teamtailor's API,
    /// or its North American one for `region = na`), connecting only where
    /// `reach` allows.
    pub fn reaching(
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Self, AtsError> {
        let regional = match address.setting(REGION.name).map(str::trim) {
            None => DEFAULT_BASE_URL,
            Some(r) if r.eq_ignore_ascii_case("eu") => DEFAULT_BASE_URL,
            Some(r) if r.eq_ignore_ascii_case("na") => NA_BASE_URL,
            Some(_) => {
                return Err(AtsError::Unsupported(
                    "reach a Teamtailor region other than eu or na",
                ))
            }
        };
        let base = address.base_url.unwrap_or(regional).trim_end_matches('/');
        let app_url = address
            .setting(APP_URL.name)
            .unwrap_or(DEFAULT_APP_URL)
            .trim_end_matches('/')
            .to_string();
        Ok(Teamtailor {
            client: client::client(base, key, budget, reach)?,
            user_id: address.setting(USER_ID.name).map(|u| u.trim().to_string()),
            app_url,
        })
    }

    /// A candidate resource as Sourcebar keeps it.
    fn candidate(&self, resource: &Value) -> Option<Candidate> {
        let id = id_of(resource)?;
        let a = &resource["attributes"];
        Some(Candidate {
            ats_url: self.record_url(&id),
            first_name: text(a, "first-name").unwrap_or_default(),
            last_name: text(a, "last-name").unwrap_or_default(),
            email: text(a, "email"),
            phone: text(a, "phone"),
            profile_url: text(a, "linkedin-url").and_then(|u| canonical_linkedin_url(&u)),
            company: None,
            title: None,
            location: None,
            created_at: text(a, "created-at"),
            id,
        })
    }

    /// Every candidate of a list document's `data`.
    fn listed(&self, document: &Value) -> Result<Vec<Listed>, AtsError> {
        let rows = document["data"]
            .as_array()
            .ok_or_else(|| AtsError::Malformed("a list without data".into()))?;
        rows.iter()
            .map(|r| {
                self.candidate(r)
                    .map(Listed::Complete)
                    .ok_or_else(|| AtsError::Malformed("a candidate without id".into()))
            })
            .collect()
    }

    async fn get_resource(&self, id: &str, priority: Priority) -> Result<Value, AtsError> {
        let answer = self
            .client
            .send(
                Call::get(format!("candidates/{}", segment(id)))
                    .priority(priority)
                    .needs(READ),
            )
            .await?;
        Ok(answer.body["data"].clone())
    }

    /// `POST /notes` as the connection's user.
    async fn write_note(&self, candidate_id: &str, text: &str) -> Result<(), AtsError> {
        let user = self.user_id.as_deref().ok_or(AtsError::Unsupported(
            "write a note without the user_id setting",
        ))?;
        let body = json!({"data": {"type": "notes", "attributes": {"note": text},
        "relationships": {
            "candidate": {"data": {"id": candidate_id, "type": "candidates"}},
            "user": {"data": {"id": user, "type": "users"}},
        }}});
        self.client
            .send(Call::post("notes", body).needs(WRITE))
            .await
            .map(|_| ())
    }

    /// `POST /job-applications`.
    async fn apply(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        let body = json!({"data": {"type": "job-applications", "attributes": {"sourced": true},
        "relationships": {
            "candidate": {"data": {"id": candidate_id, "type": "candidates"}},
            "job": {"data": {"id": job_id, "type": "jobs"}},
        }}});
        self.client
            .send(Call::post("job-applications", body).needs(WRITE))
            .await
            .map(|_| ())
    }
}

/// A resource's id (a string in JSON:API; a number tolerated).
fn id_of(resource: &Value) -> Option<String> {
    match &resource["id"] {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A string attribute, tolerant of numbers and blanks.
fn text(attributes: &Value, field: &str) -> Option<String> {
    match attributes.get(field)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[async_trait]
impl Ats for Teamtailor {
    fn provider(&self) -> ProviderId {
        ProviderId::Teamtailor
    }

    fn record_url(&self, candidate_id: &str) -> Option<String> {
        Some(format!("{}/{}", self.app_url, segment(candidate_id)))
    }

    /// One candidate read (Admin scope with Read), then the notes' user.
    /// The Write permission cannot be seen without writing: a key without
    /// it is named at the first write.
    async fn validate_key(&self) -> Result<(), AtsError> {
        self.client
            .send(Call::get("candidates").query("page[size]", "1").needs(READ))
            .await?;
        if let Some(user) = &self.user_id {
            match self
                .client
                .send(Call::get(format!("users/{}", segment(user))).needs(READ))
                .await
            {
                Err(AtsError::NotFound) => {
                    return Err(AtsError::Ats(format!(
                        "the user_id setting ({user}) names no Teamtailor user"
                    )))
                }
                other => {
                    other?;
                }
            }
        }
        Ok(())
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
        let mut call = Call::get("candidates").priority(priority).needs(READ);
        for (name, value) in page.query() {
            call = call.query(name, value);
        }
        let answer = self.client.send(call).await?;
        let records = self.listed(&answer.body)?;
        // `links.next` says a page follows; its URL is not fetched.
        let more = answer.body["links"]["next"]
            .as_str()
            .is_some_and(|n| !n.is_empty());
        Ok(SyncPage {
            records,
            removed: Vec::new(),
            next: more.then(|| page.next().cursor()),
        })
    }

    /// The candidate's job applications, with their job, stage and
    /// reject reason included.
    async fn list_applications(
        &self,
        candidate_id: &str,
        priority: Priority,
    ) -> Result<Vec<sourcebar_core::api::applications::Application>, AtsError> {
        let answer = self
            .client
            .send(
                Call::get(applications::path(candidate_id))
                    .query("include", applications::INCLUDE)
                    .query("page[size]", PAGE_SIZE.to_string())
                    .priority(priority)
                    .needs(READ),
            )
            .await?;
        let url = self.record_url(candidate_id);
        Ok(applications::of_document(&answer.body, url.as_deref()))
    }

    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError> {
        let resource = self.get_resource(id, priority).await?;
        self.candidate(&resource)
            .ok_or_else(|| AtsError::Malformed("a candidate without id".into()))
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
        let answer = self
            .client
            .send(
                Call::get("candidates")
                    .query("filter[email]", email)
                    .query("page[size]", PAGE_SIZE.to_string())
                    .priority(priority)
                    .needs(READ),
            )
            .await?;
        self.listed(&answer.body)
    }

    /// Creates the candidate as sourced (no email needed), then puts it on
    /// the job and writes the note. A failure that `is_transient()` on the
    /// create may still have created it: the caller looks before retrying.
    /// A failed application after the create is the upload's error; a
    /// failed note is logged only (the record and its job are what count).
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError> {
        let mut attributes = json!({
            "first-name": new.first_name, "last-name": new.last_name, "sourced": true,
        });
        for (field, value) in [
            ("email", &new.email),
            ("phone", &new.phone),
            ("linkedin-url", &new.profile_url),
        ] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                attributes[field] = Value::String(v.to_string());
            }
        }
        let body = json!({"data": {"type": "candidates", "attributes": attributes}});
        let answer = self
            .client
            .send(Call::post("candidates", body).needs(WRITE))
            .await?;
        let id = id_of(&answer.body["data"])
            .ok_or_else(|| AtsError::Malformed("no candidate id in the answer".into()))?;
        if let Some(job) = new.job_id.as_deref().filter(|j| !j.is_empty()) {
            self.apply(&id, job).await?;
        }
        if let Some(note) = new.note.as_deref().filter(|n| !n.trim().is_empty()) {
            if let Err(e) = self.write_note(&id, note).await {
                tracing::warn!(candidate = id.as_str(), error = %e, detail = e.detail().unwrap_or_default(), "the upload's note was not written");
            }
        }
        Ok(id)
    }

    async fn add_note(&self, candidate_id: &str, text: &str) -> Result<(), AtsError> {
        self.write_note(candidate_id, text).await
    }

    /// Fills `linkedin-url` where it is empty. The same profile there
    /// changes nothing; another URL there is kept (Sourcebar never
    /// replaces what the ATS holds; the merge's note carries the new one).
    async fn add_link(&self, candidate_id: &str, url: &str) -> Result<(), AtsError> {
        let resource = self
            .get_resource(candidate_id, Priority::Interactive)
            .await?;
        if let Some(current) = text(&resource["attributes"], "linkedin-url") {
            let same = linkedin_public_id(&current).is_some()
                && linkedin_public_id(&current) == linkedin_public_id(url);
            if !same {
                tracing::info!(
                    candidate = candidate_id,
                    "linkedin-url already holds another profile; left as it is"
                );
            }
            return Ok(());
        }
        let body = json!({"data": {"id": candidate_id, "type": "candidates",
            "attributes": {"linkedin-url": url}}});
        self.client
            .send(
                Call::new(
                    Method::PATCH,
                    format!("candidates/{}", segment(candidate_id)),
                )
                .body(body)
                .needs(READ_WRITE),
            )
            .await
            .map(|_| ())
    }

    /// A candidate already on the job (a 422 saying so) is where it should be.
    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        match self.apply(candidate_id, job_id).await {
            Err(AtsError::Ats(words)) if words.contains("already applied") => Ok(()),
            other => other,
        }
    }

    /// Published jobs on the public feed; unlisted, internal, draft and
    /// archived ones are never offered (filtered again here).
    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError> {
        let mut jobs = Vec::new();
        for number in 1u32.. {
            let answer = self
                .client
                .send(
                    Call::get("jobs")
                        .query("filter[status]", "published")
                        .query("filter[feed]", "public")
                        .query("page[size]", PAGE_SIZE.to_string())
                        .query("page[number]", number.to_string())
                        .needs(READ),
                )
                .await?;
            let rows = answer.body["data"]
                .as_array()
                .ok_or_else(|| AtsError::Malformed("a list of jobs without data".into()))?;
            jobs.extend(rows.iter().filter_map(|j| {
                let a = &j["attributes"];
                let open = text(a, "status").as_deref() == Some("open");
                let internal = a["internal"].as_bool() != Some(false);
                (open && !internal).then(|| {
                    Some(Job {
                        id: id_of(j)?,
                        title: text(a, "title").unwrap_or_default(),
                        department: None,
                        location: None,
                        status: text(a, "human-status").unwrap_or_else(|| "open".into()),
                    })
                })?
            }));
            if answer.body["links"]["next"]
                .as_str()
                .is_none_or(str::is_empty)
            {
                break;
            }
        }
        Ok(jobs)
    }

    /// Every job (`filter[status]=all`). An internal job is confidential
    /// (settled in API.md); an unlisted one is not hiring in the open, so
    /// it is closed for the picker, as before.
    async fn list_jobs(&self, priority: Priority) -> Result<Vec<crate::ListedJob>, AtsError> {
        let mut jobs = Vec::new();
        for number in 1u32.. {
            let answer = self
                .client
                .send(
                    Call::get("jobs")
                        .query("filter[status]", "all")
                        .query("page[size]", PAGE_SIZE.to_string())
                        .query("page[number]", number.to_string())
                        .priority(priority)
                        .needs(READ),
                )
                .await?;
            let rows = answer.body["data"]
                .as_array()
                .ok_or_else(|| AtsError::Malformed("a list of jobs without data".into()))?;
            jobs.extend(rows.iter().filter_map(|j| {
                let a = &j["attributes"];
                let status = text(a, "status").unwrap_or_default();
                Some(crate::ListedJob {
                    confidential: a["internal"].as_bool() != Some(false),
                    state: match status.as_str() {
                        "open" => crate::JobState::Open,
                        "draft" => crate::JobState::Draft,
                        "archived" => crate::JobState::Archived,
                        _ => crate::JobState::Closed,
                    },
                    job: Job {
                        id: id_of(j)?,
                        title: text(a, "title").unwrap_or_default(),
                        department: None,
                        location: None,
                        status: text(a, "human-status").unwrap_or(status),
                    },
                })
            }));
            if answer.body["links"]["next"]
                .as_str()
                .is_none_or(str::is_empty)
            {
                break;
            }
        }
        Ok(jobs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_cannot_leave_its_path_segment() {
        assert_eq!(segment("1337"), "1337");
        assert_eq!(segment("../users"), "..%2Fusers");
    }

    #[test]
    fn a_region_picks_the_stack_and_an_unknown_one_is_refused() {
        let settings = |region: &str| {
            let mut s = sourcebar_core::connection_settings::ConnectionSettings::new();
            s.insert("region".into(), region.into());
            s
        };
        let budget = Arc::new(RateBudget::new(10, std::time::Duration::from_secs(1)));
        let na = settings("NA");
        let ats = Teamtailor::reaching(
            AccountAddress {
                base_url: None,
                settings: &na,
            },
            ApiKey::new("k"),
            budget.clone(),
            Reach::Any,
        )
        .unwrap();
        assert_eq!(ats.client.base(), NA_BASE_URL);
        let mars = settings("mars");
        assert!(matches!(
            Teamtailor::reaching(
                AccountAddress {
                    base_url: None,
                    settings: &mars
                },
                ApiKey::new("k"),
                budget,
                Reach::Any,
            ),
            Err(AtsError::Unsupported(_))
        ));
    }
}
