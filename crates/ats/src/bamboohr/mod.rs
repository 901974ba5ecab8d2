//! The BambooHR adapter (applicant tracking, API key as HTTP Basic user).
//!
//! BambooHR's records here are applications (a candidate on a job): the
//! list carries the applicant's email but not the LinkedIn URL, which the
//! detail has. There is no email filter, only a free-text `searchString`,
//! so names are searched and the rows checked on our side; every create
//! needs a job; notes are comments on an application; there is no update
//! of an applicant, so a merge's link goes in the comment. Facts and
//! sources: `shared/ats/README.md` §7; choices: the sandbox's README,
//! "BambooHR".

use crate::fields::string_at as text;
use crate::http::{segment, Auth, BasicKey, Call, HttpClient};
use crate::net::Reach;
use crate::rate::RateBudget;
use crate::registry::Field;
use crate::{
    AccountAddress, ApiKey, Ats, AtsError, CandidateSummary, Job, Listed, Listing, NewCandidate,
    PageStart, Priority, ProviderId, SyncCursor, SyncPage,
};
use async_trait::async_trait;
use serde_json::{json, Value};
use sourcebar_core::names::fold_name;
use sourcebar_core::profile_url::canonical_linkedin_url;
use sourcebar_core::providers::{Capabilities, FieldKind};
use sourcebar_core::Candidate;
use std::sync::Arc;

/// The gateway every company's API hangs under.
pub const GATEWAY: &str = "https://api.bamboohr.com/api/gateway.php";
/// `newSince` has whole seconds and two clocks are involved.
const CHANGES_MARGIN_MS: i64 = 60_000;

/// The API key, and where a BambooHR user makes one.
pub const API_KEY: Field = crate::registry::api_key((
    "In BambooHR: your name (top right) → API Keys → Add New Key. The key acts with your access level: it needs the hiring (applicant tracking) access.",
    "Dans BambooHR : votre nom (en haut à droite) → API Keys → Add New Key. La clé agit avec vos droits : il lui faut l’accès au recrutement (applicant tracking).",
));
/// The company's BambooHR domain.
pub const COMPANY_DOMAIN: Field = Field {
    name: "company_domain",
    label: "BambooHR company domain",
    label_fr: "Domaine de l’entreprise BambooHR",
    help: Some((
        "The first part of your BambooHR address: acme for acme.bamboohr.com.",
        "La première partie de votre adresse BambooHR : acme pour acme.bamboohr.com.",
    )),
    secret: false,
    required: true,
    kind: FieldKind::Text,
};

/// What BambooHR's public API can do (`shared/ats/README.md` §7): no email
/// search, a name search through `searchString`; a create always needs a
/// job (an email is optional); comments are notes; `linkedinUrl` is taken
/// on create but an applicant cannot be updated, so a merge writes the
/// link in the comment; applications have statuses.
pub const CAPABILITIES: Capabilities = Capabilities {
    email_search: false,
    name_search: true,
    create_without_job: false,
    create_without_email: true,
    notes: true,
    link_field: true,
    link_update: false,
    // Not read by this adapter yet (`Ats::list_applications`): saying
    // `true` would leave the mirror empty and every live read "stale".
    applications: false,
    stages: true,
};

/// One BambooHR company.
pub struct BambooHr {
    /// `None` when the domain cannot be one: every call then answers
    /// [`AtsError::NotFound`] ("check the account settings").
    client: Option<HttpClient>,
    app: String,
}

/// The company's domain as an admin may type it: `acme`,
/// `acme.bamboohr.com` or a pasted URL give `acme`.
fn company_domain(raw: &str) -> Option<String> {
    let raw = raw.trim().to_ascii_lowercase();
    let host = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .unwrap_or(&raw);
    let host = host.split('/').next().unwrap_or_default();
    let label = host.strip_suffix(".bamboohr.com").unwrap_or(host);
    let valid = !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-');
    valid.then(|| label.to_string())
}

