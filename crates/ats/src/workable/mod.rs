//! The Workable adapter (SPI v3, account access token).
//!
//! Workable keeps one candidate record per job (a copy to another job is a
//! new record), lists candidates with their email but without their social
//! profiles (so list rows are partial), filters by `email` and
//! `updated_after`, pages by a full `paging.next` URL, writes comments and
//! copies as a member, and replaces `social_profiles` wholesale on update.
//! Facts and sources: `shared/ats/README.md` §4; choices: the sandbox's
//! README, "Workable".

mod applications;
mod client;

use crate::fields::text_or_number as text;
use crate::http::{Call, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::registry::Field;
use crate::{
    when, AccountAddress, ApiKey, Ats, AtsError, CandidateSummary, Job, Listed, Listing,
    NewCandidate, PageStart, Priority, ProviderId, SyncCursor, SyncPage,
};
use async_trait::async_trait;
use client::segment;
use reqwest::Method;
use serde_json::{json, Value};
use sourcebar_core::profile_url::{canonical_linkedin_url, linkedin_public_id};
use sourcebar_core::providers::{Capabilities, FieldKind};
use sourcebar_core::Candidate;
use std::sync::Arc;
use tokio::sync::Mutex;

/// Rows per page: Workable's most.
pub const PAGE_SIZE: usize = 100;
/// `updated_after` has whole seconds, and two clocks are involved: a
/// listing of changes starts this much earlier (re-reading is harmless).
const CHANGES_MARGIN_MS: i64 = 60_000;

/// The account token, and where a Workable admin makes one.
pub const API_KEY: Field = crate::registry::api_key((
    "In Workable (an admin): your profile icon → Settings → Integrations → Apps → API Access Tokens → Generate API token, with the scopes r_candidates, w_candidates and r_jobs.",
    "Dans Workable (un administrateur) : icône de profil → Settings → Integrations → Apps → API Access Tokens → Generate API token, avec les scopes r_candidates, w_candidates et r_jobs.",
));
/// The account's subdomain.
pub const SUBDOMAIN: Field = Field {
    name: "subdomain",
    label: "Workable subdomain",
    label_fr: "Sous-domaine Workable",
    help: Some((
        "The first part of your Workable address (acme for acme.workable.com); Settings → Company profile shows it.",
        "La première partie de votre adresse Workable (acme pour acme.workable.com) ; Settings → Company profile l’affiche.",
    )),
    secret: false,
    required: true,
    kind: FieldKind::Text,
};
/// Whose name comments and copies to a job carry.
pub const MEMBER_EMAIL: Field = Field {
    name: "member_email",
    label: "Email of the Workable member Sourcebar writes as",
    label_fr: "E-mail du membre Workable au nom duquel Sourcebar écrit",
    help: Some((
        "Workable signs every comment and every copy to a job with a member of your account: give that member's login email (Settings → Members lists them).",
        "Workable signe chaque commentaire et chaque copie vers une offre du nom d’un membre de votre compte : indiquez l’e-mail de connexion de ce membre (Settings → Members les liste).",
    )),
    secret: false,
    required: true,
    kind: FieldKind::Text,
};

/// What Workable's public API can do (`shared/ats/README.md` §4). Email
/// search (`?email=`) yes, name search no; a candidate can go to the talent
/// pool without a job; an email stays required on create (see the
/// sandbox's README); comments are notes; `PATCH /candidates/{id}` replaces
/// `social_profiles`, so a link is added to the record's own field; copies
/// put an existing candidate on another job. A record's job and stage
/// (`disqualified`, `stage_kind`) are its one application.
pub const CAPABILITIES: Capabilities = Capabilities {
    email_search: true,
    name_search: false,
    create_without_job: true,
    create_without_email: false,
    notes: true,
    link_field: true,
    link_update: true,
    applications: true,
    stages: true,
};

/// One Workable account.
pub struct Workable {
    /// `None` when the subdomain cannot be one: every call then answers
    /// [`AtsError::NotFound`], which the companion words as "check the
    /// account settings", and nothing is sent anywhere.
    client: Option<HttpClient>,
    /// `https://{subdomain}.workable.com`, where records open.
    app: String,
    member_email: Option<String>,
    /// The member id of `member_email`, looked up once.
    member_id: Mutex<Option<String>>,
}

impl Workable {
    /// An adapter for the account at `address`, connecting only where
    /// `reach` allows. The API root is `https://{subdomain}.workable.com/spi/v3`;
    /// a `base_url` stands for the Workable server and the account is then
    /// reached at `{base_url}/{subdomain}/spi/v3` (the sandbox's one-host
    /// spelling of the subdomain).
    pub fn reaching(
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Self, AtsError> {
        let subdomain = address.setting(SUBDOMAIN.name).and_then(client::subdomain);
        let base = subdomain.as_ref().map(|sub| match address.base_url {
            Some(server) => format!("{}/{sub}/spi/v3", server.trim_end_matches('/')),
            None => format!("https://{sub}.workable.com/spi/v3"),
        });
        let client = match base {
            Some(base) => Some(client::client(&base, key, budget, reach)?),
            None => None,
        };
        Ok(Workable {
            client,
            app: format!(
                "https://{}.workable.com",
                subdomain.as_deref().unwrap_or("app")
            ),
            member_email: address.setting(MEMBER_EMAIL.name).map(str::to_string),
            member_id: Mutex::new(None),
        })
    }

    fn http(&self) -> Result<&HttpClient, AtsError> {
        self.client.as_ref().ok_or(AtsError::NotFound)
    }

    async fn send(&self, call: Call) -> Result<Value, AtsError> {
        Ok(self.http()?.send(call).await?.body)
    }

    /// The member comments and copies are made as.
    async fn member(&self) -> Result<String, AtsError> {
        let mut cached = self.member_id.lock().await;
        if let Some(id) = cached.as_ref() {
            return Ok(id.clone());
        }
        let email = self.member_email.as_deref().ok_or(AtsError::NotFound)?;
        let answer = self
            .send(Call::get("members").query("email", email).needs("r_jobs"))
            .await?;
        let id = array(&answer, "members")
            .iter()
            .find(|m| text(m, "email").is_some_and(|e| e.eq_ignore_ascii_case(email.trim())))
            .and_then(|m| text(m, "id"))
            // No such member: the account settings are wrong.
            .ok_or(AtsError::NotFound)?;
        *cached = Some(id.clone());
        Ok(id)
    }

    fn summary(row: &Value) -> Option<CandidateSummary> {
        let (first, last) = names(row);
        Some(CandidateSummary {
            id: text(row, "id")?,
            first_name: first,
            last_name: last,
            phone: text(row, "phone"),
            apply_date: text(row, "created_at"),
        })
    }

    fn candidate(&self, detail: &Value) -> Option<Candidate> {
        let id = text(detail, "id")?;
        let (first_name, last_name) = names(detail);
        Some(Candidate {
            ats_url: text(detail, "profile_url").or_else(|| self.record_url(&id)),
            first_name,
            last_name,
            email: text(detail, "email"),
            phone: text(detail, "phone"),
            profile_url: linkedin_of(detail),
            company: None,
            title: text(detail, "headline"),
            location: text(detail, "address"),
            created_at: text(detail, "created_at"),
            id,
        })
    }

    async fn detail(&self, id: &str, priority: Priority) -> Result<Value, AtsError> {
        let answer = self
            .send(
                Call::get(format!("candidates/{}", segment(id)))
                    .priority(priority)
                    .needs("r_candidates"),
            )
            .await?;
        // The detail comes as `{"candidate": {…}}`.
        Ok(answer.get("candidate").cloned().unwrap_or(answer))
    }

    async fn rows_by_email(&self, email: &str, priority: Priority) -> Result<Vec<Value>, AtsError> {
        let answer = self
            .send(
                Call::get("candidates")
                    .query("email", email.trim())
                    .query("limit", PAGE_SIZE.to_string())
                    .priority(priority)
                    .needs("r_candidates"),
            )
            .await?;
        Ok(array(&answer, "candidates").to_vec())
    }
}

/// A listing's first page, with its filters in the query; the pages after
/// it are the `paging.next` URLs Workable gives.
fn first_page(listing: Listing) -> Call {
    let call = Call::get("candidates").query("limit", PAGE_SIZE.to_string());
    match listing {
        Listing::Full => call,
        Listing::ChangedSince(ms) => {
            call.query("updated_after", when::rfc3339(ms - CHANGES_MARGIN_MS))
        }
    }
}

/// A `paging.next` URL this adapter can follow: a candidates listing under
/// the account's API root (anything else is refused, never fetched).
fn checked_cursor(base: &str, cursor: &SyncCursor) -> Result<String, AtsError> {
    let url = cursor.0.as_str();
    let ok = url
        .strip_prefix(base)
        .and_then(|rest| rest.strip_prefix("/candidates?"))
        .is_some_and(|query| {
            query.split('&').any(|p| p.starts_with("since_id="))
                && !query.contains('#')
                && !url.chars().any(char::is_whitespace)
        });
    if ok {
        Ok(url.to_string())
    } else {
        Err(AtsError::Malformed(format!(
            "not a Workable listing cursor: {url}"
        )))
    }
}

/// The first and last names, from `firstname`/`lastname` or else `name`.
fn names(row: &Value) -> (String, String) {
    match (text(row, "firstname"), text(row, "lastname")) {
        (None, None) => {
            let name = text(row, "name").unwrap_or_default();
            let (first, last) = name.split_once(' ').unwrap_or((&name, ""));
            (first.to_string(), last.trim().to_string())
        }
        (first, last) => (first.unwrap_or_default(), last.unwrap_or_default()),
    }
}

/// The LinkedIn URL among the detail's `social_profiles`.
fn linkedin_of(detail: &Value) -> Option<String> {
    array(detail, "social_profiles")
        .iter()
        .filter_map(|p| text(p, "url"))
        .find_map(|u| canonical_linkedin_url(&u))
}

fn array<'v>(value: &'v Value, field: &str) -> &'v [Value] {
    value
        .get(field)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

#[async_trait]
impl Ats for Workable {
    fn provider(&self) -> ProviderId {
        ProviderId::Workable
    }

    /// Answers carry the record's own page (`profile_url`, which needs the
    /// job); without one, the account's candidate page by id.
    fn record_url(&self, candidate_id: &str) -> Option<String> {
        Some(format!(
            "{}/backend/candidates/{}",
            self.app,
            segment(candidate_id)
        ))
    }

    /// One candidate (`r_candidates`), then the member comments are
    /// written as (`r_jobs`). `w_candidates` cannot be checked without
    /// writing: a token without it is refused at the first write, naming it.
    async fn validate_key(&self) -> Result<(), AtsError> {
        self.send(
            Call::get("candidates")
                .query("limit", "1")
                .needs("r_candidates"),
        )
        .await?;
        self.member().await.map(|_| ())
    }

    async fn list_page(
        &self,
        start: PageStart<'_>,
        priority: Priority,
    ) -> Result<SyncPage, AtsError> {
        let http = self.http()?;
        let call = match start {
            PageStart::Begin(listing) => first_page(listing),
            PageStart::Resume(cursor) => Call::get(checked_cursor(http.base(), cursor)?),
        };
        let answer = self
            .send(call.priority(priority).needs("r_candidates"))
            .await?;
        let next = answer
            .pointer("/paging/next")
            .and_then(Value::as_str)
            .map(|next| checked_cursor(http.base(), &SyncCursor(next.to_string())))
            .transpose()?
            .map(SyncCursor);
        Ok(SyncPage {
            // List rows have the email but not the social profiles: the
            // LinkedIn URL needs the detail.
            records: array(&answer, "candidates")
                .iter()
                .filter_map(Self::summary)
                .map(Listed::Partial)
                .collect(),
            removed: Vec::new(),
            next,
        })
    }

    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError> {
        let detail = self.detail(id, priority).await?;
        self.candidate(&detail)
            .ok_or_else(|| AtsError::Malformed("candidate without id".into()))
    }

    /// The detail carries the record's one application (its job and stage).
    async fn get_candidate_with_applications(
        &self,
        id: &str,
        priority: Priority,
    ) -> Result<
        (
            Candidate,
            Option<Vec<sourcebar_core::api::applications::Application>>,
        ),
        AtsError,
    > {
        let detail = self.detail(id, priority).await?;
        let candidate = self
            .candidate(&detail)
            .ok_or_else(|| AtsError::Malformed("candidate without id".into()))?;
        let applications = applications::of_detail(&detail, candidate.ats_url.as_deref());
        Ok((candidate, Some(applications)))
    }

    /// The record's own job and stage, read from its detail.
    async fn list_applications(
        &self,
        candidate_id: &str,
        priority: Priority,
    ) -> Result<Vec<sourcebar_core::api::applications::Application>, AtsError> {
        let (_, applications) = self
            .get_candidate_with_applications(candidate_id, priority)
            .await?;
        Ok(applications.unwrap_or_default())
    }

    async fn search_by_email(
        &self,
        email: &str,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        if email.trim().is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .rows_by_email(email, priority)
            .await?
            .iter()
            .filter_map(Self::summary)
            .map(Listed::Partial)
            .collect())
    }

    /// On the job when there is one, else in the talent pool, as sourced
    /// (no "thank you for applying" email). A failure that `is_transient()`
    /// may still have created it: the caller looks before trying again.
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError> {
        let mut candidate = json!({"firstname": new.first_name, "lastname": new.last_name});
        for (field, value) in [
            ("email", &new.email),
            ("phone", &new.phone),
            ("summary", &new.note),
        ] {
            if let Some(v) = value.as_ref().filter(|v| !v.trim().is_empty()) {
                candidate[field] = Value::String(v.clone());
            }
        }
        if let Some(url) = new.profile_url.as_deref().and_then(canonical_linkedin_url) {
            candidate["social_profiles"] = json!([{"type": "linkedin", "url": url}]);
        }
        let call = match new.job_id.as_deref().filter(|j| !j.is_empty()) {
            Some(job) => Call::post(
                format!("jobs/{}/candidates", segment(job)),
                json!({"sourced": true, "candidate": candidate}),
            ),
            None => Call::post(
                "talent_pool/candidates",
                json!({"sourced": true, "stage": "sourced", "candidate": candidate}),
            ),
        };
        let answer = self.send(call.needs("w_candidates")).await?;
        answer
            .get("candidate")
            .and_then(|c| text(c, "id"))
            .ok_or_else(|| AtsError::Malformed("no candidate id in the answer".into()))
    }

    async fn add_note(&self, candidate_id: &str, body: &str) -> Result<(), AtsError> {
        let member = self.member().await?;
        self.send(
            Call::post(
                format!("candidates/{}/comments", segment(candidate_id)),
                json!({"member_id": member, "comment": {"body": body}}),
            )
            .needs("w_candidates"),
        )
        .await
        .map(|_| ())
    }

    /// Comments are read back from the candidate's activities.
    async fn note_exists(
        &self,
        candidate_id: &str,
        marker: &str,
    ) -> Result<Option<bool>, AtsError> {
        let answer = self
            .send(
                Call::get(format!("candidates/{}/activities", segment(candidate_id)))
                    .needs("r_candidates"),
            )
            .await?;
        Ok(Some(array(&answer, "activities").iter().any(|a| {
            text(a, "body").is_some_and(|b| b.contains(marker))
        })))
    }

    /// `social_profiles` is replaced wholesale by `PATCH`: the record's own
    /// profiles are read and sent back with the LinkedIn URL added. Sending
    /// the same list twice changes nothing, so the call may be repeated.
    async fn add_link(&self, candidate_id: &str, url: &str) -> Result<(), AtsError> {
        let Some(url) = canonical_linkedin_url(url) else {
            return Err(AtsError::Unsupported(
                "add a link that is not a LinkedIn profile",
            ));
        };
        let detail = self.detail(candidate_id, Priority::Interactive).await?;
        let mut profiles = array(&detail, "social_profiles").to_vec();
        let wanted = linkedin_public_id(&url);
        if profiles
            .iter()
            .filter_map(|p| text(p, "url"))
            .any(|u| linkedin_public_id(&u) == wanted)
        {
            return Ok(());
        }
        profiles.push(json!({"type": "linkedin", "url": url}));
        self.send(
            Call::new(
                Method::PATCH,
                format!("candidates/{}", segment(candidate_id)),
            )
            .body(json!({"candidate": {"social_profiles": profiles}}))
            .idempotent()
            .needs("w_candidates"),
        )
        .await
        .map(|_| ())
    }

    /// A copy of the candidate on the job (Workable keeps one record per
    /// job). A person already on that job, by email, is left as is, so a
    /// copy whose answer was lost is not made twice.
    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        let detail = self.detail(candidate_id, Priority::Interactive).await?;
        if let Some(email) = text(&detail, "email") {
            let rows = self.rows_by_email(&email, Priority::Interactive).await?;
            let on_job = rows.iter().any(|r| {
                r.pointer("/job/shortcode")
                    .and_then(Value::as_str)
                    .is_some_and(|sc| sc == job_id)
            });
            if on_job {
                return Ok(());
            }
        }
        let member = self.member().await?;
        self.send(
            Call::post(
                format!("candidates/{}/copy", segment(candidate_id)),
                json!({"member_id": member, "target_job_shortcode": job_id}),
            )
            .needs("w_candidates"),
        )
        .await
        .map(|_| ())
    }

    /// Published jobs, confidential ones left out; by shortcode.
    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError> {
        let http = self.http()?;
        let mut jobs = Vec::new();
        let mut call = Call::get("jobs")
            .query("state", "published")
            .query("limit", PAGE_SIZE.to_string());
        loop {
            let answer = self.send(call.needs("r_jobs")).await?;
            jobs.extend(
                array(&answer, "jobs")
                    .iter()
                    // Filtered again here: a confidential job must never be offered.
                    .filter(|j| text(j, "state").as_deref() == Some("published"))
                    .filter(|j| j.get("confidential") != Some(&Value::Bool(true)))
                    .filter_map(|j| {
                        Some(Job {
                            id: text(j, "shortcode")?,
                            title: text(j, "title").unwrap_or_default(),
                            department: text(j, "department"),
                            location: j
                                .pointer("/location/location_str")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                            status: "published".into(),
                        })
                    }),
            );
            match answer.pointer("/paging/next").and_then(Value::as_str) {
                Some(next) if next.starts_with(&format!("{}/jobs?", http.base())) => {
                    call = Call::get(next.to_string());
                }
                Some(_) => {
                    return Err(AtsError::Malformed(
                        "a jobs page link points elsewhere".into(),
                    ))
                }
                None => return Ok(jobs),
            }
        }
    }

    /// Every job, whatever its state, by shortcode.
    async fn list_jobs(&self, priority: Priority) -> Result<Vec<crate::ListedJob>, AtsError> {
        let http = self.http()?;
        let mut jobs = Vec::new();
        let mut call = Call::get("jobs").query("limit", PAGE_SIZE.to_string());
        loop {
            let answer = self.send(call.priority(priority).needs("r_jobs")).await?;
            jobs.extend(array(&answer, "jobs").iter().filter_map(|j| {
                let state = text(j, "state").unwrap_or_default();
                Some(crate::ListedJob {
                    confidential: j.get("confidential") != Some(&Value::Bool(false)),
                    state: match state.as_str() {
                        "published" => crate::JobState::Open,
                        "draft" => crate::JobState::Draft,
                        "archived" => crate::JobState::Archived,
                        _ => crate::JobState::Closed,
                    },
                    job: Job {
                        id: text(j, "shortcode")?,
                        title: text(j, "title").unwrap_or_default(),
                        department: text(j, "department"),
                        location: j
                            .pointer("/location/location_str")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        status: state,
                    },
                })
            }));
            match answer.pointer("/paging/next").and_then(Value::as_str) {
                Some(next) if next.starts_with(&format!("{}/jobs?", http.base())) => {
                    call = Call::get(next.to_string());
                }
                Some(_) => {
                    return Err(AtsError::Malformed(
                        "a jobs page link points elsewhere".into(),
                    ))
                }
                None => return Ok(jobs),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_candidate_listings_under_the_account_are_followed() {
        let base = "https://acme.workable.com/spi/v3";
        let ok = SyncCursor(format!("{base}/candidates?limit=100&since_id=2727baa2"));
        assert_eq!(checked_cursor(base, &ok).unwrap(), ok.0);
        for bad in [
            "https://acme.workable.com/spi/v3/jobs?since_id=1".to_string(),
            "https://evil.test/spi/v3/candidates?since_id=1".to_string(),
            format!("{base}/candidates?limit=100"),
            format!("{base}/candidates/../members?since_id=1"),
            "candidates?since_id=1".to_string(),
        ] {
            assert!(
                checked_cursor(base, &SyncCursor(bad.clone())).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn names_come_from_either_spelling() {
        assert_eq!(
            names(&json!({"firstname": "Ana", "lastname": null, "name": "Ana"})),
            ("Ana".into(), String::new())
        );
        assert_eq!(
            names(&json!({"name": "Ana María Pérez"})),
            ("Ana".into(), "María Pérez".into())
        );
    }

    #[test]
    fn the_linkedin_profile_is_found_among_social_profiles() {
        let detail = json!({"social_profiles": [
            {"type": "twitter", "url": "https://twitter.com/ana"},
            {"type": "linkedin", "url": "https://fr.linkedin.com/in/Ana-P"}
        ]});
        assert_eq!(
            linkedin_of(&detail).as_deref(),
            Some("https://www.linkedin.com/in/ana-p/")
        );
        assert_eq!(linkedin_of(&json!({})), None);
    }
}