impl BambooHr {
    /// An adapter for the company at `address`: the API root is
    /// `{gateway}/{companyDomain}/v1`, the gateway being `base_url` when
    /// given (a sandbox), else BambooHR's.
    pub fn reaching(
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Self, AtsError> {
        let domain = address
            .setting(COMPANY_DOMAIN.name)
            .and_then(company_domain);
        let gateway = address.base_url.unwrap_or(GATEWAY).trim_end_matches('/');
        let client = match &domain {
            Some(domain) => Some(
                HttpClient::new(
                    &format!("{gateway}/{domain}/v1/applicant_tracking"),
                    Auth::Basic(BasicKey::AsUsername),
                    key,
                    budget,
                    reach,
                )?
                // Without it BambooHR answers XML.
                .with_header("accept", "application/json")?,
            ),
            None => None,
        };
        Ok(BambooHr {
            client,
            app: format!(
                "https://{}.bamboohr.com",
                domain.as_deref().unwrap_or("app")
            ),
        })
    }

    async fn send(&self, call: Call) -> Result<Value, AtsError> {
        Ok(self
            .client
            .as_ref()
            .ok_or(AtsError::NotFound)?
            .send(call)
            .await?
            .body)
    }

    async fn detail(&self, id: &str, priority: Priority) -> Result<Value, AtsError> {
        self.send(Call::get(format!("applications/{}", segment(id))).priority(priority))
            .await
    }

    /// One page of applications (1-based), with `filters`.
    async fn page(
        &self,
        number: u32,
        filters: &[(&str, String)],
        priority: Priority,
    ) -> Result<Value, AtsError> {
        let mut call = Call::get("applications")
            .query("page", number.to_string())
            .priority(priority);
        for (name, value) in filters {
            call = call.query(name, value.clone());
        }
        self.send(call).await
    }

    async fn comment(&self, id: &str, text: &str) -> Result<(), AtsError> {
        self.send(Call::post(
            format!("applications/{}/comments", segment(id)),
            json!({"type": "comment", "comment": text}),
        ))
        .await
        .map(|_| ())
    }

    /// The application of `candidate` on `job`, found by name (the create
    /// answers the candidate's id, not the application's).
    async fn application_of(
        &self,
        candidate: &str,
        name: &str,
        job: &str,
    ) -> Result<Option<String>, AtsError> {
        for number in 1..=5 {
            let answer = self
                .page(
                    number,
                    &[
                        ("searchString", name.to_string()),
                        ("jobId", job.to_string()),
                    ],
                    Priority::Interactive,
                )
                .await?;
            let found = applications(&answer).iter().find(|a| {
                a.pointer("/applicant/id").map(id_text).as_deref() == Some(candidate)
                    && a.pointer("/job/id").map(id_text).as_deref() == Some(job)
            });
            if let Some(a) = found {
                return Ok(a.get("id").map(id_text));
            }
            if complete(&answer) {
                break;
            }
        }
        Ok(None)
    }
}

fn applications(answer: &Value) -> &[Value] {
    answer
        .get("applications")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn complete(answer: &Value) -> bool {
    answer.get("paginationComplete") != Some(&Value::Bool(false))
}

/// An id, as a number or a string.
fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn summary(row: &Value) -> Option<CandidateSummary> {
    Some(CandidateSummary {
        id: row.get("id").map(id_text)?,
        first_name: text(row, "/applicant/firstName").unwrap_or_default(),
        last_name: text(row, "/applicant/lastName").unwrap_or_default(),
        phone: text(row, "/applicant/phoneNumber"),
        apply_date: text(row, "/appliedDate"),
    })
}

/// The page number a cursor names.
fn page_of(cursor: &SyncCursor) -> Result<(u32, Option<String>), AtsError> {
    let bad = || AtsError::Malformed(format!("not a BambooHR cursor: {}", cursor.0));
    let mut page = None;
    let mut since = None;
    for part in cursor.0.split('&') {
        match part.split_once('=') {
            Some(("page", n)) => page = Some(n.parse::<u32>().map_err(|_| bad())?),
            Some(("newSince", s)) => since = Some(s.replace('+', " ")),
            _ => return Err(bad()),
        }
    }
    Ok((page.filter(|p| *p >= 1).ok_or_else(bad)?, since))
}

/// `newSince` as BambooHR writes dates: `YYYY-MM-DD HH:MM:SS` (UTC).
fn new_since(ms: i64) -> String {
    crate::when::rfc3339(ms - CHANGES_MARGIN_MS)
        .trim_end_matches('Z')
        .replace('T', " ")
}

#[async_trait]
impl Ats for BambooHr {
    fn provider(&self) -> ProviderId {
        ProviderId::Bamboohr
    }

    fn record_url(&self, candidate_id: &str) -> Option<String> {
        Some(format!(
            "{}/hiring/candidates/{}",
            self.app,
            segment(candidate_id)
        ))
    }

    /// The jobs list: cheap, and what a key without hiring access is refused.
    async fn validate_key(&self) -> Result<(), AtsError> {
        self.send(Call::get("jobs")).await.map(|_| ())
    }

    /// Pages of applications; changes are the applications new since then
    /// (`newSince`): edits to older ones wait for the next full re-list.
    async fn list_page(
        &self,
        start: PageStart<'_>,
        priority: Priority,
    ) -> Result<SyncPage, AtsError> {
        let (number, since) = match start {
            PageStart::Begin(Listing::Full) => (1, None),
            PageStart::Begin(Listing::ChangedSince(ms)) => (1, Some(new_since(ms))),
            PageStart::Resume(cursor) => page_of(cursor)?,
        };
        let filters: Vec<(&str, String)> = since.iter().map(|s| ("newSince", s.clone())).collect();
        let answer = self.page(number, &filters, priority).await?;
        let rows = applications(&answer);
        let next = (!complete(&answer) && !rows.is_empty()).then(|| {
            SyncCursor(match &since {
                Some(s) => format!("page={}&newSince={}", number + 1, s.replace(' ', "+")),
                None => format!("page={}", number + 1),
            })
        });
        Ok(SyncPage {
            records: rows
                .iter()
                .filter_map(summary)
                .map(Listed::Partial)
                .collect(),
            removed: Vec::new(),
            next,
        })
    }

    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError> {
        let d = self.detail(id, priority).await?;
        Ok(Candidate {
            id: d
                .get("id")
                .map(id_text)
                .ok_or_else(|| AtsError::Malformed("application without id".into()))?,
            first_name: text(&d, "/applicant/firstName").unwrap_or_default(),
            last_name: text(&d, "/applicant/lastName").unwrap_or_default(),
            email: text(&d, "/applicant/email"),
            phone: text(&d, "/applicant/phoneNumber"),
            profile_url: text(&d, "/applicant/linkedinUrl")
                .and_then(|u| canonical_linkedin_url(&u)),
            company: None,
            title: None,
            location: text(&d, "/applicant/address/city"),
            ats_url: self.record_url(&d.get("id").map(id_text).unwrap_or_default()),
            created_at: text(&d, "/appliedDate"),
        })
    }

    /// `searchString` with the name, up to `max_pages` pages; only rows
    /// carrying every word of the name are kept.
    async fn search_by_name(
        &self,
        name: &str,
        max_pages: u32,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        let wanted = fold_name(name);
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let mut found = Vec::new();
        for number in 1..=max_pages.max(1) {
            let answer = self
                .page(
                    number,
                    &[("searchString", name.trim().to_string())],
                    priority,
                )
                .await?;
            found.extend(
                applications(&answer)
                    .iter()
                    .filter(|r| {
                        let full = fold_name(&format!(
                            "{} {}",
                            text(r, "/applicant/firstName").unwrap_or_default(),
                            text(r, "/applicant/lastName").unwrap_or_default()
                        ));
                        let words: Vec<&str> = full.split(' ').collect();
                        wanted
                            .split(' ')
                            .all(|w| words.iter().any(|n| n.starts_with(w)))
                    })
                    .filter_map(summary)
                    .map(Listed::Partial),
            );
            if complete(&answer) {
                break;
            }
        }
        Ok(found)
    }

    /// An application on the job (BambooHR has no candidate without one),
    /// then the upload's note as a comment. A failure that `is_transient()`
    /// may still have created it: the caller looks before trying again.
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError> {
        let Some(job) = new.job_id.as_deref().filter(|j| !j.is_empty()) else {
            return Err(AtsError::Unsupported("create a candidate without a job"));
        };
        let mut body = json!({"firstName": new.first_name.trim(), "lastName": new.last_name.trim(), "jobId": job});
        for (field, value) in [
            ("email", &new.email),
            ("phoneNumber", &new.phone),
            ("source", &new.source),
        ] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                body[field] = json!(v);
            }
        }
        if let Some(url) = new.profile_url.as_deref().and_then(canonical_linkedin_url) {
            body["linkedinUrl"] = json!(url);
        }
        let answer = self.send(Call::post("application", body)).await?;
        let candidate = answer
            .get("candidateId")
            .map(id_text)
            .ok_or_else(|| AtsError::Malformed("no candidateId in the answer".into()))?;
        let name = format!("{} {}", new.first_name.trim(), new.last_name.trim());
        let id = self
            .application_of(&candidate, &name, job)
            .await?
            .ok_or_else(|| AtsError::Malformed("the new application is not listed".into()))?;
        if let Some(note) = new.note.as_deref().filter(|n| !n.trim().is_empty()) {
            if let Err(e) = self.comment(&id, note).await {
                tracing::warn!(candidate = id.as_str(), error = %e, detail = e.detail().unwrap_or_default(), "the upload's note was not written");
            }
        }
        Ok(id)
    }

    async fn add_note(&self, candidate_id: &str, text: &str) -> Result<(), AtsError> {
        self.comment(candidate_id, text).await
    }

    /// Comments are read back from the application's detail.
    async fn note_exists(
        &self,
        candidate_id: &str,
        marker: &str,
    ) -> Result<Option<bool>, AtsError> {
        let d = self.detail(candidate_id, Priority::Interactive).await?;
        Ok(d.get("comments").and_then(Value::as_array).map(|c| {
            c.iter()
                .any(|c| text(c, "/comment").is_some_and(|t| t.contains(marker)))
        }))
    }

    /// BambooHR has no way to put an existing candidate on another job but
    /// a new application with the same name and email, which BambooHR
    /// files under the same candidate (the sandbox's README says how sure
    /// that is). An application on that job already is left as it is.
    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError> {
        let d = self.detail(candidate_id, Priority::Interactive).await?;
        let candidate = d
            .pointer("/applicant/id")
            .map(id_text)
            .ok_or_else(|| AtsError::Malformed("application without applicant".into()))?;
        let (first, last) = (
            text(&d, "/applicant/firstName").unwrap_or_default(),
            text(&d, "/applicant/lastName").unwrap_or_default(),
        );
        let Some(email) = text(&d, "/applicant/email") else {
            return Err(AtsError::Unsupported(
                "put a candidate without an email on another job",
            ));
        };
        if self
            .application_of(&candidate, &format!("{first} {last}"), job_id)
            .await?
            .is_some()
        {
            return Ok(());
        }
        self.send(Call::post(
            "application",
            json!({"firstName": first, "lastName": last, "email": email, "jobId": job_id}),
        ))
        .await
        .map(|_| ())
    }

    /// Jobs whose status is Open.
    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError> {
        let answer = self.send(Call::get("jobs")).await?;
        let rows = answer
            .as_array()
            .ok_or_else(|| AtsError::Malformed("the jobs answer is not a list".into()))?;
        Ok(rows
            .iter()
            .filter(|j| text(j, "/status/label").as_deref() == Some("Open"))
            .filter_map(|j| {
                Some(Job {
                    id: j.get("id").map(id_text)?,
                    title: text(j, "/title/label").unwrap_or_default(),
                    department: text(j, "/department/label"),
                    location: text(j, "/location/label"),
                    status: "Open".into(),
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_company_domain_is_read_from_what_an_admin_pastes() {
        for typed in [
            "acme",
            "Acme.bamboohr.com",
            "https://acme.bamboohr.com/home",
        ] {
            assert_eq!(company_domain(typed).as_deref(), Some("acme"), "{typed}");
        }
        for bad in ["", "a b", "acme.evil.com", "-acme"] {
            assert_eq!(company_domain(bad), None, "{bad}");
        }
    }

    #[test]
    fn cursors_carry_the_page_and_the_changes_filter() {
        let (page, since) =
            page_of(&SyncCursor("page=3&newSince=2026-01-02+03:04:05".into())).unwrap();
        assert_eq!((page, since.as_deref()), (3, Some("2026-01-02 03:04:05")));
        assert!(page_of(&SyncCursor("page=0".into())).is_err());
        assert!(page_of(&SyncCursor("offset=3".into())).is_err());
        assert_eq!(new_since(1_767_225_660_000), "2026-01-01 00:00:00");
    }
}
